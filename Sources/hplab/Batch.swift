import HostFiles
import ArgumentParser
import LabScript

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// `hplab batch FILE.hpl --param NAME=VALUES ...`: runs a script once per point of a parameter
/// grid and writes one row per run.
///
/// Design, in short:
/// - The grid is the cartesian product of the `--param` values (the first `--param` varies
///   slowest) times `--repeat`. Each run has a *run id* and a *seed*, both hashes of the master
///   seed, the repeat number and the sorted parameter assignment — never of the run's position —
///   so adding a value to a `--param`, reordering them or sharding leaves every other run's id and
///   seed as they were.
/// - `--out` is opened for appending; run ids already in it are skipped (resume). Rows are
///   written in grid order whatever `--jobs` is, so the same batch gives the same bytes.
/// - `--shard K/N` takes the K-th of N contiguous slices of the grid; shard 1 writes the CSV
///   header and the others do not, so `cat` of the shards' outputs in order is the full run's.
/// - Runs execute in worker processes (`hplab batch --worker ...`, one session per run, runs one
///   after another in each worker). Sessions are not thread-safe, and a separate process also
///   means a run that traps, runs away or exhausts memory becomes a `crash` or `timeout` row
///   instead of ending the batch.
struct Batch: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a script over a grid of parameters; write one CSV or JSON Lines row per run.",
    discussion: """
      Each run gets a fresh session in which every --param is a variable, `seed` is the run's seed \
      (the random generator starts from it too), and the script's `emit NAME VALUE` statements give \
      the result columns. The script's own output is discarded; an error ends that run only.

      Values are words as the language reads them: 8 is an int, true a bool, anything else a \
      string. A value list can mix single values and ranges of ints: A..B (both ends), A..B:STEP, \
      A..B:xF (A, A*F, A*F*F... up to B).

      Rows have the columns run_id, the parameters (in --param order), repeat (1..N), seed, status \
      (ok, error, timeout or crash), the emitted values (in the order the script's `emit` \
      statements are written), host_wall_s with --timing, and error. The run id and the seed are \
      hashes of --seed, the repeat number and the parameter values, so they do not depend on the \
      run's position: `hplab run FILE --set NAME=VALUE... --seed SEED` repeats one run exactly.

      --out FILE is appended to, and runs whose run_id is already there are skipped, so an \
      interrupted batch is finished by running the same command again. --shard K/N runs the K-th of \
      N contiguous slices of the grid; only shard 1 writes the CSV header, so concatenating the \
      shards' outputs in order gives exactly the output of the whole batch. Rows are written in \
      grid order whatever --jobs is. Runs execute in worker processes (the sessions are not \
      shared between threads), so a run that crashes becomes a `crash` row, not the end of the \
      batch.

      Progress (with an ETA) is drawn on standard error only when it is a terminal; a summary line \
      always ends the batch there. Exit status: 0 when every run of the batch succeeded (rows already \
      in --out included), 1 when any failed (all rows are still written), 2 on a usage error.

      Examples:
        hplab batch sweep.hpl --param maxcpus=2..512:x2 --out sweep.csv
        hplab batch soak.hpl --param maxcpus=4,8 --repeat 20 --jobs 2 --out s.jsonl
        hplab batch soak.hpl --param maxcpus=4,8 --repeat 20 --shard 3/8 --out 3.csv
      """
  )

  @Argument(help: ArgumentHelp("The script (.hpl).", valueName: "file"))
  var file: String

  @Option(
    name: .customLong("param"),
    help: ArgumentHelp(
      "A parameter and its values: NAME=V1,V2,...  NAME=A..B  NAME=A..B:STEP  NAME=A..B:xF (repeatable).",
      valueName: "name=values"))
  var parameters: [String] = []

  @Option(help: ArgumentHelp("Run every point of the grid N times.", valueName: "n"))
  var `repeat`: Int = 1

  @Option(help: ArgumentHelp("The master seed the runs' seeds derive from.", valueName: "s"))
  var seed: Int = 0

  @Option(help: ArgumentHelp("Worker processes running at once.", valueName: "n"))
  var jobs: Int = 1

  @Option(
    help: ArgumentHelp(
      "csv or jsonl (default: jsonl when --out ends in .jsonl or .json, else csv).", valueName: "format"))
  var format: String?

  @Option(help: ArgumentHelp("Append the rows to this file and skip runs it already has.", valueName: "file"))
  var out: String?

  @Option(help: ArgumentHelp("Run only the K-th of N slices of the grid (1 <= K <= N).", valueName: "k/n"))
  var shard: String?

  @Option(
    help: ArgumentHelp(
      "Stop a run after this many seconds of host time; its status is timeout.", valueName: "s"))
  var timeout: Double?

  @Flag(help: "Add a host_wall_s column: the host time each run took (not deterministic).")
  var timing = false

  @Flag(help: "Print the planned runs (run_id, parameters, repeat, seed) and run nothing.")
  var dryRun = false

  @Flag(help: .private)
  var worker = false

  func validate() throws {
    if `repeat` < 1 { throw ValidationError("--repeat must be at least 1, not \(`repeat`).") }
    if jobs < 1 { throw ValidationError("--jobs must be at least 1, not \(jobs).") }
    if let timeout, !(timeout > 0) {
      throw ValidationError("--timeout must be a positive number of seconds.")
    }
    if let format, BatchFormat(rawValue: format) == nil {
      throw ValidationError("--format must be csv or jsonl, not '\(format)'.")
    }
    if isLesson(file) {
      throw ValidationError("hplab batch runs scripts (.hpl), not lessons: '\(file)'.")
    }
  }

  /// The output format: `--format`, else guessed from `--out`.
  var resolvedFormat: BatchFormat {
    if let format, let f = BatchFormat(rawValue: format) { return f }
    if let out, out.hasSuffix(".jsonl") || out.hasSuffix(".json") { return .jsonl }
    return .csv
  }

  mutating func run() throws {
    signal(SIGPIPE, SIG_IGN)
    let plan: BatchPlan
    do {
      plan = try BatchPlan(
        file: file, parameters: parameters, repeats: `repeat`, seed: seed, format: resolvedFormat,
        timing: timing)
    } catch let error as BatchUsageError {
      throw error.report()
    }
    if worker {
      BatchWorker(plan: plan).serve()
      return
    }
    do {
      let parts = try BatchShard.parse(shard)
      if dryRun {
        printPlan(plan, parts.slice(of: plan.runs.count))
        return
      }
      let driver = BatchDriver(
        plan: plan, shard: parts, jobs: jobs, out: out, timeout: timeout, workerArguments: workerArguments())
      throw ExitCode(try driver.run())
    } catch let error as BatchUsageError {
      throw error.report()
    } catch let error as BatchFailure {
      writeAll(2, "hplab batch: \(error.message)\n")
      throw ExitCode(1)
    }
  }

  /// What a worker is started with: the options that decide the plan.
  func workerArguments() -> [String] {
    var arguments = ["batch", "--worker", file]
    for p in parameters { arguments += ["--param", p] }
    arguments += ["--repeat", String(`repeat`), "--seed", String(seed), "--format", resolvedFormat.rawValue]
    if timing { arguments.append("--timing") }
    return arguments
  }

  private func printPlan(_ plan: BatchPlan, _ slice: Range<Int>) {
    var text = ""
    for run in plan.runs[slice] {
      let assignment = run.parameters.map { "\($0.name)=\($0.value.display)" }
      text += ([run.id] + assignment + ["repeat=\(run.repeatNumber)", "seed=\(run.seed)"]).joined(
        separator: " ")
      text += "\n"
    }
    writeAll(1, text)
    let whole = slice.count == plan.runs.count ? "" : " (of \(plan.runs.count) in the whole batch)"
    writeAll(2, "hplab batch: \(runCount(slice.count)) planned\(whole)\n")
  }
}

