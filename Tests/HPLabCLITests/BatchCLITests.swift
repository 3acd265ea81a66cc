import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `hplab run --set/--seed/--json` and `hplab batch`, run as a user runs them.
@Suite struct BatchCLITests {
  typealias Result = CLITests.Result

  func hplab(_ arguments: [String], stdin: String = "") throws -> Result {
    try CLITests().hplab(arguments, stdin: stdin)
  }

  /// A temporary folder, removed when the test ends.
  final class Folder {
    let path: String
    init() throws {
      path =
        FileManager.default.temporaryDirectory.appendingPathComponent("hplab-batch-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ text: String) throws -> String {
      let file = path + "/" + name
      try text.write(toFile: file, atomically: true, encoding: .utf8)
      return file
    }

    func read(_ name: String) throws -> String {
      try String(contentsOfFile: path + "/" + name, encoding: .utf8)
    }

    func file(_ name: String) -> String { path + "/" + name }
  }

  /// A script that uses the language only: a mask from the parameter, random draws, and a failure
  /// for n == 3.
  static let sweep = """
    let m = cpulist("0-${n - 1}")
    emit cpus (weight(m))
    emit pick (random_int(1, 1000))
    emit online $m
    print "ran", n
    if n == 3 { expect weight(m) == 2 }
    """

  static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

  static func jsonRows(_ text: String) throws -> [[String: Any]] {
    try lines(text).map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
  }

  // MARK: hplab run --set --seed --json

  @Test func setBindsTypedVariablesAndJSONPrintsTheEmittedValues() throws {
    let folder = try Folder()
    let script = try folder.write(
      "x.hpl",
      """
      print "hello", n
      emit n $n
      emit flag $flag
      emit who $who
      emit m (cpulist("0-${n - 1}"))
      emit l ([n, who, none])
      emit kind (type(n))
      """)
    let r = try hplab(["run", script, "--set", "n=4", "--set", "flag=true", "--set", "who=cpu 1", "--json"])
    #expect(r.status == 0)
    #expect(r.out == #"{"n":4,"flag":true,"who":"cpu 1","m":"0-3","l":[4,"cpu 1",null],"kind":"int"}"# + "\n")
    #expect(r.err == "hello 4\n")
    let plain = try hplab(["run", script, "--set", "n=0x10", "--set", "flag=no", "--set", "who="])
    #expect(plain.status == 0 && plain.out == "hello 16\n" && plain.err == "")
  }

  @Test func jsonIsPrintedAfterAFailureWithWhatWasEmitted() throws {
    let folder = try Folder()
    let script = try folder.write("x.hpl", "emit a 1\nexpect 1 == 2\nemit b 2\n")
    let r = try hplab(["run", script, "--json"])
    #expect(r.status == 1)
    #expect(r.out == #"{"a":1}"# + "\n")
    #expect(r.err.contains("x.hpl:2:8: error: expectation failed: 1 == 2"))
    let none = try hplab(["run", try folder.write("y.hpl", "print 1\n"), "--json"])
    #expect(none.status == 0 && none.out == "{}\n" && none.err == "1\n")
  }

  @Test func runSetAndJSONUsageErrorsExitTwo() throws {
    let folder = try Folder()
    let script = try folder.write("x.hpl", "print 1\n")
    let lesson = try folder.write("l.md", "# L\n")
    let cases: [([String], String)] = [
      (["--set", "n"], "--set 'n': write NAME=VALUE"),
      (["--set", "if=1"], "'if' cannot name a variable"),
      (["--set", "9x=1"], "'9x' cannot name a variable"),
      (["--set", "seed=4"], "give the seed with --seed 4"),
      (["--set", "a=1", "--set", "a=2"], "'a' is set twice"),
      (["--seed", "x"], "--seed"),
    ]
    for (arguments, message) in cases {
      let r = try hplab(["run", script] + arguments)
      #expect(r.status == 2, "\(arguments)")
      #expect(r.err.contains(message), "\(arguments): \(r.err)")
      #expect(r.out == "")
    }
    let json = try hplab(["run", lesson, "--json"])
    #expect(json.status == 2 && json.err.contains("--json works with scripts (.hpl), not lessons"))
  }

