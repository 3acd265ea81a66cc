import CPUMask

extension Session {
  /// The most elements a range used as a value may have (a `for` over a range is lazy).
  static let maximumRangeLength = 1_000_000

  func evaluate(_ e: Expr) throws -> Value {
    switch e.kind {
    case .integer(let i): return .int(i)
    case .boolean(let b): return .bool(b)
    case .none: return .none
    case .string(let parts):
      var s = ""
      for part in parts {
        switch part {
        case .literal(let text): s += text
        case .expression(let inner): s += try evaluate(inner).display
        }
      }
      return .string(s)
    case .variable(let name):
      return try variable(name, at: e.span)
    case .list(let elements):
      return .list(try elements.map { try evaluate($0) })
    case .unary(let op, let operand):
      return try unary(op, try evaluate(operand), span: e.span)
    case .binary("and", let l, let r):
      guard try boolOperand(l, "and") else { return .bool(false) }
      return .bool(try boolOperand(r, "and"))
    case .binary("or", let l, let r):
      if try boolOperand(l, "or") { return .bool(true) }
      return .bool(try boolOperand(r, "or"))
    case .binary(let op, let l, let r):
      return try binary(
        op, try evaluate(l), try evaluate(r), span: e.span, leftSpan: l.span, rightSpan: r.span)
    case .call(let name, let nameSpan, let arguments):
      return try call(name, nameSpan: nameSpan, arguments: arguments, span: e.span)
    case .index(let base, let index):
      return try subscripted(
        try evaluate(base), try evaluate(index), baseSpan: base.span, indexSpan: index.span)
    case .range(let low, let high):
      let (a, b) = try rangeBounds(low, high)
      if a > b { return .list([]) }
      let (count, overflow) = b.subtractingReportingOverflow(a)
      if overflow || count >= Session.maximumRangeLength {
        throw LabScriptError(
          .limit, "the range \(a)..\(b) has more than \(Session.maximumRangeLength) elements", at: e.span,
          hint: "loop over it directly with `for i in \(a)..\(b)`")
      }
      return .list((a...b).map { .int($0) })
    }
  }

  func rangeBounds(_ low: Expr, _ high: Expr) throws -> (Int, Int) {
    let a = try evaluate(low)
    let b = try evaluate(high)
    guard case .int(let x) = a else {
      throw LabScriptError(.type, "a range's bounds must be ints, not \(a.typeName)", at: low.span)
    }
    guard case .int(let y) = b else {
      throw LabScriptError(.type, "a range's bounds must be ints, not \(b.typeName)", at: high.span)
    }
    return (x, y)
  }

  private func boolOperand(_ e: Expr, _ op: String) throws -> Bool {
    let v = try evaluate(e)
    guard case .bool(let b) = v else {
      throw LabScriptError(.type, "'\(op)' needs bool operands, not \(v.typeName)", at: e.span)
    }
    return b
  }

  func variable(_ name: String, at span: SourceSpan) throws -> Value {
    if let v = frames.last?[name] ?? globals[name] { return v }
    if registry.functions[name] != nil || userCommands[name] != nil {
      throw LabScriptError(
        .name, "'\(name)' is a function: call it with parentheses", at: span, hint: "\(name)(...)")
    }
    if registry.commands[name] != nil {
      throw LabScriptError(
        .name, "'\(name)' is a command, not a variable", at: span, hint: "`help \(name)` shows how to use it")
    }
    throw LabScriptError(
      .name, "unknown variable '\(name)'", at: span,
      hint: Registry.didYouMean(name, among: visibleVariableNames) ?? "define it with `let \(name) = ...`")
  }

  // MARK: Operators

  private func unary(_ op: String, _ v: Value, span: SourceSpan) throws -> Value {
    switch (op, v) {
    case ("-", .int(let i)):
      guard i != Int.min else { throw LabScriptError(.runtime, "integer overflow in -(\(i))", at: span) }
      return .int(-i)
    case ("~", .int(let i)): return .int(~i)
    case ("~", .mask(let m)): return .mask(m.complement())
    case ("not", .bool(let b)): return .bool(!b)
    default:
      throw LabScriptError(.type, "cannot apply '\(op)' to \(v.typeName)", at: span)
    }
  }

