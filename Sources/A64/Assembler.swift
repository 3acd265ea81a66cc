// Assembler for the A64 subset in GNU as / LLVM syntax, encoding through the shared table.
//
// Two passes: the first lays out sections and defines labels, the second encodes. Supported
// directives: .text .data .section .global/.globl .word .quad/.xword/.dword .hword/.short .byte
// .ascii .asciz/.string .align/.p2align .balign .equ/.set (and `name = expr`) .skip/.space/.zero
// .inst, and .type/.size/.arch/.cpu/.file are accepted and ignored.

/// An assembly error with its source position.
public struct AssemblyError: Error, Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int
  public var message: String

  public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// The output of the assembler: a flat image (text, then data) at `base`.
public struct AssembledProgram: Sendable, Equatable {
  public var base: UInt64
  public var bytes: [UInt8]
  /// Label and `.equ` values.
  public var symbols: [String: UInt64]
  /// `_start` if defined, else `base`.
  public var entry: UInt64
  /// Source line of each instruction address (for traces).
  public var lineOfAddress: [UInt64: Int]
}

public enum Assembler {
  /// Assembles `source`; the image starts at `base`.
  public static func assemble(_ source: String, base: UInt64 = 0x4008_0000, fileName: String = "<input>")
    throws(AssemblyError) -> AssembledProgram
  {
    var a = AssemblerRun(source: source, base: base, file: fileName)
    return try a.run()
  }

  /// Encodes a single instruction line at `address` (no labels except absolute expressions).
  public static func encode(_ line: String, address: UInt64 = 0) throws(AssemblyError) -> UInt32 {
    let p = try assemble(line, base: address)
    guard p.bytes.count == 4 else {
      throw AssemblyError(file: "<input>", line: 1, column: 1, message: "expected exactly one instruction")
    }
    return UInt32(p.bytes[0]) | UInt32(p.bytes[1]) << 8 | UInt32(p.bytes[2]) << 16 | UInt32(p.bytes[3]) << 24
  }
}

private enum Section: Int {
  case text = 0
  case data = 1
}

private struct Statement {
  var line: Int
  var labels: [(String, Int)]  // name, column
  var op: String?  // mnemonic or directive, lowercased
  var opColumn: Int
  var operandText: String
  var operandColumn: Int
}

private struct AssemblerRun {
  let source: String
  let base: UInt64
  let file: String
  var statements: [Statement] = []
  var symbols: [String: (Section, UInt64)] = [:]  // labels: section offsets
  var equates: [String: (expr: String, line: Int, column: Int)] = [:]
  var numericLabels: [String: [(statement: Int, section: Section, offset: UInt64)]] = [:]
  var sectionBase: [UInt64] = [0, 0]
  var output: [[UInt8]] = [[], []]
  var lineOfAddress: [UInt64: Int] = [:]
  // Current position while walking statements.
  var section = Section.text
  var offsets: [UInt64] = [0, 0]
  var current = 0
  var pass = 1
  var resolving: Set<String> = []

  init(source: String, base: UInt64, file: String) {
    self.source = source
    self.base = base
    self.file = file
  }

  func error(_ line: Int, _ column: Int, _ message: String) -> AssemblyError {
    AssemblyError(file: file, line: line, column: column, message: message)
  }

  // MARK: Lexing

