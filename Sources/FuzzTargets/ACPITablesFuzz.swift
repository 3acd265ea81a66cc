import ACPI

/// ACPI table files as `acpi decode` reads them. The first byte chooses what the rest is:
///   0: the file as it is (short tables, bad lengths and checksums are part of the fuzzing);
///   1-6: a FACP, APIC (MADT), XSDT, DSDT, SSDT or an unknown signature, with the signature,
///        Length and checksum made valid so the decoder reaches the table's own fields;
///   7: an RSDP with both checksums (and its Length) made valid.
/// Each decoded table is printed as fields and as a hex dump, as the command does.
enum ACPITablesFuzz {
  static let signatures = ["FACP", "APIC", "XSDT", "DSDT", "SSDT", "HPLB"]

  static func run(_ bytes: [UInt8]) {
    var reader = FuzzReader(bytes)
    let mode = Int(reader.byte() % 8)
    var table = reader.rest()
    switch mode {
    case 0: break
    case 1...6: table = validHeader(signatures[mode - 1], table)
    default: table = validRSDP(table)
    }
    do throws(ACPICommandError) {
      let fields = try acpiDecodeCommand(file: "fuzz.dat", bytes: table, form: .fields)
      FuzzFailure.check(!fields.description.isEmpty, "a decoded table printed nothing")
      _ = try acpiDecodeCommand(file: "fuzz.dat", bytes: table, form: .hex).description
    } catch {
      // Compared as bytes: as characters, a combining mark after the space would merge with it.
      FuzzFailure.check(
        error.message.utf8.starts(with: "fuzz.dat: ".utf8), "an error does not name the file: \(error)")
    }
    // The decoders the command dispatches to, each on any signature.
    _ = try? RSDP.decode(table)
    _ = try? XSDT.decode(table)
    _ = try? FADT.decode(table)
    _ = try? MADT.decode(table)
    _ = try? DefinitionBlock.decodedTable(table)
  }

  /// `bytes` (padded to a header) with the signature, the Length and the checksum made valid.
  static func validHeader(_ signature: String, _ bytes: [UInt8]) -> [UInt8] {
    var table = bytes + [UInt8](repeating: 0, count: max(0, 36 - bytes.count))
    table.replaceSubrange(0..<4, with: Array(signature.utf8))
    let length = UInt32(truncatingIfNeeded: table.count)
    for i in 0..<4 { table[4 + i] = UInt8(truncatingIfNeeded: length >> UInt32(8 * i)) }
    table[9] = 0
    table[9] = 0 &- table.reduce(UInt8(0)) { $0 &+ $1 }
    return table
  }

  /// A revision-2 RSDP (36 bytes): "RSD PTR ", the 20-byte checksum, Length and the extended
  /// checksum made valid; the rest (OEM ID, RSDT and XSDT addresses) comes from the input.
  static func validRSDP(_ bytes: [UInt8]) -> [UInt8] {
    var table = Array((bytes + [UInt8](repeating: 0, count: 36)).prefix(36))
    table.replaceSubrange(0..<8, with: Array("RSD PTR ".utf8))
    table[15] = 2
    table[8] = 0
    table[8] = 0 &- table[0..<20].reduce(UInt8(0)) { $0 &+ $1 }
    let length = UInt32(truncatingIfNeeded: table.count)
    for i in 0..<4 { table[20 + i] = UInt8(truncatingIfNeeded: length >> UInt32(8 * i)) }
    table[32] = 0
    table[32] = 0 &- table.reduce(UInt8(0)) { $0 &+ $1 }
    return table
  }
}