  @Test func runWithABatchRowsSeedRepeatsTheRow() throws {
    let folder = try Folder()
    let script = try folder.write("sweep.hpl", Self.sweep)
    let batch = try hplab([
      "batch", script, "--param", "n=1,2,4", "--repeat", "2", "--seed", "9", "--format", "jsonl",
    ])
    #expect(batch.status == 0)
    let rows = try Self.jsonRows(batch.out)
    #expect(rows.count == 6)
    #expect(Set(rows.map { $0["pick"] as! Int }).count > 1)
    for row in rows {
      let n = row["n"] as! Int
      let seed = row["seed"] as! Int
      let single = try hplab(["run", script, "--set", "n=\(n)", "--seed", "\(seed)", "--json"])
      #expect(single.status == 0)
      let values = try JSONSerialization.jsonObject(with: Data(single.out.utf8)) as! [String: Any]
      #expect(values["pick"] as! Int == row["pick"] as! Int)
      #expect(values["online"] as! String == row["online"] as! String)
    }
  }

  // MARK: hplab batch: rows

  @Test func csvHasOneRowPerRunWithParametersResultsStatusAndError() throws {
    let folder = try Folder()
    let script = try folder.write("sweep.hpl", Self.sweep)
    let r = try hplab(["batch", script, "--param", "n=1..4", "--param", "tag=a"])
    #expect(r.status == 1)
    let lines = Self.lines(r.out)
    #expect(lines.count == 5)
    #expect(lines[0] == "run_id,n,tag,repeat,seed,status,cpus,pick,online,error")
    let fields = lines.dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    #expect(fields.map { $0[1] } == ["1", "2", "3", "4"])
    #expect(fields.map { $0[5] } == ["ok", "ok", "error", "ok"])
    #expect(fields[1][8] == "0-1")
    #expect(lines[3].hasSuffix(",\"\(script):6:20: expectation failed: weight(m) == 2 (left: 3, right: 2)\""))
    #expect(lines[4].hasSuffix(",0-3,"))
    #expect(r.err.hasPrefix("hplab batch: 4 runs, 3 ok, 1 failed; seed 0; "))
    #expect(Self.lines(r.err).count == 1)

    let allOK = try hplab(["batch", script, "--param", "n=1,2"])
    #expect(allOK.status == 0)
    #expect(allOK.err.hasPrefix("hplab batch: 2 runs, 2 ok, 0 failed; seed 0; "))
  }

  @Test func jsonLinesKeepTypesAndTimingAddsHostTime() throws {
    let folder = try Folder()
    let script = try folder.write("t.hpl", "emit same $v\nemit t (type(v))\n")
    let r = try hplab(["batch", script, "--param", "v=true,x,0x10,-3", "--format", "jsonl", "--timing"])
    #expect(r.status == 0)
    let rows = try Self.jsonRows(r.out)
    #expect(rows.map { $0["t"] as! String } == ["bool", "string", "int", "int"])
    #expect(rows[2]["v"] as! Int == 16 && rows[2]["same"] as! Int == 16)
    #expect(rows[0]["v"] as! Bool == true)
    #expect(rows.allSatisfy { ($0["host_wall_s"] as! Double) >= 0 && $0["error"] is NSNull })
    let first = Self.lines(r.out)[0]
    #expect(first.hasPrefix(#"{"run_id":""#))
    #expect(first.contains(#","status":"ok","same":true,"t":"bool","host_wall_s":"#))
  }

  @Test func rangesStepsAndFactors() throws {
    let folder = try Folder()
    let script = try folder.write("t.hpl", "emit twice (n * 2)\n")
    let r = try hplab(["batch", script, "--param", "n=1..64:x2", "--format", "jsonl"])
    #expect(try Self.jsonRows(r.out).map { $0["n"] as! Int } == [1, 2, 4, 8, 16, 32, 64])
    let s = try hplab(["batch", script, "--param", "n=0..10:5, 20,-3..-1", "--format", "jsonl"])
    #expect(s.status == 0)
    #expect(try Self.jsonRows(s.out).map { $0["n"] as! Int } == [0, 5, 10, 20, -3, -2, -1])
  }

  @Test func exitAndStrayEmitsMakeErrorRows() throws {
    let folder = try Folder()
    _ = try folder.write("other.hpl", "emit hidden 1\n")
    let script = try folder.write(
      "t.hpl", "emit n2 (n * n)\nif n == 2 { exit 3 }\nif n == 3 { exit 0 }\nif n == 4 { source other.hpl }\n"
    )
    let r = try hplab(["batch", script, "--param", "n=1..4", "--format", "jsonl"])
    #expect(r.status == 1)
    let rows = try Self.jsonRows(r.out)
    #expect(rows.map { $0["status"] as! String } == ["ok", "error", "ok", "error"])
    #expect(rows[1]["error"] as! String == "the script ended with `exit 3`")
    #expect((rows[3]["error"] as! String).contains("the run emitted 'hidden', which is not a column"))
    #expect(rows[3]["n2"] as! Int == 16)
  }

