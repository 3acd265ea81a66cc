/// One decoded field of a table: where it is, what it holds, what that means.
public struct ACPIFieldRow: Equatable, Sendable {
  public var offset: Int
  public var length: Int
  public var name: String
  public var value: String
  public var meaning: String

  public init(_ offset: Int, _ length: Int, _ name: String, _ value: String, _ meaning: String) {
    self.offset = offset
    self.length = length
    self.name = name
    self.value = value
    self.meaning = meaning
  }
}

/// A table decoded into rows, printable as a field table or as a hex dump.
public struct DecodedTable: Equatable, Sendable {
  /// `DSDT`, `FACP`, `APIC`, `XSDT`, `SSDT` or `RSD PTR `.
  public var signature: String
  public var bytes: [UInt8]
  public var rows: [ACPIFieldRow]

  public init(signature: String, bytes: [UInt8], rows: [ACPIFieldRow]) {
    self.signature = signature
    self.bytes = bytes
    self.rows = rows
  }

  /// The field table: offset (hex), length, field name, value and meaning, one row per field.
  public var fieldTable: String {
    let nameWidth = max(5, rows.map(\.name.count).max() ?? 0)
    let valueWidth = max(5, rows.map(\.value.count).max() ?? 0)
    func pad(_ text: String, _ width: Int) -> String {
      text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
    var lines = ["\(signature.trimmingTrailingSpaces)  \(bytes.count) bytes"]
    lines.append("Offset  Len  " + pad("Field", nameWidth) + "  " + pad("Value", valueWidth) + "  Meaning")
    for row in rows {
      let length = String(row.length)
      let line =
        "0x" + hex(UInt64(row.offset), 4) + " " + String(repeating: " ", count: max(0, 4 - length.count))
        + length
        + "  " + pad(row.name, nameWidth) + "  " + pad(row.value, valueWidth) + "  " + row.meaning
      lines.append(line.trimmingTrailingSpaces)
    }
    return lines.joined(separator: "\n")
  }

  /// The acpidump text form: `SIG @ 0xADDRESS`, then 16 bytes per line with an offset and an
  /// ASCII column (acpixtract reads it back).
  public func hexDump(address: UInt64 = 0) -> String {
    let name = signature == "RSD PTR " ? "RSDP" : signature
    var lines = ["\(name) @ 0x\(hex(address, 16))"]
    var offset = 0
    while offset < bytes.count {
      let chunk = bytes[offset..<min(offset + 16, bytes.count)]
      var line = "    " + hex(UInt64(offset), 4) + ":"
      for value in chunk { line += " " + hex2(value) }
      line += String(repeating: "   ", count: 16 - chunk.count) + "  "
      line += String(chunk.map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "." })
      lines.append(line)
      offset += 16
    }
    return lines.joined(separator: "\n")
  }
}

extension String {
  var trimmingTrailingSpaces: String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}

/// Bit names of a flags word joined with `|`, or "none".
func flagNames(_ value: UInt64, _ names: [(Int, String)]) -> String {
  let set = names.filter { value & (1 << UInt64($0.0)) != 0 }.map(\.1)
  return set.isEmpty ? "none" : set.joined(separator: "|")
}
