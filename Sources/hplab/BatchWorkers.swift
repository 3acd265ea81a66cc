import ArgumentParser
import LabScript

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

// MARK: - One run

/// Puts a run's inputs into a fresh session: the variables, then `seed` (also the random
/// generator's seed). `hplab run --set ... --seed S` does the same, which is how one row of a
/// batch is repeated by hand.
func bindInputs(_ session: Session, variables: [(name: String, value: Value)], seed: Int?) {
  for (name, value) in variables { session[name] = value }
  if let seed {
    session["seed"] = .int(seed)
    session.batch.random = RandomSource(seed: seed)
  }
}

/// A LabScript error on one line, for a row's error column: where, what, and the hint and notes.
func oneLine(_ error: LabScriptError) -> String {
  var text = error.message.replacingAll("\n", with: "; ")
  if let span = error.span { text = "\(span.position): " + text }
  let notes = error.notes.map { $0.split(separator: " ").joined(separator: " ") }.filter { !$0.isEmpty }
  if !notes.isEmpty { text += " (" + notes.joined(separator: ", ") + ")" }
  if let hint = error.hint { text += " (hint: \(hint.replacingAll("\n", with: " ")))" }
  return text
}

/// Runs one run of the plan in this process, in a fresh session.
func executeRun(_ run: BatchRun, plan: BatchPlan, interruptCheck: (() -> Bool)? = nil) -> BatchOutcome {
  let session = LabSession(output: DiscardedOutput()).session
  session.interruptCheck = interruptCheck
  bindInputs(session, variables: run.parameters, seed: run.seed)
  let start = monotonicSeconds()
  var outcome = BatchOutcome(status: .ok)
  do {
    try session.run(plan.text, name: plan.file)
    if let status = session.exitStatus, status != 0 {
      outcome.status = .error
      outcome.error = "the script ended with `exit \(status)`"
    }
  } catch {
    outcome.status = .error
    outcome.error = oneLine(error)
  }
  outcome.wallSeconds = monotonicSeconds() - start
  outcome.results = session.batch.emitted
  if let stray = outcome.results.first(where: { !plan.results.contains($0.name) }) {
    outcome.status = .error
    outcome.error =
      (outcome.error.map { $0 + "; and " } ?? "")
      + "the run emitted '\(stray.name)', which is not a column: emits in sourced files or with a computed "
      + "name are not seen before the runs; write `emit \(stray.name) ...` in \(plan.file) itself"
  }
  return outcome
}

func monotonicSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_MONOTONIC, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

// MARK: - The worker side

/// `hplab batch --worker ...`: reads run indices (one per line) on standard input and answers
/// each with `INDEX STATUS LENGTH\n` and then the row's LENGTH bytes, until standard input ends.
struct BatchWorker {
  let plan: BatchPlan

  func serve() {
    let formatter = BatchRowFormatter(plan: plan)
    // A run stops (as if interrupted) once the driver is gone, so an endless run does not
    // outlive a killed batch. Checked every 4096 loop iterations or calls.
    let driver = getppid()
    var calls = 0
    let driverGone: () -> Bool = {
      calls &+= 1
      return calls & 4095 == 0 && getppid() != driver
    }
    // Answers go to a copy of standard output; standard output itself then goes to standard
    // error, so that text printed by anything else in the process (a debugging print in a
    // model) cannot break the answers: it lands where a crash report is looked for.
    fflush(stdout)
    let answers = dup(1)
    dup2(2, 1)
    while let line = readLine() {
      guard let index = Int(line), plan.runs.indices.contains(index) else {
        writeAll(2, "hplab batch --worker: bad request '\(line)'\n")
        exit(2)
      }
      let run = plan.runs[index]
      let outcome = executeRun(run, plan: plan, interruptCheck: driverGone)
      var row = Array(formatter.row(run, outcome).utf8)
      var message = Array("\(index) \(outcome.status.rawValue) \(row.count)\n".utf8)
      message += row
      row = []
      guard writeAll(answers, &message) else { exit(1) }
    }
  }
}

// MARK: - The driver side

/// A worker process and what it is doing.
final class WorkerProcess {
  let pid: pid_t
  /// Our ends of its standard input, output and error.
  var input: Int32
  var output: Int32
  var errors: Int32
  var received: [UInt8] = []
  /// The end of what it wrote on standard error during the current run (for a crash report).
  var errorTail: [UInt8] = []
  /// The grid index of the run it is on, and when it started.
  var current: Int?
  var started = 0.0