/// What is wrong with a batch's options, its script or its --out file, said where and why: found
/// after the arguments were parsed, reported on standard error, exit status 2.
struct BatchUsageError: Error {
  var message: String
  /// A script diagnostic, already rendered with its location (printed as it is).
  var rendered: Bool

  init(_ message: String, rendered: Bool = false) {
    self.message = message
    self.rendered = rendered
  }

  /// Prints the error and returns the exit status for usage errors.
  func report() -> ExitCode {
    writeAll(2, rendered ? message : "hplab batch: \(message)\n")
    return ExitCode(2)
  }
}

enum BatchFormat: String {
  case csv
  case jsonl
}

/// One run of the grid.
struct BatchRun {
  /// Position in the whole grid.
  var index: Int
  var parameters: [(name: String, value: Value)]
  /// 1...repeats.
  var repeatNumber: Int
  var seed: Int
  var id: String
}

/// `--shard K/N`.
struct BatchShard {
  var k: Int
  var n: Int

  static func parse(_ text: String?) throws -> BatchShard {
    guard let text else { return BatchShard(k: 1, n: 1) }
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
      throw BatchUsageError("--shard '\(text)': write K/N, e.g. --shard 2/8 for the second of 8 slices.")
    }
    guard n >= 1, (1...n).contains(k) else {
      throw BatchUsageError("--shard '\(text)': K must be between 1 and N (and N at least 1).")
    }
    return BatchShard(k: k, n: n)
  }

  /// The K-th of N contiguous slices of `count` runs; the slices cover every run exactly once.
  func slice(of count: Int) -> Range<Int> {
    let lower = count * (k - 1) / n
    let upper = count * k / n
    return lower..<upper
  }

  var isFirst: Bool { k == 1 }
  var description: String { "\(k)/\(n)" }
}

