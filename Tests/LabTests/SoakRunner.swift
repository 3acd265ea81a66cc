import Foundation

/// The randomized soak: random machine and kernel configurations, each driven through a random
/// sequence of operations (see SoakGenerator), every world event checked, every settle compared
/// with the reference. A failure is shrunk to a short LabScript reproducer.
enum Soak {
  struct Options {
    var operations = 20_000
    var seed: UInt64 = 1
    /// Stop after this many failures (each is shrunk, which takes a while).
    var maximumFailures = 3
    /// Progress lines (to stderr) every so many operations; 0: none.
    var progressEvery = 0
  }

  struct Found {
    var failure: SoakFailure
    var configuration: Int
    var originalLength: Int
    var reproducer: String
  }

  struct Result {
    var operations = 0
    var events = 0
    var configurations = 0
    var seconds = 0.0
    var found: [Found] = []
    var summary: String {
      "soak: \(operations) operations, \(events) world events checked, \(configurations) configurations, \(String(format: "%.1f", seconds)) s, \(found.count) failure\(found.count == 1 ? "" : "s")"
    }
  }

  /// The seed of one configuration.
  static func seed(_ seed: UInt64, configuration: Int) -> UInt64 {
    var r = SoakRandom(seed: seed ^ (UInt64(configuration) &* 0xD6E8_FEB8_6659_FD93))
    return r.next()
  }

  static func run(_ options: Options) -> Result {
    let start = Date()
    var result = Result()
    var kinds: Set<String> = []
    while result.operations < options.operations && result.found.count < options.maximumFailures {
      let configuration = result.configurations
      result.configurations += 1
      var generator = SoakGenerator(
        random: SoakRandom(seed: seed(options.seed, configuration: configuration)))
      let execution = SoakExecution()
      var ops = generator.prelude()
      let length = Swift.min(
        generator.random.int(60...260), options.operations - result.operations + ops.count)
      var failure: SoakFailure?
      var i = 0
      while i < Swift.max(length, ops.count) {
        if i >= ops.count {
          let op = generator.next(execution.world.ref)
          ops.append(op)
          if !op.steps && generator.random.chance(0.5) { ops.append(.settle) }
        }
        do throws(SoakFailure) {
          try execution.perform(ops[i], index: i)
        } catch {
          failure = error
          break
        }
        i += 1
        result.operations += 1
        if options.progressEvery > 0 && result.operations % options.progressEvery == 0 {
          FileHandle.standardError.write(
            Data(
              "soak: \(result.operations) operations, \(result.events + execution.totalEvents) events, \(Int(Date().timeIntervalSince(start))) s\n"
                .utf8))
        }
      }
      result.events += execution.totalEvents
      if let failure {
        result.operations += 1
        guard kinds.insert(failure.kind).inserted else { continue }
        let (shrunk, last) = shrink(Array(ops[...failure.op]), failure, options)
        result.found.append(
          Found(
            failure: last, configuration: configuration, originalLength: failure.op + 1,
            reproducer: reproducer(
              shrunk, last, seed: options.seed, configuration: configuration, from: failure.op + 1)))
      }
    }
    result.seconds = Date().timeIntervalSince(start)
    return result
  }

  /// Runs operations on a fresh lab; the failure, if any.
  static func replay(_ ops: [SoakOp]) -> (SoakExecution, SoakFailure?) {
    let execution = SoakExecution()
    for (i, op) in ops.enumerated() {
      do throws(SoakFailure) { try execution.perform(op, index: i) } catch { return (execution, error) }
    }
    return (execution, nil)
  }

  /// Deletes operations, in halving chunks, while a failure of the same kind remains.
  static func shrink(_ ops: [SoakOp], _ failure: SoakFailure, _ options: Options) -> ([SoakOp], SoakFailure) {
    var current = ops
    var last = failure
    var chunk = Swift.max(current.count / 2, 1)
    var replays = 0
    let deadline = Date().addingTimeInterval(180)
    while replays < 3000 && Date() < deadline {
      var removed = false
      var i = 0
      while i < current.count && replays < 3000 && Date() < deadline {
        var candidate = current
        candidate.removeSubrange(i..<Swift.min(i + chunk, candidate.count))
        replays += 1
        if startsWithMachine(candidate), let f = replay(candidate).1, f.kind == failure.kind {
          current = Array(candidate[...f.op])
          last = f
          removed = true
        } else {
          i += chunk
        }
      }
      if !removed {
        if chunk == 1 { break }
        chunk = Swift.max(chunk / 2, 1)
      }
    }
    return (current, last)
  }

  /// Whether a machine is made before anything but a refused `machine` or a `kernel` change: the
  /// reference describes a world with a machine.
  static func startsWithMachine(_ ops: [SoakOp]) -> Bool {
    for op in ops {
      switch op {
      case .machine: return true
      case .badMachine, .kernel: continue
      default: return false
      }
    }
    return false
  }

  /// The LabScript text of a failing sequence: every operation as it went, then the failing one
  /// written so the script stops there, the commands that show the state, and the check.
  static func reproducer(
    _ ops: [SoakOp], _ failure: SoakFailure, seed: UInt64, configuration: Int, from length: Int
  ) -> String {
    let (execution, _) = replay(ops)
    func quoted(_ text: String) -> String { "\"\(text.escapedForLabScript)\"" }
    func firstLine(_ text: String) -> String { String(text.split(separator: "\n").first ?? "") }
    var lines = [
      "# hplab soak reproducer: seed \(seed), configuration \(configuration); \(ops.count) of \(length) operations.",
      "# Run it with `hplab run FILE`; it stops at the failing check.",
      "#",
    ]
    lines += failure.description.split(separator: "\n").map { "# " + $0 }
    for (i, record) in execution.records.enumerated() {
      let command = record.op.command
      guard i == failure.op else {
        lines.append(record.error.map { "expect error \(quoted(firstLine($0))) { \(command) }" } ?? command)
        continue
      }
      switch failure.render {
      case .asRun:
        lines.append(record.error.map { "expect error \(quoted(firstLine($0))) { \(command) }" } ?? command)
      case .bare: lines.append(command)
      case .expectError(let text): lines.append("expect error \(quoted(text)) { \(command) }")
      case .steps(let n): lines.append("step \(n)")
      }
    }
    lines += failure.show
    if let expectation = failure.expectation {
      lines.append(expectation)
    } else {
      lines.append("# (no LabScript expression states this check: compare what the commands above print)")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
