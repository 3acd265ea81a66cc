// Implicit and explicit data conversions as ACPICA 20200925 performs them (exconvrt.c,
// utstrsuppt.c); see the fact sheet §4.2.

/// Conversions at a given integer width (32 for a DSDT revision < 2, else 64).
struct AMLConversions {
  let width: Int

  var mask: UInt64 { width == 64 ? .max : 0xFFFF_FFFF }
  var byteWidth: Int { width / 8 }

  /// Implicit String → Integer: hex digits, optional "0x", stops at the first non-hex
  /// character, overflow truncated, empty → 0.
  func implicitInteger(from text: String) -> UInt64 {
    var chars = Substring(text)
    while chars.first == " " || chars.first == "\t" { chars = chars.dropFirst() }
    if chars.hasPrefix("0x") || chars.hasPrefix("0X") { chars = chars.dropFirst(2) }
    // Conversion stops before the digit that would overflow (ACPICA keeps the value so far).
    var value: UInt64 = 0
    for char in chars {
      guard let digit = char.hexDigitValue, value <= mask >> 4 else { break }
      value = (value << 4) | UInt64(digit)
    }
    return value
  }

  /// Explicit ToInteger(String): decimal unless prefixed with "0x".
  func explicitInteger(from text: String) -> UInt64 {
    var chars = Substring(text)
    while chars.first == " " || chars.first == "\t" { chars = chars.dropFirst() }
    if chars.hasPrefix("0x") || chars.hasPrefix("0X") { return implicitInteger(from: String(chars)) }
    var value: UInt64 = 0
    for char in chars {
      guard let digit = char.wholeNumberValue, char.isASCII else { break }
      let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (next, overflow2) = times.addingReportingOverflow(UInt64(digit))
      guard !overflow1, !overflow2, next <= mask else { break }
      value = next
    }
    return value
  }

  /// Buffer → Integer: the first 8 (4) bytes, little-endian.
  func integer(from bytes: [UInt8]) -> UInt64 {
    var value: UInt64 = 0
    for (index, byte) in bytes.prefix(byteWidth).enumerated() { value |= UInt64(byte) << UInt64(8 * index) }
    return value
  }

  func bytes(of value: UInt64) -> [UInt8] {
    (0..<byteWidth).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) }
  }

  /// Integer → String (implicit and ToHexString): fixed-width upper-case hex, no prefix.
  func hexString(_ value: UInt64) -> String { hex(value & mask, width / 4) }

  /// Buffer → String, implicit: "0x01 0x02".
  func implicitString(from bytes: [UInt8]) -> String {
    bytes.map { "0x" + hex2($0) }.joined(separator: " ")
  }

  /// ToHexString(Buffer): "0x01,0x02".
  func explicitHexString(from bytes: [UInt8]) -> String {
    bytes.map { "0x" + hex2($0) }.joined(separator: ",")
  }

  /// ToDecimalString(Buffer): "1,2,171".
  func decimalString(from bytes: [UInt8]) -> String {
    bytes.map { String($0) }.joined(separator: ",")
  }

  /// String → Buffer: the characters plus the terminating NUL.
  func buffer(from text: String) -> [UInt8] { Array(text.utf8) + [0] }
}