  init(pid: pid_t, input: Int32, output: Int32, errors: Int32) {
    self.pid = pid
    self.input = input
    self.output = output
    self.errors = errors
  }

  /// Starts `executable arguments...` with pipes for its standard streams.
  static func spawn(_ executable: String, _ arguments: [String]) throws -> WorkerProcess {
    var toChild: [Int32] = [0, 0]
    var fromChild: [Int32] = [0, 0]
    var errChild: [Int32] = [0, 0]
    guard pipe(&toChild) == 0, pipe(&fromChild) == 0, pipe(&errChild) == 0 else {
      throw BatchFailure("cannot create pipes for a worker: \(String(cString: strerror(errno)))")
    }
    for fd in [toChild[1], fromChild[0], errChild[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errChild[1], 2)
    for fd in [toChild[0], fromChild[1], errChild[1]] { posix_spawn_file_actions_addclose(&actions, fd) }

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var environment: [String] = []
    var index = 0
    while let entry = environ[index] {
      environment.append(String(cString: entry))
      index += 1
    }
    // A trap in a run is reported as a crash row; the runtime's symbolicated backtrace would only
    // slow that down.
    if !environment.contains(where: { $0.hasPrefix("SWIFT_BACKTRACE=") }) {
      environment.append("SWIFT_BACKTRACE=enable=no")
    }
    let envp = environment.map { strdup($0) } + [nil]
    defer { for p in envp { free(p) } }
    // Its own process group, so that Ctrl-C at the terminal reaches only the driver (which then
    // stops the workers without writing rows for the runs they were in); default handlers for
    // the signals the driver catches or ignores.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
    var pid = pid_t()
    let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    for fd in [toChild[0], fromChild[1], errChild[1]] { close(fd) }
    guard status == 0 else {
      for fd in [toChild[1], fromChild[0], errChild[0]] { close(fd) }
      throw BatchFailure("cannot start a worker (\(executable)): \(String(cString: strerror(status)))")
    }
    return WorkerProcess(pid: pid, input: toChild[1], output: fromChild[0], errors: errChild[0])
  }

  /// Sends a run; false if the worker is gone.
  func send(_ index: Int) -> Bool {
    current = index
    started = monotonicSeconds()
    errorTail = []
    return writeAll(input, "\(index)\n")
  }

  /// Complete answers in what was received so far: (index, status, row); nil when the worker
  /// wrote something that is not an answer.
  func takeAnswers() -> [(Int, BatchOutcome.Status, String)]? {
    var answers: [(Int, BatchOutcome.Status, String)] = []
    while let newline = received.firstIndex(of: UInt8(ascii: "\n")) {
      let header = String(decoding: received[..<newline], as: UTF8.self).split(separator: " ")
      guard header.count == 3, let index = Int(header[0]),
        let status = BatchOutcome.Status(rawValue: String(header[1])),
        let length = Int(header[2]), length >= 0
      else { return nil }
      guard received.count >= newline + 1 + length else { break }
      let row = String(decoding: received[(newline + 1)..<(newline + 1 + length)], as: UTF8.self)
      received.removeFirst(newline + 1 + length)
      answers.append((index, status, row))
    }
    return answers
  }

  func closeInput() {
    if input >= 0 {
      close(input)
      input = -1
    }
  }

  /// Kills (when asked) and reaps the worker; describes how it ended.
  func finish(kill killIt: Bool) -> String {
    if killIt { kill(pid, SIGKILL) }
    closeInput()
    // Whatever is left on standard error says why it died.
    if errors >= 0 {
      var buffer = [UInt8](repeating: 0, count: 65536)
      while true {
        let n = read(errors, &buffer, buffer.count)
        if n > 0 {
          appendError(buffer[0..<n])
          continue
        }
        if n < 0 && errno == EINTR { continue }
        break
      }
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    for fd in [output, errors] where fd >= 0 { close(fd) }
    output = -1
    errors = -1
    let signal = status & 0x7F
    if signal != 0 {
      return "signal \(signal) (\(String(cString: strsignal(signal))))"
    }
    return "exit status \((status >> 8) & 0xFF)"
  }

  func appendError(_ bytes: ArraySlice<UInt8>) {
    errorTail += bytes
    if errorTail.count > 4096 { errorTail.removeFirst(errorTail.count - 4096) }
  }

  /// The last lines it wrote on standard error, on one line.
  var errorSummary: String? {
    let lines = String(decoding: errorTail, as: UTF8.self).split(separator: "\n").map {
      String($0).trimmed(of: " \t\r")
    }.filter { !$0.isEmpty }
    guard !lines.isEmpty else { return nil }
    // The runtime's "Fatal error: ..." line says what happened; else the last lines.
    if let fatal = lines.last(where: { $0.contains("Fatal error") }) { return fatal }
    return lines.suffix(2).joined(separator: "; ")
  }
}

/// Ctrl-C, SIGTERM or SIGHUP while a batch runs: the driver stops its workers, keeps the rows
/// written so far and reports how far it got.
enum BatchSignals {
  nonisolated(unsafe) static var received: sig_atomic_t = 0

  static func install() {
    var action = sigaction()
    #if canImport(Glibc)
      action.__sigaction_handler.sa_handler = { BatchSignals.received = $0 }
    #else
      action.__sigaction_u.__sa_handler = { BatchSignals.received = $0 }
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    var signals = sigset_t()
    sigemptyset(&signals)
    for signal in [SIGINT, SIGTERM, SIGHUP] {
      sigaction(signal, &action, nil)
      sigaddset(&signals, signal)
    }
    // A parent may have started us with them blocked (Foundation's Process does).
    sigprocmask(SIG_UNBLOCK, &signals, nil)
  }
}

struct BatchInterrupted: Error {
  var signal: Int32
}

/// A failure of the batch itself (not of a run): cannot start workers, cannot write the rows.
struct BatchFailure: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

/// Runs a plan's slice with a pool of worker processes and writes the rows in grid order.
struct BatchDriver {
  let plan: BatchPlan
  let shard: BatchShard
  let jobs: Int
  let out: String?
  let timeout: Double?
  let workerArguments: [String]

  /// Runs the batch; returns the exit status (0 all ok, 1 some failed).
  func run() throws -> Int32 {
    let slice = shard.slice(of: plan.runs.count)
    let formatter = BatchRowFormatter(plan: plan)
    let sink: RowSink
    var existing = ExistingRows()
    if let out {
      let file = try OutFile(path: out)
      existing = try ExistingRows.read(file.content, path: out, plan: plan)
      sink = file
    } else {
      sink = StandardOutputRows()
    }
    let startTime = monotonicSeconds()
    if existing.isEmpty && shard.isFirst, let header = formatter.header {
      try sink.append(header)
    }
    let todo = plan.runs[slice].filter { existing.statuses[$0.id] == nil }
    let earlier = plan.runs[slice].compactMap { existing.statuses[$0.id] }
    var tally = Tally(total: slice.count, skipped: earlier.count)
    tally.ok = earlier.filter { $0 == "ok" }.count
    tally.failed = earlier.count - tally.ok

    var interrupted: Int32?
    if !todo.isEmpty {
      BatchSignals.install()
      do { try runPool(todo, formatter: formatter, sink: sink, tally: &tally) } catch let stop
        as BatchInterrupted
      {
        interrupted = stop.signal
      }
    }
    try sink.finish()
    if let signal = interrupted {
      let kept = out.map { ", and \($0) keeps them: run the same command again to finish" } ?? ""
      writeAll(
        2,
        "hplab batch: stopped by \(String(cString: strsignal(signal))) after \(tally.done) of "
          + "\(runCount(tally.total)) (\(tally.ok) ok, \(tally.failed) failed)\(kept)\n")
      return 128 + signal
    }

    var summary = "hplab batch: \(runCount(tally.total)), \(tally.ok) ok, \(tally.failed) failed"
    if tally.skipped > 0 { summary += " (\(tally.skipped) already in \(out ?? "the output"))" }
    summary += "; seed \(plan.masterSeed)"
    if shard.n > 1 { summary += ", shard \(shard.description) of \(runCount(plan.runs.count))" }
    summary += "; \(formatDuration(monotonicSeconds() - startTime, precise: true))\n"
    writeAll(2, summary)
    return tally.failed > 0 ? 1 : 0
  }

  struct Tally {
    var total: Int
    var skipped: Int
    var ok = 0
    var failed = 0
    var done: Int { ok + failed }
  }

  private func runPool(
    _ todo: [BatchRun], formatter: BatchRowFormatter, sink: RowSink, tally: inout Tally
  ) throws {
    let executable = currentExecutable()
    var position: [Int: Int] = [:]
    for (i, run) in todo.enumerated() { position[run.index] = i }
    var rows = [String?](repeating: nil, count: todo.count)
    var nextToWrite = 0
    var nextToSend = 0
    var workers: [WorkerProcess] = []
    let progress = ProgressBar(total: tally.total, alreadyDone: tally.done)
    defer {
      for worker in workers { _ = worker.finish(kill: true) }
    }

    func startWorker() throws -> WorkerProcess {
      let worker = try WorkerProcess.spawn(executable, workerArguments)
      workers.append(worker)
      return worker
    }
    func dispatch(_ worker: WorkerProcess) {
      guard nextToSend < todo.count else {
        worker.closeInput()
        return
      }
      let run = todo[nextToSend]
      nextToSend += 1
      if !worker.send(run.index) {
        // It died before taking the run; the EOF on its output reports the crash.
        worker.current = run.index
      }
    }
    func record(_ index: Int, _ status: BatchOutcome.Status, _ row: String) throws {
      guard let i = position[index], rows[i] == nil else { return }
      rows[i] = row
      if status == .ok { tally.ok += 1 } else { tally.failed += 1 }
      while nextToWrite < rows.count, let ready = rows[nextToWrite] {
        try sink.append(ready)
        rows[nextToWrite] = ""
        nextToWrite += 1
      }
      progress.update(done: tally.done, ok: tally.ok, failed: tally.failed)
    }
    func replace(_ worker: WorkerProcess) throws {
      workers.removeAll { $0 === worker }
      if nextToSend < todo.count { dispatch(try startWorker()) }
    }

    for _ in 0..<min(jobs, todo.count) { dispatch(try startWorker()) }
    progress.update(done: tally.done, ok: tally.ok, failed: tally.failed)
    var buffer = [UInt8](repeating: 0, count: 65536)
    while nextToWrite < todo.count {
      var fds: [pollfd] = []
      var owners: [(WorkerProcess, Bool)] = []
      for worker in workers {
        if worker.output >= 0 {
          fds.append(pollfd(fd: worker.output, events: Int16(POLLIN), revents: 0))
          owners.append((worker, true))
        }
        if worker.errors >= 0 {
          fds.append(pollfd(fd: worker.errors, events: Int16(POLLIN), revents: 0))
          owners.append((worker, false))
        }
      }
      var wait = 250.0
      if let timeout {
        for worker in workers where worker.current != nil {
          wait = min(wait, max(0, (worker.started + timeout - monotonicSeconds()) * 1000))
        }
      }
      let ready = poll(&fds, nfds_t(fds.count), Int32(wait.rounded(.up)))
      if BatchSignals.received != 0 {
        progress.finish()
        throw BatchInterrupted(signal: BatchSignals.received)
      }
      if ready < 0 && errno != EINTR {
        throw BatchFailure("poll failed: \(String(cString: strerror(errno)))")
      }
      for (k, fd) in fds.enumerated() where fd.revents != 0 {
        let (worker, isOutput) = owners[k]
        // Skip a descriptor closed earlier in this round (its number may belong to a new worker).
        guard fd.fd == (isOutput ? worker.output : worker.errors) else { continue }
        let n = read(fd.fd, &buffer, buffer.count)
        if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
        if n > 0 {
          if isOutput {
            worker.received += buffer[0..<n]
            guard let answers = worker.takeAnswers() else {
              // Not an answer: the worker is broken; its run becomes a crash row.
              let index = worker.current
              let ending = worker.finish(kill: true)
              if let index {
                try record(
                  index, .crash,
                  formatter.row(
                    plan.runs[index],
                    BatchOutcome(
                      status: .crash, error: "the worker running it broke the answer protocol (\(ending))")))
              }
              try replace(worker)
              continue
            }
            for (index, status, row) in answers {
              worker.current = nil
              try record(index, status, row)
              dispatch(worker)
            }
          } else {
            worker.appendError(buffer[0..<n])
          }
          continue
        }
        // End of file: on standard output, the worker has exited.
        if !isOutput {
          close(worker.errors)
          worker.errors = -1
          continue
        }
        let inFlight = worker.current
        let ending = worker.finish(kill: false)
        if let index = inFlight {
          let why = worker.errorSummary.map { ": \($0)" } ?? ""
          let run = plan.runs[index]
          try record(
            index, .crash,
            formatter.row(
              run, BatchOutcome(status: .crash, error: "the worker running it died with \(ending)\(why)")))
        }
        try replace(worker)
      }
      if let timeout {
        let now = monotonicSeconds()
        for worker in workers where worker.current != nil && now - worker.started >= timeout {
          let index = worker.current!
          _ = worker.finish(kill: true)
          let run = plan.runs[index]
          try record(
            index, .timeout,
            formatter.row(
              run,
              BatchOutcome(
                status: .timeout,
                error: "the run took longer than \(formatDuration(timeout, precise: true)) (--timeout)",
                wallSeconds: now - worker.started)))
          try replace(worker)
        }
      }
      progress.update(done: tally.done, ok: tally.ok, failed: tally.failed)
    }
    progress.finish()
  }
}

/// This program's path, for starting workers.
func currentExecutable() -> String {
  #if os(Linux)
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    if n > 0 { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
  #endif
  return CommandLine.arguments[0]
}

/// `1.2 s` or `0:45` / `1:02:03`.
func formatDuration(_ seconds: Double, precise: Bool = false) -> String {
  if precise && seconds < 60 {
    let tenths = Int((seconds * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) s"
  }
  let total = Int(seconds.rounded())
  let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
  let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
  return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
}

// MARK: - Where rows go

protocol RowSink {
  func append(_ text: String) throws
  func finish() throws
}

/// Rows on standard output.
struct StandardOutputRows: RowSink {
  func append(_ text: String) throws {
    guard writeAll(1, text) else {
      throw BatchFailure("cannot write the rows to standard output: \(String(cString: strerror(errno)))")
    }
  }
  func finish() throws {}
}

/// The --out file: locked against a second batch writing it at once, read for resuming, then
/// appended to one whole row per write(2) (O_APPEND), so an interruption loses no written row
/// and leaves no half-written one behind except in a crash of the machine itself.
final class OutFile: RowSink {
  let path: String
  let fd: Int32
  private(set) var content: [UInt8] = []

  init(path: String) throws {
    self.path = path
    fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o666)
    guard fd >= 0 else {
      throw BatchUsageError("cannot open --out '\(path)': \(String(cString: strerror(errno))).")
    }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let reason =
        errno == EWOULDBLOCK ? "another hplab batch is writing it" : String(cString: strerror(errno))
      close(fd)
      throw BatchUsageError("cannot use --out '\(path)': \(reason).")
    }
    var buffer = [UInt8](repeating: 0, count: 65536)
    var offset: off_t = 0
    while true {
      let n = pread(fd, &buffer, buffer.count, offset)
      if n < 0 {
        if errno == EINTR { continue }
        let reason = String(cString: strerror(errno))
        close(fd)
        throw BatchUsageError("cannot read --out '\(path)': \(reason).")
      }
      if n == 0 { break }
      content += buffer[0..<n]
      offset += off_t(n)
    }
  }

  deinit { close(fd) }

  func append(_ text: String) throws {
    guard writeAll(fd, text) else {
      throw BatchFailure("cannot write to '\(path)': \(String(cString: strerror(errno)))")
    }
  }

  func finish() throws {
    if fsync(fd) != 0 && errno != EINVAL {
      throw BatchFailure("cannot write to '\(path)': \(String(cString: strerror(errno))) (fsync)")
    }
  }
}

// MARK: - Progress

/// `[#####.....] 12/80  ok 11  failed 1  0:12  ETA 0:45` on standard error, redrawn in place,
/// only when standard error is a terminal.
final class ProgressBar {
  let total: Int
  let alreadyDone: Int
  let enabled: Bool
  let start = monotonicSeconds()
  var lastDraw = 0.0
  var drawn = false

  init(total: Int, alreadyDone: Int) {
    self.total = total
    self.alreadyDone = alreadyDone
    enabled = Terminal.isTTY(2)
  }

  func update(done: Int, ok: Int, failed: Int) {
    guard enabled else { return }
    let now = monotonicSeconds()
    guard now - lastDraw >= 0.1 || done == total || !drawn else { return }
    lastDraw = now
    drawn = true
    let elapsed = now - start
    let doneHere = done - alreadyDone
    let remaining = total - done
    let eta = doneHere > 0 ? formatDuration(elapsed / Double(doneHere) * Double(remaining)) : "?"
    let width = 24
    let filled = total > 0 ? done * width / total : width
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    var line = "[\(bar)] \(done)/\(total)  ok \(ok)  failed \(failed)  \(formatDuration(elapsed))  ETA \(eta)"
    if let columns = Terminal.columns(fd: 2), line.count >= columns {
      line = String(line.prefix(columns - 1))
    }
    writeAll(2, "\r\u{1B}[K" + line)
  }

  func finish() {
    guard enabled && drawn else { return }
    writeAll(2, "\r\u{1B}[K")
  }
}
