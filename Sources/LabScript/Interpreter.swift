import CPUMask

/// How a statement finished.
enum Flow {
  case normal
  case breakLoop(SourceSpan)
  case continueLoop(SourceSpan)
  case returned(Value, SourceSpan)
}

extension Session {
  /// Runs a parsed program at the top level.
  func execute(program: [Stmt], file: SourceFile) throws(LabScriptError) {
    let previousFile = currentFile
    currentFile = file
    defer { currentFile = previousFile }
    let flow: Flow
    do { flow = try execute(program) } catch let error as LabScriptError { throw error } catch {
      throw LabScriptError(.runtime, "\(error)")
    }
    switch flow {
    case .normal: break
    case .breakLoop(let span): throw LabScriptError(.syntax, "'break' outside a loop", at: span)
    case .continueLoop(let span): throw LabScriptError(.syntax, "'continue' outside a loop", at: span)
    case .returned(_, let span):
      throw LabScriptError(
        .syntax, "'return' outside a command definition", at: span, hint: "use `exit` to stop a script")
    }
  }

  func execute(_ statements: [Stmt]) throws -> Flow {
    for statement in statements {
      if exitStatus != nil { return .normal }
      let flow = try execute(statement)
      if case .normal = flow { continue }
      return flow
    }
    return .normal
  }

  func checkInterrupt(_ span: SourceSpan) throws {
    if let interruptCheck, interruptCheck() {
      throw LabScriptError(.interrupted, "interrupted", at: span)
    }
  }

  private func execute(_ statement: Stmt) throws -> Flow {
    switch statement.kind {
    case .letBinding(let name, _, let value):
      let v = try evaluate(value)
      if frames.isEmpty { globals[name] = v } else { frames[frames.count - 1][name] = v }
    case .assignment(let name, let nameSpan, let value):
      let v = try evaluate(value)
      if !frames.isEmpty && frames[frames.count - 1][name] != nil {
        frames[frames.count - 1][name] = v
      } else if globals[name] != nil {
        globals[name] = v
      } else {
        throw LabScriptError(
          .name, "unknown variable '\(name)'", at: nameSpan,
          hint: Registry.didYouMean(name, among: visibleVariableNames)
            ?? "define it first with `let \(name) = ...`")
      }
    case .ifChain(let branches, let elseBody):
      for branch in branches where try condition(branch.condition, "'if'") {
        return try execute(branch.body.statements)
      }
      if let elseBody { return try execute(elseBody.statements) }
    case .forLoop(let variable, _, let sequence, let body):
      return try runFor(variable: variable, sequence: sequence, body: body, span: statement.span)
    case .whileLoop(let cond, let body):
      let outermost = beginWork("the loop", statement.span)
      defer { endWork(outermost) }
      var iterations = 0
      while try condition(cond, "'while'") {
        try countIteration(&iterations, statement.span)
        let flow = try execute(body.statements)
        switch flow {
        case .breakLoop: return .normal
        case .returned: return flow
        case .normal, .continueLoop: continue
        }
      }
    case .definition(let command):
      try define(command)
    case .returnValue(let value):
      return .returned(try value.map { try evaluate($0) } ?? .none, statement.span)
    case .breakLoop:
      return .breakLoop(statement.span)
    case .continueLoop:
      return .continueLoop(statement.span)
    case .expect(let cond):
      try runExpect(cond)
    case .expectError(let pattern, let body):
      return try runExpectError(pattern: pattern, body: body, span: statement.span)
    case .command(let call):
      try runCommand(call, span: statement.span)
    case .expression(let e):
      let v = try evaluate(e)
      if v != .none { write(v.display + "\n") }
    }
    return .normal
  }

  var visibleVariableNames: [String] {
    Array(globals.keys) + (frames.last.map { Array($0.keys) } ?? [])
  }

  private func condition(_ e: Expr, _ context: String) throws -> Bool {
    let v = try evaluate(e)
    guard case .bool(let b) = v else {
      throw LabScriptError(
        .type, "the condition of \(context) must be a bool, not \(v.typeName)", at: e.span,
        hint: v.typeName == "int" ? "compare explicitly, e.g. `x != 0`" : nil)
    }
    return b
  }

  private func countIteration(_ iterations: inout Int, _ span: SourceSpan) throws {
    iterations += 1
    let limit = setting(Builtins.loopLimitSetting)
    if iterations > limit {
      throw LabScriptError(
        .limit, "the loop did not finish after \(limit) iterations", at: span,
        hint: "an endless loop? `config loop_limit=N` raises the limit")
    }
    try countWork(span)
  }

  // MARK: Work limits

  /// The outermost loop or user-command call running now: where the work inside it started.
  /// Each loop has `loop_limit` iterations of its own, but loops nest and commands recurse, so
  /// the outermost one also stops when the iterations and calls it runs, all levels together,
  /// pass the limit; otherwise `for` inside `for`, or a command calling itself twice, would be
  /// bounded only by loop_limit to the power of the depth.
  struct WorkStart {
    var work: Int
    var what: String
    var span: SourceSpan
  }