  // MARK: determinism

  @Test func theSameSeedGivesTheSameBytesWhateverTheJobs() throws {
    let folder = try Folder()
    let script = try folder.write("sweep.hpl", Self.sweep)
    let arguments = ["batch", script, "--param", "n=1..6", "--repeat", "3", "--seed", "5"]
    let one = try hplab(arguments)
    let again = try hplab(arguments)
    let parallel = try hplab(arguments + ["--jobs", "3"])
    #expect(one.out == again.out && one.out == parallel.out)
    #expect(Self.lines(one.out).count == 19)
    let other = try hplab(["batch", script, "--param", "n=1..6", "--repeat", "3", "--seed", "6"])
    let ids = { (text: String) in Set(Self.lines(text).dropFirst().map { $0.prefix(12) }) }
    #expect(ids(one.out).count == 18)
    #expect(ids(one.out).isDisjoint(with: ids(other.out)))
  }

  @Test func aRunsIdAndSeedDependOnItsParametersNotItsPosition() throws {
    let folder = try Folder()
    let script = try folder.write("sweep.hpl", Self.sweep)
    let small = try hplab(["batch", script, "--param", "n=2,4", "--param", "k=x", "--seed", "3"])
    let large = try hplab(["batch", script, "--param", "k=x", "--param", "n=1,2,4,5", "--seed", "3"])
    // Same runs, other column order: compare run_id, seed and pick by run id.
    func byID(_ text: String, _ columns: (Int, Int)) -> [String: [String]] {
      var rows: [String: [String]] = [:]
      for line in Self.lines(text).dropFirst() {
        let f = line.split(separator: ",").map(String.init)
        rows[f[0]] = [f[columns.0], f[columns.1]]
      }
      return rows
    }
    let a = byID(small.out, (4, 7))
    let b = byID(large.out, (4, 7))
    #expect(a.count == 2 && b.count == 4)
    for (id, values) in a { #expect(b[id] == values) }
  }

  // MARK: resuming and sharding

  @Test func aRerunSkipsTheRowsAlreadyInOutAndFinishesTheFile() throws {
    for format in ["csv", "jsonl"] {
      let folder = try Folder()
      let script = try folder.write("sweep.hpl", Self.sweep)
      let out = folder.file("out.\(format)")
      let arguments = ["batch", script, "--param", "n=1..4", "--repeat", "2", "--out", out]
      let full = try hplab(arguments)
      #expect(full.status == 1 && full.out == "")
      let complete = try folder.read("out.\(format)")
      let header = format == "csv" ? 1 : 0
      #expect(Self.lines(complete).count == 8 + header)

      // An interrupted batch: the header and the first three rows.
      let partial = Self.lines(complete).prefix(3 + header).joined(separator: "\n") + "\n"
      try partial.write(toFile: out, atomically: true, encoding: .utf8)
      let resumed = try hplab(arguments)
      #expect(resumed.status == 1)
      #expect(resumed.err.hasPrefix("hplab batch: 8 runs, 6 ok, 2 failed (3 already in \(out)); seed 0"))
      #expect(try folder.read("out.\(format)") == complete)

      let nothingLeft = try hplab(arguments)
      #expect(nothingLeft.err.contains("(8 already in"))
      #expect(try folder.read("out.\(format)") == complete)
    }
  }

  @Test func shardsConcatenateToExactlyTheFullRun() throws {
    for format in ["csv", "jsonl"] {
      let folder = try Folder()
      let script = try folder.write("sweep.hpl", Self.sweep)
      let arguments = ["batch", script, "--param", "n=1..7", "--seed", "2", "--format", format]
      let full = try hplab(arguments)
      #expect(Self.lines(full.out).count == (format == "csv" ? 8 : 7))
      for n in [2, 3, 8] {
        var joined = ""
        for k in 1...n {
          let part = folder.file("part-\(n)-\(k).\(format)")
          let r = try hplab(arguments + ["--shard", "\(k)/\(n)", "--out", part])
          #expect(r.status <= 1)
          #expect(r.err.contains("shard \(k)/\(n) of 7 runs"))
          joined += try folder.read("part-\(n)-\(k).\(format)")
        }
        #expect(joined == full.out, "\(format), \(n) shards")
      }
      // A shard on standard output is the same slice.
      let stdoutParts = try (1...2).map { try hplab(arguments + ["--shard", "\($0)/2"]).out }.joined()
      #expect(stdoutParts == full.out)
    }
  }

  // MARK: progress

  @Test func progressIsDrawnOnlyWhenStandardErrorIsATerminal() throws {
    let folder = try Folder()
    let script = try folder.write("sweep.hpl", Self.sweep)
    let arguments = ["batch", script, "--param", "n=1..5"]
    let piped = try hplab(arguments)
    #expect(!piped.err.contains("\r") && !piped.err.contains("ETA"))
    #expect(Self.lines(piped.err).count == 1)

    let (status, stdout, terminal) = try runWithTerminalStandardError(arguments)
    #expect(status == 1)
    #expect(stdout == piped.out)
    #expect(terminal.contains("ETA"))
    #expect(terminal.contains("] 5/5  ok 4  failed 1"))
    #expect(terminal.contains("\r\u{1B}[K"))
    #expect(terminal.contains("hplab batch: 5 runs, 4 ok, 1 failed; seed 0;"))
  }

  /// Runs hplab with standard error on a pseudo-terminal; returns the status, standard output and
  /// what reached the terminal.
  func runWithTerminalStandardError(_ arguments: [String]) throws -> (Int32, String, String) {
    // A pseudo-terminal pair, as posix_openpt/unlockpt/ptsname make it (which Glibc's Swift module
    // does not export): /dev/ptmx, then TIOCSPTLCK and TIOCGPTN (asm-generic ioctl numbers).
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
    try #require(master >= 0)
    var unlock: Int32 = 0
    var number: UInt32 = 0
    try #require(ioctl(master, UInt(0x4004_5431), &unlock) == 0)
    try #require(ioctl(master, UInt(0x8004_5430), &number) == 0)
    let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
    try #require(slave >= 0)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLITests.binary)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = FileHandle.nullDevice
    process.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
    try process.run()
    close(slave)
    final class Box: @unchecked Sendable { var bytes: [UInt8] = [] }
    let box = Box()
    let reader = Thread {
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let n = read(master, &buffer, buffer.count)
        if n <= 0 { break }
        box.bytes += buffer[0..<n]
      }
    }
    reader.start()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !reader.isFinished { usleep(10_000) }
    close(master)
    return (
      process.terminationStatus, String(decoding: out, as: UTF8.self),
      String(decoding: box.bytes, as: UTF8.self)
    )
  }