/// Everything a batch runs, decided before the first run: the grid, each run's id and seed, the
/// script's text and the columns of the rows. The driver and every worker build the same plan
/// from the same options.
struct BatchPlan {
  static let fixedColumns = ["run_id", "repeat", "seed", "status", "host_wall_s", "error"]
  /// The most runs one batch may plan (a typo such as 1..1000000000 should not eat the memory).
  static let maximumRuns = 1_000_000

  var file: String
  var text: String
  var parameterNames: [String]
  var runs: [BatchRun]
  /// Names of the emitted results, in the order the script writes its `emit` statements.
  var results: [String]
  var format: BatchFormat
  var timing: Bool
  var masterSeed: Int

  /// The row columns, in order.
  var columns: [String] {
    ["run_id"] + parameterNames + ["repeat", "seed", "status"] + results + (timing ? ["host_wall_s"] : [])
      + ["error"]
  }

  init(file: String, parameters: [String], repeats: Int, seed: Int, format: BatchFormat, timing: Bool) throws
  {
    self.file = file
    self.format = format
    self.timing = timing
    masterSeed = seed
    do { text = try HostFile.readText(file) } catch {
      throw BatchUsageError("cannot read '\(file)': \(error.detail)")
    }
    var grid: [(name: String, values: [Value])] = []
    for written in parameters {
      let parameter = try BatchParameter.parse(written)
      if grid.contains(where: { $0.name == parameter.name }) {
        throw BatchUsageError("--param '\(written)': '\(parameter.name)' is given twice.")
      }
      grid.append((parameter.name, parameter.values))
    }
    parameterNames = grid.map(\.name)
    var total = repeats
    for axis in grid {
      let (product, overflow) = total.multipliedReportingOverflow(by: axis.values.count)
      guard !overflow, product <= BatchPlan.maximumRuns else {
        throw BatchUsageError(
          "the grid has more than \(BatchPlan.maximumRuns) runs; split it into several batches.")
      }
      total = product
    }

    // The columns: the script's emits, which must not collide with a parameter or a fixed column.
    let session = LabSession(output: DiscardedOutput()).session
    let declarations: [EmitDeclaration]
    do { declarations = try session.emitDeclarations(in: text, name: file) } catch {
      throw BatchUsageError(error.render(color: Terminal.colorEnabled(fd: 2)), rendered: true)
    }
    var results: [String] = []
    for declaration in declarations where !results.contains(declaration.name) {
      if BatchPlan.fixedColumns.contains(declaration.name) || parameterNames.contains(declaration.name) {
        let what = parameterNames.contains(declaration.name) ? "a --param" : "a column every row has"
        throw BatchUsageError(
          "\(declaration.span.position): the result '\(declaration.name)' would be a second column of that "
            + "name (\(what)); emit it under another name.")
      }
      results.append(declaration.name)
    }
    self.results = results

    var runs: [BatchRun] = []
    runs.reserveCapacity(total)
    var point = [Int](repeating: 0, count: grid.count)
    var index = 0
    while true {
      let assignment = grid.indices.map { (grid[$0].name, grid[$0].values[point[$0]]) }
      for r in 1...repeats {
        let key = BatchPlan.runKey(assignment, repeatNumber: r, masterSeed: seed)
        runs.append(
          BatchRun(
            index: index, parameters: assignment, repeatNumber: r,
            seed: Int(stableHash("seed\0" + key) >> 11),
            id: hex12(stableHash("id\0" + key))))
        index += 1
      }
      // The next point: the last parameter varies fastest.
      var axis = grid.count - 1
      while axis >= 0 {
        point[axis] += 1
        if point[axis] < grid[axis].values.count { break }
        point[axis] = 0
        axis -= 1
      }
      if axis < 0 { break }
    }
    self.runs = runs
  }