  mutating func split() throws(AssemblyError) {
    var inBlockComment = false
    var lineNo = 0
    for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNo += 1
      // Strip comments, keeping columns, and split at ';'.
      var chars = Array(rawLine)
      if chars.last == "\r" { chars.removeLast() }
      var cleaned: [Character] = []
      var i = 0
      var inString = false
      while i < chars.count {
        let c = chars[i]
        if inBlockComment {
          if c == "*" && i + 1 < chars.count && chars[i + 1] == "/" {
            inBlockComment = false
            cleaned.append(" ")
            cleaned.append(" ")
            i += 2
          } else {
            cleaned.append(" ")
            i += 1
          }
          continue
        }
        if inString {
          cleaned.append(c)
          if c == "\\" && i + 1 < chars.count {
            cleaned.append(chars[i + 1])
            i += 2
            continue
          }
          if c == "\"" { inString = false }
          i += 1
          continue
        }
        if c == "\"" {
          inString = true
          cleaned.append(c)
          i += 1
          continue
        }
        if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" { break }
        if c == "/" && i + 1 < chars.count && chars[i + 1] == "*" {
          inBlockComment = true
          cleaned.append(" ")
          cleaned.append(" ")
          i += 2
          continue
        }
        cleaned.append(c)
        i += 1
      }
      // A line whose first non-blank character is '#' is a comment (as in GNU as).
      if let first = cleaned.first(where: { $0 != " " && $0 != "\t" }), first == "#" { continue }
      var start = 0
      var pieces: [(Int, ArraySlice<Character>)] = []
      var quoted = false
      for (k, c) in cleaned.enumerated() {
        if c == "\"" { quoted.toggle() }
        if c == ";" && !quoted {
          pieces.append((start, cleaned[start..<k]))
          start = k + 1
        }
      }
      pieces.append((start, cleaned[start..<cleaned.count]))
      for (offset, piece) in pieces {
        if let s = try parseStatement(Array(piece), line: lineNo, columnOffset: offset) {
          statements.append(s)
        }
      }
    }
    if inBlockComment { throw error(lineNo, 1, "unterminated /* comment") }
  }

  func parseStatement(_ chars: [Character], line: Int, columnOffset: Int) throws(AssemblyError) -> Statement?
  {
    var i = 0
    func skipSpace() { while i < chars.count && (chars[i] == " " || chars[i] == "\t") { i += 1 } }
    func isIdent(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." || c == "$" }
    var labels: [(String, Int)] = []
    while true {
      skipSpace()
      let start = i
      var j = i
      while j < chars.count && isIdent(chars[j]) { j += 1 }
      if j > start && j < chars.count && chars[j] == ":" {
        labels.append((String(chars[start..<j]), columnOffset + start + 1))
        i = j + 1
        continue
      }
      break
    }
    skipSpace()
    if i >= chars.count {
      return labels.isEmpty
        ? nil : Statement(line: line, labels: labels, op: nil, opColumn: 0, operandText: "", operandColumn: 0)
    }
    let opStart = i
    while i < chars.count && chars[i] != " " && chars[i] != "\t" { i += 1 }
    var op = String(chars[opStart..<i])
    var rest = String(chars[i...])
    var restColumn = columnOffset + i + 1
    // `name = expr` defines a symbol.
    let trimmed = rest.trimmingSpaces()
    if trimmed.hasPrefix("=") && !op.hasPrefix(".") {
      let eq = rest.firstIndex(of: "=")!
      let after = rest[rest.index(after: eq)...]
      restColumn += rest.distance(from: rest.startIndex, to: eq) + 1
      rest = op + "," + after
      op = ".set"
      restColumn -= op.count
    }
    return Statement(
      line: line, labels: labels, op: op.lowercased(), opColumn: columnOffset + opStart + 1,
      operandText: rest, operandColumn: restColumn)
  }

  /// Splits operand text at top-level commas, keeping columns.
  func operandTokens(_ text: String, column: Int) -> [OperandToken] {
    var tokens: [OperandToken] = []
    var depth = 0
    var quoted = false
    var startIndex = 0
    let chars = Array(text)
    func flush(_ end: Int) {
      let slice = chars[startIndex..<end]
      let lead = slice.prefix(while: { $0 == " " || $0 == "\t" }).count
      let t = String(slice).trimmingSpaces()
      if !t.isEmpty || end < chars.count {
        tokens.append(OperandToken(text: t, column: column + startIndex + lead))
      }
    }
    for (k, c) in chars.enumerated() {
      if c == "\"" { quoted.toggle() }
      if quoted { continue }
      if c == "[" || c == "(" { depth += 1 }
      if c == "]" || c == ")" { depth -= 1 }
      if c == "," && depth == 0 {
        flush(k)
        startIndex = k + 1
      }
    }
    flush(chars.count)
    return tokens.filter { !$0.text.isEmpty || tokens.count > 1 }
  }

  // MARK: Passes

  mutating func run() throws(AssemblyError) -> AssembledProgram {
    try split()
    pass = 1
    try walk()
    let textSize = offsets[0]
    sectionBase = [base, base + ((textSize + 15) & ~15)]
    pass = 2
    output = [[], []]
    try walk()
    var bytes = output[0]
    if !output[1].isEmpty {
      bytes += [UInt8](repeating: 0, count: Int(sectionBase[1] - base) - bytes.count)
      bytes += output[1]
    }
    var table: [String: UInt64] = [:]
    for (k, v) in symbols { table[k] = sectionBase[v.0.rawValue] + v.1 }
    for (k, v) in equates {
      if let value = try? evaluate(v.expr, line: v.line, column: v.column) {
        table[k] = UInt64(bitPattern: value)
      }
    }
    return AssembledProgram(
      base: base, bytes: bytes, symbols: table, entry: table["_start"] ?? base, lineOfAddress: lineOfAddress)
  }

  var address: UInt64 { sectionBase[section.rawValue] + offsets[section.rawValue] }

  mutating func emit(_ bytes: [UInt8]) {
    if pass == 2 { output[section.rawValue] += bytes }
    offsets[section.rawValue] += UInt64(bytes.count)
  }

  mutating func emit(_ value: UInt64, size: Int) {
    var b: [UInt8] = []
    for k in 0..<size { b.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * k))) }
    emit(b)
  }

  mutating func align(_ n: UInt64, line: Int, column: Int) throws(AssemblyError) {
    guard n > 0, n & (n - 1) == 0, n <= 65536 else {
      throw error(line, column, "alignment must be a power of two up to 65536")
    }
    let off = offsets[section.rawValue]
    let pad = (n - off % n) % n
    emit([UInt8](repeating: 0, count: Int(pad)))
  }

  mutating func walk() throws(AssemblyError) {
    section = .text
    offsets = [0, 0]
    for (index, st) in statements.enumerated() {
      current = index
      for (label, column) in st.labels {
        if label.allSatisfy(\.isNumber) {
          if pass == 1 {
            numericLabels[label, default: []].append((index, section, offsets[section.rawValue]))
          }
        } else if pass == 1 {
          if symbols[label] != nil || equates[label] != nil {
            throw error(st.line, column, "symbol '\(label)' is already defined")
          }
          symbols[label] = (section, offsets[section.rawValue])
        }
      }
      guard let op = st.op else { continue }
      if op.hasPrefix(".") {
        try directive(op, st)
      } else {
        try instruction(op, st)
      }
    }
  }

  mutating func directive(_ op: String, _ st: Statement) throws(AssemblyError) {
    let tokens = operandTokens(st.operandText, column: st.operandColumn)
    func values(_ size: Int) throws(AssemblyError) {
      for t in tokens {
        if pass == 2 {
          let v = try evaluate(t.text, line: st.line, column: t.column)
          let limit: Int64 = size == 8 ? 0 : 1 << Int64(size * 8)
          if size < 8 && (v >= limit || v < -(limit / 2)) {
            throw error(st.line, t.column, "value \(v) does not fit in \(size) byte\(size == 1 ? "" : "s")")
          }
          emit(UInt64(bitPattern: v), size: size)
        } else {
          emit(0, size: size)
        }
      }
    }
    func one() throws(AssemblyError) -> Int64 {
      guard let t = tokens.first else { throw error(st.line, st.opColumn, "\(op) needs an argument") }
      return try evaluate(t.text, line: st.line, column: t.column)
    }
    switch op {
    case ".text": section = .text
    case ".data", ".bss", ".rodata": section = .data
    case ".section":
      let name = tokens.first?.text ?? ""
      section = name.hasPrefix(".text") ? .text : .data
    case ".global", ".globl", ".type", ".size", ".arch", ".arch_extension", ".cpu", ".file", ".ident",
      ".local",
      ".weak", ".hidden", ".p2alignw", ".loc", ".cfi_startproc", ".cfi_endproc":
      break
    case ".word", ".long", ".4byte", ".int": try values(4)
    case ".quad", ".xword", ".dword", ".8byte": try values(8)
    case ".hword", ".short", ".2byte", ".half": try values(2)
    case ".byte": try values(1)
    case ".inst":
      try align(4, line: st.line, column: st.opColumn)
      if pass == 2 { lineOfAddress[address] = st.line }
      try values(4)
    case ".ascii", ".asciz", ".string":
      for t in tokens {
        var bytes = try parseString(t, line: st.line)
        if op != ".ascii" { bytes.append(0) }
        emit(bytes)
      }
    case ".align", ".p2align":
      let n = try one()
      guard n >= 0, n <= 16 else {
        throw error(st.line, tokens[0].column, "alignment exponent must be 0...16")
      }
      try align(1 << UInt64(n), line: st.line, column: st.opColumn)
    case ".balign":
      try align(UInt64(bitPattern: try one()), line: st.line, column: tokens.first?.column ?? st.opColumn)
    case ".skip", ".space", ".zero":
      let n = try one()
      guard n >= 0, n <= 1 << 26 else { throw error(st.line, tokens[0].column, "size must be 0...64 MiB") }
      var fill: UInt8 = 0
      if tokens.count > 1 {
        fill = UInt8(
          truncatingIfNeeded: try evaluate(tokens[1].text, line: st.line, column: tokens[1].column))
      }
      emit([UInt8](repeating: fill, count: Int(n)))
    case ".equ", ".set":
      guard tokens.count == 2, isSymbolName(tokens[0].text) else {
        throw error(st.line, st.opColumn, "\(op) needs a symbol name and a value")
      }
      if pass == 1 {
        let name = tokens[0].text
        if symbols[name] != nil {
          throw error(st.line, tokens[0].column, "symbol '\(name)' is already defined")
        }
        equates[name] = (tokens[1].text, st.line, tokens[1].column)
      }
    default:
      throw error(st.line, st.opColumn, "unknown directive '\(op)'")
    }
  }

  func isSymbolName(_ s: String) -> Bool {
    guard let f = s.first, f.isLetter || f == "_" || f == "." else { return false }
    return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "$" }
  }

  func parseString(_ t: OperandToken, line: Int) throws(AssemblyError) -> [UInt8] {
    let chars = Array(t.text)
    guard chars.count >= 2, chars.first == "\"", chars.last == "\"" else {
      throw error(line, t.column, "expected a quoted string")
    }
    var out: [UInt8] = []
    var i = 1
    while i < chars.count - 1 {
      let c = chars[i]
      if c == "\\" {
        i += 1
        guard i < chars.count - 1 else { throw error(line, t.column + i, "bad escape") }
        switch chars[i] {
        case "n": out.append(10)
        case "t": out.append(9)
        case "r": out.append(13)
        case "0": out.append(0)
        case "\\": out.append(92)
        case "\"": out.append(34)
        case "'": out.append(39)
        default: throw error(line, t.column + i, "unknown escape '\\\(chars[i])'")
        }
      } else {
        out += Array(String(c).utf8)
      }
      i += 1
    }
    return out
  }

  mutating func instruction(_ mnemonic: String, _ st: Statement) throws(AssemblyError) {
    try align(4, line: st.line, column: st.opColumn)
    guard pass == 2 else {
      emit(0, size: 4)
      return
    }
    let tokens = operandTokens(st.operandText, column: st.operandColumn)
    let addr = address
    lineOfAddress[addr] = st.line
    let word = try encode(mnemonic, tokens, st, address: addr)
    emit(UInt64(word), size: 4)
  }

  static let unscaledFallback: [String: String] = [
    "ldr": "ldur", "str": "stur", "ldrb": "ldurb", "strb": "sturb", "ldrh": "ldurh", "strh": "sturh",
    "ldrsb": "ldursb", "ldrsh": "ldursh", "ldrsw": "ldursw", "prfm": "prfum",
  ]

  func encode(_ mnemonic: String, _ tokens: [OperandToken], _ st: Statement, address: UInt64)
    throws(AssemblyError)
    -> UInt32
  {
    var key = mnemonic
    var cond: UInt32? = nil
    if mnemonic.hasPrefix("b.") {
      guard let c = parseCondition(String(mnemonic.dropFirst(2))) else {
        throw error(st.line, st.opColumn, "unknown condition in '\(mnemonic)'")
      }
      key = "b."
      cond = c
    }
    var candidates = EncodingTable.byMnemonic[key] ?? []
    guard !candidates.isEmpty else { throw error(st.line, st.opColumn, "unknown instruction '\(mnemonic)'") }
    if let alt = AssemblerRun.unscaledFallback[key] { candidates += EncodingTable.byMnemonic[alt] ?? [] }
    var best: OperandError? = nil
    var bestProgress = -1
    let evaluator: (String, Int) throws(OperandError) -> Int64 = { text, column throws(OperandError) in
      do throws(AssemblyError) {
        return try self.evaluate(text, line: st.line, column: column)
      } catch {
        throw OperandError(message: error.message, column: error.column)
      }
    }
    for index in candidates {
      let form = EncodingTable.forms[index]
      var state = EncodeState(word: form.bits, address: address, tokens: tokens, evaluate: evaluator)
      state.endColumn = st.opColumn + mnemonic.count
      if let cond { state.set(cond, at: 0, bits: 4) }
      do throws(OperandError) {
        for op in form.operands {
          if op.isOptional && state.index >= tokens.count { continue }
          try op.encode(&state)
        }
        if state.index < tokens.count {
          throw OperandError(
            message: "unexpected operand '\(tokens[state.index].text)'", column: tokens[state.index].column)
        }
        if form.operation == .bitfield || form.operation == .extr {
          state.set(state.word >> 31, at: 22, bits: 1)
        }
        let decoded = Decoder.decode(state.word)
        // ADD/SUB #-n flip the op bit on purpose, so only the operation must survive there.
        let flipped = form.operation == .addSubImm && (state.word ^ form.bits) & form.mask == 1 << 30
        guard let f = decoded.form, f.operation == form.operation, flipped || form.matches(state.word) else {
          throw OperandError(
            message: "operands do not form a valid '\(mnemonic)' encoding", column: st.opColumn)
        }
        return state.word
      } catch {
        // Prefer the candidate that got furthest through the operands.
        let progress = state.index * 2 + (error.column > 0 ? 1 : 0)
        if progress > bestProgress {
          best = error
          bestProgress = progress
        }
      }
    }
    let e = best ?? OperandError(message: "invalid operands for '\(mnemonic)'", column: st.opColumn)
    throw error(st.line, e.column, e.message)
  }

  // MARK: Expressions

  /// Evaluates an expression: numbers, symbols, `.`, numeric label references (1b, 1f),
  /// `:lo12:sym`, unary - ~ +, and * / % << >> & | ^ + - with C precedence.
  func evaluate(_ text: String, line: Int, column: Int) throws(AssemblyError) -> Int64 {
    var p = ExpressionParser(chars: Array(text), line: line, column: column, run: self)
    let v = try p.parseLo12()
    p.skipSpace()
    if p.i < p.chars.count {
      throw error(line, column + p.i, "unexpected '\(String(p.chars[p.i...]))' in expression")
    }
    return v
  }

  func symbolValue(_ name: String, line: Int, column: Int) throws(AssemblyError) -> Int64 {
    if name == "." { return Int64(bitPattern: address) }
    if let (num, dir) = numericReference(name) {
      let defs = numericLabels[num] ?? []
      let found =
        dir == "b"
        ? defs.last(where: { $0.statement <= current })
        : defs.first(where: { $0.statement > current })
      guard let d = found else {
        throw error(line, column, "no \(dir == "b" ? "previous" : "following") label \(num):")
      }
      if pass == 1 && d.statement > current { return Int64(bitPattern: address) }
      return Int64(bitPattern: sectionBase[d.section.rawValue] + d.offset)
    }
    if let (sec, off) = symbols[name] {
      if pass == 1 { return Int64(bitPattern: off) }
      return Int64(bitPattern: sectionBase[sec.rawValue] + off)
    }
    if let eq = equates[name] {
      guard !resolving.contains(name) else {
        throw error(line, column, "symbol '\(name)' is defined in terms of itself")
      }
      var copy = self
      copy.resolving.insert(name)
      return try copy.evaluate(eq.expr, line: eq.line, column: eq.column)
    }
    if pass == 1 { return 0 }
    throw error(line, column, "undefined symbol '\(name)'")
  }

  func numericReference(_ name: String) -> (String, Character)? {
    guard let last = name.last, last == "b" || last == "f" else { return nil }
    let digits = name.dropLast()
    guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
    return (String(digits), last)
  }
}