  /// Starts counting for a loop or call if it is the outermost; returns whether it is.
  func beginWork(_ what: String, _ span: SourceSpan) -> Bool {
    guard outermostWork == nil else { return false }
    outermostWork = WorkStart(work: workDone, what: what, span: span)
    return true
  }

  func endWork(_ outermost: Bool) {
    if outermost { outermostWork = nil }
  }

  /// One loop iteration or call: counted against the outermost loop or call, and a chance for
  /// Ctrl-C to stop the run.
  func countWork(_ span: SourceSpan) throws {
    workDone += 1
    let limit = setting(Builtins.loopLimitSetting)
    if let outer = outermostWork, workDone - outer.work > limit {
      throw LabScriptError(
        .limit, "\(outer.what) did not finish within \(limit) loop iterations and calls", at: outer.span,
        hint: "loops inside loops, or a command that calls itself? `config loop_limit=N` raises the limit")
    }
    try checkInterrupt(span)
  }

  private func runFor(variable: String, sequence: Expr, body: Block, span: SourceSpan) throws -> Flow {
    let outermost = beginWork("the loop", span)
    defer { endWork(outermost) }
    var iterations = 0
    func bind(_ v: Value) {
      if frames.isEmpty { globals[variable] = v } else { frames[frames.count - 1][variable] = v }
    }
    // Iterate a range lazily: `for i in 0..1000000000` must not build a list first.
    if case .range(let low, let high) = sequence.kind {
      let (a, b) = try rangeBounds(low, high)
      if a > b { return .normal }
      var i = a
      while true {
        try countIteration(&iterations, span)
        bind(.int(i))
        let flow = try execute(body.statements)
        if case .breakLoop = flow { return .normal }
        if case .returned = flow { return flow }
        if i == b { break }
        i += 1
      }
      return .normal
    }
    let values: [Value]
    switch try evaluate(sequence) {
    case .list(let l): values = l
    case .mask(let m): values = m.map { .int($0) }
    case let other:
      throw LabScriptError(
        .type, "cannot loop over \(other.typeName)", at: sequence.span,
        hint: "loop over a range (0..3), a list or a mask")
    }
    for v in values {
      try countIteration(&iterations, span)
      bind(v)
      let flow = try execute(body.statements)
      if case .breakLoop = flow { return .normal }
      if case .returned = flow { return flow }
    }
    return .normal
  }

  private func define(_ command: UserCommand) throws {
    if registry.commands[command.name] != nil {
      throw LabScriptError(.name, "cannot redefine the built-in command '\(command.name)'", at: command.span)
    }
    if registry.functions[command.name] != nil {
      throw LabScriptError(.name, "cannot redefine the built-in function '\(command.name)'", at: command.span)
    }
    userCommands[command.name] = command
  }

  // MARK: expect

  private static let comparisonOperators: Set<String> = ["==", "!=", "<", "<=", ">", ">=", "in"]

  private func runExpect(_ e: Expr) throws {
    if case .binary(let op, let l, let r) = e.kind, Session.comparisonOperators.contains(op) {
      let left = try evaluate(l)
      let right = try evaluate(r)
      let result = try binary(op, left, right, span: e.span, leftSpan: l.span, rightSpan: r.span)
      guard case .bool(let holds) = result else { return }
      if !holds {
        throw LabScriptError(
          .expectation, "expectation failed: \(e.span.text)", at: e.span,
          notes: ["  left:  \(left.literal)", "  right: \(right.literal)"])
      }
      return
    }
    let v = try evaluate(e)
    guard case .bool(let holds) = v else {
      throw LabScriptError(
        .type, "expect needs a bool, not \(v.typeName)", at: e.span, hint: "e.g. `expect weight(m) == 4`")
    }
    if !holds {
      throw LabScriptError(.expectation, "expectation failed: \(e.span.text)", at: e.span)
    }
  }

  private func runExpectError(pattern: Expr?, body: Block, span: SourceSpan) throws -> Flow {
    var wanted: String?
    if let pattern {
      // The parser takes only a string literal here (plain or interpolated), so this is its text.
      wanted = try evaluate(pattern).display
    }
    let savedFrames = frames.count
    let flow: Flow
    do {
      flow = try execute(body.statements)
    } catch let error as LabScriptError where error.kind != .interrupted {
      frames.removeLast(frames.count - savedFrames)
      if let wanted, !error.message.contains(wanted) {
        throw LabScriptError(
          .expectation, "the block failed with a different error", at: span,
          notes: [
            "  expected: an error containing \(Value.string(wanted).literal)", "  actual:   \(error.message)",
          ])
      }
      return .normal
    }
    if case .normal = flow {
      throw LabScriptError(
        .expectation, "expected an error, but the block succeeded", at: span,
        hint: wanted.map { "the block should fail with an error containing \(Value.string($0).literal)" })
    }
    return flow
  }

  // MARK: Commands

