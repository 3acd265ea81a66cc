import Testing

@testable import A64

@Suite struct TranslationCacheTests {
  @Test func selfModifyingCodeSeesTheNewInstruction() throws {
    // Patch "mov x0, #1" into "mov x0, #2" and run it again.
    let (cpu, _) = try runSnippet(
      """
        mov x3, #0
      again:
        bl target
        add x3, x3, x0
        cbnz x4, done
        mov x4, #1
        adr x1, target
        ldr w2, new
        str w2, [x1]
        b again
      done:
        brk #0
      target:
        mov x0, #1
        ret
      new: mov x0, #2
      """)
    #expect(cpu.x(3) == 3)
  }

  @Test func hostWritesInvalidateAndDataNextToCodeDoesNot() throws {
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
    let p = try Assembler.assemble(
      """
        adr x1, buffer
        mov x2, #0
      1: str x2, [x1, x2, lsl #3]
        add x2, x2, #1
        cmp x2, #8
        b.ne 1b
        brk #0
        .balign 64                  // the next 64-byte line: no translated code there
      buffer: .quad 0, 0, 0, 0, 0, 0, 0, 0
      """, base: 0x4008_0000)
    try bus.write(p.bytes, at: 0x4008_0000)
    let cpu = CPU(bus: bus)
    cpu.policy = ExecutionPolicy(stopOnBRK: true)
    cpu.reset(entry: 0x4008_0000)
    #expect(cpu.run(maxInstructions: 1000) == .softwareBreakpoint(immediate: 0))
    // The loop stored to its own page but never to a code line: no retranslation storm.
    #expect(cpu.cache.translations <= 4)
    #expect(try bus.readValue(p.symbols["buffer"]! + 56, size: 8) == 7)
    // A host write over the code replaces it.
    try bus.write(try Assembler.assemble("  mov x9, #9\n  brk #1\n").bytes, at: 0x4008_0000)
    cpu.pc = 0x4008_0000
    #expect(cpu.run(maxInstructions: 10) == .softwareBreakpoint(immediate: 1))
    #expect(cpu.x(9) == 9)
  }

  @Test(arguments: [1, 2, 3, 7, 64, 65, 1000, 4001])
  func budgetsAreExact(budget: UInt64) throws {
    let (cpu, stop) = try runSnippet(
      """
        mov x0, #0
      1: add x0, x0, #1
        b 1b
      """, budget: budget)
    #expect(stop == .budgetExhausted)
    #expect(cpu.instructionsRetired == budget)
    #expect(cpu.x(0) == (budget - 1 + 1) / 2)
  }

  @Test func singleStepAndBreakpoints() throws {
    let program = try Assembler.assemble(
      "  mov x0, #1\n  mov x1, #2\n  mov x2, #3\n  brk #0\n", base: 0x4008_0000)
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
    try bus.write(program.bytes, at: 0x4008_0000)
    let cpu = CPU(bus: bus)
    cpu.policy = ExecutionPolicy(stopOnBRK: true)
    cpu.reset(entry: 0x4008_0000)
    #expect(cpu.step() == .budgetExhausted)
    #expect(cpu.pc == 0x4008_0004 && cpu.x(0) == 1 && cpu.x(1) == 0)
    cpu.breakpoints = [0x4008_0008]
    #expect(cpu.run(maxInstructions: 100) == .breakpoint(0x4008_0008))
    #expect(cpu.x(1) == 2 && cpu.x(2) == 0)
    #expect(cpu.run(maxInstructions: 100) == .softwareBreakpoint(immediate: 0))  // resumes past it
    #expect(cpu.x(2) == 3)
    #expect(cpu.instructionsRetired == 3)
  }
}