  // MARK: timeouts and crashes

  @Test func aRunPastTheTimeoutIsKilledAndTheBatchGoesOn() throws {
    let folder = try Folder()
    let script = try folder.write(
      "t.hpl", "config loop_limit=1000000000\nif n == 2 { while true { } }\nemit done true\n")
    let r = try hplab(["batch", script, "--param", "n=1..3", "--timeout", "0.5", "--format", "jsonl"])
    #expect(r.status == 1)
    let rows = try Self.jsonRows(r.out)
    #expect(rows.map { $0["status"] as! String } == ["ok", "timeout", "ok"])
    #expect(rows[1]["error"] as! String == "the run took longer than 0.5 s (--timeout)")
    #expect(rows[1]["done"] is NSNull)
    #expect(r.err.hasPrefix("hplab batch: 3 runs, 2 ok, 1 failed"))
  }

  @Test func aWorkerThatDiesMakesACrashRowAndTheBatchGoesOn() throws {
    let folder = try Folder()
    let script = try folder.write(
      "t.hpl", "config loop_limit=1000000000\nif n == 2 { while true { } }\nemit done true\n")
    let out = folder.file("out.csv")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLITests.binary)
    process.arguments = ["batch", script, "--param", "n=1..3", "--out", out]
    process.standardError = Pipe()
    try process.run()
    // Once the first row is written, the worker is on the endless run: kill it as a trap would.
    var worker: pid_t?
    for _ in 0..<1000 where worker == nil {
      usleep(10_000)
      let rows = (try? String(contentsOfFile: out, encoding: .utf8)).map(Self.lines) ?? []
      if rows.count >= 2 { worker = childProcess(of: process.processIdentifier) }
    }
    guard let worker else {
      process.terminate()
      Issue.record("the worker was not found")
      return
    }
    usleep(100_000)
    kill(worker, SIGSEGV)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    let lines = Self.lines(try folder.read("out.csv"))
    #expect(lines.count == 4)
    #expect(lines[1].contains(",ok,true,"))
    #expect(lines[2].contains(",crash,,"))
    #expect(lines[2].contains("the worker running it died with signal 11"))
    #expect(lines[3].contains(",ok,true,"))
  }

