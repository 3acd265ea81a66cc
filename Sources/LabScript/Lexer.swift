/// LabScript's lexer. It has two modes, chosen by the parser: expression mode (identifiers,
/// numbers, strings, operators) and word mode (shell-like command arguments such as
/// `host-arm-cpu,core-id=1,id=cpu1` or `/sys/devices/system/cpu/cpu1/online`).
struct Lexer {
  let file: SourceFile
  private let bytes: [UInt8]
  /// Current UTF-8 offset.
  var position: Int
  /// Where this lexer stops (the whole file, or the inside of `${...}`).
  let limit: Int

  init(file: SourceFile, start: Int = 0, end: Int? = nil) {
    self.file = file
    bytes = file.bytes
    position = start
    limit = end ?? file.bytes.count
  }

  private var current: UInt8 { position < limit ? bytes[position] : 0 }
  private func peek(_ offset: Int) -> UInt8 { position + offset < limit ? bytes[position + offset] : 0 }
  private var atEnd: Bool { position >= limit }
  /// The byte at the current position (0 at the end), without consuming it.
  var peekByte: UInt8 { current }

  private func span(_ start: Int) -> SourceSpan { SourceSpan(file: file, start: start, end: position) }

  private static func isIdentifierStart(_ c: UInt8) -> Bool {
    (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F
  }
  private static func isIdentifierByte(_ c: UInt8) -> Bool { isIdentifierStart(c) || isDigit(c) }
  private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

  /// Skips spaces, tabs, carriage returns, comments and backslash-newline continuations.
  /// In word mode a `#` starts a comment only where a word could start, which is always the case
  /// here because this runs between tokens.
  private mutating func skipBlanks() {
    while !atEnd {
      switch current {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
        position += 1
      case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\n"):
        position += 2
      case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\r") && peek(2) == UInt8(ascii: "\n"):
        position += 3
      case UInt8(ascii: "#"):
        while !atEnd && current != UInt8(ascii: "\n") { position += 1 }
      default:
        return
      }
    }
  }

  /// Whether only blanks and a comment remain before the end of the line.
  mutating func atEndOfLine() -> Bool {
    let saved = position
    skipBlanks()
    defer { position = saved }
    return atEnd || current == UInt8(ascii: "\n") || current == UInt8(ascii: ";")
  }

  // MARK: Expression mode

  private static let symbols: [String] = [
    "...", "..", "==", "!=", "<=", ">=", "<<", ">>", "&&", "||",
    "(", ")", "[", "]", "{", "}", ",", "<", ">", "=", "+", "-", "*", "/", "%", "!", "&", "|", "^", "~", ".",
    ":",
  ]

  mutating func next() throws(LabScriptError) -> Token {
    skipBlanks()
    let start = position
    if atEnd { return Token(kind: .eof, text: "", span: span(start)) }
    let c = current
    if c == UInt8(ascii: "\n") {
      position += 1
      return Token(kind: .newline, text: "\n", span: span(start))
    }
    if c == UInt8(ascii: ";") {
      position += 1
      return Token(kind: .semicolon, text: ";", span: span(start))
    }
    if Lexer.isIdentifierStart(c) {
      while Lexer.isIdentifierByte(current) { position += 1 }
      return Token(kind: .identifier, text: file.slice(start, position), span: span(start))
    }
    if Lexer.isDigit(c) { return try number() }
    if c == UInt8(ascii: "\"") {
      let parts = try doubleQuoted()
      return Token(kind: .string, text: file.slice(start, position), span: span(start), parts: parts)
    }
    if c == UInt8(ascii: "'") {
      let text = try singleQuoted()
      return Token(
        kind: .string, text: file.slice(start, position), span: span(start), parts: [.literal(text)])
    }
    for symbol in Lexer.symbols where matches(symbol) {
      if symbol == "..." {
        throw LabScriptError(
          .syntax, "'...' is not an operator", at: SourceSpan(file: file, start: start, end: start + 3),
          hint: "ranges are written a..b and include b")
      }
      position += symbol.utf8.count
      return Token(kind: .symbol, text: symbol, span: span(start))
    }
    throw invalidCharacter(at: start)
  }

  private func matches(_ symbol: String) -> Bool {
    var offset = 0
    for byte in symbol.utf8 {
      if peek(offset) != byte { return false }
      offset += 1
    }
    return true
  }

  private mutating func invalidCharacter(at start: Int) -> LabScriptError {
    // Take the whole UTF-8 sequence so the message shows the character.
    position += 1
    while !atEnd && (current & 0xC0) == 0x80 { position += 1 }
    let text = file.slice(start, position)
    let shown =
      text.unicodeScalars.first.map {
        $0.isASCII && $0.value < 0x20 ? "U+\(String($0.value, radix: 16, uppercase: true))" : text
      } ?? text
    return LabScriptError(.lexical, "unexpected character '\(shown)'", at: span(start))
  }

  /// Decimal, `0x` hex or `0b` binary, with optional `_` separators.
  private mutating func number() throws(LabScriptError) -> Token {
    let start = position
    var radix = 10
    if current == UInt8(ascii: "0") && (peek(1) | 0x20) == UInt8(ascii: "x") {
      radix = 16
      position += 2
    } else if current == UInt8(ascii: "0") && (peek(1) | 0x20) == UInt8(ascii: "b") && Lexer.isDigit(peek(2))
    {
      radix = 2
      position += 2
    }
    let digitsStart = position
    while Lexer.isIdentifierByte(current) { position += 1 }
    let digits = file.slice(digitsStart, position).filter { $0 != "_" }
    let text = file.slice(start, position)
    let name = radix == 16 ? "hexadecimal" : radix == 2 ? "binary" : "decimal"
    if digits.isEmpty {
      throw LabScriptError(.lexical, "\(name) literal '\(text)' has no digits", at: span(start))
    }
    if let bad = digits.first(where: { $0.hexDigitValue.map { $0 >= radix } ?? true }) {
      throw LabScriptError(.lexical, "invalid digit '\(bad)' in \(name) literal '\(text)'", at: span(start))
    }
    // The magnitude may be 2^63 here: `-9223372036854775808` is a literal the parser negates.
    guard let magnitude = UInt64(digits, radix: radix), magnitude <= UInt64(Int.max) + 1 else {
      throw Lexer.tooLarge(text, span(start))
    }
    return Token(kind: .integer, text: text, span: span(start), integer: Int(truncatingIfNeeded: magnitude))
  }

  static func tooLarge(_ text: String, _ span: SourceSpan) -> LabScriptError {
    LabScriptError(
      .lexical, "integer literal '\(text)' is too large", at: span,
      hint: "integers are 64-bit signed: the largest is \(Int.max)")
  }

  /// A `'...'` string: no escapes, no interpolation.
  private mutating func singleQuoted() throws(LabScriptError) -> String {
    let start = position
    position += 1
    let contentStart = position
    while !atEnd && current != UInt8(ascii: "'") { position += 1 }
    if atEnd {
      throw LabScriptError(.incompleteInput, "unterminated string", at: span(start), hint: "close it with '")
    }
    let text = file.slice(contentStart, position)
    position += 1
    return text
  }

  /// A `"..."` string with escapes (`\n \t \\ \" \$ \0`) and `$name` / `${expression}`.
  private mutating func doubleQuoted() throws(LabScriptError) -> [StringPart] {
    let start = position
    position += 1
    var parts: [StringPart] = []
    var literal: [UInt8] = []
    func flush() {
      if !literal.isEmpty {
        parts.append(.literal(String(decoding: literal, as: UTF8.self)))
        literal.removeAll()
      }
    }
    while true {
      if atEnd {
        throw LabScriptError(
          .incompleteInput, "unterminated string", at: span(start), hint: "close it with \"")
      }
      let c = current
      if c == UInt8(ascii: "\"") {
        position += 1
        break
      }
      if c == UInt8(ascii: "\\") {
        let escapeStart = position
        position += 1
        if atEnd {
          throw LabScriptError(
            .incompleteInput, "unterminated string", at: span(start), hint: "close it with \"")
        }
        switch current {
        case UInt8(ascii: "n"): literal.append(0x0A)
        case UInt8(ascii: "t"): literal.append(0x09)
        case UInt8(ascii: "r"): literal.append(0x0D)
        case UInt8(ascii: "0"): literal.append(0x00)
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "$"), UInt8(ascii: "'"):
          literal.append(current)
        case UInt8(ascii: "\n"): break  // a backslash-newline joins the lines
        default:
          position += 1
          while !atEnd && (current & 0xC0) == 0x80 { position += 1 }
          throw LabScriptError(
            .lexical, "unknown escape sequence '\(file.slice(escapeStart, position))'", at: span(escapeStart),
            hint: "the escapes are \\n \\t \\r \\0 \\\\ \\\" \\' and \\$")
        }
        position += 1
        continue
      }
      if c == UInt8(ascii: "$") {
        if peek(1) == UInt8(ascii: "{") {
          flush()
          parts.append(.interpolation(try interpolation()))
          continue
        }
        if Lexer.isIdentifierStart(peek(1)) {
          flush()
          let nameStart = position
          position += 1
          while Lexer.isIdentifierByte(current) { position += 1 }
          parts.append(.variable(file.slice(nameStart + 1, position), span(nameStart)))
          continue
        }
      }
      literal.append(c)
      position += 1
    }
    flush()
    return parts
  }

