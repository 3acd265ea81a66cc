/// A fixed-size bitmap, modelled on Linux's `unsigned long` bitmaps (include/linux/bitmap.h,
/// lib/bitmap.c, lib/find_bit.c).
///
/// Bits are numbered from 0 (least significant bit of the first 64-bit word). `nbits` is fixed at
/// creation, like `DECLARE_BITMAP(name, nbits)`; bits at or above `nbits` are always zero, which is
/// the invariant Linux keeps with `BITMAP_LAST_WORD_MASK` after `bitmap_complement` and friends.
///
/// Operations that take a bit number require `0 <= bit < nbits` (Linux leaves that undefined;
/// callers that handle user input validate first, see ``contains(bit:)``).
public struct Bitmap: Hashable, Sendable {
  /// The number of bits, as passed to `DECLARE_BITMAP`.
  public let nbits: Int
  /// The storage: `BITS_TO_LONGS(nbits)` 64-bit words, least significant word first.
  public private(set) var words: [UInt64]

  /// An all-zero bitmap of `nbits` bits (`bitmap_zero`).
  public init(nbits: Int) {
    precondition(nbits >= 0, "a bitmap cannot have a negative size")
    self.nbits = nbits
    self.words = [UInt64](repeating: 0, count: (nbits + 63) / 64)
  }

  /// A bitmap with the given bits set. Every bit must be below `nbits`.
  public init<S: Sequence>(nbits: Int, setting bits: S) where S.Element == Int {
    self.init(nbits: nbits)
    for bit in bits { set(bit) }
  }

  /// Whether `bit` is a valid bit number for this bitmap (not whether it is set).
  @inlinable public func contains(bit: Int) -> Bool { bit >= 0 && bit < nbits }

  /// Mask of the valid bits in the last word (`BITMAP_LAST_WORD_MASK`).
  var lastWordMask: UInt64 {
    let rem = nbits % 64
    return rem == 0 ? ~0 : (UInt64(1) << UInt64(rem)) - 1
  }

  private func check(_ bit: Int) {
    precondition(contains(bit: bit), "bit \(bit) is outside a bitmap of \(nbits) bits")
  }

  // MARK: Single bits (include/asm-generic/bitops)

  /// `test_bit`
  public func test(_ bit: Int) -> Bool {
    check(bit)
    return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
  }

  /// `set_bit`
  public mutating func set(_ bit: Int) {
    check(bit)
    words[bit >> 6] |= 1 << UInt64(bit & 63)
  }

  /// `clear_bit`
  public mutating func clear(_ bit: Int) {
    check(bit)
    words[bit >> 6] &= ~(1 << UInt64(bit & 63))
  }

  /// `assign_bit`: set or clear one bit.
  public mutating func assign(_ bit: Int, _ value: Bool) {
    if value { set(bit) } else { clear(bit) }
  }

  /// `test_and_set_bit`: sets the bit and returns its old value.
  @discardableResult
  public mutating func testAndSet(_ bit: Int) -> Bool {
    let old = test(bit)
    set(bit)
    return old
  }

  /// `test_and_clear_bit`: clears the bit and returns its old value.
  @discardableResult
  public mutating func testAndClear(_ bit: Int) -> Bool {
    let old = test(bit)
    clear(bit)
    return old
  }

  /// `bitmap_set`: sets `count` bits starting at `start`.
  public mutating func set(start: Int, count: Int) {
    guard count > 0 else { return }
    check(start)
    check(start + count - 1)
    var bit = start
    let end = start + count
    while bit < end {
      let word = bit >> 6
      let offset = bit & 63
      let span = Swift.min(64 - offset, end - bit)
      let chunk: UInt64 = span == 64 ? ~0 : ((1 << UInt64(span)) - 1) << UInt64(offset)
      words[word] |= chunk
      bit += span
    }
  }

  /// `bitmap_clear`: clears `count` bits starting at `start`.
  public mutating func clear(start: Int, count: Int) {
    guard count > 0 else { return }
    check(start)
    check(start + count - 1)
    var bit = start
    let end = start + count
    while bit < end {
      let word = bit >> 6
      let offset = bit & 63
      let span = Swift.min(64 - offset, end - bit)
      let chunk: UInt64 = span == 64 ? ~0 : ((1 << UInt64(span)) - 1) << UInt64(offset)
      words[word] &= ~chunk
      bit += span
    }
  }

  /// `bitmap_zero`
  public mutating func zero() {
    for i in words.indices { words[i] = 0 }
  }

  /// `bitmap_fill`
  public mutating func fill() {
    for i in words.indices { words[i] = ~0 }
    if !words.isEmpty { words[words.count - 1] &= lastWordMask }
  }

  // MARK: Whole-bitmap operations (lib/bitmap.c). Both operands must have the same size.