  func binary(
    _ op: String, _ l: Value, _ r: Value, span: SourceSpan, leftSpan: SourceSpan, rightSpan: SourceSpan
  )
    throws -> Value
  {
    func typeError(_ hint: String? = nil) -> LabScriptError {
      LabScriptError(.type, "cannot apply '\(op)' to \(l.typeName) and \(r.typeName)", at: span, hint: hint)
    }
    func overflow() -> LabScriptError {
      LabScriptError(.runtime, "integer overflow in \(l.display) \(op) \(r.display)", at: span)
    }
    func masks(_ a: CPUMask, _ b: CPUMask) throws {
      if a.nrCPUs != b.nrCPUs {
        throw LabScriptError(
          .type, "masks of \(a.nrCPUs) and \(b.nrCPUs) CPUs cannot be combined", at: span,
          hint: "make both with the same NR_CPUS (or the same nbits argument)")
      }
    }
    switch op {
    case "==", "!=":
      let equal = try valuesEqual(l, r, span: span)
      return .bool(op == "==" ? equal : !equal)
    case "<", "<=", ">", ">=":
      let order: Int
      switch (l, r) {
      case (.int(let a), .int(let b)): order = a < b ? -1 : a == b ? 0 : 1
      case (.string(let a), .string(let b)): order = a < b ? -1 : a == b ? 0 : 1
      default: throw typeError()
      }
      switch op {
      case "<": return .bool(order < 0)
      case "<=": return .bool(order <= 0)
      case ">": return .bool(order > 0)
      default: return .bool(order >= 0)
      }
    case "in":
      switch (l, r) {
      case (.int(let cpu), .mask(let m)): return .bool(m.isValid(cpu: cpu) && m.test(cpu))
      case (_, .list(let items)): return .bool(try items.contains { try valuesEqual(l, $0, span: span) })
      case (.string(let needle), .string(let haystack)): return .bool(haystack.contains(needle))
      default: throw typeError("`x in y` tests a CPU in a mask, an element in a list, or text in a string")
      }
    case "+":
      switch (l, r) {
      case (.int(let a), .int(let b)):
        let (v, o) = a.addingReportingOverflow(b)
        if o { throw overflow() }
        return .int(v)
      case (.string(let a), .string(let b)): return .string(a + b)
      case (.list(let a), .list(let b)): return .list(a + b)
      case (.mask, .mask): throw typeError("the union of two masks is a | b")
      case (.string, _), (_, .string): throw typeError("convert with str(), or write \"${a}${b}\"")
      default: throw typeError()
      }
    case "-":
      switch (l, r) {
      case (.int(let a), .int(let b)):
        let (v, o) = a.subtractingReportingOverflow(b)
        if o { throw overflow() }
        return .int(v)
      case (.mask(let a), .mask(let b)):
        try masks(a, b)
        return .mask(a.andNot(b))
      default: throw typeError()
      }
    case "*":
      guard case .int(let a) = l, case .int(let b) = r else { throw typeError() }
      let (v, o) = a.multipliedReportingOverflow(by: b)
      if o { throw overflow() }
      return .int(v)
    case "/", "%":
      guard case .int(let a) = l, case .int(let b) = r else { throw typeError() }
      if b == 0 {
        throw LabScriptError(.runtime, op == "/" ? "division by zero" : "remainder by zero", at: rightSpan)
      }
      let (v, o) = op == "/" ? a.dividedReportingOverflow(by: b) : a.remainderReportingOverflow(dividingBy: b)
      if o { throw overflow() }
      return .int(v)
    case "&", "|", "^":
      switch (l, r) {
      case (.int(let a), .int(let b)):
        return .int(op == "&" ? a & b : op == "|" ? a | b : a ^ b)
      case (.mask(let a), .mask(let b)):
        try masks(a, b)
        return .mask(op == "&" ? a.and(b) : op == "|" ? a.or(b) : a.xor(b))
      case (.bool, .bool):
        throw typeError("for bools use 'and', 'or' and '!='")
      default: throw typeError()
      }
    case "<<", ">>":
      guard case .int(let a) = l, case .int(let b) = r else { throw typeError() }
      guard (0...63).contains(b) else {
        throw LabScriptError(.runtime, "shift amount \(b) is outside 0...63", at: rightSpan)
      }
      return .int(op == "<<" ? a &<< b : a >> b)
    default:
      throw LabScriptError(.syntax, "unknown operator '\(op)'", at: span)
    }
  }

  /// `==`: same-typed values compare by value; a mask equals a string that parses (as a CPU list
  /// of the mask's width) to the same CPUs, so `expect m == "0-3"` reads naturally; `none` equals
  /// only `none`. Other mixes are type errors, because they are almost always mistakes.
  func valuesEqual(_ l: Value, _ r: Value, span: SourceSpan) throws -> Bool {
    switch (l, r) {
    case (.none, .none): return true
    case (.none, _), (_, .none): return false
    case (.mask(let m), .string(let s)), (.string(let s), .mask(let m)):
      guard let parsed = try? CPUMask(cpulist: s, nrCPUs: m.nrCPUs) else { return false }
      return parsed == m
    case (.mask(let a), .mask(let b)):
      return a.nrCPUs == b.nrCPUs ? a == b : a.listString == b.listString
    case (.list(let a), .list(let b)):
      guard a.count == b.count else { return false }
      for (x, y) in zip(a, b) where !(try valuesEqual(x, y, span: span)) { return false }
      return true
    default:
      if l.typeName == r.typeName { return l == r }
      throw LabScriptError(
        .type, "cannot compare \(l.typeName) with \(r.typeName)", at: span,
        hint: "convert one side first, e.g. int(\"3\") or str(3)")
    }
  }

