import ACPI
import Testing

@testable import A64
@testable import VirtMachine

@Suite struct VirtMachineTests {
  func machine(_ smp: String = "2,maxcpus=4") throws -> VirtMachine {
    try VirtMachine(smp: try SMPConfiguration.parse(smp))
  }

  /// CPU 0 wakes its redistributor, starts CPU 1 with CPU_ON, tries CPU 2 (not plugged), waits
  /// for CPU 1 to come up, sends it SGI 3, waits for SGI 5 back, polls AFFINITY_INFO until CPU 1
  /// is OFF and powers the system off. CPU 1 wakes its own redistributor, enables its CPU
  /// interface, reports in, waits for the SGI, answers and calls CPU_OFF.
  static let sgiProgram = """
        .equ FLAG, 0x40100000
        movz    x5, #0x080a, lsl #16        // CPU 0's RD_base
        ldr     w6, [x5, #0x14]
        and     w6, w6, #0xfffffffd
        str     w6, [x5, #0x14]             // GICR_WAKER.ProcessorSleep = 0
        add     x7, x5, #0x10000
        mov     w6, #-1
        str     w6, [x7, #0x80]             // GICR_IGROUPR0
        mov     w6, #0xffff
        str     w6, [x7, #0x100]            // GICR_ISENABLER0: SGIs
        movz    x8, #0x0800, lsl #16
        mov     w6, #0x13
        str     w6, [x8]                    // GICD_CTLR
        mov     x6, #0xf0
        msr     icc_pmr_el1, x6
        mov     x6, #1
        msr     icc_igrpen1_el1, x6
        movz    x22, #0x4010, lsl #16       // FLAG
        movz    x0, #0x0003
        movk    x0, #0xc400, lsl #16        // CPU_ON (SMC64)
        mov     x1, #1
        adr     x2, secondary
        mov     x3, x22
        hvc     #0
        mov     x20, x0
        movz    x0, #0x0003
        movk    x0, #0xc400, lsl #16
        mov     x1, #2
        adr     x2, secondary
        hvc     #0
        mov     x21, x0                     // DENIED expected
    1:  ldr     x9, [x22]
        cbz     x9, 1b
        movz    x10, #0x0300, lsl #16
        orr     x10, x10, #2
        msr     icc_sgi1r_el1, x10          // SGI 3 -> Aff0 1
    2:  mrs     x11, icc_iar1_el1
        cmp     x11, #1023
        b.eq    2b
        msr     icc_eoir1_el1, x11
        mov     x23, x11
    3:  movz    x0, #0x0004
        movk    x0, #0xc400, lsl #16        // AFFINITY_INFO(1, 0)
        mov     x1, #1
        mov     x2, #0
        hvc     #0
        cmp     x0, #1
        b.ne    3b
        mov     x24, x0
        movz    x0, #0x0008
        movk    x0, #0x8400, lsl #16        // SYSTEM_OFF
        hvc     #0
    secondary:
        mov     x19, x0
        movz    x5, #0x080c, lsl #16        // CPU 1's RD_base
        ldr     w6, [x5, #0x14]
        and     w6, w6, #0xfffffffd
        str     w6, [x5, #0x14]
    4:  ldr     w6, [x5, #0x14]
        tbnz    w6, #2, 4b                  // wait for ChildrenAsleep == 0
        add     x7, x5, #0x10000
        mov     w6, #-1
        str     w6, [x7, #0x80]
        mov     w6, #0xffff
        str     w6, [x7, #0x100]
        mov     x6, #0xf0
        msr     icc_pmr_el1, x6
        mov     x6, #1
        msr     icc_igrpen1_el1, x6
        str     x6, [x19]                   // up
    5:  wfi
        mrs     x11, icc_iar1_el1
        cmp     x11, #1023
        b.eq    5b
        msr     icc_eoir1_el1, x11
        str     x11, [x19, #8]
        movz    x10, #0x0500, lsl #16
        orr     x10, x10, #1
        msr     icc_sgi1r_el1, x10          // SGI 5 -> Aff0 0
        movz    x0, #0x0002
        movk    x0, #0x8400, lsl #16        // CPU_OFF
        hvc     #0
        b       .
    """

