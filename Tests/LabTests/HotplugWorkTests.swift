import Lab
import Testing

/// ACPI hotplug work runs one item at a time, in notification order: `kacpi_hotplug_wq` is an
/// ordered workqueue and `acpi_device_hotplug()` holds `acpi_scan_lock`.
@Suite struct HotplugWorkTests {
  @Test func twoDeviceChecksFromOneScanRegisterEachCPUOnce() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    try h.run(
      """
      device_add host-arm-cpu,core-id=1,id=cpu1
      device_add host-arm-cpu,core-id=3,id=cpu3
      settle
      """)
    #expect(try h.cpuFile("enabled") == "0-1,3")
    #expect(
      h.log.filter { $0.contains("has been hot-added") } == [
        "ACPI: CPU0 has been hot-added", "ACPI: CPU1 has been hot-added", "ACPI: CPU3 has been hot-added",
      ])
    #expect(h.kernel.uevents.filter { $0.action == .add }.map(\.devpath).count == 3)
    // The first work's rescan of \_SB.CPUS attached C003 too; the second finds it enumerated.
    #expect(h.trace("register_cpu").map(\.details).map { $0.prefix(4) } == ["cpu0", "cpu1", "cpu3"])
    #expect(
      h.trace("acpi_device_hotplug").map(\.details).map { $0.split(separator: " [").first! } == [
        "\\_SB.CPUS.C001 Device Check", "\\_SB.CPUS.C003 Device Check",
      ])
    let osts = h.trace("aml.eval").map(\.details).filter { $0.contains("._OST") }
    #expect(
      osts == ["\\_SB.CPUS.C001._OST(0x1, 0x0, Buffer(0))", "\\_SB.CPUS.C003._OST(0x1, 0x0, Buffer(0))"])
    // The second work starts only after the first one's _OST.
    let records = h.machine.state.trace.records
    let firstOST = try #require(records.firstIndex { $0.details.hasPrefix("\\_SB.CPUS.C001._OST") })
    let secondWork = try #require(records.lastIndex { $0.event == "acpi_device_hotplug" })
    #expect(firstOST < secondWork)
    #expect(h.kernel.invariantViolations.isEmpty)
  }
}
