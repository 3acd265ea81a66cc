import Testing

@testable import A64

/// Runs `source` with a vector table at VBAR_EL1 = `vectors` whose entries are BRK #n
/// (n = the entry's offset / 0x80), so the stop reason names the vector taken.
func runWithVectors(_ source: String, setup: (CPU) -> Void = { _ in }) throws -> (CPU, StopReason) {
  var vectorSource = "\n.balign 2048\nvectors:\n"
  for n in 0..<16 { vectorSource += "  brk #\(n)\n  .balign 128\n" }
  return try runSnippet(
    source + vectorSource,
    setup: { cpu in
      setup(cpu)
    })
}

@Suite struct ExceptionTests {
  func vectorsFirst(_ body: String) -> String {
    "  adr x20, vectors\n  msr vbar_el1, x20\n" + body
  }

  @Test func svcFromEL1h() throws {
    let (cpu, stop) = try runWithVectors(vectorsFirst("  svc #0x42\n  nop\n"))
    #expect(stop == .softwareBreakpoint(immediate: 4))  // current EL with SP_ELx, synchronous: 0x200
    let e = try #require(cpu.lastException)
    #expect(e.exceptionClass == .svc64)
    #expect(e.esr == 0x5600_0042)
    #expect(e.elr == 0x4008_000C)  // preferred return: the next instruction
    #expect(e.spsr == 0x3C5)  // EL1h, DAIF masked
    #expect(try #require(cpu.readSystemRegister(.esr)) == 0x5600_0042)
  }

  @Test func hvcWithoutFirmwareIsUndefined() throws {
    // No host handles the call: with no EL2, HVC is UNDEFINED (EC 0x00), ELR = the HVC itself.
    let program = try Assembler.assemble("  nop\n  nop\n  hvc #0\n", base: 0x4008_0000)
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
    try bus.write(program.bytes, at: 0x4008_0000)
    let cpu = CPU(bus: bus)
    cpu.policy = ExecutionPolicy(stopOnBRK: true, stopOnAllExceptions: true)
    cpu.reset(entry: 0x4008_0000)
    let stop = cpu.run(maxInstructions: 10)
    guard case .unhandledException(let e) = stop else {
      Issue.record("expected UNDEFINED, got \(stop)")
      return
    }
    #expect(e.exceptionClass == .unknown)
    #expect(e.esr == 0x0200_0000)
    #expect(e.elr == 0x4008_0008)
  }

  @Test func dataAbortAlignmentAndSPAlignment() throws {
    var (cpu, _) = try runWithVectors(vectorsFirst("  mov x1, #0x1000\n  ldr x0, [x1]\n"))
    var e = try #require(cpu.lastException)
    #expect(e.exceptionClass == .dataAbortSameEL)
    #expect(e.esr == 0x9600_0010)  // DFSC 0b010000: synchronous external abort
    #expect(e.far == 0x1000)
    #expect(e.elr == 0x4008_000C)

    (cpu, _) = try runWithVectors(vectorsFirst("  adr x1, vectors\n  str w0, [x1, #2]\n"))
    e = try #require(cpu.lastException)
    #expect(e.esr == 0x9600_0061)  // WnR, DFSC 0b100001: alignment fault (Device memory, MMU off)

    (cpu, _) = try runWithVectors(
      vectorsFirst("  mov x2, sp\n  sub x2, x2, #8\n  mov sp, x2\n  ldr x0, [sp]\n"))
    e = try #require(cpu.lastException)
    #expect(e.exceptionClass == .spAlignment)
    #expect(e.esr == 0x9A00_0000)
  }

  @Test func pcAlignmentAndInstructionAbort() throws {
    var (cpu, _) = try runWithVectors(vectorsFirst("  adr x1, vectors\n  add x1, x1, #2\n  br x1\n"))
    var e = try #require(cpu.lastException)
    #expect(e.exceptionClass == .pcAlignment)
    #expect(e.esr == 0x8A00_0000)
    #expect(e.elr == e.far)

    (cpu, _) = try runWithVectors(vectorsFirst("  mov x1, #0x2000\n  br x1\n"))
    e = try #require(cpu.lastException)
    #expect(e.exceptionClass == .instructionAbortSameEL)
    #expect(e.esr == 0x8600_0010)
    #expect(e.far == 0x2000)
  }

  @Test func undefinedInstructionAndBRK() throws {
    var (cpu, stop) = try runWithVectors(vectorsFirst("  .inst 0x1e601000\n"))
    #expect(stop == .softwareBreakpoint(immediate: 4))
    #expect(cpu.lastException?.esr == 0x0200_0000)
    // BRK as an exception: EC 0x3C with the immediate, ELR = the BRK itself.
    (cpu, stop) = try runSnippet(
      "  nop\n  brk #0x77\n", policy: ExecutionPolicy(stopOnBRK: false, stopOnAllExceptions: true))
    guard case .unhandledException(let e) = stop else {
      Issue.record("expected the BRK exception, got \(stop)")
      return
    }
    #expect(e.esr == 0xF200_0077)
    #expect(e.elr == 0x4008_0004)
  }

