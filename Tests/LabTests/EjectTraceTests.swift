import Lab
import Testing

/// The `_STA` check after `_EJ0` belongs to `acpi_scan_hot_remove()`; `acpi_bus_post_eject()`
/// runs only when the device really is no longer enabled (drivers/acpi/scan.c).
@Suite struct EjectTraceTests {
  func eject(_ fault: String) throws -> LabHarness {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    try h.run(
      """
      device_add host-arm-cpu,core-id=1,id=cpu1
      settle
      \(fault)
      device_del cpu1
      settle
      """)
    return h
  }

  @Test func theStatusCheckComesBeforePostEject() throws {
    let h = try eject("")
    let records = h.machine.state.trace.records
    let ej0 = try #require(records.firstIndex { $0.details.hasPrefix("\\_SB.CPUS.C001._EJ0") })
    let sta = try #require(records[ej0...].firstIndex { $0.details.hasPrefix("\\_SB.CPUS.C001._STA") })
    let postEject = try #require(records.firstIndex { $0.event == "acpi_bus_post_eject" })
    #expect(ej0 < sta && sta < postEject)
    #expect(records[sta].details == "\\_SB.CPUS.C001._STA() = 0xd")
    #expect(h.trace("acpi_processor_post_eject").count == 1)
    #expect(try h.cpuFile("enabled") == "0")
  }

  @Test func anIncompleteEjectRunsNoPostEject() throws {
    let h = try eject("firmware eject keep-enabled")
    #expect(h.log.last == "ACPI: \\_SB_.CPUS.C001: Eject incomplete - status 0xf")
    #expect(h.trace("acpi_bus_post_eject").isEmpty)
    #expect(h.trace("acpi_processor_post_eject").isEmpty)
    #expect(try h.cpuFile("enabled") == "0-1")
  }
}