  /// The text a run's id and seed are hashed from: the master seed, the repeat number and the
  /// parameters sorted by name, each value written as a literal (so 8 and "8" differ).
  static func runKey(_ assignment: [(String, Value)], repeatNumber: Int, masterSeed: Int) -> String {
    var key = "hplab.batch/1\0seed=\(masterSeed)\0repeat=\(repeatNumber)"
    for (name, value) in assignment.sorted(by: { $0.0 < $1.0 }) {
      key += "\0\(name)=\(value.literal)"
    }
    return key
  }
}

/// "1 run", "5 runs".
func runCount(_ n: Int) -> String { n == 1 ? "1 run" : "\(n) runs" }

/// FNV-1a over the UTF-8 bytes, then SplitMix64's finalizer so that every input bit affects
/// every output bit. Stable across platforms, processes and releases: run ids and seeds in old
/// output files stay valid.
func stableHash(_ text: String) -> UInt64 {
  var h: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in text.utf8 {
    h ^= UInt64(byte)
    h = h &* 0x0000_0100_0000_01B3
  }
  h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
  h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
  return h ^ (h >> 31)
}

/// The top 48 bits as 12 hex digits.
private func hex12(_ h: UInt64) -> String {
  let digits = String(h >> 16, radix: 16)
  return String(repeating: "0", count: 12 - digits.count) + digits
}

/// One `--param NAME=VALUES`.
struct BatchParameter {
  var name: String
  var values: [Value]

  /// Names the batch itself uses for columns or variables.
  static let reserved: Set<String> = ["run_id", "repeat", "seed", "status", "host_wall_s", "error"]

  static func parse(_ written: String) throws -> BatchParameter {
    guard let equals = written.firstIndex(of: "=") else {
      throw BatchUsageError("--param '\(written)': write NAME=VALUES, e.g. --param maxcpus=4,8,16.")
    }
    let name = String(written[..<equals])
    let list = String(written[written.index(after: equals)...])
    guard Session.isVariableName(name) else {
      throw BatchUsageError(
        "--param '\(written)': '\(name)' cannot name a variable (letters, digits and _, not starting "
          + "with a digit, not a reserved word).")
    }
    if reserved.contains(name) {
      throw BatchUsageError(
        "--param '\(written)': '\(name)' is a column the batch writes itself"
          + (name == "seed" ? "; give the master seed with --seed." : "; choose another name."))
    }
    var values: [Value] = []
    for item in list.split(separator: ",", omittingEmptySubsequences: false) {
      let trimmed = String(item).trimmed(of: " \t")
      guard !trimmed.isEmpty else {
        throw BatchUsageError("--param '\(written)': an empty value (two commas, or a comma at an end).")
      }
      let expanded = try expand(trimmed, in: written)
      for value in expanded {
        if values.contains(value) {
          throw BatchUsageError("--param '\(written)': the value \(value.display) is listed twice.")
        }
        values.append(value)
        if values.count > BatchPlan.maximumRuns {
          throw BatchUsageError("--param '\(written)': more than \(BatchPlan.maximumRuns) values.")
        }
      }
    }
    return BatchParameter(name: name, values: values)
  }

  /// A single value, or the ints of `A..B`, `A..B:STEP`, `A..B:xF`.
  private static func expand(_ item: String, in written: String) throws -> [Value] {
    guard let dots = item.firstRange(of: "..") else { return [Value.inferred(fromWord: item)] }
    let low = String(item[..<dots.lowerBound])
    var rest = String(item[dots.upperBound...])
    var stepText: String?
    if let colon = rest.firstIndex(of: ":") {
      stepText = String(rest[rest.index(after: colon)...])
      rest = String(rest[..<colon])
    }
    func bad(_ why: String) -> BatchUsageError {
      BatchUsageError("--param '\(written)': the range '\(item)' \(why)")
    }
    guard let a = Value.parseInteger(low), let b = Value.parseInteger(rest) else {
      throw bad("needs integer ends, as in 1..8.")
    }
    guard a <= b else { throw bad("is empty: its start is above its end (write \(b)..\(a)).") }
    var values: [Value] = []
    if let stepText, stepText.hasPrefix("x") {
      guard let factor = Value.parseInteger(String(stepText.dropFirst())), factor >= 2 else {
        throw bad("needs a factor of at least 2 after ':x', as in 1..64:x2.")
      }
      guard a >= 1 else { throw bad("grows by a factor, so its start must be at least 1.") }
      var v = a
      while v <= b {
        values.append(.int(v))
        let (next, overflow) = v.multipliedReportingOverflow(by: factor)
        if overflow { break }
        v = next
      }
      return values
    }
    var step = 1
    if let stepText {
      guard let s = Value.parseInteger(stepText), s >= 1 else {
        throw bad("needs a step of at least 1 after ':', as in 0..100:10.")
      }
      step = s
    }
    let (span, overflow) = b.subtractingReportingOverflow(a)
    guard !overflow, span / step < BatchPlan.maximumRuns else {
      throw bad("has more than \(BatchPlan.maximumRuns) values.")
    }
    var v = a
    while true {
      values.append(.int(v))
      let (next, over) = v.addingReportingOverflow(step)
      if over || next > b { break }
      v = next
    }
    return values
  }
}

