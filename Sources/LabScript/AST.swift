/// LabScript's syntax tree. Every node carries the span of source text it came from, so errors
/// and `expect` failures point at the exact place.

/// An expression.
struct Expr {
  indirect enum Kind {
    case integer(Int)
    case string([InterpolatedPart])
    case boolean(Bool)
    case none
    case variable(String)
    case list([Expr])
    case unary(String, Expr)
    case binary(String, Expr, Expr)
    case call(name: String, nameSpan: SourceSpan, arguments: [Expr])
    case index(Expr, Expr)
    case range(Expr, Expr)
  }

  var kind: Kind
  var span: SourceSpan
}

/// A part of an interpolated string, already parsed.
enum InterpolatedPart {
  case literal(String)
  case expression(Expr)
}

/// A statement.
struct Stmt {
  enum Kind {
    case letBinding(name: String, nameSpan: SourceSpan, value: Expr)
    case assignment(name: String, nameSpan: SourceSpan, value: Expr)
    case ifChain(branches: [(condition: Expr, body: Block)], elseBody: Block?)
    case forLoop(variable: String, variableSpan: SourceSpan, sequence: Expr, body: Block)
    case whileLoop(condition: Expr, body: Block)
    case definition(UserCommand)
    case returnValue(Expr?)
    case breakLoop
    case continueLoop
    case expect(Expr)
    case expectError(pattern: Expr?, body: Block)
    case command(CommandCall)
    case expression(Expr)
  }

  var kind: Kind
  var span: SourceSpan
}

/// `{ ... }`
struct Block {
  var statements: [Stmt]
  var span: SourceSpan
}

/// A command statement: a name, its arguments and an optional redirection.
struct CommandCall {
  /// An argument as written.
  enum Argument {
    /// A word; `key` is set when it looked like `key=value` (the value is then `word`).
    case word(Word, key: String?, keySpan: SourceSpan?)
    /// An expression (commands whose arguments are expressions, like `print`).
    case expression(Expr)

    var span: SourceSpan {
      switch self {
      case .word(let word, _, let keySpan): keySpan.map { $0.through(word.span) } ?? word.span
      case .expression(let e): e.span
      }
    }
  }

  var name: String
  var nameSpan: SourceSpan
  var arguments: [Argument]
  /// `> PATH` or `>> PATH`
  var redirect: (append: Bool, target: Word, span: SourceSpan)?
}

/// `def name(a, b) { ... }`: callable as a command (`name 1 2`) and as a function (`name(1, 2)`).
public struct UserCommand {
  public let name: String
  public let parameters: [String]
  let body: Block
  let span: SourceSpan
}
