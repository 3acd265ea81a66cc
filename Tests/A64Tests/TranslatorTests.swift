import Testing

@testable import A64

@Suite struct TranslatorTests {
  func translate(_ source: String) throws -> [MicroOp] {
    let program = try Assembler.assemble(source, base: 0x4008_0000)
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
    try bus.write(program.bytes, at: 0x4008_0000)
    let cpu = CPU(bus: bus)
    return try #require(cpu.cache.translate(at: 0x4008_0000, cpu: cpu, maxLength: 64)).0
  }

  @Test func compareAndBranchAreFused() throws {
    let ops = try translate("1: add x0, x0, x1\n  subs x1, x1, #1\n  b.ne 1b\n")
    #expect(ops.map(\.kind) == [.add, .subsImmBNE, .linkSlot, .linkSlot])
    #expect(ops[2].imm == 0x4008_0000 && ops[3].imm == 0x4008_000C)
    // B.EQ is B.NE with the slots swapped; other conditions keep the generic fused op.
    let eq = try translate("1: subs x1, x1, #1\n  b.eq 1b\n")
    #expect(eq.map(\.kind) == [.subsImmBNE, .linkSlot, .linkSlot])
    #expect(eq[1].imm == 0x4008_0008 && eq[2].imm == 0x4008_0000)
    let lt = try translate("1: cmp x1, #3\n  b.lt 1b\n")
    #expect(lt.map(\.kind) == [.subsImmBCond, .linkSlot, .linkSlot])
    #expect(lt[1].imm == 0x4008_0000 && lt[2].imm == 0x4008_0008)
    let cb = try translate("1: sub x5, x5, #1\n  cbnz x5, 1b\n")
    #expect(cb.map(\.kind) == [.addImmCbnz, .linkSlot, .linkSlot])
    #expect(cb[0].imm == UInt64(bitPattern: -1))
  }

  @Test func addressesAreFoldedAndHintsVanish() throws {
    let ops = try translate(
      "  adr x1, .+16\n  adrp x2, .+0x3000\n  prfm pldl1keep, [x0]\n  ldr x3, .+8\n  b .\n")
    #expect(ops.map(\.kind) == [.movImm, .movImm, .loadStore, .b])
    #expect(ops[0].imm == 0x4008_0010)
    #expect(ops[1].imm == 0x4008_3000)
    #expect(ops[2].aux2 == AddrMode.literal.rawValue && ops[2].imm == 0x4008_0014)
  }

  @Test func registerThirtyOneMapsToZeroSinkOrSP() throws {
    let ops = try translate("  add x0, sp, #1\n  add x1, xzr, x2\n  cmp x3, #4\n  ldr x4, [sp, #8]\n  b .\n")
    #expect(ops[0].rn == Slot.sp)
    #expect(ops[1].rn == Slot.zero)
    #expect(ops[2].rd == Slot.sink)
    #expect(ops[3].kind == .loadStore && ops[3].rn == Slot.sp)  // SP base: the checked generic op
  }

  @Test func blocksEndAtSystemInstructionsPagesAndLength() throws {
    let sys = try translate("  nop\n  mrs x0, mpidr_el1\n  nop\n")
    #expect(sys.map(\.kind) == [.slow])  // NOP emits nothing; MRS ends the block
    var long = ""
    for _ in 0..<100 { long += "  add x0, x0, #1\n" }
    let ops = try translate(long)
    #expect(ops.count == 65 && ops.last?.kind == .fallThrough && ops.last?.imm == 0x4008_0100)
  }
}