  @Test func ctrlCStopsTheWorkersAndKeepsTheWrittenRows() throws {
    let folder = try Folder()
    let script = try folder.write(
      "t.hpl", "config loop_limit=1000000000\nif n == 2 { while true { } }\nemit done true\n")
    let out = folder.file("out.csv")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLITests.binary)
    process.arguments = ["batch", script, "--param", "n=1..3", "--out", out, "--timeout", "60"]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    var worker: pid_t?
    for _ in 0..<1000 where worker == nil {
      usleep(10_000)
      let rows = (try? String(contentsOfFile: out, encoding: .utf8)).map(Self.lines) ?? []
      if rows.count >= 2 { worker = childProcess(of: process.processIdentifier) }
    }
    try #require(worker != nil)
    usleep(100_000)
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 130)
    #expect(
      err.contains(
        "hplab batch: stopped by Interrupt after 1 of 3 runs (1 ok, 0 failed), and \(out) keeps them: "
          + "run the same command again to finish"))
    // The run that was going on has no row (a re-run does it), and its worker is gone.
    let lines = Self.lines(try folder.read("out.csv"))
    #expect(lines.count == 2 && lines[1].contains(",1,1,") && lines[1].contains(",ok,true,"))
    var gone = false
    for _ in 0..<100 where !gone {
      let state = (try? String(contentsOfFile: "/proc/\(worker!)/status", encoding: .utf8)) ?? ""
      gone = state.isEmpty || state.contains("State:\tZ")
      if !gone { usleep(10_000) }
    }
    #expect(gone)
  }

  /// A child process of `parent` (from /proc).
  func childProcess(of parent: pid_t) -> pid_t? {
    guard let text = try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)
    else { return nil }
    return text.split(separator: " ").compactMap { pid_t($0) }.first
  }

  // MARK: usage errors

  @Test func usageErrorsExitTwoAndSayWhereAndWhy() throws {
    let folder = try Folder()
    let script = try folder.write("sweep.hpl", Self.sweep)
    let lesson = try folder.write("l.md", "# L\n")
    let broken = try folder.write("broken.hpl", "let x = (1 +\n")
    let clash = try folder.write("clash.hpl", "emit cpus 1\nemit n 2\n")
    let dynamic = try folder.write("dynamic.hpl", "let name = \"a\"\nemit $name 1\n")
    let cases: [([String], String)] = [
      ([script, "--param", "n"], "hplab batch: --param 'n': write NAME=VALUES"),
      ([script, "--param", "n=1..x"], "the range '1..x' needs integer ends"),
      ([script, "--param", "n=5..1"], "the range '5..1' is empty"),
      ([script, "--param", "n=1..8:x1"], "needs a factor of at least 2"),
      ([script, "--param", "2n=1"], "'2n' cannot name a variable"),
      ([script, "--param", "n=1", "--param", "n=2"], "'n' is given twice"),
      ([script, "--param", "n=1,,2"], "an empty value"),
      ([script, "--param", "n=1,2,1"], "the value 1 is listed twice"),
      ([script, "--param", "status=1"], "'status' is a column the batch writes itself"),
      ([script, "--param", "seed=1"], "give the master seed with --seed"),
      ([script, "--param", "a=1..1000", "--param", "b=1..1001"], "the grid has more than 1000000 runs"),
      ([script, "--shard", "1"], "--shard '1': write K/N"),
      ([script, "--shard", "0/2"], "K must be between 1 and N"),
      ([script, "--shard", "3/2"], "K must be between 1 and N"),
      ([script, "--repeat", "0"], "--repeat must be at least 1"),
      ([script, "--jobs", "0"], "--jobs must be at least 1"),
      ([script, "--timeout", "0"], "--timeout must be a positive number"),
      ([script, "--format", "xml"], "--format must be csv or jsonl, not 'xml'"),
      (
        [folder.file("missing.hpl")], "cannot read '\(folder.file("missing.hpl"))': No such file or directory"
      ),
      ([folder.path], "Is a directory"),
      ([lesson], "hplab batch runs scripts (.hpl), not lessons"),
      ([broken], "\(broken):2:1: error: "),
      (
        [clash, "--param", "n=1"],
        "\(clash):2:6: the result 'n' would be a second column of that name (a --param)"
      ),
      ([dynamic], "\(dynamic):2:6: error: emit's NAME must be a plain word here"),
      ([script, "--out", folder.path], "cannot open --out"),
    ]
    for (arguments, message) in cases {
      let r = try hplab(["batch"] + arguments)
      #expect(r.status == 2, "\(arguments): \(r.err)")
      #expect(r.err.contains(message), "\(arguments): \(r.err)")
      #expect(r.out == "", "\(arguments)")
    }
  }

  @Test func anOutFileOfAnotherBatchOrTornIsRefused() throws {
    let folder = try Folder()
    let script = try folder.write("sweep.hpl", Self.sweep)
    let other = try folder.write("other.csv", "run_id,x,repeat,seed,status,error\n")
    let r = try hplab(["batch", script, "--param", "n=1", "--out", other])
    #expect(r.status == 2)
    #expect(r.err.contains("\(other):1: the file's columns are not this batch's."))
    #expect(try folder.read("other.csv") == "run_id,x,repeat,seed,status,error\n")

    let out = folder.file("out.csv")
    _ = try hplab(["batch", script, "--param", "n=1,2", "--out", out])
    let complete = try folder.read("out.csv")
    try String(complete.dropLast(5)).write(toFile: out, atomically: true, encoding: .utf8)
    let torn = try hplab(["batch", script, "--param", "n=1,2", "--out", out])
    #expect(torn.status == 2)
    #expect(torn.err.contains("\(out):3: the last line is incomplete"))

    let jsonl = try folder.write("x.jsonl", "{\"run_id\": \n")
    let bad = try hplab(["batch", script, "--param", "n=1", "--out", jsonl])
    #expect(bad.status == 2 && bad.err.contains("\(jsonl):1: not a JSON object: expected a value"))

    let rows = try folder.write("rows.csv", "abc,1,1,2,ok,1,2,0,\n")
    let notID = try hplab(["batch", script, "--param", "n=1", "--out", rows])
    #expect(notID.status == 2 && notID.err.contains("\(rows):1: 'abc' is not a run id"))
  }

  @Test func aSecondBatchOnTheSameOutIsRefused() throws {
    let folder = try Folder()
    let script = try folder.write("sweep.hpl", Self.sweep)
    let out = folder.file("out.csv")
    let fd = open(out, O_RDWR | O_CREAT, 0o644)
    defer { close(fd) }
    #expect(flock(fd, LOCK_EX) == 0)
    let r = try hplab(["batch", script, "--param", "n=1", "--out", out])
    #expect(r.status == 2)
    #expect(r.err.contains("cannot use --out '\(out)': another hplab batch is writing it"))
  }

  @Test func dryRunPrintsThePlanAndRunsNothing() throws {
    let folder = try Folder()
    let script = try folder.write("sweep.hpl", Self.sweep)
    let out = folder.file("out.csv")
    let r = try hplab([
      "batch", script, "--param", "n=1..3", "--repeat", "2", "--dry-run", "--out", out, "--shard", "2/2",
    ])
    #expect(r.status == 0)
    let lines = Self.lines(r.out)
    #expect(lines.count == 3)
    #expect(lines[0].contains(" n=2 repeat=2 seed="))
    #expect(r.err == "hplab batch: 3 runs planned (of 6 in the whole batch)\n")
    #expect(!FileManager.default.fileExists(atPath: out))
    let full = try hplab(["batch", script, "--param", "n=1..3", "--repeat", "2"])
    #expect(Self.lines(full.out).suffix(3).map { $0.prefix(12) } == lines.map { $0.prefix(12) })
  }

  @Test func batchIsListedInHelp() throws {
    let help = try hplab(["batch", "--help"])
    #expect(help.status == 0)
    #expect(help.out.contains("--shard <k/n>"))
    #expect(help.out.contains("Runs execute in worker processes"))
    #expect(!help.out.contains("--worker"))
    #expect(try hplab(["--help"]).out.contains("batch"))
  }
}
