import Testing

@testable import A64

@Suite struct BitsTests {
  @Test func bitmaskImmediatesFromTheFactSheet() {
    // and x6, x7, #0xff00ff00ff00ff00: N=0, immr=8, imms=0b100111
    #expect(logicalImmediate(n: 0, immr: 8, imms: 0b100111, width: 64) == 0xFF00_FF00_FF00_FF00)
    // orr w8, wzr, #0x80000001: N=0, immr=1, imms=0b000001
    #expect(logicalImmediate(n: 0, immr: 1, imms: 0b000001, width: 32) == 0x8000_0001)
    // All-ones element and N=1 in 32-bit are reserved.
    #expect(logicalImmediate(n: 1, immr: 0, imms: 0b111111, width: 64) == nil)
    #expect(logicalImmediate(n: 1, immr: 0, imms: 0, width: 32) == nil)
  }

  @Test(arguments: [32, 64])
  func everyLogicalImmediateRoundTrips(width: Int) {
    var values = Set<UInt64>()
    for n in 0...(width == 64 ? 1 : 0) {
      for immr in 0..<64 {
        for imms in 0..<64 {
          guard let v = logicalImmediate(n: UInt32(n), immr: UInt32(immr), imms: UInt32(imms), width: width)
          else {
            continue
          }
          let e = encodeLogicalImmediate(v, width: width)
          #expect(e != nil)
          if let e { #expect(logicalImmediate(n: e.n, immr: e.immr, imms: e.imms, width: width) == v) }
          values.insert(v)
        }
      }
    }
    // 5334 distinct 64-bit and 1302 distinct 32-bit bitmask immediates exist.
    #expect(values.count == (width == 64 ? 5334 : 1302))
    #expect(encodeLogicalImmediate(0, width: width) == nil)
    #expect(encodeLogicalImmediate(ones(width), width: width) == nil)
    #expect(encodeLogicalImmediate(0x1234, width: width) == nil)
  }

  @Test func helpers() {
    #expect(signExtend(0x1FF, 9) == -1)
    #expect(signExtend(0x0FF, 9) == 255)
    #expect(rotateRight(0x1, 1, width: 32) == 0x8000_0000)
    #expect(rotateRight(0xF0, 4, width: 8) == 0x0F)
    #expect(bits(0xD53800A0, 31, 22) == 0b1101010100)
    #expect(ones(64) == UInt64.max)
  }

  @Test func conditionCodes() {
    // (cond, NZCV, holds)
    let cases: [(UInt32, UInt32, Bool)] = [
      (0, 0b0100, true), (1, 0b0100, false), (2, 0b0010, true), (3, 0b0010, false), (4, 0b1000, true),
      (5, 0b1000, false), (6, 0b0001, true), (7, 0b0001, false), (8, 0b0010, true), (8, 0b0110, false),
      (9, 0b0110, true), (10, 0b1001, true), (11, 0b1000, true), (12, 0b0000, true), (12, 0b0100, false),
      (13, 0b0100, true), (14, 0, true), (15, 0, true),
    ]
    for (c, f, holds) in cases { #expect(conditionHolds(c, nzcv: f) == holds, "cond \(c) nzcv \(f)") }
  }

  @Test func addWithCarryGoldenFlags() {
    // adds w1, w0(=0xFFFFFFFF), #1 -> Z and C
    #expect(addWithCarry(0xFFFF_FFFF, 1, carry: 0, is64: false) == (0, 0b0110))
    // subs x4, x3(=0x8000...0), #1 -> C and V
    let (r, f) = addWithCarry(0x8000_0000_0000_0000, ~UInt64(1), carry: 1, is64: true)
    #expect(r == 0x7FFF_FFFF_FFFF_FFFF)
    #expect(f == 0b0011)
  }
}
