/// How a command's arguments are written, which the parser must know before it reads them.
public enum ArgumentSyntax: Sendable {
  /// Shell-like words: `device_add host-arm-cpu,core-id=1 id=cpu1`, `echo 1 > /sys/...`.
  case words
  /// Comma-separated expressions: `print weight(m), "CPUs"`.
  case expressions
}

/// LabScript's recursive-descent parser. It asks `commandSyntax` whether an identifier at the
/// start of a statement is a command, and how that command's arguments are written; it never
/// special-cases a command by name.
struct Parser {
  static let reservedWords: Set<String> = [
    "let", "set", "if", "else", "for", "in", "while", "def", "return", "break", "continue", "expect",
    "true", "false", "none", "and", "or", "not",
  ]
  /// How deeply expressions and blocks may nest before the parser refuses (a recursive-descent
  /// parser must not run out of stack on hostile input).
  static let maximumNesting = 100
  /// Loop keywords that a module may also register as commands (the Lab's gdb-like `break
  /// POINT` and `continue`): written bare inside a loop body they are the loop keyword,
  /// anywhere else they are the command.
  static let commandKeywords: Set<String> = ["break", "continue"]

  private var lexer: Lexer
  private var token: Token?
  private let commandSyntax: (String) -> ArgumentSyntax?
  /// Commands defined with `def` earlier in the text being parsed.
  private var definedHere: Set<String> = []
  private var nesting = 0
  /// How many `for`/`while` bodies enclose the statement being parsed (a `def` body starts
  /// afresh: a loop keyword there cannot leave the caller's loop).
  private var loopDepth = 0
  /// Open parentheses and brackets: newlines inside them are not statement ends.
  private var bracketDepth = 0
  private let file: SourceFile

  init(
    file: SourceFile, start: Int = 0, end: Int? = nil, commandSyntax: @escaping (String) -> ArgumentSyntax?
  ) {
    self.file = file
    lexer = Lexer(file: file, start: start, end: end)
    self.commandSyntax = commandSyntax
  }

  // MARK: Tokens

  private mutating func peek() throws(LabScriptError) -> Token {
    if let token { return token }
    var next = try lexer.next()
    while next.kind == .newline && bracketDepth > 0 { next = try lexer.next() }
    token = next
    return next
  }

  @discardableResult
  private mutating func advance() throws(LabScriptError) -> Token {
    let current = try peek()
    token = nil
    return current
  }

  private mutating func accept(symbol: String) throws(LabScriptError) -> Token? {
    if try peek().isSymbol(symbol) { return try advance() }
    return nil
  }

  private mutating func accept(keyword: String) throws(LabScriptError) -> Token? {
    if try peek().isIdentifier(keyword) { return try advance() }
    return nil
  }

  private mutating func acceptEither(keyword: String, symbol: String) throws(LabScriptError) -> Token? {
    if let t = try accept(keyword: keyword) { return t }
    return try accept(symbol: symbol)
  }

  private mutating func expect(symbol: String, _ context: String) throws(LabScriptError) -> Token {
    let next = try peek()
    if next.isSymbol(symbol) { return try advance() }
    throw unexpected(next, expected: "'\(symbol)' \(context)")
  }

  private func unexpected(_ token: Token, expected: String, hint: String? = nil) -> LabScriptError {
    if token.kind == .eof && (bracketDepth > 0 || nesting > 0 || expected.hasPrefix("'}'")) {
      return LabScriptError(
        .incompleteInput, "expected \(expected), found the end of the input", at: token.span, hint: hint)
    }
    return LabScriptError(
      .syntax, "expected \(expected), found \(token.described)", at: token.span, hint: hint)
  }

  private struct Mark {
    var lexer: Lexer
    var token: Token?
  }
  private func mark() -> Mark { Mark(lexer: lexer, token: token) }
  private mutating func reset(_ m: Mark) {
    lexer = m.lexer
    token = m.token
  }

  private mutating func nest(_ span: SourceSpan) throws(LabScriptError) {
    nesting += 1
    if nesting > Parser.maximumNesting {
      throw LabScriptError(
        .limit, "nesting is deeper than \(Parser.maximumNesting) levels", at: span,
        hint: "split the expression or block into smaller pieces")
    }
  }

  // MARK: Statements

  /// Parses a whole program.
  mutating func parseProgram() throws(LabScriptError) -> [Stmt] {
    try parseStatements(inBlock: false)
  }