  private func subscripted(_ base: Value, _ index: Value, baseSpan: SourceSpan, indexSpan: SourceSpan) throws
    -> Value
  {
    guard case .int(let i) = index else {
      throw LabScriptError(.type, "an index must be an int, not \(index.typeName)", at: indexSpan)
    }
    switch base {
    case .list(let items):
      let position = i < 0 ? items.count + i : i
      guard items.indices.contains(position) else {
        throw LabScriptError(
          .runtime, "index \(i) is out of range for a list of \(items.count)", at: indexSpan)
      }
      return items[position]
    case .string(let s):
      let chars = Array(s)
      let position = i < 0 ? chars.count + i : i
      guard chars.indices.contains(position) else {
        throw LabScriptError(
          .runtime, "index \(i) is out of range for a string of \(chars.count)", at: indexSpan)
      }
      return .string(String(chars[position]))
    default:
      throw LabScriptError(
        .type, "cannot index \(base.typeName)", at: baseSpan,
        hint: base.typeName == "mask" ? "test a CPU with `n in m`" : nil)
    }
  }

  // MARK: Calls

  private func call(_ name: String, nameSpan: SourceSpan, arguments: [Expr], span: SourceSpan) throws -> Value
  {
    if let spec = registry.functions[name] {
      var values: [Value] = []
      for argument in arguments { values.append(try evaluate(argument)) }
      let call = try checkedCall(spec, values: values, spans: arguments.map(\.span), span: span)
      do {
        return try spec.handler(call)
      } catch var error as LabScriptError {
        if error.span == nil { error.span = span }
        throw error
      } catch {
        throw LabScriptError(.runtime, "\(name): \(error)", at: span)
      }
    }
    if let user = userCommands[name] {
      var values: [Value] = []
      for argument in arguments { values.append(try evaluate(argument)) }
      return try callUser(user, positional: values, named: [:], span: span)
    }
    if registry.commands[name] != nil {
      throw LabScriptError(
        .name, "'\(name)' is a command, not a function", at: nameSpan,
        hint: "commands are statements: write `\(name) ...` on its own line")
    }
    let candidates = Array(registry.functions.keys) + Array(userCommands.keys)
    throw LabScriptError(
      .name, "unknown function '\(name)'", at: nameSpan,
      hint: Registry.didYouMean(name, among: candidates) ?? "`help functions` lists the functions")
  }

  /// Checks arity and argument types against the function's parameters, converting strings to
  /// masks where a mask is expected.
  private func checkedCall(_ spec: FunctionSpec, values: [Value], spans: [SourceSpan], span: SourceSpan)
    throws
    -> FunctionCall
  {
    let required = spec.parameters.filter { !$0.optional }.count
    if values.count < required || values.count > spec.parameters.count {
      let expected =
        required == spec.parameters.count
        ? countText(required) : "\(required) to \(spec.parameters.count) arguments"
      throw LabScriptError(
        .argument, "\(spec.name)() takes \(expected), got \(values.count)", at: span,
        hint: "usage: \(spec.signature)")
    }
    var converted = values
    for (index, value) in values.enumerated() {
      let parameter = spec.parameters[index]
      converted[index] = try coerce(
        value, to: parameter.kind, span: spans[index],
        what: "argument \(index + 1) (\(parameter.name)) of \(spec.name)()")
    }
    return FunctionCall(
      session: self, name: spec.name, span: span, arguments: converted, argumentSpans: spans)
  }

  /// Converts a value to what a parameter or argument expects, or explains why it cannot.
  func coerce(_ value: Value, to kind: ValueKind, span: SourceSpan, what: String) throws -> Value {
    switch (kind, value) {
    case (.any, _), (.int, .int), (.bool, .bool), (.mask, .mask), (.list, .list), (.string, .string),
      (.path, .string):
      return value
    case (.mask, .string(let text)):
      do throws(BitmapParseError) {
        return .mask(try CPUMask(cpulist: text, nrCPUs: nrCPUs))
      } catch {
        throw LabScriptError(
          .argument, "\(what) is not a valid CPU list: \(error.errno.symbol): \(error.reason)",
          at: SourceSpan(file: span.file, start: span.start, end: span.end))
      }
    case (.choice(let words), .string(let text)):
      if words.contains(text) { return value }
      throw LabScriptError(
        .argument, "\(what) must be one of \(words.joined(separator: ", ")), not '\(text)'", at: span,
        hint: Registry.didYouMean(text, among: words))
    default:
      let wanted =
        kind == .path || kind == .string ? "string" : kind == .choice([]) ? "string" : kind.placeholder
      let name: String
      switch kind {
      case .int: name = "int"
      case .bool: name = "bool"
      case .mask: name = "mask"
      case .list: name = "list"
      default: name = wanted
      }
      throw LabScriptError(.type, "\(what) must be \(article(name)) \(name), not \(value.typeName)", at: span)
    }
  }
}

private func article(_ word: String) -> String {
  guard let first = word.first else { return "a" }
  return "aeiou".contains(first) ? "an" : "a"
}
