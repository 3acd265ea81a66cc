/// Root System Description Pointer, ACPI 2.0+ form: 36 bytes, two checksums (ACPI 6.5 §5.2.5.3).
public struct RSDP: ACPIEncodable, Equatable, Sendable {
  public static let size = 36
  public static let signature = "RSD PTR "

  public var oemID: String
  /// Always 2 for the 36-byte form.
  public var revision: UInt8
  public var rsdtAddress: UInt32
  public var xsdtAddress: UInt64

  public init(oemID: String = "HPLAB", xsdtAddress: UInt64, rsdtAddress: UInt32 = 0, revision: UInt8 = 2) {
    self.oemID = oemID
    self.revision = revision
    self.rsdtAddress = rsdtAddress
    self.xsdtAddress = xsdtAddress
  }

  public func encode(into sink: inout ByteSink) {
    var table = ByteSink()
    table.fixedString(Self.signature, width: 8)
    table.byte(0)
    table.fixedString(oemID, width: 6)
    table.byte(revision)
    table.u32(rsdtAddress)
    // The first checksum covers bytes 0-19 only (the ACPI 1.0 part).
    table.patch(at: 8, with: [acpiChecksum(table.bytes[0..<20])])
    table.u32(UInt32(Self.size))
    table.u64(xsdtAddress)
    table.byte(0)
    table.append([0, 0, 0])
    // The extended checksum covers all 36 bytes, the first checksum included.
    table.patch(at: 32, with: [0 &- table.sum])
    sink.append(table.bytes)
  }

  public static func decode(_ bytes: [UInt8]) throws(ACPITableError) -> RSDP {
    let reader = ByteReader(bytes: bytes, table: "RSDP")
    guard bytes.count >= 20 else {
      throw ACPITableError(
        table: "RSDP", offset: bytes.count, reason: "short table: \(bytes.count) byte(s), need 36")
    }
    let signature = try reader.string(0, 8, "Signature")
    guard signature == Self.signature else {
      throw ACPITableError(
        table: "RSDP", offset: 0, reason: "signature is \"\(signature)\", expected \"RSD PTR \"")
    }
    let firstSum = bytes[0..<20].reduce(UInt8(0)) { $0 &+ $1 }
    if firstSum != 0 {
      throw ACPITableError(
        table: "RSDP", offset: 8,
        reason:
          "wrong checksum 0x\(hex2(bytes[8])) over bytes 0-19, should be 0x\(hex2(bytes[8] &- firstSum))")
    }
    let revision = try reader.u8(15, "Revision")
    guard revision >= 2 else {
      throw ACPITableError(
        table: "RSDP", offset: 15,
        reason: "revision \(revision) is the 20-byte ACPI 1.0 form; need revision 2")
    }
    let length = try reader.u32(20, "Length")
    guard length == UInt32(size) else {
      throw ACPITableError(
        table: "RSDP", offset: 20, reason: "bad Length \(length), the revision-2 RSDP is 36 bytes")
    }
    guard bytes.count == size else {
      throw ACPITableError(
        table: "RSDP", offset: min(bytes.count, size),
        reason: "bad length: Length says 36 bytes but \(bytes.count) are present")
    }
    let fullSum = bytes.reduce(UInt8(0)) { $0 &+ $1 }
    if fullSum != 0 {
      throw ACPITableError(
        table: "RSDP", offset: 32,
        reason: "wrong extended checksum 0x\(hex2(bytes[32])), should be 0x\(hex2(bytes[32] &- fullSum))")
    }
    return RSDP(
      oemID: try reader.string(9, 6, "Oem ID"), xsdtAddress: try reader.u64(24, "XSDT Address"),
      rsdtAddress: try reader.u32(16, "RSDT Address"), revision: revision)
  }

  public var decoded: DecodedTable {
    let bytes = encodedBytes
    return DecodedTable(
      signature: Self.signature, bytes: bytes,
      rows: [
        ACPIFieldRow(0, 8, "Signature", "\"RSD PTR \"", "Root System Description Pointer"),
        ACPIFieldRow(8, 1, "Checksum", hex(UInt64(bytes[8]), 2), "valid over bytes 0-19"),
        ACPIFieldRow(9, 6, "Oem ID", "\"\(oemID)\"", ""),
        ACPIFieldRow(15, 1, "Revision", hex(UInt64(revision), 2), "2 = ACPI 2.0+ form with XSDT"),
        ACPIFieldRow(16, 4, "RSDT Address", hex(UInt64(rsdtAddress), 8), rsdtAddress == 0 ? "no RSDT" : ""),
        ACPIFieldRow(20, 4, "Length", hex(36, 8), "36 bytes"),
        ACPIFieldRow(24, 8, "XSDT Address", hex(xsdtAddress, 16), "physical address of the XSDT"),
        ACPIFieldRow(32, 1, "Extended Checksum", hex(UInt64(bytes[32]), 2), "valid over all 36 bytes"),
        ACPIFieldRow(33, 3, "Reserved", "000000", ""),
      ])
  }
}
