import Foundation
import Testing

@testable import LabScript

/// Keeps "every kind of language error has a test" true as the language grows: reads the error
/// message templates out of Sources/LabScript and checks that each is printed, with its location,
/// by at least one case of the exact-rendering catalogues (``DiagnosticTests/cases``,
/// ``DiagnosticTests/preparedCases`` and ``BinderTests/renderedCases``).
@Suite struct DiagnosticCoverageTests {
  /// One message as written in the source: its fixed text pieces, with the interpolations between.
  struct Template: CustomStringConvertible {
    let file: String
    let line: Int
    let pieces: [String]
    var description: String { "\(file):\(line): \"\(pieces.joined(separator: "…"))\"" }

    /// Whether a rendered line holds the pieces in order.
    func matches(_ line: Substring) -> Bool {
      var rest = line[...]
      for piece in pieces where !piece.isEmpty {
        guard let found = rest.range(of: piece) else { return false }
        rest = rest[found.upperBound...]
      }
      return true
    }
  }

  static var sourceDirectory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/LabScript")
  }

  /// The calls whose first string literal is a message (or, for `typeError`, a hint), and what the
  /// renderer puts before it.
  static let messageCalls: [(call: String, skipTo: String?, prefix: String)] = [
    ("LabScriptError(", ",", ""),  // LabScriptError(.kind, "message", ...)
    (".error(", nil, ""),  // call.error("message", ...), inv.error(...)
    ("unexpected(", "expected:", "expected "),  // renders "expected X, found Y"
    ("typeError(", nil, ""),  // the hint of "cannot apply 'op' to A and B"
  ]

  static func templates() throws -> [Template] {
    let files = try FileManager.default.contentsOfDirectory(atPath: sourceDirectory.path)
      .filter { $0.hasSuffix(".swift") }.sorted()
    var found: [Template] = []
    for name in files {
      let text = Array(try String(contentsOf: sourceDirectory.appendingPathComponent(name), encoding: .utf8))
      var i = 0
      while i < text.count {
        guard
          let call = messageCalls.first(where: { c in
            text[i...].starts(with: c.call) && (i == 0 || !(text[i - 1].isLetter || text[i - 1].isNumber))
          })
        else {
          i += 1
          continue
        }
        let callStart = i
        i += call.call.count
        var j = i
        if let skip = call.skipTo {
          // The separator must come before the first string literal or the call's end.
          while j < text.count && !text[j...].starts(with: skip) && text[j] != "\"" && text[j] != ")" {
            j += 1
          }
          guard j < text.count, text[j...].starts(with: skip) else { continue }
          j += skip.count
        }
        while j < text.count && text[j].isWhitespace { j += 1 }
        guard j < text.count, text[j] == "\"", !text[j...].starts(with: "\"\"\"") else { continue }
        let pieces = literalPieces(text, from: j + 1)
        let line = text[..<callStart].filter { $0 == "\n" }.count + 1
        found.append(Template(file: name, line: line, pieces: [call.prefix + pieces[0]] + pieces.dropFirst()))
      }
    }
    return found
  }

  /// The fixed pieces of the Swift string literal starting at `start` (just after its quote).
  static func literalPieces(_ text: [Character], from start: Int) -> [String] {
    var pieces = [""]
    var i = start
    while i < text.count && text[i] != "\"" {
      if text[i] == "\\", i + 1 < text.count {
        let next = text[i + 1]
        if next == "(" {
          // An interpolation: skip to its balanced ')', stepping over nested string literals.
          var depth = 0
          i += 1
          while i < text.count {
            if text[i] == "\"" {
              i += 1
              while i < text.count && text[i] != "\"" { i += text[i] == "\\" ? 2 : 1 }
            } else if text[i] == "(" {
              depth += 1
            } else if text[i] == ")" {
              depth -= 1
              if depth == 0 { break }
            }
            i += 1
          }
          pieces.append("")
        } else {
          let unescaped: [Character: String] = [
            "n": "\n", "t": "\t", "0": "\0", "\\": "\\", "\"": "\"", "'": "'",
          ]
          pieces[pieces.count - 1] += unescaped[next] ?? String(next)
          i += 1
        }
      } else {
        pieces[pieces.count - 1].append(text[i])
      }
      i += 1
    }
    return pieces
  }

  @Test func everyErrorMessageInTheSourcesIsInACatalogue() throws {
    let templates = try Self.templates()
    // The extraction finds the known shapes; a sharp drop means it broke, not that errors went.
    #expect(templates.count > 100, "only \(templates.count) message templates found")
    let rendered =
      (DiagnosticTests.cases.map(\.1) + DiagnosticTests.preparedCases.map(\.expected)
      + BinderTests.renderedCases.map(\.1))
      .flatMap { $0.split(separator: "\n") }
    let missing = templates.filter { t in !rendered.contains(where: t.matches) }
    #expect(
      missing.isEmpty, "no catalogue case prints:\n\(missing.map(\.description).joined(separator: "\n"))")
  }
}