  @Test func twoCPUsExchangeSGIsThroughPSCIAndTheGIC() throws {
    let m = try machine()
    let program = try Assembler.assemble(VirtMachineTests.sgiProgram, base: 0x4008_0000)
    try m.bus.write(program.bytes, at: program.base)
    m.powerOn(cpu: 0, entry: program.base)
    m.run(limit: 100_000)
    let cpu0 = m.vcpu(0)
    #expect(m.state.systemOff == "SYSTEM_OFF")
    #expect(cpu0.x(20) == 0)  // CPU_ON SUCCESS
    #expect(cpu0.x(21) == PSCI.ReturnCode.DENIED.register)  // CPU 2 not plugged
    #expect(cpu0.x(23) == 5)  // the SGI CPU 1 sent back
    #expect(cpu0.x(24) == 1)  // AFFINITY_INFO: OFF
    #expect(try m.bus.readValue(0x4010_0008, size: 8) == 3)  // the SGI CPU 1 received
    #expect(m.state.power[1] == .off)
    let events = m.state.trace.records.map(\.event)
    #expect(events.contains("gicr.wake"))
    #expect(m.state.trace.matching("gicr.wake").map(\.cpu) == [0, 1])
    #expect(
      m.state.trace.matching("psci.cpu_on").map(\.details) == [
        "target=0x1 entry=0x400800cc context=0x40100000 -> SUCCESS",
        "target=0x2 entry=0x400800cc context=0x40100000 -> DENIED",
      ])
    #expect(m.state.trace.matching("gic.sgi").map(\.details) == ["SGI 3 -> cpu1", "SGI 5 -> cpu0"])
    #expect(events.contains("psci.cpu_off"))
    #expect(events.firstIndex(of: "cpu.start")! < events.firstIndex(of: "gic.sgi")!)
  }

  /// gic_populate_rdist()'s walk: read each frame's GICR_TYPER until the affinity matches. The
  /// loop's block starts with an MMIO load reached through a chained branch, so the PC the
  /// interpreter resumes at after the MMIO exit must be the block's own (a regression: it once
  /// came from the load's offset and the vCPU jumped to 0xc).
  @Test func redistributorWalkFindsTheThirdFrame() throws {
    let m = try machine("3,maxcpus=4")
    let source = """
          mov     x3, #2
          movz    x5, #0x080a, lsl #16
      1:  ldr     x6, [x5, #8]                // GICR_TYPER
          cmp     x3, x6, lsr #32
          b.eq    2f
          tbnz    x6, #4, 3f                  // Last
          add     x5, x5, #0x20000
          b       1b
      2:  movz    x0, #0x0008
          movk    x0, #0x8400, lsl #16        // SYSTEM_OFF
          hvc     #0
      3:  b       .
      """
    let program = try Assembler.assemble(source, base: 0x4008_0000)
    try m.bus.write(program.bytes, at: program.base)
    m.powerOn(cpu: 0, entry: program.base)
    m.run(limit: 1000)
    #expect(m.state.systemOff == "SYSTEM_OFF")
    #expect(m.vcpu(0).x(5) == 0x080e_0000)
    #expect(m.vcpu(0).lastException == nil)
  }

  @Test func theSameProgramGivesTheSameTraceByteForByte() throws {
    func trace() throws -> String {
      let m = try machine()
      let program = try Assembler.assemble(VirtMachineTests.sgiProgram, base: 0x4008_0000)
      try m.bus.write(program.bytes, at: program.base)
      m.powerOn(cpu: 0, entry: program.base)
      m.run(limit: 100_000)
      return m.state.trace.text
    }
    let first = try trace()
    #expect(first.count > 500)
    #expect(try trace() == first)
  }

  /// A snapshot skips vCPUs that did not run since the last one, but not the state the bus
  /// keeps for them: an event register set by another PE's SEV is saved and restored.
  @Test func aSnapshotSavesBusStateOfVCPUsThatDidNotRun() throws {
    let m = try machine()
    let idle = m.vcpu(1)
    idle.reset(entry: 0x4008_0000)
    _ = m.snapshot()
    #expect(!m.bus.eventRegisters[idle.index])
    m.bus.sendEventToAll()  // SEV on another PE
    let withEvent = m.snapshot()
    _ = m.bus.consumeEvent(cpu: idle.index)  // WFE on that PE, as if it had run
    #expect(!m.bus.eventRegisters[idle.index])
    m.restore(withEvent)
    #expect(m.bus.eventRegisters[idle.index])
  }

  @Test func snapshotRestoreReplaysIdentically() throws {
    let m = try machine()
    let program = try Assembler.assemble(VirtMachineTests.sgiProgram, base: 0x4008_0000)
    try m.bus.write(program.bytes, at: program.base)
    m.powerOn(cpu: 0, entry: program.base)
    m.run(limit: 3)
    let snap = m.snapshot()
    #expect(m.state.systemOff == nil)
    m.run(limit: 100_000)
    let full = m.state.trace.text
    m.restore(snap)
    #expect(m.state.systemOff == nil)
    m.run(limit: 100_000)
    #expect(m.state.trace.text == full)
  }

  @Test func deviceAddRaisesTheGEDAndTheAMLNotifiesADeviceCheck() throws {
    let m = try machine("1,maxcpus=4")
    var host = MachineAMLHost(machine: m)
    var aml = AMLInterpreter()
    try aml.load(m.firmware.dsdt.encodedBytes, host: &host)
    #expect(try aml.deviceStatus("\\_SB.CPUS.C002", host: &host) == 0xD)
    try m.deviceAdd(driver: "host-arm-cpu", properties: [("core-id", "2"), ("id", "cpu2")])
    #expect(m.state.gic.state(41, cpu: 0).pending)
    #expect(try aml.deviceStatus("\\_SB.CPUS.C002", host: &host) == 0xF)
    _ = try aml.evaluate("\\_SB.GED._EVT", arguments: [.integer(41)], host: &host)
    #expect(host.notifications.map { "\($0.path) \($0.value)" } == ["\\_SB.CPUS.C002 1"])
    #expect(!m.state.hotplug.slots[2].inserting)
    _ = try aml.evaluate(
      "\\_SB.CPUS.C002._OST", arguments: [.integer(1), .integer(0), .buffer([])], host: &host)
    #expect(
      m.state.qmpEvents == [
        "{\"event\":\"ACPI_DEVICE_OST\",\"data\":{\"info\":{\"device\":\"cpu2\",\"slot\":\"2\",\"slot-type\":\"CPU\",\"source\":1,\"status\":0}}}"
      ])
  }

  @Test func deviceDelIsAnEjectRequestAndEJ0Unplugs() throws {
    let m = try machine("1,maxcpus=4")
    var host = MachineAMLHost(machine: m)
    var aml = AMLInterpreter()
    try aml.load(m.firmware.dsdt.encodedBytes, host: &host)
    try m.deviceAdd(driver: "host-arm-cpu", properties: [("core-id", "3"), ("id", "cpu3")])
    _ = try aml.evaluate("\\_SB.GED._EVT", arguments: [.integer(41)], host: &host)
    host.notifications.removeAll()
    try m.deviceDel("cpu3")
    #expect(m.state.hotplug.slots[3].plugged)  // only requested
    _ = try aml.evaluate("\\_SB.GED._EVT", arguments: [.integer(41)], host: &host)
    #expect(host.notifications.map { "\($0.path) \($0.value)" } == ["\\_SB.CPUS.C003 3"])
    _ = try aml.evaluate("\\_SB.CPUS.C003._EJ0", arguments: [.integer(1)], host: &host)
    #expect(!m.state.hotplug.slots[3].plugged)
    #expect(try aml.deviceStatus("\\_SB.CPUS.C003", host: &host) == 0xD)
    #expect(
      m.state.qmpEvents.last
        == "{\"event\":\"DEVICE_DELETED\",\"data\":{\"device\":\"cpu3\",\"path\":\"/machine/peripheral/cpu3\"}}"
    )
    #expect(
      m.state.trace.matching("vmm").map(\.event) == [
        "vmm.machine", "vmm.device_add", "vmm.device_del", "vmm.unplug",
      ])
    #expect(throws: VMM.Error(message: "Device 'cpu3' not found")) { try m.deviceDel("cpu3") }
  }

  @Test func firmwareTablesAreInGuestMemory() throws {
    let m = try machine()
    let rsdp = try m.bus.read(VirtACPIBuild.rsdpAddress, count: 36)
    #expect(String(decoding: rsdp[0..<8], as: UTF8.self) == "RSD PTR ")
    let decoded = try RSDP.decode(rsdp)
    #expect(decoded.xsdtAddress == VirtACPIBuild.xsdtAddress)
  }

  @Test func manyCPUsUseTheHighRedistributorRegion() throws {
    let m = try machine("1,maxcpus=200")
    let last = MemoryMap.redistributorBase(of: 199)
    #expect(last >= MemoryMap.highGICRBase)
    let typer = m.physicalRead(last + 8, size: 8)!
    #expect(typer >> 32 == CPUSlotID.affinity(index: 199))
    #expect(typer & 0x10 != 0)  // Last in the high region
    let typer122 = m.physicalRead(MemoryMap.redistributorBase(of: 122) + 8, size: 8)!
    #expect(typer122 >> 32 == CPUSlotID.affinity(index: 122))
    #expect(typer122 & 0x10 != 0)  // Last of region 0
  }
}
