import ArgumentParser
import LabScript
import Notebook

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// How one run ended.
struct BatchOutcome {
  enum Status: String {
    case ok
    /// The script failed: an error, an unmet `expect`, or `exit` with a non-zero status.
    case error
    /// The run took longer than --timeout and its worker was killed.
    case timeout
    /// The worker process died during the run (a trap in the model, out of memory).
    case crash
  }

  var status: Status
  var error: String?
  var results: [(name: String, value: Value)] = []
  var wallSeconds: Double?
}

/// Writes rows: CSV (RFC 4180 quoting, LF line ends) or JSON Lines (one object per line, the
/// parameters and results with their types; masks as their list text).
struct BatchRowFormatter {
  let plan: BatchPlan

  /// The CSV header line (JSON Lines has none).
  var header: String? {
    plan.format == .csv ? plan.columns.joined(separator: ",") + "\n" : nil
  }

  func row(_ run: BatchRun, _ outcome: BatchOutcome) -> String {
    var fields: [(String, Cell)] = [("run_id", .text(run.id))]
    for p in run.parameters { fields.append((p.name, .value(p.value))) }
    fields.append(("repeat", .value(.int(run.repeatNumber))))
    fields.append(("seed", .value(.int(run.seed))))
    fields.append(("status", .text(outcome.status.rawValue)))
    for name in plan.results {
      fields.append((name, outcome.results.first { $0.name == name }.map { .value($0.value) } ?? .missing))
    }
    if plan.timing {
      fields.append(("host_wall_s", outcome.wallSeconds.map { .number(seconds($0)) } ?? .missing))
    }
    fields.append(("error", outcome.error.map { .text($0) } ?? .missing))
    switch plan.format {
    case .csv:
      return fields.map { csvField($0.1.csvText) }.joined(separator: ",") + "\n"
    case .jsonl:
      return "{" + fields.map { JSON.quoted($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}\n"
    }
  }

  enum Cell {
    case text(String)
    case value(Value)
    case number(String)
    case missing

    var csvText: String {
      switch self {
      case .text(let s), .number(let s): s
      case .value(let v): csvText(of: v)
      case .missing: ""
      }
    }

    var json: String {
      switch self {
      case .text(let s): JSON.quoted(s)
      case .number(let s): s
      case .value(let v): jsonValue(v)
      case .missing: "null"
      }
    }

    private func csvText(of value: Value) -> String {
      switch value {
      case .none: ""
      default: value.display
      }
    }
  }
}

/// Seconds with microsecond precision, without Foundation's formatting.
private func seconds(_ s: Double) -> String {
  let micros = Int((s * 1_000_000).rounded())
  let fraction = String(micros % 1_000_000)
  return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
}

/// A CSV field, quoted when it holds a comma, a quote, a line break or edge spaces.
func csvField(_ text: String) -> String {
  let needsQuotes =
    text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
    || text.first == " " || text.last == " "
  guard needsQuotes else { return text }
  return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
}

/// A LabScript value as JSON: ints, bools and strings as such, none as null, lists as arrays,
/// masks as their list text ("0-3,8").
func jsonValue(_ value: Value) -> String {
  switch value {
  case .none: "null"
  case .bool(let b): b ? "true" : "false"
  case .int(let i): String(i)
  case .string(let s): JSON.quoted(s)
  case .mask(let m): JSON.quoted(m.listString)
  case .list(let items): "[" + items.map(jsonValue).joined(separator: ",") + "]"
  }
}

/// `{"name":value,...}` of the results a session emitted: what `hplab run --json` prints.
func jsonObject(_ results: [(name: String, value: Value)]) -> String {
  "{" + results.map { JSON.quoted($0.name) + ":" + jsonValue($0.value) }.joined(separator: ",") + "}"
}

extension String {
  func replacingAll(_ target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}

// MARK: - The rows already in --out

/// What an existing --out file holds, read before a batch appends to it.
struct ExistingRows {
  /// Run ids with their status.
  var statuses: [String: String] = [:]
  /// Whether the file starts with the header.
  var hasHeader = false
  var isEmpty = true