  private func runCommand(_ call: CommandCall, span: SourceSpan) throws {
    if let spec = registry.commands[call.name] {
      var invocation = try bind(call, to: spec, span: span)
      guard let handler = invocation.handler else { return }
      if let redirect = invocation.invocation.redirect {
        captures.append("")
        let captured: String
        do {
          _ = try runHandler(handler, &invocation.invocation)
          captured = captures.removeLast()
        } catch {
          captures.removeLast()
          throw error
        }
        do {
          if redirect.append {
            let old = (try? files.read(redirect.path)) ?? ""
            try files.write(redirect.path, old + captured)
          } else {
            try files.write(redirect.path, captured)
          }
        } catch {
          throw LabScriptError(.io, error.message, at: redirect.span)
        }
        return
      }
      _ = try runHandler(handler, &invocation.invocation)
      return
    }
    if let user = userCommands[call.name] {
      if let redirect = call.redirect {
        throw LabScriptError(.syntax, "the output of '\(call.name)' cannot be redirected", at: redirect.span)
      }
      var values: [Value] = []
      var spans: [SourceSpan] = []
      var named: [String: (Value, SourceSpan)] = [:]
      for argument in call.arguments {
        switch argument {
        case .word(let word, let key, let keySpan):
          let v = try evaluateWord(word, inferTypes: true)
          if let key {
            guard user.parameters.contains(key) else {
              throw LabScriptError(
                .argument, "'\(user.name)' has no parameter '\(key)'", at: keySpan ?? word.span,
                hint:
                  "its parameters are: \(user.parameters.isEmpty ? "none" : user.parameters.joined(separator: ", "))"
              )
            }
            named[key] = (v, argument.span)
          } else {
            values.append(v)
            spans.append(word.span)
          }
        case .expression(let e):
          values.append(try evaluate(e))
          spans.append(e.span)
        }
      }
      let result = try callUser(user, positional: values, named: named, span: span)
      _ = result
      return
    }
    throw unknownCommand(call.name, at: call.nameSpan)
  }

  private func runHandler(_ handler: CommandHandler, _ invocation: inout Invocation) throws -> Value {
    do {
      return try handler(&invocation)
    } catch var error as LabScriptError {
      if error.span == nil { error.span = invocation.span }
      throw error
    } catch let error as FileError {
      throw LabScriptError(.io, error.message, at: invocation.span)
    } catch {
      throw LabScriptError(.command, "\(invocation.command): \(error)", at: invocation.span)
    }
  }

  func unknownCommand(_ name: String, at span: SourceSpan) -> LabScriptError {
    if globals[name] != nil || frames.last?[name] != nil {
      return LabScriptError(
        .name, "'\(name)' is a variable, not a command", at: span,
        hint: "to show it, write it alone on a line or `print \(name)`")
    }
    let candidates = Array(registry.commands.keys) + Array(userCommands.keys) + Array(registry.keywords.keys)
    return LabScriptError(
      .name, "unknown command '\(name)'", at: span,
      hint: Registry.didYouMean(name, among: candidates) ?? "`help` lists the commands")
  }

  /// Calls a user-defined command with positional and named arguments.
  func callUser(
    _ user: UserCommand, positional: [Value], named: [String: (Value, SourceSpan)], span: SourceSpan
  )
    throws -> Value
  {
    if positional.count > user.parameters.count {
      throw LabScriptError(
        .argument, "'\(user.name)' takes \(countText(user.parameters.count)), got \(positional.count)",
        at: span,
        hint: user.parameters.isEmpty ? nil : "its parameters are: \(user.parameters.joined(separator: ", "))"
      )
    }
    var frame: [String: Value] = [:]
    for (index, value) in positional.enumerated() { frame[user.parameters[index]] = value }
    for (key, value) in named {
      if frame[key] != nil {
        throw LabScriptError(.argument, "parameter '\(key)' of '\(user.name)' is given twice", at: value.1)
      }
      frame[key] = value.0
    }
    let missing = user.parameters.filter { frame[$0] == nil }
    if !missing.isEmpty {
      throw LabScriptError(
        .argument, "'\(user.name)' is missing \(missing.map { "'\($0)'" }.joined(separator: ", "))", at: span,
        hint: "it takes \(user.parameters.joined(separator: ", "))")
    }
    if frames.count >= Session.maximumCallDepth {
      throw LabScriptError(
        .limit, "more than \(Session.maximumCallDepth) nested calls of user commands", at: span,
        hint: "does '\(user.name)' call itself without stopping?")
    }
    let outermost = beginWork("the call of '\(user.name)'", span)
    defer { endWork(outermost) }
    try countWork(span)
    frames.append(frame)
    defer { frames.removeLast() }
    switch try execute(user.body.statements) {
    case .returned(let v, _): return v
    case .normal: return .none
    case .breakLoop(let s): throw LabScriptError(.syntax, "'break' outside a loop", at: s)
    case .continueLoop(let s): throw LabScriptError(.syntax, "'continue' outside a loop", at: s)
    }
  }
}

func countText(_ n: Int) -> String {
  n == 1 ? "1 argument" : "\(n) arguments"
}
