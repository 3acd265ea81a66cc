/// A DSDT or SSDT: the common header followed directly by a TermList (there is no opcode for
/// DefinitionBlock). Revision 2 or more means 64-bit AML integers.
public struct DefinitionBlock: ACPIEncodable, Equatable, Sendable {
  public var header: SDTHeader
  public var terms: [AMLTerm]

  public init(
    signature: String = "DSDT", revision: UInt8 = 2, oemID: String = "HPLAB", oemTableID: String = "HPLABVRT",
    oemRevision: UInt32 = 1, terms: [AMLTerm]
  ) {
    self.header = SDTHeader(
      signature: signature, revision: revision, oemID: oemID, oemTableID: oemTableID,
      oemRevision: oemRevision)
    self.terms = terms
  }

  public init(header: SDTHeader, terms: [AMLTerm]) {
    self.header = header
    self.terms = terms
  }

  public func encode(into sink: inout ByteSink) {
    header.encodeTable(into: &sink) { body in
      for term in terms { body.append(term) }
    }
  }

  /// Field rows for the header plus one row describing the AML body.
  public static func decodedTable(_ bytes: [UInt8]) throws(ACPITableError) -> DecodedTable {
    let header = try SDTHeader.decode(bytes)
    let meaning =
      header.signature == "DSDT"
      ? "Differentiated System Description Table" : "Secondary System Description Table"
    var rows = header.rows(meaning: meaning)
    rows[2].meaning = header.revision < 2 ? "AML integers are 32-bit" : "AML integers are 64-bit"
    rows.append(
      ACPIFieldRow(
        36, bytes.count - 36, "Definition Block", "AML", "\(bytes.count - 36) bytes of AML; see acpi asl"))
    return DecodedTable(signature: header.signature, bytes: bytes, rows: rows)
  }
}
