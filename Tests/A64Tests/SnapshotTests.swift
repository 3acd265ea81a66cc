import Testing

@testable import A64

@Suite struct SnapshotTests {
  /// A loop that stores a counter to memory and spins.
  static let program = """
        mov  x1, #0x40100000
    1:  add  x0, x0, #1
        str  x0, [x1]
        str  x0, [x1, x0, lsl #3]
        cmp  x0, #200
        b.ne 1b
        brk  #0
    """

  func machine() throws -> (SystemBus, CPU) {
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x100_0000)
    let program = try Assembler.assemble(SnapshotTests.program)
    try bus.write(program.bytes, at: program.base)
    let cpu = CPU(bus: bus)
    cpu.reset(entry: program.base)
    cpu.policy.stopOnBRK = true
    return (bus, cpu)
  }

  @Test func restoringGivesBackRegistersAndMemoryAndReplaysIdentically() throws {
    let (bus, cpu) = try machine()
    _ = cpu.run(maxInstructions: 100)
    let state = cpu.saveState()
    let ram = bus.snapshotRAM()
    #expect(ram.pageCount >= 2)  // code page and data page
    let counter = try bus.readValue(0x4010_0000, size: 8)
    #expect(cpu.run(maxInstructions: 10_000) == .softwareBreakpoint(immediate: 0))
    let finalX0 = cpu.x(0)
    let finalRetired = cpu.instructionsRetired
    #expect(finalX0 == 200)
    cpu.restoreState(state)
    bus.restoreRAM(ram)
    #expect(cpu.x(0) == counter)
    #expect(try bus.readValue(0x4010_0000, size: 8) == counter)
    #expect(try bus.readValue(0x4010_0000 + 199 * 8, size: 8) == 0)  // written after the snapshot
    #expect(cpu.run(maxInstructions: 10_000) == .softwareBreakpoint(immediate: 0))
    #expect(cpu.x(0) == finalX0)
    #expect(cpu.instructionsRetired == finalRetired)
  }

  /// `isInState` is `saveState() == state`, without building a state.
  @Test func isInStateAgreesWithSavedStateEquality() throws {
    let (bus, cpu) = try machine()
    var saved = [cpu.saveState()]
    for steps: UInt64 in [1, 3, 10, 50] {
      _ = cpu.run(maxInstructions: steps)
      saved.append(cpu.saveState())
    }
    cpu.irqPending = true
    saved.append(cpu.saveState())
    bus.eventRegisters[cpu.index] = true
    saved.append(cpu.saveState())
    cpu.storage[0x1234] = 7
    saved.append(cpu.saveState())
    let now = cpu.saveState()
    for state in saved { #expect(cpu.isInState(state) == (state == now)) }
    #expect(cpu.isInState(now))
    var changed = now
    changed.regs[33] &+= 1
    #expect(!cpu.isInState(changed))
    changed = now
    changed.reservation = 0x4000_0000
    #expect(!cpu.isInState(changed))
  }

  @Test func restoreZeroesPagesWrittenOnlyAfterTheSnapshot() throws {
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
    let empty = bus.snapshotRAM()
    #expect(empty.pageCount == 0)
    try bus.writeValue(0xDEAD, at: 0x4008_0010, size: 8)
    bus.restoreRAM(empty)
    #expect(try bus.readValue(0x4008_0010, size: 8) == 0)
  }
}
