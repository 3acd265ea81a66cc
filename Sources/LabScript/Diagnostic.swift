/// A LabScript error: what went wrong, where, and what might fix it.
///
/// Printed compiler style: `file:line:col: error: message`, the source line with the span
/// underlined, then the hint and any notes.
public struct LabScriptError: Error, Sendable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    /// Bad characters, unterminated strings, malformed numbers.
    case lexical
    /// Text that does not form a statement.
    case syntax
    /// The input stopped inside a block, a string or parentheses: more lines may complete it.
    case incompleteInput
    /// An unknown command, function or variable.
    case name
    /// An operation on values of the wrong type.
    case type
    /// A command's or function's arguments do not fit its specification.
    case argument
    /// Division by zero, overflow, an index out of range and other evaluation failures.
    case runtime
    /// An `expect` that did not hold.
    case expectation
    /// A loop, recursion or nesting limit was reached.
    case limit
    /// A command reported a failure of the thing it models (e.g. a sysfs write returned -EINVAL).
    case command
    /// Reading or writing a file failed.
    case io
    /// The user interrupted evaluation (Ctrl-C).
    case interrupted
  }

  public var kind: Kind
  public var message: String
  public var span: SourceSpan?
  public var hint: String?
  /// Extra lines printed after the hint, e.g. both sides of a failed `expect`.
  public var notes: [String]

  public init(
    _ kind: Kind, _ message: String, at span: SourceSpan? = nil, hint: String? = nil, notes: [String] = []
  ) {
    self.kind = kind
    self.message = message
    self.span = span
    self.hint = hint
    self.notes = notes
  }

  public var description: String { render(color: false) }

  /// The full diagnostic text, ending with a newline.
  public func render(color: Bool) -> String {
    let style = DiagnosticStyle(enabled: color)
    var out = ""
    if let span {
      out += style.bold("\(span.position): ") + style.error("error: ") + style.bold(message) + "\n"
      let (line, column) = span.file.location(of: span.start)
      let lineText = span.file.lineText(line)
      if !lineText.isEmpty || span.file.text.isEmpty == false {
        let expanded = expandTabs(lineText)
        out += expanded.text + "\n"
        let caretColumn = expanded.column(forScalarColumn: column)
        let endLocation = span.file.location(of: span.end)
        let lastColumn =
          endLocation.line == line ? expanded.column(forScalarColumn: endLocation.column) : expanded.width + 1
        let width = Swift.max(1, lastColumn - caretColumn)
        let marker = "^" + String(repeating: "~", count: width - 1)
        out += String(repeating: " ", count: caretColumn - 1) + style.caret(marker) + "\n"
      }
    } else {
      out += style.error("error: ") + style.bold(message) + "\n"
    }
    if let hint { out += style.hint("hint: ") + hint + "\n" }
    for note in notes { out += note + "\n" }
    return out
  }
}

/// ANSI styling for diagnostics, used only on a terminal (the caller decides).
struct DiagnosticStyle {
  let enabled: Bool
  private func wrap(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
  func bold(_ text: String) -> String { wrap(text, "1") }
  func error(_ text: String) -> String { wrap(text, "1;31") }
  func caret(_ text: String) -> String { wrap(text, "1;32") }
  func hint(_ text: String) -> String { wrap(text, "1;36") }
}

/// A source line with tabs expanded to 8-column stops, so the underline lines up.
private struct ExpandedLine {
  var text = ""
  /// Display column (1-based) of each scalar column (1-based), plus one past the end.
  var columns: [Int] = []
  var width: Int { text.unicodeScalars.count }

  func column(forScalarColumn scalarColumn: Int) -> Int {
    guard !columns.isEmpty else { return 1 }
    return columns[Swift.min(Swift.max(scalarColumn - 1, 0), columns.count - 1)]
  }
}

private func expandTabs(_ line: String) -> ExpandedLine {
  var result = ExpandedLine()
  var displayColumn = 1
  for scalar in line.unicodeScalars {
    result.columns.append(displayColumn)
    if scalar == "\t" {
      let spaces = 8 - (displayColumn - 1) % 8
      result.text += String(repeating: " ", count: spaces)
      displayColumn += spaces
    } else {
      result.text.unicodeScalars.append(scalar)
      displayColumn += 1
    }
  }
  result.columns.append(displayColumn)
  return result
}