  private func unterminatedInterpolation(_ start: Int) -> LabScriptError {
    LabScriptError(.incompleteInput, "unterminated '${'", at: span(start), hint: "close it with }")
  }

  private func unclosedParenthesis(_ start: Int) -> LabScriptError {
    LabScriptError(.incompleteInput, "unclosed '('", at: span(start), hint: "close it with )")
  }

  /// `${ ... }`: returns the span of the expression inside, skipping nested braces and strings.
  private mutating func interpolation() throws(LabScriptError) -> SourceSpan {
    let start = position
    position += 2
    let inner = position
    var depth = 0
    while true {
      if atEnd {
        throw unterminatedInterpolation(start)
      }
      let c = current
      if c == UInt8(ascii: "{") {
        depth += 1
      } else if c == UInt8(ascii: "}") {
        if depth == 0 { break }
        depth -= 1
      } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
        // A string that runs to the end of the input is the unclosed '${' showing: `"${n + 1"`.
        do throws(LabScriptError) {
          if c == UInt8(ascii: "\"") { _ = try doubleQuoted() } else { _ = try singleQuoted() }
        } catch  where error.kind == .incompleteInput {
          throw unterminatedInterpolation(start)
        }
        continue
      }
      position += 1
    }
    let result = SourceSpan(file: file, start: inner, end: position)
    position += 1
    if result.text.allSatisfy(\.isWhitespace) {
      throw LabScriptError(
        .syntax, "empty '${}'", at: span(start), hint: "put an expression inside, e.g. ${n + 1}")
    }
    return result
  }

  // MARK: Word mode

  /// Bytes that end a word (besides blanks): statement ends and braces.
  private static func endsWord(_ c: UInt8) -> Bool {
    c == 0 || c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r")
      || c == UInt8(ascii: "\n") || c == UInt8(ascii: ";") || c == UInt8(ascii: "{") || c == UInt8(ascii: "}")
  }

  mutating func nextWord() throws(LabScriptError) -> WordToken {
    skipBlanks()
    let start = position
    if atEnd || current == UInt8(ascii: "\n") || current == UInt8(ascii: ";") || current == UInt8(ascii: "}")
    {
      return .end  // not consumed: the parser reads the terminator in expression mode
    }
    if current == 0 {
      // A NUL byte in the text (the end also reads as 0, but returned above): it ends a word
      // without being part of one, so it must be reported here or no word would ever consume it.
      throw invalidCharacter(at: start)
    }
    if current == UInt8(ascii: "{") {
      throw LabScriptError(
        .syntax, "unexpected '{' in command arguments",
        at: SourceSpan(file: file, start: start, end: start + 1),
        hint: "quote it (\"{\") to pass a brace as text")
    }
    if current == UInt8(ascii: ">") {
      let append = peek(1) == UInt8(ascii: ">")
      position += append ? 2 : 1
      return .redirect(append: append, span(start))
    }
    var segments: [Word.Segment] = []
    var literal: [UInt8] = []
    func flush() {
      if !literal.isEmpty {
        segments.append(.literal(String(decoding: literal, as: UTF8.self)))
        literal.removeAll()
      }
    }
    while !Lexer.endsWord(current) && !atEnd {
      let c = current
      if c == UInt8(ascii: "\"") {
        flush()
        segments.append(.quoted(try doubleQuoted()))
      } else if c == UInt8(ascii: "'") {
        flush()
        segments.append(.quoted([.literal(try singleQuoted())]))
      } else if c == UInt8(ascii: "$") && peek(1) == UInt8(ascii: "{") {
        flush()
        segments.append(.interpolation(try interpolation()))
      } else if c == UInt8(ascii: "$") && Lexer.isIdentifierStart(peek(1)) {
        flush()
        let nameStart = position
        position += 1
        while Lexer.isIdentifierByte(current) { position += 1 }
        segments.append(.variable(file.slice(nameStart + 1, position), span(nameStart)))
      } else if c == UInt8(ascii: "(") && position == start {
        segments.append(.expression(try parenthesised()))
      } else if c == UInt8(ascii: "(") && literal.last == UInt8(ascii: "=") && segments.isEmpty {
        // key=(expression)
        flush()
        segments.append(.expression(try parenthesised()))
      } else if c == UInt8(ascii: "\\") && peek(1) != UInt8(ascii: "\n") && position + 1 < limit {
        // A backslash quotes the next character, as in a shell.
        position += 1
        literal.append(current)
        position += 1
      } else {
        literal.append(c)
        position += 1
      }
    }
    flush()
    return .word(Word(segments: segments, span: span(start)))
  }

  /// `( ... )` in word mode: the span inside the parentheses, skipping nested ones and strings.
  private mutating func parenthesised() throws(LabScriptError) -> SourceSpan {
    let start = position
    position += 1
    let inner = position
    var depth = 0
    while true {
      if atEnd {
        throw unclosedParenthesis(start)
      }
      let c = current
      if c == UInt8(ascii: "(") {
        depth += 1
      } else if c == UInt8(ascii: ")") {
        if depth == 0 { break }
        depth -= 1
      } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
        // As in `${`: a string that runs to the end of the input means the '(' is unclosed.
        do throws(LabScriptError) {
          if c == UInt8(ascii: "\"") { _ = try doubleQuoted() } else { _ = try singleQuoted() }
        } catch  where error.kind == .incompleteInput {
          throw unclosedParenthesis(start)
        }
        continue
      }
      position += 1
    }
    let result = SourceSpan(file: file, start: inner, end: position)
    position += 1
    return result
  }
}