  private mutating func parseStatements(inBlock: Bool) throws(LabScriptError) -> [Stmt] {
    var statements: [Stmt] = []
    while true {
      var next = try peek()
      while next.kind == .newline || next.kind == .semicolon {
        try advance()
        next = try peek()
      }
      if next.kind == .eof {
        if inBlock { throw unexpected(next, expected: "'}' to close the block") }
        return statements
      }
      if next.isSymbol("}") {
        if inBlock { return statements }
        throw LabScriptError(
          .syntax, "unexpected '}'", at: next.span, hint: "there is no open block to close")
      }
      let statement = try parseStatement()
      statements.append(statement)
      let after = try peek()
      if !after.endsStatement {
        var hint: String?
        if after.isSymbol("="), case .expression(let e) = statement.kind, case .variable(let name) = e.kind {
          hint = "to change a variable write `set \(name) = ...`; to define one, `let \(name) = ...`"
        }
        if after.isIdentifier("else") {
          hint = "write `} else {` on the line of the closing brace"
        }
        throw unexpected(after, expected: "the end of the statement", hint: hint)
      }
    }
  }

  private mutating func parseBlock(_ context: String) throws(LabScriptError) -> Block {
    let open = try expect(symbol: "{", context)
    try nest(open.span)
    defer { nesting -= 1 }
    let saved = bracketDepth
    bracketDepth = 0
    defer { bracketDepth = saved }
    let statements = try parseStatements(inBlock: true)
    let close = try expect(symbol: "}", "to close the block")
    return Block(statements: statements, span: open.span.through(close.span))
  }

  private mutating func parseLoopBody() throws(LabScriptError) -> Block {
    loopDepth += 1
    defer { loopDepth -= 1 }
    return try parseBlock("to start the loop body")
  }

  /// Whether `break`/`continue` at `keyword` is the loop keyword: inside a loop body and with
  /// nothing after it on the line.
  private mutating func isBareLoopKeyword(_ keyword: Token) throws(LabScriptError) -> Bool {
    guard loopDepth > 0 else { return false }
    let saved = (lexer, token)
    defer { (lexer, token) = saved }
    try advance()
    return try peek().endsStatement
  }

  private mutating func parseStatement() throws(LabScriptError) -> Stmt {
    let first = try peek()
    guard first.kind == .identifier else {
      let e = try parseExpression()
      return Stmt(kind: .expression(e), span: e.span)
    }
    switch first.text {
    case "let", "set":
      try advance()
      let (name, nameSpan) = try parseBindingName(after: first.text)
      _ = try expect(symbol: "=", "after the variable name")
      let value = try parseExpression()
      let kind: Stmt.Kind =
        first.text == "let"
        ? .letBinding(name: name, nameSpan: nameSpan, value: value)
        : .assignment(name: name, nameSpan: nameSpan, value: value)
      return Stmt(kind: kind, span: first.span.through(value.span))
    case "if":
      return try parseIf()
    case "for":
      try advance()
      let (name, nameSpan) = try parseBindingName(after: "for")
      guard try accept(keyword: "in") != nil else {
        throw unexpected(try peek(), expected: "'in' after the loop variable")
      }
      let sequence = try parseExpression()
      let body = try parseLoopBody()
      return Stmt(
        kind: .forLoop(variable: name, variableSpan: nameSpan, sequence: sequence, body: body),
        span: first.span.through(body.span))
    case "while":
      try advance()
      let condition = try parseExpression()
      let body = try parseLoopBody()
      return Stmt(kind: .whileLoop(condition: condition, body: body), span: first.span.through(body.span))
    case "def":
      return try parseDefinition()
    case "return":
      try advance()
      if try peek().endsStatement { return Stmt(kind: .returnValue(nil), span: first.span) }
      let value = try parseExpression()
      return Stmt(kind: .returnValue(value), span: first.span.through(value.span))
    case "break", "continue":
      if commandSyntax(first.text) != nil, try !isBareLoopKeyword(first) { break }
      try advance()
      return Stmt(kind: first.text == "break" ? .breakLoop : .continueLoop, span: first.span)
    case "expect":
      return try parseExpect()
    case "else":
      throw LabScriptError(
        .syntax, "'else' without 'if'", at: first.span,
        hint: "write `} else {` on the line of the closing brace")
    case "in":
      throw LabScriptError(.syntax, "'in' is only used in `for NAME in ...` and `x in list`", at: first.span)
    default:
      break
    }
    // NAME( with no space is a function call, even for a command name (which then says so).
    if lexer.position == first.span.end && lexer.peekByte == UInt8(ascii: "(") {
      let e = try parseExpression()
      return Stmt(kind: .expression(e), span: e.span)
    }
    if let syntax = commandSyntax(first.text) ?? (definedHere.contains(first.text) ? .words : nil) {
      try advance()
      return try parseCommand(name: first.text, nameSpan: first.span, syntax: syntax)
    }
    if Parser.reservedWords.contains(first.text) {
      let e = try parseExpression()
      return Stmt(kind: .expression(e), span: e.span)
    }
    // Not a known command: an expression if what follows continues one, otherwise a call of an
    // unknown command, reported (with suggestions) when it runs.
    let saved = mark()
    try advance()
    let following: Token?
    do { following = try peek() } catch { following = nil }
    reset(saved)
    if let following,
      following.endsStatement
        || following.kind == .symbol && Parser.expressionFollowers.contains(following.text)
    {
      let e = try parseExpression()
      return Stmt(kind: .expression(e), span: e.span)
    }
    try advance()
    return try parseCommand(name: first.text, nameSpan: first.span, syntax: .words)
  }