  private func sameSize(_ other: Bitmap) {
    precondition(nbits == other.nbits, "bitmaps of \(nbits) and \(other.nbits) bits cannot be combined")
  }

  /// `bitmap_and`
  public func and(_ other: Bitmap) -> Bitmap { combined(other) { $0 & $1 } }
  /// `bitmap_or`
  public func or(_ other: Bitmap) -> Bitmap { combined(other) { $0 | $1 } }
  /// `bitmap_xor`
  public func xor(_ other: Bitmap) -> Bitmap { combined(other) { $0 ^ $1 } }
  /// `bitmap_andnot`: the bits of `self` that are not in `other`.
  public func andNot(_ other: Bitmap) -> Bitmap { combined(other) { $0 & ~$1 } }

  /// `bitmap_complement`: bits at or above `nbits` stay clear.
  public func complement() -> Bitmap {
    var result = self
    for i in result.words.indices { result.words[i] = ~result.words[i] }
    if !result.words.isEmpty { result.words[result.words.count - 1] &= lastWordMask }
    return result
  }

  private func combined(_ other: Bitmap, _ op: (UInt64, UInt64) -> UInt64) -> Bitmap {
    sameSize(other)
    var result = self
    for i in result.words.indices { result.words[i] = op(words[i], other.words[i]) }
    return result
  }

  /// `bitmap_weight`: the number of set bits.
  public var weight: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

  /// `bitmap_empty`
  public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

  /// `bitmap_full`
  public var isFull: Bool { weight == nbits }

  /// `bitmap_subset`: every bit of `self` is also set in `other`.
  public func isSubset(of other: Bitmap) -> Bool {
    sameSize(other)
    return zip(words, other.words).allSatisfy { $0 & ~$1 == 0 }
  }

  /// `bitmap_intersects`
  public func intersects(_ other: Bitmap) -> Bool {
    sameSize(other)
    return zip(words, other.words).contains { $0 & $1 != 0 }
  }

  // MARK: Searching (lib/find_bit.c). `nil` where Linux returns `size`.

  /// `find_next_bit(addr, nbits, offset)`: the first set bit at or after `offset`.
  public func nextSet(from offset: Int) -> Int? {
    guard offset < nbits else { return nil }
    var bit = Swift.max(offset, 0)
    var word = bit >> 6
    var current = words[word] & (~0 << UInt64(bit & 63))
    while true {
      if current != 0 {
        bit = word * 64 + current.trailingZeroBitCount
        return bit < nbits ? bit : nil
      }
      word += 1
      if word >= words.count { return nil }
      current = words[word]
    }
  }

  /// `find_first_bit`
  public var firstSet: Int? { nextSet(from: 0) }

  /// `find_last_bit`
  public var lastSet: Int? {
    for word in words.indices.reversed() where words[word] != 0 {
      return word * 64 + 63 - words[word].leadingZeroBitCount
    }
    return nil
  }

  /// `find_next_zero_bit`: the first clear bit at or after `offset`.
  public func nextClear(from offset: Int) -> Int? {
    guard offset < nbits else { return nil }
    var bit = Swift.max(offset, 0)
    while bit < nbits {
      let word = bit >> 6
      let inverted = ~words[word] & (~0 << UInt64(bit & 63))
      if inverted != 0 {
        let found = word * 64 + inverted.trailingZeroBitCount
        return found < nbits ? found : nil
      }
      bit = (word + 1) * 64
    }
    return nil
  }

  /// `find_next_bit_wrap`: the first set bit at or after `offset`, wrapping around to the
  /// bits below `offset` when there is none above.
  public func nextSetWrapping(from offset: Int) -> Int? {
    if let bit = nextSet(from: offset) { return bit }
    guard let first = firstSet, first < offset else { return nil }
    return first
  }
}

extension Bitmap: Sequence {
  /// Iterates the set bits in ascending order (`for_each_set_bit`).
  public struct Iterator: IteratorProtocol {
    let bitmap: Bitmap
    var position: Int
    public mutating func next() -> Int? {
      guard let bit = bitmap.nextSet(from: position) else { return nil }
      position = bit + 1
      return bit
    }
  }

  public func makeIterator() -> Iterator { Iterator(bitmap: self, position: 0) }

  public var underestimatedCount: Int { 0 }
}

extension Bitmap {
  /// The runs of consecutive set bits as closed ranges, ascending (`for_each_set_bitrange`,
  /// which yields half-open ranges; closed ranges read better here).
  public var runs: [ClosedRange<Int>] {
    var result: [ClosedRange<Int>] = []
    var bit = 0
    while let start = nextSet(from: bit) {
      let end = (nextClear(from: start) ?? nbits) - 1
      result.append(start...end)
      bit = end + 1
    }
    return result
  }
}
