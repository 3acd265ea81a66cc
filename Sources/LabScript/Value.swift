import CPUMask

/// A LabScript value.
public enum Value: Hashable, Sendable {
  case none
  case bool(Bool)
  case int(Int)
  case string(String)
  case mask(CPUMask)
  case list([Value])

  /// The type's name as messages and `type()` show it.
  public var typeName: String {
    switch self {
    case .none: "none"
    case .bool: "bool"
    case .int: "int"
    case .string: "string"
    case .mask: "mask"
    case .list: "list"
    }
  }

  /// How `print` shows the value: masks in the sysfs list format, strings without quotes.
  public var display: String {
    switch self {
    case .none: "none"
    case .bool(let b): b ? "true" : "false"
    case .int(let i): String(i)
    case .string(let s): s
    case .mask(let m): m.listString
    case .list(let l): "[" + l.map(\.literal).joined(separator: ", ") + "]"
    }
  }

  /// How the value is written as a literal: strings quoted, masks as `cpulist("...")`.
  public var literal: String {
    switch self {
    case .string(let s): quoted(s)
    case .mask(let m): "cpulist(\(quoted(m.listString)))"
    default: display
    }
  }

  /// The value of a word typed as a command argument or on the shell: integers (decimal or
  /// 0x/0b), `true`/`false`, otherwise the text itself.
  public static func inferred(fromWord text: String) -> Value {
    if text == "true" { return .bool(true) }
    if text == "false" { return .bool(false) }
    if let i = parseInteger(text) { return .int(i) }
    return .string(text)
  }

  /// Parses `42`, `-7`, `0x2A`, `0b101`, with `_` separators; nil otherwise.
  public static func parseInteger(_ text: String) -> Int? {
    var body = Substring(text)
    var negative = false
    if body.hasPrefix("-") {
      negative = true
      body = body.dropFirst()
    }
    var radix = 10
    let lower = body.lowercased()
    if lower.hasPrefix("0x") {
      radix = 16
      body = body.dropFirst(2)
    } else if lower.hasPrefix("0b") {
      radix = 2
      body = body.dropFirst(2)
    }
    let digits = body.filter { $0 != "_" }
    guard !digits.isEmpty, !body.hasPrefix("_"), !body.hasSuffix("_") else { return nil }
    guard let magnitude = UInt64(digits, radix: radix) else { return nil }
    if negative {
      return magnitude <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- magnitude) : nil
    }
    return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
  }
}

private func quoted(_ s: String) -> String {
  var out = "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\t": out += "\\t"
    case "\r": out += "\\r"
    case "$": out += "\\$"
    case "\0": out += "\\0"
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out + "\""
}