  /// Symbols that continue an expression after a leading identifier.
  private static let expressionFollowers: Set<String> = [
    "(", "[", ".", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&", "|", "^", "..", "<<",
    ">>",
    "&&", "||",
  ]

  private mutating func parseBindingName(after keyword: String) throws(LabScriptError) -> (String, SourceSpan)
  {
    let name = try peek()
    guard name.kind == .identifier else {
      throw unexpected(name, expected: "a variable name after '\(keyword)'")
    }
    if Parser.reservedWords.contains(name.text) {
      throw LabScriptError(
        .syntax, "'\(name.text)' is a reserved word and cannot name a variable", at: name.span)
    }
    try advance()
    return (name.text, name.span)
  }

  private mutating func parseIf() throws(LabScriptError) -> Stmt {
    let start = try advance()
    var branches: [(condition: Expr, body: Block)] = []
    var elseBody: Block?
    var end = start.span
    let condition = try parseExpression()
    let body = try parseBlock("to start the 'if' body")
    branches.append((condition, body))
    end = body.span
    while true {
      // `else` may follow on the same line as `}` or on a later line.
      let saved = mark()
      var next = try peek()
      while next.kind == .newline {
        try advance()
        next = try peek()
      }
      guard next.isIdentifier("else") else {
        reset(saved)
        break
      }
      try advance()
      if try accept(keyword: "if") != nil {
        let c = try parseExpression()
        let b = try parseBlock("to start the 'else if' body")
        branches.append((c, b))
        end = b.span
        continue
      }
      let b = try parseBlock("after 'else'")
      elseBody = b
      end = b.span
      break
    }
    return Stmt(kind: .ifChain(branches: branches, elseBody: elseBody), span: start.span.through(end))
  }

  private mutating func parseDefinition() throws(LabScriptError) -> Stmt {
    let start = try advance()
    let name = try peek()
    guard name.kind == .identifier else { throw unexpected(name, expected: "a command name after 'def'") }
    if Parser.reservedWords.contains(name.text) {
      throw LabScriptError(
        .syntax, "'\(name.text)' is a reserved word and cannot name a command", at: name.span)
    }
    try advance()
    _ = try expect(
      symbol: "(", "after the command name (write `def \(name.text)() { ... }` for no parameters)")
    bracketDepth += 1
    var parameters: [String] = []
    if try accept(symbol: ")") == nil {
      while true {
        let p = try peek()
        guard p.kind == .identifier, !Parser.reservedWords.contains(p.text) else {
          bracketDepth -= 1
          throw unexpected(p, expected: "a parameter name")
        }
        if parameters.contains(p.text) {
          throw LabScriptError(.syntax, "parameter '\(p.text)' is listed twice", at: p.span)
        }
        parameters.append(p.text)
        try advance()
        if try accept(symbol: ",") != nil { continue }
        if try accept(symbol: ")") != nil { break }
        let bad = try peek()
        bracketDepth -= 1
        throw unexpected(bad, expected: "',' or ')' in the parameter list")
      }
    }
    bracketDepth -= 1
    definedHere.insert(name.text)
    let outerLoops = loopDepth
    loopDepth = 0
    defer { loopDepth = outerLoops }
    let body = try parseBlock("to start the body of '\(name.text)'")
    let command = UserCommand(
      name: name.text, parameters: parameters, body: body, span: start.span.through(body.span))
    return Stmt(kind: .definition(command), span: command.span)
  }