private struct ExpressionParser {
  var chars: [Character]
  var line: Int
  var column: Int
  var run: AssemblerRun
  var i = 0

  func fail(_ message: String) -> AssemblyError {
    AssemblyError(file: run.file, line: line, column: column + i, message: message)
  }

  mutating func skipSpace() { while i < chars.count && (chars[i] == " " || chars[i] == "\t") { i += 1 } }

  mutating func parseLo12() throws(AssemblyError) -> Int64 {
    skipSpace()
    let text = String(chars[i...]).lowercased()
    if text.hasPrefix(":lo12:") {
      i += 6
      return try parseBinary(0) & 0xFFF
    }
    if text.hasPrefix(":") { throw fail("unsupported relocation specifier (only :lo12: is supported)") }
    return try parseBinary(0)
  }

  static let precedence: [String: Int] = [
    "|": 1, "^": 2, "&": 3, "<<": 4, ">>": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
  ]

  mutating func peekOperator() -> String? {
    skipSpace()
    guard i < chars.count else { return nil }
    if i + 1 < chars.count {
      let two = String(chars[i...i + 1])
      if two == "<<" || two == ">>" { return two }
    }
    let one = String(chars[i])
    return ExpressionParser.precedence[one] != nil ? one : nil
  }

  mutating func parseBinary(_ minPrec: Int) throws(AssemblyError) -> Int64 {
    var lhs = try parseUnary()
    while let op = peekOperator(), let prec = ExpressionParser.precedence[op], prec > minPrec {
      i += op.count
      let rhs = try parseBinary(prec)
      switch op {
      case "|": lhs |= rhs
      case "^": lhs ^= rhs
      case "&": lhs &= rhs
      case "<<": lhs = rhs >= 64 || rhs < 0 ? 0 : lhs << rhs
      case ">>": lhs = rhs >= 64 || rhs < 0 ? (lhs < 0 ? -1 : 0) : lhs >> rhs
      case "+": lhs = lhs &+ rhs
      case "-": lhs = lhs &- rhs
      case "*": lhs = lhs &* rhs
      case "/", "%":
        guard rhs != 0 else { throw fail("division by zero") }
        if lhs == Int64.min && rhs == -1 {
          lhs = op == "/" ? Int64.min : 0
        } else {
          lhs = op == "/" ? lhs / rhs : lhs % rhs
        }
      default: break
      }
    }
    return lhs
  }

