/// The one small protocol shared by ACPI tables, their sub-structures and AML terms:
/// each value appends its own bytes to a sink.
public protocol ACPIEncodable {
  /// Appends this value's bytes (little-endian, packed, as ACPI lays them out) to `sink`.
  func encode(into sink: inout ByteSink)
}

extension ACPIEncodable {
  /// The bytes this value encodes to.
  public var encodedBytes: [UInt8] {
    var sink = ByteSink()
    encode(into: &sink)
    return sink.bytes
  }
}

/// An append-only byte buffer that keeps the 8-bit sum of everything written, so a table's
/// checksum is known as bytes are added.
public struct ByteSink: Sendable, Equatable {
  public private(set) var bytes: [UInt8] = []
  /// Sum modulo 256 of every byte in `bytes`.
  public private(set) var sum: UInt8 = 0

  public init() {}

  public var count: Int { bytes.count }

  public mutating func byte(_ value: UInt8) {
    bytes.append(value)
    sum &+= value
  }

  public mutating func append<S: Sequence>(_ values: S) where S.Element == UInt8 {
    for value in values { byte(value) }
  }

  public mutating func u16(_ value: UInt16) {
    byte(UInt8(truncatingIfNeeded: value))
    byte(UInt8(truncatingIfNeeded: value >> 8))
  }

  public mutating func u32(_ value: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) { byte(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
  }

  public mutating func u64(_ value: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) { byte(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
  }

  /// Writes `text` as ASCII padded with `pad` (or truncated) to exactly `width` bytes. NUL
  /// padding is what iasl writes for OEM IDs.
  public mutating func fixedString(_ text: String, width: Int, pad: UInt8 = 0) {
    var raw = Array(text.utf8.prefix(width))
    while raw.count < width { raw.append(pad) }
    append(raw)
  }

  public mutating func append(_ value: some ACPIEncodable) {
    value.encode(into: &self)
  }

  /// Overwrites bytes already written (used to patch a length), keeping `sum` exact.
  public mutating func patch(at offset: Int, with values: [UInt8]) {
    for (index, value) in values.enumerated() {
      sum &-= bytes[offset + index]
      bytes[offset + index] = value
      sum &+= value
    }
  }

  public mutating func patchU32(at offset: Int, _ value: UInt32) {
    patch(at: offset, with: (0..<4).map { UInt8(truncatingIfNeeded: value >> UInt32($0 * 8)) })
  }
}

/// The byte that makes the 8-bit sum of `bytes` plus itself zero.
public func acpiChecksum<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
  var sum: UInt8 = 0
  for value in bytes { sum &+= value }
  return 0 &- sum
}

/// Little-endian reads over a byte array that report, instead of trapping, when they would run
/// past the end.
struct ByteReader {
  let bytes: [UInt8]
  let table: String

  func require(_ offset: Int, _ length: Int, field: String) throws(ACPITableError) {
    guard offset >= 0, length >= 0, offset + length <= bytes.count else {
      throw ACPITableError(
        table: table, offset: offset,
        reason: "\(field) needs \(length) byte(s) at offset \(offset) but the table has \(bytes.count)")
    }
  }

  func u8(_ offset: Int, _ field: String) throws(ACPITableError) -> UInt8 {
    try require(offset, 1, field: field)
    return bytes[offset]
  }

  func u16(_ offset: Int, _ field: String) throws(ACPITableError) -> UInt16 {
    try require(offset, 2, field: field)
    return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }

  func u32(_ offset: Int, _ field: String) throws(ACPITableError) -> UInt32 {
    try require(offset, 4, field: field)
    var value: UInt32 = 0
    for index in 0..<4 { value |= UInt32(bytes[offset + index]) << UInt32(index * 8) }
    return value
  }

  func u64(_ offset: Int, _ field: String) throws(ACPITableError) -> UInt64 {
    try require(offset, 8, field: field)
    var value: UInt64 = 0
    for index in 0..<8 { value |= UInt64(bytes[offset + index]) << UInt64(index * 8) }
    return value
  }

  /// A fixed-width ASCII field without its NUL padding.
  func string(_ offset: Int, _ length: Int, _ field: String) throws(ACPITableError) -> String {
    try require(offset, length, field: field)
    var raw = Array(bytes[offset..<offset + length])
    while raw.last == 0 { raw.removeLast() }
    return printableText(raw)
  }
}

/// Bytes of a table's text field (signature, OEM ID) as they can be shown: printable ASCII as
/// is, anything else as `\xNN`, so a damaged or hostile file cannot put control sequences or
/// combining marks into the terminal or into an error message.
public func printableText(_ bytes: some Sequence<UInt8>) -> String {
  var text = ""
  for byte in bytes {
    if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") {
      text.unicodeScalars.append(Unicode.Scalar(byte))
    } else {
      text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }
  }
  return text
}

/// A table that could not be decoded: which table, where, and why.
public struct ACPITableError: Error, Equatable, Sendable, CustomStringConvertible {
  public var table: String
  public var offset: Int
  public var reason: String

  public init(table: String, offset: Int, reason: String) {
    self.table = table
    self.offset = offset
    self.reason = reason
  }

  public var description: String {
    "\(table) at offset \(offset) (0x\(String(offset, radix: 16, uppercase: true))): \(reason)"
  }
}