  private mutating func parseExpect() throws(LabScriptError) -> Stmt {
    let start = try advance()
    if try peek().isIdentifier("error") {
      let saved = mark()
      try advance()
      let next = try peek()
      if next.isSymbol("{") || next.kind == .string {
        var pattern: Expr?
        if next.kind == .string { pattern = try parsePrimary() }
        let body = try parseBlock("to start the block that should fail")
        return Stmt(kind: .expectError(pattern: pattern, body: body), span: start.span.through(body.span))
      }
      if !next.endsStatement && !(next.kind == .symbol && Parser.expressionFollowers.contains(next.text)) {
        throw unexpected(
          next, expected: "a message string or '{' after 'expect error'",
          hint: "e.g. `expect error \"-EINVAL\" { ... }`")
      }
      reset(saved)
    }
    if try peek().endsStatement {
      throw unexpected(
        try peek(), expected: "a condition after 'expect'", hint: "e.g. `expect weight(m) == 4`")
    }
    let condition = try parseExpression()
    return Stmt(kind: .expect(condition), span: start.span.through(condition.span))
  }

  private mutating func parseCommand(name: String, nameSpan: SourceSpan, syntax: ArgumentSyntax)
    throws(LabScriptError)
    -> Stmt
  {
    var call = CommandCall(name: name, nameSpan: nameSpan, arguments: [], redirect: nil)
    var end = nameSpan
    switch syntax {
    case .expressions:
      if !(try peek().endsStatement) {
        while true {
          let e = try parseExpression()
          call.arguments.append(.expression(e))
          end = e.span
          if try accept(symbol: ",") == nil { break }
        }
      }
    case .words:
      token = nil  // word mode reads straight from the lexer, right after the name
      loop: while true {
        switch try lexer.nextWord() {
        case .end:
          break loop
        case .word(let word):
          call.arguments.append(Parser.keyed(word))
          end = word.span
        case .redirect(let append, let span):
          guard case .word(let target) = try lexer.nextWord() else {
            throw LabScriptError(
              .syntax, "expected a file after '\(append ? ">>" : ">")'", at: span,
              hint: "e.g. `echo 1 > /sys/devices/system/cpu/cpu1/online`")
          }
          call.redirect = (append, target, span.through(target.span))
          end = target.span
          if case .word(let extra) = try lexer.nextWord() {
            throw LabScriptError(
              .syntax, "unexpected '\(extra.span.text)' after the redirection", at: extra.span,
              hint: "the redirection must come last")
          }
          break loop
        }
      }
    }
    return Stmt(kind: .command(call), span: nameSpan.through(end))
  }