  /// Reads `bytes` (the file's content) as rows of `plan`'s format and columns. Rows of other
  /// batches with the same columns are allowed (their ids simply match no run of this one).
  static func read(_ bytes: [UInt8], path: String, plan: BatchPlan) throws -> ExistingRows {
    var rows = ExistingRows()
    guard !bytes.isEmpty else { return rows }
    rows.isEmpty = false
    guard bytes.last == UInt8(ascii: "\n") else {
      let line = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
      throw BatchUsageError(
        "\(path):\(line): the last line is incomplete (an interrupted write?); delete it and run the batch "
          + "again to finish it.")
    }
    let columns = plan.columns
    let statusIndex = columns.firstIndex(of: "status")!
    switch plan.format {
    case .csv:
      var parser = CSVReader(bytes: bytes)
      var first = true
      while let (line, fields) = try parser.next(path: path) {
        defer { first = false }
        if first && fields == columns {
          rows.hasHeader = true
          continue
        }
        if first && fields.first == "run_id" {
          throw BatchUsageError(
            "\(path):1: the file's columns are not this batch's.\n  file:  \(fields.joined(separator: ","))\n"
              + "  batch: \(columns.joined(separator: ","))\nWrite to another --out, or run the batch that made it."
          )
        }
        guard fields.count == columns.count else {
          throw BatchUsageError(
            "\(path):\(line): a row with \(fields.count) fields, but this batch writes \(columns.count) columns "
              + "(\(columns.joined(separator: ","))); is it another batch's file?")
        }
        guard isRunID(fields[0]) else {
          throw BatchUsageError("\(path):\(line): '\(fields[0])' is not a run id (12 hex digits).")
        }
        rows.statuses[fields[0]] = fields[statusIndex]
      }
    case .jsonl:
      var line = 0
      for text in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
        line += 1
        let members: [(String, MiniJSON)]
        do { members = try MiniJSON.parseObject(Array(text)) } catch let error as MiniJSON.Failure {
          throw BatchUsageError(
            "\(path):\(line): not a JSON object: \(error.reason) at byte \(error.offset + 1).")
        }
        let keys = members.map(\.0)
        guard keys == columns else {
          throw BatchUsageError(
            "\(path):\(line): the row's keys are not this batch's columns.\n  row:   \(keys.joined(separator: ","))\n"
              + "  batch: \(columns.joined(separator: ","))\nWrite to another --out, or run the batch that made it."
          )
        }
        guard case .string(let id) = members[0].1, isRunID(id) else {
          throw BatchUsageError("\(path):\(line): run_id is not a run id (12 hex digits).")
        }
        guard case .string(let status) = members[statusIndex].1 else {
          throw BatchUsageError("\(path):\(line): status is not a string.")
        }
        rows.statuses[id] = status
      }
    }
    return rows
  }

  private static func isRunID(_ text: String) -> Bool {
    text.utf8.count == 12 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }
}

/// Reads CSV records (RFC 4180: quoted fields may hold commas, quotes and line breaks).
struct CSVReader {
  let bytes: [UInt8]
  var offset = 0
  var line = 1

  init(bytes: [UInt8]) { self.bytes = bytes }

  /// The next record and the line it starts on, or nil at the end.
  mutating func next(path: String) throws -> (Int, [String])? {
    guard offset < bytes.count else { return nil }
    let start = line
    var fields: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var wasQuoted = false
    while offset < bytes.count {
      let c = bytes[offset]
      offset += 1
      if quoted {
        if c == UInt8(ascii: "\"") {
          if offset < bytes.count && bytes[offset] == UInt8(ascii: "\"") {
            field.append(c)
            offset += 1
          } else {
            quoted = false
          }
        } else {
          if c == UInt8(ascii: "\n") { line += 1 }
          field.append(c)
        }
        continue
      }
      switch c {
      case UInt8(ascii: "\""):
        guard field.isEmpty && !wasQuoted else {
          throw BatchUsageError("\(path):\(line): a quote inside an unquoted CSV field.")
        }
        quoted = true
        wasQuoted = true
      case UInt8(ascii: ","):
        fields.append(String(decoding: field, as: UTF8.self))
        field = []
        wasQuoted = false
      case UInt8(ascii: "\n"):
        if field.last == UInt8(ascii: "\r") && !wasQuoted { field.removeLast() }
        fields.append(String(decoding: field, as: UTF8.self))
        line += 1
        return (start, fields)
      default:
        if wasQuoted && c != UInt8(ascii: "\r") {
          throw BatchUsageError("\(path):\(line): text after the closing quote of a CSV field.")
        }
        if !(wasQuoted && c == UInt8(ascii: "\r")) { field.append(c) }
      }
    }
    if quoted { throw BatchUsageError("\(path):\(start): a quoted CSV field is not closed.") }
    fields.append(String(decoding: field, as: UTF8.self))
    return (start, fields)
  }
}

/// Just enough JSON to read back a JSON Lines row: a strict parser of one value.
indirect enum MiniJSON: Equatable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([MiniJSON])
  case object([String: MiniJSON])

  struct Failure: Error {
    var reason: String
    var offset: Int
  }

  /// Parses a line holding one JSON object; returns its members in order.
  static func parseObject(_ bytes: [UInt8]) throws -> [(String, MiniJSON)] {
    var p = Parser(bytes: bytes)
    p.skipSpace()
    guard p.peek == UInt8(ascii: "{") else { throw Failure(reason: "expected '{'", offset: p.i) }
    let members = try p.objectMembers()
    p.skipSpace()
    guard p.i == bytes.count else { throw Failure(reason: "text after the object", offset: p.i) }
    return members
  }

