/// The 36-byte common header that starts every ACPI table except the RSDP (ACPI 6.5 §5.2.6).
public struct SDTHeader: Equatable, Sendable {
  public static let size = 36

  /// Four ASCII characters, e.g. `DSDT`, `FACP`, `APIC`, `XSDT`, `SSDT`.
  public var signature: String
  /// Length of the whole table, this header included. Filled in by `encode`.
  public var length: UInt32
  public var revision: UInt8
  /// The byte that makes the table sum to zero. Filled in by `encode`.
  public var checksum: UInt8
  public var oemID: String
  public var oemTableID: String
  public var oemRevision: UInt32
  public var creatorID: String
  public var creatorRevision: UInt32

  public init(
    signature: String, revision: UInt8, oemID: String = "HPLAB", oemTableID: String = "HPLABVRT",
    oemRevision: UInt32 = 1, creatorID: String = "HPLB", creatorRevision: UInt32 = 1
  ) {
    self.signature = signature
    self.length = 0
    self.revision = revision
    self.checksum = 0
    self.oemID = oemID
    self.oemTableID = oemTableID
    self.oemRevision = oemRevision
    self.creatorID = creatorID
    self.creatorRevision = creatorRevision
  }

  /// Writes the header fields; length and checksum as currently set.
  func encodeFields(into sink: inout ByteSink) {
    sink.fixedString(signature, width: 4)
    sink.u32(length)
    sink.byte(revision)
    sink.byte(checksum)
    sink.fixedString(oemID, width: 6)
    sink.fixedString(oemTableID, width: 8)
    sink.u32(oemRevision)
    sink.fixedString(creatorID, width: 4)
    sink.u32(creatorRevision)
  }

  /// Writes a whole table: this header, then `body`, then patches Length and Checksum.
  func encodeTable(into sink: inout ByteSink, body: (inout ByteSink) -> Void) {
    var table = ByteSink()
    var header = self
    header.length = 0
    header.checksum = 0
    header.encodeFields(into: &table)
    body(&table)
    table.patchU32(at: 4, UInt32(table.count))
    table.patch(at: 9, with: [0 &- table.sum])
    sink.append(table.bytes)
  }

  /// Reads and validates the header of `bytes`: at least 36 bytes, a Length that matches the
  /// data, an expected signature (when given), and an 8-bit sum of zero.
  public static func decode(_ bytes: [UInt8], expecting expected: String? = nil) throws(ACPITableError)
    -> SDTHeader
  {
    let name = bytes.count >= 4 ? printableText(bytes[0..<4]) : (expected ?? "table")
    let reader = ByteReader(bytes: bytes, table: name)
    guard bytes.count >= size else {
      throw ACPITableError(
        table: name, offset: bytes.count,
        reason: "short table: \(bytes.count) byte(s), the common header alone needs \(size)")
    }
    var header = SDTHeader(
      signature: try reader.string(0, 4, "Signature"), revision: try reader.u8(8, "Revision"))
    if let expected, header.signature != expected {
      throw ACPITableError(
        table: expected, offset: 0, reason: "signature is \"\(header.signature)\", expected \"\(expected)\"")
    }
    header.length = try reader.u32(4, "Length")
    header.checksum = try reader.u8(9, "Checksum")
    header.oemID = try reader.string(10, 6, "Oem ID")
    header.oemTableID = try reader.string(16, 8, "Oem Table ID")
    header.oemRevision = try reader.u32(24, "Oem Revision")
    header.creatorID = try reader.string(28, 4, "Asl Compiler ID")
    header.creatorRevision = try reader.u32(32, "Asl Compiler Revision")
    if header.length < UInt32(size) {
      throw ACPITableError(
        table: name, offset: 4, reason: "bad Length \(header.length): smaller than the 36-byte header")
    }
    if header.length > UInt32(bytes.count) {
      throw ACPITableError(
        table: name, offset: 4,
        reason: "bad Length: the header says \(header.length) bytes but only \(bytes.count) are present")
    }
    if header.length < UInt32(bytes.count) {
      throw ACPITableError(
        table: name, offset: Int(header.length),
        reason: "bad Length: the header says \(header.length) bytes but \(bytes.count) are present")
    }
    let sum = bytes.reduce(UInt8(0)) { $0 &+ $1 }
    if sum != 0 {
      let should = header.checksum &- sum
      throw ACPITableError(
        table: name, offset: 9,
        reason:
          "wrong checksum 0x\(hex2(header.checksum)), should be 0x\(hex2(should)) (table sums to 0x\(hex2(sum)))"
      )
    }
    return header
  }

  /// Field rows for the 36 header bytes.
  func rows(meaning: String) -> [ACPIFieldRow] {
    [
      ACPIFieldRow(0, 4, "Signature", "\"\(signature)\"", meaning),
      ACPIFieldRow(4, 4, "Table Length", hex(UInt64(length), 8), "\(length) bytes"),
      ACPIFieldRow(8, 1, "Revision", hex(UInt64(revision), 2), ""),
      ACPIFieldRow(9, 1, "Checksum", hex(UInt64(checksum), 2), "valid (table sums to zero)"),
      ACPIFieldRow(10, 6, "Oem ID", "\"\(oemID)\"", ""),
      ACPIFieldRow(16, 8, "Oem Table ID", "\"\(oemTableID)\"", ""),
      ACPIFieldRow(24, 4, "Oem Revision", hex(UInt64(oemRevision), 8), ""),
      ACPIFieldRow(28, 4, "Asl Compiler ID", "\"\(creatorID)\"", ""),
      ACPIFieldRow(32, 4, "Asl Compiler Revision", hex(UInt64(creatorRevision), 8), ""),
    ]
  }
}

func hex2(_ value: UInt8) -> String {
  let text = String(value, radix: 16, uppercase: true)
  return value < 16 ? "0" + text : text
}

/// Upper-case hex with `digits` digits (at least), no prefix.
func hex(_ value: UInt64, _ digits: Int) -> String {
  let text = String(value, radix: 16, uppercase: true)
  return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
}