  /// Splits `key=value` words; the key must look like an option name (`core-id`, `NR_CPUS`).
  private static func keyed(_ word: Word) -> CommandCall.Argument {
    guard case .literal(let text) = word.segments.first, let equals = text.firstIndex(of: "=") else {
      return .word(word, key: nil, keySpan: nil)
    }
    let key = String(text[..<equals])
    guard let head = key.unicodeScalars.first, head == "_" || (head.isASCII && head.properties.isAlphabetic),
      key.unicodeScalars.allSatisfy({
        $0.isASCII
          && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0))
      })
    else { return .word(word, key: nil, keySpan: nil) }
    let keyLength = key.utf8.count
    let valueStart = word.span.start + keyLength + 1
    var segments = Array(word.segments.dropFirst())
    let rest = String(text[text.index(after: equals)...])
    if !rest.isEmpty { segments.insert(.literal(rest), at: 0) }
    let value = Word(
      segments: segments, span: SourceSpan(file: word.span.file, start: valueStart, end: word.span.end))
    return .word(
      value, key: key, keySpan: SourceSpan(file: word.span.file, start: word.span.start, end: valueStart - 1))
  }

  // MARK: Expressions

  mutating func parseExpression() throws(LabScriptError) -> Expr {
    let start = try peek()
    try nest(start.span)
    defer { nesting -= 1 }
    return try parseOr()
  }

  /// Parses an expression that must fill the whole range the parser was given (`${...}`).
  mutating func parseWholeExpression() throws(LabScriptError) -> Expr {
    let e = try parseExpression()
    let next = try peek()
    if next.kind != .eof {
      throw LabScriptError(.syntax, "unexpected \(next.described) in the embedded expression", at: next.span)
    }
    return e
  }

  private mutating func parseOr() throws(LabScriptError) -> Expr {
    var left = try parseAnd()
    while try acceptEither(keyword: "or", symbol: "||") != nil {
      let right = try parseAnd()
      left = Expr(kind: .binary("or", left, right), span: left.span.through(right.span))
    }
    return left
  }

  private mutating func parseAnd() throws(LabScriptError) -> Expr {
    var left = try parseNot()
    while try acceptEither(keyword: "and", symbol: "&&") != nil {
      let right = try parseNot()
      left = Expr(kind: .binary("and", left, right), span: left.span.through(right.span))
    }
    return left
  }

  private mutating func parseNot() throws(LabScriptError) -> Expr {
    if let op = try acceptEither(keyword: "not", symbol: "!") {
      try nest(op.span)
      defer { nesting -= 1 }
      let operand = try parseNot()
      return Expr(kind: .unary("not", operand), span: op.span.through(operand.span))
    }
    return try parseComparison()
  }

  private static let comparisons: Set<String> = ["==", "!=", "<", "<=", ">", ">="]

  private mutating func parseComparison() throws(LabScriptError) -> Expr {
    let left = try parseRange()
    let next = try peek()
    let op: String
    if next.kind == .symbol && Parser.comparisons.contains(next.text) {
      op = next.text
    } else if next.isIdentifier("in") {
      op = "in"
    } else {
      return left
    }
    try advance()
    let right = try parseRange()
    let after = try peek()
    if after.kind == .symbol && Parser.comparisons.contains(after.text) || after.isIdentifier("in") {
      throw LabScriptError(
        .syntax, "comparisons cannot be chained", at: after.span,
        hint: "combine them with 'and': a < b and b < c")
    }
    return Expr(kind: .binary(op, left, right), span: left.span.through(right.span))
  }

  private mutating func parseRange() throws(LabScriptError) -> Expr {
    let left = try parseBinary(level: 0)
    guard try accept(symbol: "..") != nil else { return left }
    let right = try parseBinary(level: 0)
    return Expr(kind: .range(left, right), span: left.span.through(right.span))
  }

  /// Left-associative binary levels, loosest first: | ^ & (<< >>) (+ -) (* / %).
  private static let binaryLevels: [[String]] = [
    ["|"], ["^"], ["&"], ["<<", ">>"], ["+", "-"], ["*", "/", "%"],
  ]

  private mutating func parseBinary(level: Int) throws(LabScriptError) -> Expr {
    if level == Parser.binaryLevels.count { return try parseUnary() }
    var left = try parseBinary(level: level + 1)
    while true {
      let next = try peek()
      guard next.kind == .symbol, Parser.binaryLevels[level].contains(next.text) else { return left }
      try advance()
      if try peek().kind == .eof && bracketDepth == 0 {
        throw LabScriptError(.syntax, "expected an expression after '\(next.text)'", at: next.span)
      }
      let right = try parseBinary(level: level + 1)
      left = Expr(kind: .binary(next.text, left, right), span: left.span.through(right.span))
    }
  }

  private mutating func parseUnary() throws(LabScriptError) -> Expr {
    let next = try peek()
    if next.isSymbol("-") || next.isSymbol("~") {
      try advance()
      // -LITERAL is one number, so that the most negative integer can be written.
      if next.text == "-", try peek().kind == .integer {
        let literal = try advance()
        let value = literal.integer == Int.min ? Int.min : -literal.integer
        return try parsePostfix(Expr(kind: .integer(value), span: next.span.through(literal.span)))
      }
      try nest(next.span)
      defer { nesting -= 1 }
      let operand = try parseUnary()
      return Expr(kind: .unary(next.text, operand), span: next.span.through(operand.span))
    }
    return try parsePostfix(try parsePrimary())
  }

  private mutating func parsePostfix(_ primary: Expr) throws(LabScriptError) -> Expr {
    var e = primary
    while let open = try accept(symbol: "[") {
      bracketDepth += 1
      let index = try parseExpression()
      let close = try peek()
      guard close.isSymbol("]") else {
        bracketDepth -= 1
        throw unexpected(close, expected: "']' to close the index")
      }
      bracketDepth -= 1
      try advance()
      e = Expr(kind: .index(e, index), span: e.span.through(close.span))
      _ = open
    }
    return e
  }

  private mutating func parsePrimary() throws(LabScriptError) -> Expr {
    let t = try peek()
    switch t.kind {
    case .integer:
      try advance()
      // 2^63 is only valid negated (handled in parseUnary).
      if t.integer == Int.min { throw Lexer.tooLarge(t.text, t.span) }
      return Expr(kind: .integer(t.integer), span: t.span)
    case .string:
      try advance()
      return Expr(kind: .string(try interpolate(t.parts)), span: t.span)
    case .identifier:
      switch t.text {
      case "true", "false":
        try advance()
        return Expr(kind: .boolean(t.text == "true"), span: t.span)
      case "none":
        try advance()
        return Expr(kind: .none, span: t.span)
      default:
        if Parser.reservedWords.contains(t.text) {
          throw LabScriptError(.syntax, "expected an expression, found the keyword '\(t.text)'", at: t.span)
        }
      }
      try advance()
      if try peek().isSymbol("(") {
        let arguments = try parseCallArguments()
        return Expr(
          kind: .call(name: t.text, nameSpan: t.span, arguments: arguments.list),
          span: t.span.through(arguments.close))
      }
      return Expr(kind: .variable(t.text), span: t.span)
    case .symbol where t.text == "(":
      try advance()
      bracketDepth += 1
      let inner = try parseExpression()
      let close = try peek()
      guard close.isSymbol(")") else {
        bracketDepth -= 1
        throw unexpected(close, expected: "')'")
      }
      bracketDepth -= 1
      try advance()
      return Expr(kind: inner.kind, span: t.span.through(close.span))
    case .symbol where t.text == "[":
      try advance()
      bracketDepth += 1
      var elements: [Expr] = []
      while true {
        if try peek().isSymbol("]") { break }
        elements.append(try parseExpression())
        if try accept(symbol: ",") == nil { break }
      }
      let close = try peek()
      guard close.isSymbol("]") else {
        bracketDepth -= 1
        throw unexpected(close, expected: "',' or ']' in the list")
      }
      bracketDepth -= 1
      try advance()
      return Expr(kind: .list(elements), span: t.span.through(close.span))
    default:
      throw unexpected(t, expected: "an expression")
    }
  }

  private mutating func parseCallArguments() throws(LabScriptError) -> (list: [Expr], close: SourceSpan) {
    try advance()  // (
    bracketDepth += 1
    var list: [Expr] = []
    while true {
      if try peek().isSymbol(")") { break }
      list.append(try parseExpression())
      if try accept(symbol: ",") == nil { break }
    }
    let close = try peek()
    guard close.isSymbol(")") else {
      bracketDepth -= 1
      throw unexpected(close, expected: "',' or ')' in the argument list")
    }
    bracketDepth -= 1
    try advance()
    return (list, close.span)
  }

  /// Parses the `${...}` and `$name` parts of a string literal.
  private func interpolate(_ parts: [StringPart]) throws(LabScriptError) -> [InterpolatedPart] {
    var result: [InterpolatedPart] = []
    for part in parts {
      switch part {
      case .literal(let s): result.append(.literal(s))
      case .variable(let name, let span):
        result.append(.expression(Expr(kind: .variable(name), span: span)))
      case .interpolation(let span):
        result.append(.expression(try embedded(span)))
      }
    }
    return result
  }

  /// Parses the expression inside `${...}` or a word's `(...)`.
  func embedded(_ span: SourceSpan) throws(LabScriptError) -> Expr {
    var inner = Parser(file: span.file, start: span.start, end: span.end, commandSyntax: commandSyntax)
    inner.nesting = nesting
    inner.bracketDepth = 1
    if try inner.peek().kind == .eof {
      throw LabScriptError(.syntax, "expected an expression inside the parentheses", at: span)
    }
    do {
      return try inner.parseWholeExpression()
    } catch let error where error.kind == .incompleteInput {
      // The embedded text is complete by construction; a missing piece is a plain syntax error.
      var plain = error
      plain.kind = .syntax
      throw plain
    }
  }
}
