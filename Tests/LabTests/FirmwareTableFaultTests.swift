import Testing

/// Broken firmware tables that move things (issue 16): the kernel finds the GED's interrupt in
/// its `_CRS` and the distributor at the MADT's GICD base, so when the tables lie, the kernel
/// believes them, as Linux does.
@Suite struct FirmwareTableFaultTests {
  @Test func gedInterruptFromCRSIsWhatTheKernelEnables() throws {
    let h = LabHarness()
    try h.run("machine virt -smp 1,maxcpus=3 ged-crs-gsi=42; boot; settle")
    #expect(h.kernel.gedGSI == 42)
    // acpi_ged_probe() enabled 42 in GICD_ISENABLER1 (INTIDs 32-63); the board's own line, 41,
    // stays off.
    let isenabler1 = try #require(h.machine.physicalRead(0x0800_0104, size: 4))
    #expect(isenabler1 & (1 << 10) != 0)
    #expect(isenabler1 & (1 << 9) == 0)
    #expect(try h.run("machine").contains("ged-crs-gsi=42"))
  }

  @Test func gedOnTheWrongLineNeverHearsAHotAdd() throws {
    let h = LabHarness()
    try h.run("machine virt -smp 1,maxcpus=3 ged-crs-gsi=42; boot; settle")
    let traceBefore = h.machine.state.trace.count
    try h.run("device_add host-arm-cpu,core-id=1,id=cpu1; settle")
    // The VMM pulsed GSI 41 (ged.event), but no _EVT ran, so no scan and no _OST.
    let events = h.machine.state.trace.records[traceBefore...].map { "\($0.event) \($0.details)" }
    #expect(events.contains { $0.hasPrefix("ged.event") })
    #expect(!events.contains { $0.contains("_EVT") })
    #expect(!events.contains { $0.contains("_OST") })
    #expect(try h.cpuFile("enabled") == "0")
    #expect(!Array(h.machine.state.qmpEvents).contains { $0.contains("ACPI_DEVICE_OST") })
  }

  @Test func correctGEDInterruptStillHearsTheHotAdd() throws {
    let h = LabHarness()
    try h.run("machine virt -smp 1,maxcpus=3 ged-crs-gsi=41; boot; settle")
    try h.run("device_add host-arm-cpu,core-id=1,id=cpu1; settle")
    #expect(try h.cpuFile("enabled") == "0-1")
  }

  @Test func gicdBaseInRAMFindsNoDistributor() throws {
    let h = LabHarness()
    try h.run("machine virt -smp 1,maxcpus=3 gicd-base=0x40000000; boot; settle")
    // gic_validate_dist_version() reads GICD_PIDR2 there: RAM reads 0, not ArchRev 3 or 4.
    #expect(h.log.contains("GICv3: No distributor detected at @(____ptrval____), giving up"))
    #expect(h.kernel.panicked == "No interrupt controller found.")
    #expect(h.kernel.gicFailed)
  }

  @Test func gicdBaseOverNothingIsAnExternalAbort() throws {
    let h = LabHarness()
    try h.run("machine virt -smp 1,maxcpus=3 gicd-base=0x20000000; boot; settle")
    #expect(h.log.contains("Internal error: synchronous external abort: 0000000096000010 [#1] SMP"))
    #expect(h.kernel.panicked == "Attempted to kill the idle task!")
    #expect(h.machine.state.trace.records.contains { $0.event == "do_sea" })
  }

  @Test func badFaultOptionsAreClearErrors() {
    let h = LabHarness()
    let spi = h.failure("machine virt -smp 1 ged-crs-gsi=7")
    #expect(spi?.contains("ged-crs-gsi=7: not an SPI") == true)
    #expect(spi?.contains("a GSI from 32 to 1019") == true)
    let base = h.failure("machine virt -smp 1 gicd-base=0x1234")
    #expect(base?.contains("gicd-base=0x1234: not a 64 KiB-aligned address") == true)
    #expect(
      h.failure("machine virt -smp 1 gicd-base=banana")?.contains("not a 64 KiB-aligned address") == true)
  }
}
