import Testing

@testable import A64
@testable import VirtMachine

/// WFE, SEV and WFI on two vCPUs of a real machine running assembled A64 code. CPU 1 is started
/// first and runs until it parks; then CPU 0 is started and wakes it. Each vCPU gets x0 = FLAG,
/// the words both write their progress to.
@Suite struct WFESEVTests {
  static let base: UInt64 = 0x4008_0000
  static let flag: UInt64 = 0x4010_0000

  /// Assembles `source`, starts CPU 1 at `waiter` and runs the machine until nothing is left
  /// to run (CPU 1 has parked).
  func startWaiter(_ source: String) throws -> (VirtMachine, AssembledProgram) {
    let m = try VirtMachine(smp: try SMPConfiguration.parse("2,maxcpus=2"))
    let program = try Assembler.assemble(source, base: Self.base)
    try m.bus.write(program.bytes, at: program.base)
    m.powerOn(cpu: 1, entry: try #require(program.symbols["waiter"]), context: Self.flag)
    m.run(limit: 10_000)
    return (m, program)
  }

  /// Starts CPU 0 at `sender` and runs the machine until it is idle again.
  func startSender(_ m: VirtMachine, _ program: AssembledProgram) throws {
    m.powerOn(cpu: 0, entry: try #require(program.symbols["sender"]), context: Self.flag)
    m.run(limit: 10_000)
    #expect(m.nextEventTime == nil, "the machine should be idle")
    #expect(m.state.stopped.isEmpty)
  }

  func word(_ m: VirtMachine, _ offset: UInt64) throws -> UInt64 {
    try m.bus.readValue(Self.flag + offset, size: 8)
  }

  /// One vCPU's parking and waking in the trace: "cpu.wfi WFE", "cpu.wake IRQ line asserted"...
  func parking(_ m: VirtMachine, cpu: Int) -> [String] {
    m.state.trace.records.filter { ($0.event == "cpu.wfi" || $0.event == "cpu.wake") && $0.cpu == cpu }
      .map { "\($0.event) \($0.details.prefix { $0 != ":" })" }
  }

  /// CPU 1 parks in WFE and CPU 0's SEV wakes it; CPU 1 then parks in WFI, which CPU 0's
  /// second SEV must not end.
  static let sevProgram = """
    waiter:                             // CPU 1
        mov     x19, x0
        sevl
        wfe                             // clear the event register
        mov     x6, #1
        str     x6, [x19]               // [0] = 1: about to wait in WFE
        wfe
        mrs     x20, mpidr_el1
        str     x20, [x19, #8]          // [8]: written after the WFE
        wfi
        mov     x6, #1
        str     x6, [x19, #16]          // [16]: never written (an event does not end WFI)
        b       .
    sender:                             // CPU 0
        mov     x19, x0
        sev
    1:  ldr     x6, [x19, #8]
        cbz     x6, 1b                  // until CPU 1 is past its WFE
        sev                             // CPU 1 is in WFI now
        mov     x6, #1
        str     x6, [x19, #24]          // [24] = 1: the second SEV was sent
        wfi
        b       .
    """

  @Test func sevWakesAVCPUParkedInWFEButNotOneInWFI() throws {
    let (m, program) = try startWaiter(Self.sevProgram)
    #expect(m.state.parked == [1])
    #expect(m.state.parkedInWFE == [1])
    #expect(try word(m, 0) == 1)
    #expect(try word(m, 8) == 0)
    #expect(!m.bus.eventRegisters[m.vcpu(1).index])
    try startSender(m, program)
    #expect(try word(m, 8) == 0x8000_0001)  // CPU 1's MPIDR_EL1, read after the wake
    #expect(m.vcpu(1).x(20) == 0x8000_0001)
    #expect(try word(m, 24) == 1)
    #expect(try word(m, 16) == 0)
    // Both wait in WFI now: CPU 1 since before the second SEV, CPU 0 at its end.
    #expect(m.state.parked == [0, 1])
    #expect(m.state.parkedInWFE.isEmpty)
    // The event register stays set after the wake, as on hardware: the next WFE falls through.
    #expect(m.bus.eventRegisters[m.vcpu(1).index])
    #expect(
      parking(m, cpu: 1) == [
        "cpu.wfi WFE", "cpu.wake event register set", "cpu.wfi WFI",
      ])
  }

  /// CPU 1 sets up its redistributor and CPU interface, parks in WFI with IRQs masked, and
  /// SGI 3 from CPU 0 ends the WFI; it then parks in WFE with IRQs unmasked and a vector
  /// table, and SGI 4 wakes it and is taken as an IRQ exception.
  static let interruptProgram = """
    waiter:                             // CPU 1
        mov     x19, x0
        movz    x5, #0x080c, lsl #16    // CPU 1's RD_base
        ldr     w6, [x5, #0x14]
        and     w6, w6, #0xfffffffd
        str     w6, [x5, #0x14]         // GICR_WAKER.ProcessorSleep = 0
    1:  ldr     w6, [x5, #0x14]
        tbnz    w6, #2, 1b              // until ChildrenAsleep == 0
        add     x7, x5, #0x10000        // SGI_base
        mov     w6, #-1
        str     w6, [x7, #0x80]         // GICR_IGROUPR0: all group 1
        mov     w6, #0xffff
        str     w6, [x7, #0x100]        // GICR_ISENABLER0: SGIs
        movz    x8, #0x0800, lsl #16
        mov     w6, #0x13
        str     w6, [x8]                // GICD_CTLR
        mov     x6, #0xf0
        msr     icc_pmr_el1, x6
        mov     x6, #1
        msr     icc_igrpen1_el1, x6
        isb
        str     x6, [x19]               // [0] = 1: waiting in WFI, IRQs masked
        wfi
        mrs     x11, icc_iar1_el1
        msr     icc_eoir1_el1, x11
        str     x11, [x19, #8]          // [8]: the INTID that ended the WFI
        adr     x6, vectors
        msr     vbar_el1, x6
        sevl
        wfe                             // clear the event register
        mov     x6, #2
        str     x6, [x19]               // [0] = 2: waiting in WFE, IRQs unmasked
        msr     daifclr, #2
        wfe
        mov     x6, #1
        str     x6, [x19, #24]          // [24] = 1: past the WFE, after the handler
        wfi
        b       .
    sender:                             // CPU 0
        mov     x19, x0
        movz    x10, #0x0300, lsl #16
        orr     x10, x10, #2
        msr     icc_sgi1r_el1, x10      // SGI 3 -> Aff0 1
    2:  ldr     x6, [x19]
        cmp     x6, #2
        b.ne    2b                      // until CPU 1 waits in WFE
        movz    x10, #0x0400, lsl #16
        orr     x10, x10, #2
        msr     icc_sgi1r_el1, x10      // SGI 4 -> Aff0 1
        wfi
        b       .
        .balign 2048
    vectors:
        .skip   0x280
        mrs     x12, icc_iar1_el1       // IRQ, current EL with SP_ELx
        msr     icc_eoir1_el1, x12
        str     x12, [x19, #16]         // [16]: the INTID taken after the WFE
        eret
    """

  @Test func anSGIWakesAVCPUParkedInWFIAndOneParkedInWFE() throws {
    let (m, program) = try startWaiter(Self.interruptProgram)
    #expect(m.state.parked == [1])
    #expect(m.state.parkedInWFE.isEmpty)
    #expect(try word(m, 0) == 1)
    #expect(try word(m, 8) == 0)
    try startSender(m, program)
    #expect(try word(m, 8) == 3)  // acknowledged after the WFI
    #expect(try word(m, 16) == 4)  // taken by the IRQ handler after the WFE
    #expect(try word(m, 24) == 1)
    #expect(m.vcpu(1).x(11) == 3 && m.vcpu(1).x(12) == 4)
    #expect(m.state.parked == [0, 1])
    #expect(m.state.parkedInWFE.isEmpty)
    #expect(
      parking(m, cpu: 1) == [
        "cpu.wfi WFI", "cpu.wake IRQ line asserted", "cpu.wfi WFE", "cpu.wake IRQ line asserted",
        "cpu.wfi WFI",
      ])
    #expect(m.state.trace.matching("gic.sgi").map(\.details) == ["SGI 3 -> cpu1", "SGI 4 -> cpu1"])
  }
}
