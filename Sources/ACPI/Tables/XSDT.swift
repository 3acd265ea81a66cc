/// Extended System Description Table: the header plus 64-bit physical addresses of the other
/// tables (not the DSDT, which the FADT points to). Entries start at offset 36, unaligned.
public struct XSDT: ACPIEncodable, Equatable, Sendable {
  public static let signature = "XSDT"

  public var header: SDTHeader
  public var entries: [UInt64]

  public init(entries: [UInt64], header: SDTHeader = SDTHeader(signature: "XSDT", revision: 1)) {
    self.header = header
    self.entries = entries
  }

  public var length: Int { SDTHeader.size + 8 * entries.count }

  public func encode(into sink: inout ByteSink) {
    header.encodeTable(into: &sink) { body in
      for entry in entries { body.u64(entry) }
    }
  }

  public static func decode(_ bytes: [UInt8]) throws(ACPITableError) -> XSDT {
    let header = try SDTHeader.decode(bytes, expecting: signature)
    let reader = ByteReader(bytes: bytes, table: signature)
    guard (bytes.count - SDTHeader.size) % 8 == 0 else {
      throw ACPITableError(
        table: signature, offset: SDTHeader.size + (bytes.count - SDTHeader.size) / 8 * 8,
        reason:
          "bad length \(bytes.count): the entries after the header are not a whole number of 8-byte addresses"
      )
    }
    var entries: [UInt64] = []
    var offset = SDTHeader.size
    while offset < bytes.count {
      entries.append(try reader.u64(offset, "Entry \(entries.count)"))
      offset += 8
    }
    return XSDT(entries: entries, header: header)
  }

  public var decoded: DecodedTable {
    var rows = finalHeader.rows(meaning: "Extended System Description Table")
    for (index, entry) in entries.enumerated() {
      rows.append(ACPIFieldRow(36 + 8 * index, 8, "ACPI Table Address \(index)", hex(entry, 16), ""))
    }
    return DecodedTable(signature: Self.signature, bytes: encodedBytes, rows: rows)
  }

  var finalHeader: SDTHeader { finalizedHeader(of: self, header) }
}

/// `header` with Length and Checksum as `table` encodes them.
func finalizedHeader(of table: some ACPIEncodable, _ header: SDTHeader) -> SDTHeader {
  let bytes = table.encodedBytes
  var result = header
  result.length = UInt32(bytes.count)
  result.checksum = bytes[9]
  return result
}