  private struct Parser {
    let bytes: [UInt8]
    var i = 0
    var depth = 0

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func skipSpace() {
      while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 }
    }

    mutating func expect(_ c: UInt8, _ what: String) throws {
      skipSpace()
      guard peek == c else { throw Failure(reason: "expected \(what)", offset: i) }
      i += 1
    }

    mutating func objectMembers() throws -> [(String, MiniJSON)] {
      try expect(UInt8(ascii: "{"), "'{'")
      depth += 1
      defer { depth -= 1 }
      guard depth <= 64 else { throw Failure(reason: "nested too deeply", offset: i) }
      var members: [(String, MiniJSON)] = []
      skipSpace()
      if peek == UInt8(ascii: "}") {
        i += 1
        return members
      }
      while true {
        skipSpace()
        guard peek == UInt8(ascii: "\"") else { throw Failure(reason: "expected a key", offset: i) }
        let key = try string()
        try expect(UInt8(ascii: ":"), "':'")
        members.append((key, try value()))
        skipSpace()
        if peek == UInt8(ascii: ",") {
          i += 1
          continue
        }
        try expect(UInt8(ascii: "}"), "',' or '}'")
        return members
      }
    }

    mutating func value() throws -> MiniJSON {
      skipSpace()
      guard let c = peek else { throw Failure(reason: "expected a value", offset: i) }
      switch c {
      case UInt8(ascii: "{"):
        return .object(Dictionary(try objectMembers(), uniquingKeysWith: { _, last in last }))
      case UInt8(ascii: "["):
        i += 1
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { throw Failure(reason: "nested too deeply", offset: i) }
        var items: [MiniJSON] = []
        skipSpace()
        if peek == UInt8(ascii: "]") {
          i += 1
          return .array(items)
        }
        while true {
          items.append(try value())
          skipSpace()
          if peek == UInt8(ascii: ",") {
            i += 1
            continue
          }
          try expect(UInt8(ascii: "]"), "',' or ']'")
          return .array(items)
        }
      case UInt8(ascii: "\""):
        return .string(try string())
      case UInt8(ascii: "t"): return try literal("true", .bool(true))
      case UInt8(ascii: "f"): return try literal("false", .bool(false))
      case UInt8(ascii: "n"): return try literal("null", .null)
      default:
        return try number()
      }
    }

    mutating func literal(_ word: String, _ result: MiniJSON) throws -> MiniJSON {
      let w = Array(word.utf8)
      guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else {
        throw Failure(reason: "expected a value", offset: i)
      }
      i += w.count
      return result
    }

    mutating func number() throws -> MiniJSON {
      let start = i
      if peek == UInt8(ascii: "-") { i += 1 }
      var digits = 0
      while let c = peek,
        (48...57).contains(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e")
          || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
      {
        if (48...57).contains(c) { digits += 1 }
        i += 1
      }
      guard digits > 0 else { throw Failure(reason: "expected a value", offset: start) }
      return .number(String(decoding: bytes[start..<i], as: UTF8.self))
    }

    mutating func string() throws -> String {
      let start = i
      i += 1
      var out: [UInt8] = []
      while true {
        guard let c = peek else { throw Failure(reason: "a string is not closed", offset: start) }
        i += 1
        switch c {
        case UInt8(ascii: "\""):
          return String(decoding: out, as: UTF8.self)
        case UInt8(ascii: "\\"):
          guard let e = peek else { throw Failure(reason: "a string is not closed", offset: start) }
          i += 1
          switch e {
          case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
          case UInt8(ascii: "b"): out.append(0x08)
          case UInt8(ascii: "f"): out.append(0x0C)
          case UInt8(ascii: "n"): out.append(0x0A)
          case UInt8(ascii: "r"): out.append(0x0D)
          case UInt8(ascii: "t"): out.append(0x09)
          case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar), peek == UInt8(ascii: "\\"), i + 1 < bytes.count,
              bytes[i + 1] == UInt8(ascii: "u")
            {
              i += 2
              let low = try hex4()
              guard (0xDC00..<0xE000).contains(low) else {
                throw Failure(reason: "a bad surrogate pair", offset: i)
              }
              scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let u = Unicode.Scalar(scalar) else { throw Failure(reason: "a bad \\u escape", offset: i) }
            out.append(contentsOf: Array(String(Character(u)).utf8))
          default:
            throw Failure(reason: "a bad escape", offset: i - 1)
          }
        default:
          guard c >= 0x20 else { throw Failure(reason: "a control character in a string", offset: i - 1) }
          out.append(c)
        }
      }
    }

    mutating func hex4() throws -> UInt32 {
      guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
      else { throw Failure(reason: "a bad \\u escape", offset: i) }
      i += 4
      return v
    }
  }
}
