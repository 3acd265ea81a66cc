import LabScript

/// LabScript text through the parser and the evaluator. The session's limits are set low so
/// that no input can run for long: `loop_limit` is 64 (a script may raise it with `config`, so
/// the interrupt check also counts every loop iteration and call against a budget, as a REPL
/// user's Ctrl-C would stop them).
enum LabScriptFuzz {
  static let loopLimit = 64
  /// Loop iterations and user-command calls one input may run before it is interrupted.
  static let stepBudget = 4_000

  static func run(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let output = BufferedOutput()
    let session = Session(output: output)
    do { try session.setSetting("loop_limit", loopLimit) } catch {
      FuzzFailure.check(false, "loop_limit \(loopLimit) rejected: \(error)")
    }
    var steps = 0
    session.interruptCheck = {
      steps += 1
      return steps > stepBudget
    }
    // The REPL asks the parser whether a line is complete before it runs anything.
    _ = session.needsMoreInput(text)
    do {
      try session.run(text, name: "fuzz.hpl")
    } catch {
      checkDiagnostic(error)
    }
    // Tab completion of the text's last line, in the state the script left.
    let lastLine = text.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    let completion = session.complete(lastLine)
    FuzzFailure.check(
      completion.candidates.allSatisfy { $0.hasPrefix(completion.fragment) },
      "a completion of \(completion.fragment.debugDescription) does not start with it")
    _ = completion.insertion
  }

  /// Every error points inside the text it came from and renders, with and without colour.
  static func checkDiagnostic(_ error: LabScriptError) {
    if let span = error.span {
      let length = span.file.text.utf8.count
      FuzzFailure.check(
        span.start >= 0 && span.start <= span.end && span.end <= length,
        "error span \(span.start)..<\(span.end) outside \(length) bytes: \(error.message)")
    }
    let plain = error.render(color: false)
    FuzzFailure.check(plain.hasSuffix("\n"), "a rendered error does not end with a newline")
    FuzzFailure.check(plain.contains(error.message), "the rendered error lost its message")
    _ = error.render(color: true)
  }
}
