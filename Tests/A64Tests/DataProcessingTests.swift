import Testing

@testable import A64

/// The interpreter's data-processing helpers against straightforward reference definitions.
@Suite struct DataProcessingTests {
  @Test func lazyFlagsEqualAddWithCarry() {
    var rng = SplitMix64(seed: 1)
    let edges: [UInt64] = [
      0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, .max,
    ]
    for i in 0..<20_000 {
      let a = i < 64 ? edges[i % 8] : rng.next()
      let b = i < 64 ? edges[i / 8] : rng.next()
      #expect(materializeFlags(FlagKind.sub64, a, b) == addWithCarry(a, ~b, carry: 1, is64: true).1)
      #expect(materializeFlags(FlagKind.add64, a, b) == addWithCarry(a, b, carry: 0, is64: true).1)
      let a32 = a & 0xFFFF_FFFF
      let b32 = b & 0xFFFF_FFFF
      #expect(
        materializeFlags(FlagKind.sub32, a32, b32)
          == addWithCarry(a32, ~b32 & 0xFFFF_FFFF, carry: 1, is64: false).1)
      for cond in UInt8(0)..<16 {
        let nzcv = addWithCarry(a, ~b, carry: 1, is64: true).1
        #expect(conditionAfterSub64(cond, a, b) == conditionHolds(UInt32(cond), nzcv: nzcv))
        let nzcv32 = addWithCarry(a32, ~b32 & 0xFFFF_FFFF, carry: 1, is64: false).1
        #expect(conditionAfterSub32(cond, a32, b32) == conditionHolds(UInt32(cond), nzcv: nzcv32))
      }
    }
  }

  @Test func bitfieldMatchesTheExtractDefinition() {
    var rng = SplitMix64(seed: 2)
    for _ in 0..<5_000 {
      let width = rng.next() & 1 == 0 ? 32 : 64
      let lsb = Int(rng.next() % UInt64(width))
      let w = 1 + Int(rng.next() % UInt64(width - lsb))
      let src = rng.next() & ones(width)
      // UBFX lsb, w = UBFM immr = lsb, imms = lsb + w - 1
      let masks = decodeBitMasks(
        n: width == 64 ? 1 : 0, imms: UInt32(lsb + w - 1), immr: UInt32(lsb), immediate: false, width: width)!
      let ubfx = bitfieldResult(
        opc: 2, src: src, dst: 0, r: lsb, s: lsb + w - 1, wmask: masks.wmask, tmask: masks.tmask,
        is32: width == 32)
      #expect(ubfx == (src >> UInt64(lsb)) & ones(w))
      let sbfx = bitfieldResult(
        opc: 0, src: src, dst: 0, r: lsb, s: lsb + w - 1, wmask: masks.wmask, tmask: masks.tmask,
        is32: width == 32)
      #expect(sbfx == UInt64(bitPattern: signExtend((src >> UInt64(lsb)) & ones(w), w)) & ones(width))
      // BFI lsb, w = BFM immr = (-lsb) mod width, imms = w - 1
      let dst = rng.next() & ones(width)
      let r = (width - lsb) % width
      let m2 = decodeBitMasks(
        n: width == 64 ? 1 : 0, imms: UInt32(w - 1), immr: UInt32(r), immediate: false, width: width)!
      let bfi = bitfieldResult(
        opc: 1, src: src, dst: dst, r: r, s: w - 1, wmask: m2.wmask, tmask: m2.tmask, is32: width == 32)
      let field = ones(w) << UInt64(lsb)
      #expect(bfi == (dst & ~field) | ((src << UInt64(lsb)) & field) & ones(width))
    }
  }

  @Test func shiftsExtendsAndOneSourceOps() {
    #expect(shiftValue(0x8000_0000_0000_0001, 3, 1, is32: false) == 0xC000_0000_0000_0000)  // ROR
    #expect(shiftValue(0x8000_0001, 2, 4, is32: true) == 0xF800_0000)  // ASR within 32 bits
    #expect(shiftValue(1, 0, 65, is32: false) == 2)  // amounts are taken modulo 64
    #expect(extendValue(0xFF80, option: 4, shift: 2) == UInt64(bitPattern: -0x200))  // SXTB #2
    #expect(extendValue(0x1_2345_6789, option: 2, shift: 0) == 0x2345_6789)  // UXTW
    #expect(dataProc1Result(0, 1, is32: true) == 0x8000_0000)  // RBIT
    #expect(dataProc1Result(1, 0x1122_3344_5566_7788, is32: false) == 0x2211_4433_6655_8877)  // REV16
    #expect(dataProc1Result(2, 0x1122_3344_5566_7788, is32: false) == 0x4433_2211_8877_6655)  // REV32
    #expect(dataProc1Result(3, 0x1122_3344_5566_7788, is32: false) == 0x8877_6655_4433_2211)  // REV
    #expect(dataProc1Result(5, 0, is32: false) == 63)  // CLS of 0
    #expect(dataProc1Result(5, UInt64.max, is32: false) == 63)
    #expect(dataProc1Result(4, 0, is32: true) == 32)  // CLZ
    #expect(dataProc2Result(3, 0x8000_0000, 0xFFFF_FFFF, is32: true) == 0x8000_0000)  // SDIV INT_MIN / -1
    #expect(dataProc2Result(2, 7, 0, is32: false) == 0)  // UDIV by zero
    #expect(mulAddResult(4, UInt64.max, UInt64.max, 0, is32: false) == 0)  // SMULH(-1, -1)
    #expect(mulAddResult(12, UInt64.max, UInt64.max, 0, is32: false) == 0xFFFF_FFFF_FFFF_FFFE)  // UMULH
    #expect(mulAddResult(2, 0xFFFF_FFFF, 2, 10, is32: false) == 8)  // SMADDL: 10 + (-1 * 2)
    #expect(extractResult(0x1, 0x8000_0000_0000_0000, lsb: 63, is32: false) == 3)
  }
}
