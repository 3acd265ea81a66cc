import Testing

@testable import CPUMask

@Suite struct BitmapTests {
  @Test func setClearTestAndBoundaryBits() {
    var b = Bitmap(nbits: 130)
    for bit in [0, 31, 32, 63, 64, 127, 128, 129] {
      #expect(!b.test(bit))
      b.set(bit)
      #expect(b.test(bit))
    }
    #expect(b.weight == 8)
    #expect(b.words == [0x8000_0001_8000_0001, 0x8000_0000_0000_0001, 0b11])
    b.clear(63)
    #expect(!b.test(63))
    #expect(b.weight == 7)
    #expect(Bitmap(nbits: 0).isEmpty)
  }

  @Test func testAndSetAndTestAndClearReturnOldValue() {
    var b = Bitmap(nbits: 64)
    #expect(b.testAndSet(5) == false)
    #expect(b.testAndSet(5) == true)
    #expect(b.testAndClear(5) == true)
    #expect(b.testAndClear(5) == false)
    #expect(b.isEmpty)
  }

  @Test func setAndClearRangesAcrossWords() {
    var b = Bitmap(nbits: 200)
    b.set(start: 60, count: 70)
    #expect(b.weight == 70)
    #expect(b.firstSet == 60)
    #expect(b.lastSet == 129)
    b.clear(start: 64, count: 64)
    #expect(Array(b) == [60, 61, 62, 63, 128, 129])
    b.set(start: 0, count: 0)
    #expect(b.weight == 6)
  }

  @Test func complementKeepsBitsAboveSizeClear() {
    let b = Bitmap(nbits: 70).complement()
    #expect(b.weight == 70)
    #expect(b.isFull)
    #expect(b.words[1] == 0x3F)
    #expect(b.complement().isEmpty)
    var filled = Bitmap(nbits: 33)
    filled.fill()
    #expect(filled.words == [0x1_FFFF_FFFF])
  }

  @Test func logicalOperations() {
    let a = Bitmap(nbits: 96, setting: [0, 1, 2, 64, 95])
    let b = Bitmap(nbits: 96, setting: [2, 3, 64])
    #expect(Array(a.and(b)) == [2, 64])
    #expect(Array(a.or(b)) == [0, 1, 2, 3, 64, 95])
    #expect(Array(a.xor(b)) == [0, 1, 3, 95])
    #expect(Array(a.andNot(b)) == [0, 1, 95])
    #expect(a.intersects(b))
    #expect(!a.andNot(b).intersects(b))
    #expect(a.and(b).isSubset(of: a))
    #expect(!a.isSubset(of: b))
    #expect(Bitmap(nbits: 96).isSubset(of: b))
  }

  @Test func searching() {
    let b = Bitmap(nbits: 300, setting: [3, 64, 299])
    #expect(b.firstSet == 3)
    #expect(b.lastSet == 299)
    #expect(b.nextSet(from: 4) == 64)
    #expect(b.nextSet(from: 64) == 64)
    #expect(b.nextSet(from: 65) == 299)
    #expect(b.nextSet(from: 300) == nil)
    #expect(b.nextClear(from: 3) == 4)
    #expect(b.nextClear(from: 299) == nil)
    #expect(b.nextSetWrapping(from: 100) == 299)
    #expect(b.nextSetWrapping(from: 300) == 3)
    #expect(Bitmap(nbits: 300, setting: [7]).nextSetWrapping(from: 8) == 7)
    #expect(Bitmap(nbits: 300).nextSetWrapping(from: 8) == nil)
    #expect(Bitmap(nbits: 10).firstSet == nil)
    #expect(Bitmap(nbits: 10).lastSet == nil)
  }

  @Test func runsAndIteration() {
    let b = Bitmap(nbits: 70, setting: [0, 1, 2, 3, 5, 7, 8, 63, 64, 69])
    #expect(b.runs == [0...3, 5...5, 7...8, 63...64, 69...69])
    #expect(Array(b) == [0, 1, 2, 3, 5, 7, 8, 63, 64, 69])
  }
}
