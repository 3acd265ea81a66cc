/// A value the interpreter computes with: the ACPI data types plus references.
public indirect enum AMLValue: Equatable, Sendable {
  case integer(UInt64)
  case string(String)
  case buffer([UInt8])
  case package([AMLValue])
  /// A reference (RefOf, Index, or a name in a package).
  case reference(AMLReference)
  /// A package element never set (a Package(4){} has four of them).
  case uninitialized

  /// ACPI ObjectType number of the value (1 Integer, 2 String, 3 Buffer, 4 Package, 0 uninitialized).
  var typeNumber: UInt64 {
    switch self {
    case .integer: 1
    case .string: 2
    case .buffer: 3
    case .package: 4
    case .reference: 20
    case .uninitialized: 0
    }
  }

  var typeName: String {
    switch self {
    case .integer: "Integer"
    case .string: "String"
    case .buffer: "Buffer"
    case .package: "Package"
    case .reference: "Reference"
    case .uninitialized: "Uninitialized"
    }
  }
}

/// Where a reference points.
public indirect enum AMLReference: Equatable, Sendable {
  /// A named object (namespace node id).
  case node(Int)
  /// Local n of the frame at depth `frame` of the call stack.
  case local(frame: Int, Int)
  case arg(frame: Int, Int)
  /// Element `index` of the package/buffer/string held at `base`.
  case element(AMLReference, Int)
  /// Element `index` of a value that lives nowhere else (Index of a literal).
  case temporaryElement(AMLValue, Int)
}

extension AMLValue {
  /// The acpiexec-style rendering used by `acpi eval` and the cross-checks:
  /// `[Integer] = 000000000000000F`, `[String] Length 03 = "abc"`, `[Buffer] Length 02 = 01 02`,
  /// `[Package] Contains N Elements:` followed by indented elements.
  public func acpiexecText(indent: Int = 0) -> String {
    let pad = String(repeating: "  ", count: indent)
    switch self {
    case .integer(let value): return pad + "[Integer] = " + hex(value, 16)
    case .string(let text):
      return pad + "[String] Length " + hex(UInt64(text.utf8.count), 2) + " = \"" + text + "\""
    case .buffer(let bytes):
      return pad + "[Buffer] Length " + hex(UInt64(bytes.count), 2) + " =" + (bytes.isEmpty ? "" : " ")
        + bytes.map { hex2($0) }.joined(separator: " ")
    case .package(let elements):
      var lines = [pad + "[Package] Contains \(elements.count) Elements:"]
      for element in elements { lines.append(element.acpiexecText(indent: indent + 1)) }
      return lines.joined(separator: "\n")
    case .reference: return pad + "[Object Reference]"
    case .uninitialized: return pad + "[Uninitialized]"
    }
  }
}