/// Output that goes nowhere: a batch run's own printing.
final class DiscardedOutput: OutputSink {
  func write(_ text: String) {}
  func writeError(_ text: String) {}
}

/// Writes all of `text` to a file descriptor, retrying short writes; false when it fails.
@discardableResult
func writeAll(_ fd: Int32, _ text: String) -> Bool {
  var bytes = Array(text.utf8)
  return writeAll(fd, &bytes)
}

@discardableResult
func writeAll(_ fd: Int32, _ bytes: inout [UInt8]) -> Bool {
  var offset = 0
  while offset < bytes.count {
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
    if n < 0 {
      if errno == EINTR { continue }
      return false
    }
    offset += n
  }
  return true
}

extension String {
  /// The text without the given characters at either end.
  func trimmed(of set: String) -> String {
    var s = Substring(self)
    while let c = s.first, set.contains(c) { s = s.dropFirst() }
    while let c = s.last, set.contains(c) { s = s.dropLast() }
    return String(s)
  }

}

// MARK: - hplab run --set, --seed, --json

/// The options `hplab run` takes for experiments: variables from the shell, a seed, and the
/// emitted results as JSON.
struct ScriptInputs: ParsableArguments {
  @Option(
    name: .customLong("set"),
    help: ArgumentHelp(
      "Define a variable before the scripts run: 8 is an int, true a bool, anything else a string (repeatable).",
      valueName: "name=value"))
  var assignments: [String] = []

  @Option(
    help: ArgumentHelp(
      "Define `seed` and start the random generator from it, as hplab batch does for each run.",
      valueName: "s"))
  var seed: Int?

  @Flag(
    help: """
      Print the values the scripts `emit` as one JSON object on standard output at the end; the \
      scripts' own output goes to standard error.
      """)
  var json = false

  func validate() throws {
    _ = try parsedVariables()
  }

  /// The `--set` variables, in order (valid after validation).
  var variables: [(name: String, value: Value)] { (try? parsedVariables()) ?? [] }

  private func parsedVariables() throws -> [(name: String, value: Value)] {
    var result: [(name: String, value: Value)] = []
    for written in assignments {
      guard let equals = written.firstIndex(of: "=") else {
        throw ValidationError("--set '\(written)': write NAME=VALUE, e.g. --set maxcpus=8.")
      }
      let name = String(written[..<equals])
      guard Session.isVariableName(name) else {
        throw ValidationError(
          "--set '\(written)': '\(name)' cannot name a variable (letters, digits and _, not starting with a "
            + "digit, not a reserved word).")
      }
      if name == "seed" {
        throw ValidationError(
          "--set '\(written)': give the seed with --seed \(written.dropFirst(5)) (it also seeds `random`).")
      }
      if result.contains(where: { $0.name == name }) {
        throw ValidationError("--set '\(written)': '\(name)' is set twice.")
      }
      result.append((name, Value.inferred(fromWord: String(written[written.index(after: equals)...]))))
    }
    return result
  }

  /// Where the scripts' output goes: standard error in --json mode, so that standard output holds
  /// only the JSON object.
  func scriptOutput(_ standard: StandardOutput) -> any OutputSink {
    json ? StandardErrorOutput() : standard
  }

  /// Prepares a session: the variables and the seed.
  func bind(_ session: Session) {
    bindInputs(session, variables: variables, seed: seed)
  }

  /// In --json mode, prints the emitted results (also after a failure: what was emitted so far).
  func printResults(of session: Session) {
    guard json else { return }
    fflush(stdout)
    writeAll(1, jsonObject(session.batch.emitted) + "\n")
  }
}

/// Session output to standard error only.
final class StandardErrorOutput: OutputSink {
  func write(_ text: String) {
    fputs(text, stderr)
  }

  func writeError(_ text: String) {
    fputs(text, stderr)
    fflush(stderr)
  }
}
