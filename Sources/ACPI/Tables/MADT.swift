/// Multiple APIC Description Table (signature `APIC`) for a GICv3 arm64 system: the fixed part
/// followed by interrupt controller structures (GICC, GICD, GICR, GIC ITS).
public struct MADT: ACPIEncodable, Equatable, Sendable {
  public static let signature = "APIC"

  public var header: SDTHeader
  /// Local Interrupt Controller Address: 0 on GIC systems.
  public var localInterruptControllerAddress: UInt32 = 0
  /// Bit 0 PCAT_COMPAT (dual 8259); must be 0 on arm.
  public var flags: UInt32 = 0
  public var structures: [MADTStructure]

  /// Revision 6 is ACPI 6.5 (82-byte GICC with the Online Capable flag); revision 5 is ACPI 6.3/6.4.
  public init(structures: [MADTStructure], revision: UInt8 = 6) {
    self.header = SDTHeader(signature: "APIC", revision: revision)
    self.structures = structures
  }

  public init(structures: [MADTStructure], header: SDTHeader) {
    self.header = header
    self.structures = structures
  }

  /// GICCs are written in the form the revision defines: 82 bytes (with the TRBE interrupt)
  /// from revision 6 (ACPI 6.5) on, 80 bytes before.
  public func encode(into sink: inout ByteSink) {
    header.encodeTable(into: &sink) { body in
      body.u32(localInterruptControllerAddress)
      body.u32(flags)
      for structure in structures { body.append(normalized(structure)) }
    }
  }

  private func normalized(_ structure: MADTStructure) -> MADTStructure {
    guard case .gicc(var gicc) = structure else { return structure }
    if header.revision >= 6 {
      gicc.trbeInterrupt = gicc.trbeInterrupt ?? 0
    } else {
      gicc.trbeInterrupt = nil
    }
    return .gicc(gicc)
  }

  public static func decode(_ bytes: [UInt8]) throws(ACPITableError) -> MADT {
    let header = try SDTHeader.decode(bytes, expecting: signature)
    let reader = ByteReader(bytes: bytes, table: signature)
    var madt = MADT(structures: [], header: header)
    madt.localInterruptControllerAddress = try reader.u32(36, "Local Apic Address")
    madt.flags = try reader.u32(40, "Flags")
    var offset = 44
    while offset < bytes.count {
      let type = try reader.u8(offset, "Subtable Type")
      let length = Int(try reader.u8(offset + 1, "Subtable Length"))
      guard length >= 2 else {
        throw ACPITableError(
          table: signature, offset: offset + 1,
          reason: "subtable type 0x\(hex2(type)) has invalid Length \(length)")
      }
      guard offset + length <= bytes.count else {
        throw ACPITableError(
          table: signature, offset: offset + 1,
          reason:
            "subtable type 0x\(hex2(type)) Length \(length) runs past the end of the table (\(bytes.count) bytes)"
        )
      }
      madt.structures.append(
        try MADTStructure.decode(Array(bytes[offset..<offset + length]), tableOffset: offset))
      offset += length
    }
    return madt
  }

  public var decoded: DecodedTable {
    var rows = finalizedHeader(of: self, header).rows(meaning: "Multiple APIC Description Table")
    rows += [
      ACPIFieldRow(
        36, 4, "Local Interrupt Controller Address", hex(UInt64(localInterruptControllerAddress), 8), ""),
      ACPIFieldRow(40, 4, "Flags", hex(UInt64(flags), 8), flagNames(UInt64(flags), [(0, "PCAT_COMPAT")])),
    ]
    var offset = 44
    for structure in structures.map(normalized) {
      rows += structure.rows(at: offset)
      offset += structure.encodedBytes.count
    }
    return DecodedTable(signature: Self.signature, bytes: encodedBytes, rows: rows)
  }
}
