/// A token of expression mode: what follows `let x =`, `if`, `print` and friends.
struct Token {
  enum Kind: Equatable {
    case identifier
    case integer
    case string
    /// Punctuation and operators, with their text in `text`.
    case symbol
    case newline
    case semicolon
    case eof
  }

  var kind: Kind
  var text: String
  var span: SourceSpan
  var integer: Int = 0
  var parts: [StringPart] = []

  func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
  func isIdentifier(_ s: String) -> Bool { kind == .identifier && text == s }

  /// Whether this token ends a statement.
  var endsStatement: Bool {
    kind == .newline || kind == .semicolon || kind == .eof || isSymbol("}")
  }

  /// How the token reads in an error message.
  var described: String {
    switch kind {
    case .identifier: "'\(text)'"
    case .integer: "number \(text)"
    case .string: "a string"
    case .symbol: "'\(text)'"
    case .newline: "the end of the line"
    case .semicolon: "';'"
    case .eof: "the end of the input"
    }
  }
}

/// A piece of a double-quoted string: literal text, `$name`, or `${expression}`.
enum StringPart {
  case literal(String)
  case variable(String, SourceSpan)
  /// The UTF-8 range of the expression between `${` and `}`.
  case interpolation(SourceSpan)
}

/// A shell-like word in a command's arguments, made of adjacent segments: `core-id=$i`,
/// `"a b"c`, `(n + 1)`.
struct Word {
  enum Segment {
    case literal(String)
    case quoted([StringPart])
    case variable(String, SourceSpan)
    case interpolation(SourceSpan)
    /// A parenthesised expression: the UTF-8 range between the parentheses.
    case expression(SourceSpan)
  }

  var segments: [Segment]
  var span: SourceSpan

  /// The literal text of the word if it has no quotes, variables or expressions.
  var plainText: String? {
    var text = ""
    for segment in segments {
      guard case .literal(let s) = segment else { return nil }
      text += s
    }
    return text
  }
}

/// What the lexer finds in word mode.
enum WordToken {
  case word(Word)
  /// `>` or `>>` followed by a target word.
  case redirect(append: Bool, SourceSpan)
  /// A newline, `;`, `}` or the end of the input, left unconsumed.
  case end
}
