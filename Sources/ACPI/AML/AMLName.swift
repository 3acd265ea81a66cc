/// A four-character AML name segment (`_SB_`, `C000`, `CPEN`).
///
/// Stored as one 32-bit word, the first character in the most significant byte, as ACPICA keeps
/// a segment in a `UINT32` (`ACPI_NAME_UNION`): every namespace search hashes and compares
/// segments, and a word does both without touching the heap. Big-endian order makes the word
/// order the same as the characters' lexicographic order.
public struct AMLNameSeg: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The four ASCII characters, first in bits 31-24.
  let word: UInt32

  /// Accepts 1-4 characters, upper-case letters, digits and `_`, first not a digit; pads with `_`.
  public init?(_ text: String) {
    var word: UInt32 = 0
    var count = 0
    for byte in text.utf8 {
      guard count < 4, count == 0 ? Self.isLeadChar(byte) : Self.isNameChar(byte) else { return nil }
      word = word << 8 | UInt32(byte)
      count += 1
    }
    guard count > 0 else { return nil }
    for _ in count..<4 { word = word << 8 | UInt32(UInt8(ascii: "_")) }
    self.word = word
  }

  /// Four bytes already checked (the parser's, or the root's `\___`).
  init<Bytes: Collection<UInt8>>(validated bytes: Bytes) {
    word = bytes.reduce(0) { $0 << 8 | UInt32($1) }
  }

  init(word: UInt32) { self.word = word }

  static func isLeadChar(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || byte == 0x5F }
  static func isNameChar(_ byte: UInt8) -> Bool { isLeadChar(byte) || (0x30...0x39).contains(byte) }

  /// The four ASCII bytes, as AML encodes them.
  public var bytes: [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> $0) } }

  /// The four characters, padding included (`_SB_`).
  public var raw: String { String(decoding: bytes, as: UTF8.self) }

  /// As iasl prints it: trailing `_` padding removed (`_SB`), but never empty.
  public var description: String {
    var text = raw
    while text.count > 1 && text.last == "_" { text.removeLast() }
    return text
  }

  public static func < (lhs: AMLNameSeg, rhs: AMLNameSeg) -> Bool { lhs.word < rhs.word }
}

/// An AML NameString: an optional root (`\`) or parent (`^`) prefix and zero or more segments.
public struct AMLNameString: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
  public var isRooted: Bool
  public var parentPrefixes: Int
  public var segments: [AMLNameSeg]

  public init(isRooted: Bool = false, parentPrefixes: Int = 0, segments: [AMLNameSeg]) {
    self.isRooted = isRooted
    self.parentPrefixes = parentPrefixes
    self.segments = segments
  }

  /// Parses ASL path syntax: `\_SB.PRES.CPEN`, `^^PRES.COST`, `CPEN`, `\`.
  ///
  /// Reads the UTF-8 bytes once, building each segment's word as it goes (the kernel model
  /// resolves paths such as `\_SB.CPUS.C001._STA` on every `_STA` it evaluates).
  public init?(parsing text: String) {
    let utf8 = text.utf8
    var index = utf8.startIndex
    isRooted = false
    parentPrefixes = 0
    if index != utf8.endIndex && utf8[index] == UInt8(ascii: "\\") {
      isRooted = true
      utf8.formIndex(after: &index)
    } else {
      while index != utf8.endIndex && utf8[index] == UInt8(ascii: "^") {
        parentPrefixes += 1
        utf8.formIndex(after: &index)
      }
    }
    segments = []
    if index == utf8.endIndex { return }
    // Segments separated by dots, each 1-4 name characters (an empty one is an error).
    var word: UInt32 = 0
    var count = 0
    while true {
      if index == utf8.endIndex || utf8[index] == UInt8(ascii: ".") {
        guard count > 0 else { return nil }
        for _ in count..<4 { word = word << 8 | UInt32(UInt8(ascii: "_")) }
        segments.append(AMLNameSeg(word: word))
        if index == utf8.endIndex { break }
        utf8.formIndex(after: &index)
        (word, count) = (0, 0)
        continue
      }
      let byte = utf8[index]
      guard count < 4, count == 0 ? AMLNameSeg.isLeadChar(byte) : AMLNameSeg.isNameChar(byte) else {
        return nil
      }
      word = word << 8 | UInt32(byte)
      count += 1
      utf8.formIndex(after: &index)
    }
    if segments.count > 255 { return nil }
  }

  /// Builder literal; an invalid literal is a programming error in the code that wrote it.
  public init(stringLiteral value: String) {
    guard let parsed = AMLNameString(parsing: value) else {
      preconditionFailure("invalid AML name literal \"\(value)\"")
    }
    self = parsed
  }

  /// True for a single segment with no prefix: the only form resolved by upward search.
  public var isSingleSegment: Bool { !isRooted && parentPrefixes == 0 && segments.count == 1 }

  public var isNull: Bool { !isRooted && parentPrefixes == 0 && segments.isEmpty }

  public var description: String {
    (isRooted ? "\\" : String(repeating: "^", count: parentPrefixes))
      + segments.map(\.description).joined(separator: ".")
  }
}

extension AMLNameString: ACPIEncodable {
  public func encode(into sink: inout ByteSink) {
    if isRooted { sink.byte(0x5C) }
    for _ in 0..<parentPrefixes { sink.byte(0x5E) }
    switch segments.count {
    case 0: sink.byte(0x00)
    case 1: sink.append(segments[0].bytes)
    case 2:
      sink.byte(0x2E)
      sink.append(segments[0].bytes)
      sink.append(segments[1].bytes)
    default:
      sink.byte(0x2F)
      sink.byte(UInt8(segments.count))
      for seg in segments { sink.append(seg.bytes) }
    }
  }
}

/// PkgLength encoding (ACPI 6.5 §20.2.4).
public enum PkgLength {
  /// Bytes for a construct whose payload (everything after the PkgLength) is `payload` bytes: the
  /// encoded value counts the PkgLength's own bytes too.
  public static func encode(payload: Int) -> [UInt8] {
    if payload + 1 <= 0x3F { return [UInt8(payload + 1)] }
    if payload + 2 <= 0xFFF { return raw(payload + 2, extra: 1) }
    if payload + 3 <= 0xF_FFFF { return raw(payload + 3, extra: 2) }
    return raw(payload + 4, extra: 3)
  }

  /// A field element width in bits: the same format, but the value does not count its own bytes.
  public static func encode(bitWidth: Int) -> [UInt8] {
    if bitWidth <= 0x3F { return [UInt8(bitWidth)] }
    if bitWidth <= 0xFFF { return raw(bitWidth, extra: 1) }
    if bitWidth <= 0xF_FFFF { return raw(bitWidth, extra: 2) }
    return raw(bitWidth, extra: 3)
  }

  static func raw(_ value: Int, extra: Int) -> [UInt8] {
    var out = [UInt8(extra << 6) | UInt8(value & 0x0F)]
    for index in 0..<extra { out.append(UInt8(truncatingIfNeeded: value >> (4 + 8 * index))) }
    return out
  }
}