  mutating func parseUnary() throws(AssemblyError) -> Int64 {
    skipSpace()
    guard i < chars.count else { throw fail("expected an expression") }
    let c = chars[i]
    if c == "-" {
      i += 1
      return 0 &- (try parseUnary())
    }
    if c == "+" {
      i += 1
      return try parseUnary()
    }
    if c == "~" {
      i += 1
      return ~(try parseUnary())
    }
    if c == "#" {
      i += 1
      return try parseUnary()
    }
    if c == "(" {
      i += 1
      let v = try parseBinary(0)
      skipSpace()
      guard i < chars.count, chars[i] == ")" else { throw fail("expected ')'") }
      i += 1
      return v
    }
    if c == "'" {
      guard i + 2 < chars.count, chars[i + 2] == "'", let a = chars[i + 1].asciiValue else {
        throw fail("bad character literal")
      }
      i += 3
      return Int64(a)
    }
    let start = i
    while i < chars.count
      && (chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "." || chars[i] == "$")
    {
      i += 1
    }
    guard i > start else { throw fail("unexpected '\(c)' in expression") }
    let token = String(chars[start..<i])
    if let first = token.first, first.isNumber {
      if run.numericReference(token) != nil {
        return try run.symbolValue(token, line: line, column: column + start)
      }
      if let v = parseNumber(token) { return v }
      i = start
      throw fail("bad number '\(token)'")
    }
    return try run.symbolValue(token, line: line, column: column + start)
  }

  func parseNumber(_ t: String) -> Int64? {
    let s = t.lowercased()
    var digits: Substring
    var radix = 10
    if s.hasPrefix("0x") {
      digits = s.dropFirst(2)
      radix = 16
    } else if s.hasPrefix("0b") {
      digits = s.dropFirst(2)
      radix = 2
    } else if s.count > 1 && s.hasPrefix("0") {
      digits = s.dropFirst()
      radix = 8
    } else {
      digits = Substring(s)
    }
    guard !digits.isEmpty, let v = UInt64(digits, radix: radix) else { return nil }
    return Int64(bitPattern: v)
  }
}