  @Test func exceptionsFromEL0UseTheLowerELVectorsAndERETReturns() throws {
    let (cpu, stop) = try runWithVectors(
      vectorsFirst(
        """
          adr x1, user
          msr elr_el1, x1
          msr spsr_el1, xzr        // EL0t, DAIF clear
          eret
        user:
          mov x5, #5
          svc #1
        """))
    #expect(stop == .softwareBreakpoint(immediate: 8))  // lower EL AArch64, synchronous: 0x400
    let e = try #require(cpu.lastException)
    #expect(e.fromEL == 0)
    #expect(e.esr == 0x5600_0001)
    #expect(e.spsr == 0)
    #expect(cpu.x(5) == 5)
    #expect(cpu.pstate.el == 1)
  }

  @Test func el0CannotReadEL1RegistersAndTrapsCounterWithoutCNTKCTL() throws {
    let (cpu, _) = try runWithVectors(
      vectorsFirst(
        """
          adr x1, user
          msr elr_el1, x1
          msr spsr_el1, xzr
          eret
        user:
          mrs x0, cntvct_el0
        """))
    let e = try #require(cpu.lastException)
    #expect(e.exceptionClass == .sys64)
    // ISS: Op0=3 [21:20], Op2=2 [19:17], Op1=3 [16:14], CRn=14 [13:10], Rt=0, CRm=0, read [0]
    #expect(e.esr == 0x6200_0000 | 3 << 20 | 2 << 17 | 3 << 14 | 14 << 10 | 1)
    let (cpu2, _) = try runWithVectors(
      vectorsFirst(
        """
          adr x1, user
          msr elr_el1, x1
          msr spsr_el1, xzr
          eret
        user:
          mrs x0, vbar_el1
        """))
    #expect(cpu2.lastException?.exceptionClass == .unknown)
  }

  @Test func unhandledExceptionStopsWhenNoVectorsAreInstalled() throws {
    let (cpu, stop) = try runSnippet("  mov x1, #0x1000\n  ldr x0, [x1]\n")
    guard case .unhandledException(let e) = stop else {
      Issue.record("expected an unhandled exception, got \(stop)")
      return
    }
    #expect(e.esr == 0x9600_0010)
    #expect(cpu.pc == 0x4008_0004)
    #expect(
      e.description.contains("Data Abort taken without a change in Exception level, EC 0x25 (DABT_CUR)"))
  }

  @Test func irqIsTakenWhenUnmaskedAndWakesWFI() throws {
    let (cpu, stop) = try runWithVectors(
      vectorsFirst("  msr daifclr, #2\n  nop\n"),
      setup: { $0.irqPending = true })
    #expect(stop == .softwareBreakpoint(immediate: 5))  // IRQ, current EL with SP_ELx: 0x280
    #expect(cpu.lastException?.type == .irq)
    #expect(cpu.lastException?.elr == 0x4008_000C)
  }

  @Test func aFaultLoopStillReturnsWithinTheBudget() throws {
    // VBAR_EL1 points at zeros (UDF #0): every entry faults again; run must still return.
    let (cpu, stop) = try runSnippet(
      "  adr x0, table\n  msr vbar_el1, x0\n  .inst 0xffffffff\n  .balign 2048\ntable: .skip 2048\n",
      budget: 1000)
    #expect(stop == .budgetExhausted)
    #expect(cpu.lastException?.exceptionClass == .unknown)
    #expect(cpu.instructionsRetired == 2)
  }

  @Test func illegalExceptionReturnRaisesEC0x0E() throws {
    // SPSR_EL1.M = EL2h (0b01001): this PE has no EL2, so the ERET is illegal; the next
    // instruction takes an Illegal Execution state exception with SPSR_EL1.IL set.
    let (cpu, stop) = try runWithVectors(
      vectorsFirst(
        """
          adr x1, next
          msr elr_el1, x1
          mov x2, #0x9
          msr spsr_el1, x2
          eret
        next:
          mov x3, #3
        """))
    #expect(stop == .softwareBreakpoint(immediate: 4))
    let e = try #require(cpu.lastException)
    #expect(e.exceptionClass == .illegalExecutionState)
    #expect(e.esr == 0x3A00_0000)
    #expect(e.spsr & (1 << 20) != 0)
    #expect(cpu.x(3) == 0)  // the instruction after the illegal return did not execute
  }
}
