import Foundation
import Testing

/// The `hplab` executable, run as a user runs it: exit statuses, stdin scripts, -c, run FILE.
@Suite struct CLITests {
  struct Result {
    var status: Int32
    var out: String
    var err: String
  }

  /// The hplab binary next to this test executable (swift build puts both in one directory).
  static let binary: String = {
    if let explicit = ProcessInfo.processInfo.environment["HPLAB_BINARY"] { return explicit }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
      "hplab"
    ).path
  }()

  func hplab(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws -> Result
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLITests.binary)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["HPLAB_HISTFILE"] = ""
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    input.fileHandleForWriting.write(stdin.data(using: .utf8)!)
    try input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, out: String(decoding: out, as: UTF8.self),
      err: String(decoding: err, as: UTF8.self))
  }

  @Test func scriptOnStandardInput() throws {
    let r = try hplab([], stdin: "let m = cpulist(\"0-3,8\")\nprint weight(m)\n")
    #expect(r.status == 0)
    #expect(r.out == "5\n")
    #expect(r.err == "")
  }

  @Test func failingExpectationExitsOneWithLocationAndBothSides() throws {
    let r = try hplab(["-c", "expect 1 == 2"])
    #expect(r.status == 1)
    #expect(
      r.err == """
        <command line>:1:8: error: expectation failed: 1 == 2
        expect 1 == 2
               ^~~~~~
          left:  1
          right: 2

        """)
  }

  @Test func scriptOnStandardInputStopsAtTheFirstError() throws {
    let r = try hplab([], stdin: "print 1\nprint nosuch\nprint 3\n")
    #expect(r.status == 1)
    #expect(r.out == "1\n")
    #expect(r.err.hasPrefix("<stdin>:2:7: error: unknown variable 'nosuch'\n"))
  }

  @Test func oneLinersWithSemicolons() throws {
    let r = try hplab(["-c", "let a = 2; let b = 3; print a * b; mask and 0-3 2-5"])
    #expect(r.status == 0 && r.out == "6\n2-3\n")
  }

  @Test func exitStatusFromExit() throws {
    #expect(try hplab(["-c", "print 1; exit 4; print 2"]).status == 4)
    #expect(try hplab(["-c", "quit"]).status == 0)
  }

  @Test func runFilesShareOneSession() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hplab-cli-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let a = directory.appendingPathComponent("a.hpl")
    let b = directory.appendingPathComponent("b.hpl")
    let bad = directory.appendingPathComponent("bad.hpl")
    try "let shared = cpulist(\"1-2\")\n".write(to: a, atomically: true, encoding: .utf8)
    try "print shared\nexpect weight(shared) == 3\n".write(to: b, atomically: true, encoding: .utf8)
    try "print \"never\"\n".write(to: bad, atomically: true, encoding: .utf8)
    let r = try hplab(["run", a.path, b.path, bad.path])
    #expect(r.status == 1)
    #expect(r.out == "1-2\n")
    #expect(r.err.hasPrefix("\(b.path):2:8: error: expectation failed: weight(shared) == 3\n"))
    let missing = try hplab(["run", directory.appendingPathComponent("missing.hpl").path])
    #expect(missing.status == 1)
    #expect(missing.err.contains("missing.hpl': No such file or directory"))
  }

  @Test func usageErrorsExitTwo() throws {
    let r = try hplab(["--bogus"])
    #expect(r.status == 2)
    #expect(r.err.contains("Unknown option '--bogus'"))
    #expect(try hplab(["run"]).status == 2)
  }

  @Test func versionAndHelpWithExamples() throws {
    let version = try hplab(["--version"])
    #expect(version.status == 0 && version.out == "0.1.0\n")
    let help = try hplab(["--help"])
    #expect(help.status == 0)
    #expect(help.out.contains("Examples:"))
    #expect(help.out.contains("hplab -c 'let m = cpulist(\"0-3,8\"); print weight(m)'"))
  }

  /// Off a terminal the help is wrapped at 80 columns: prose paragraphs flow, and no example
  /// command is broken onto a second line.
  @Test func helpReadsWellInEightyColumns() throws {
    for arguments in [
      ["--help"], ["help", "run"], ["help", "batch"], ["help", "check"], ["help", "export"],
    ] {
      let help = try hplab(arguments)
      #expect(help.status == 0)
      let lines = help.out.split(separator: "\n", omittingEmptySubsequences: false)
      let discussion = lines.prefix { !$0.hasPrefix("USAGE:") }
      #expect(discussion.allSatisfy { $0.count <= 80 }, "\(arguments)")
      if let examples = lines.firstIndex(of: "Examples:") {
        let block = lines[(examples + 1)...].prefix { !$0.isEmpty }
        #expect(
          block.allSatisfy { $0.hasPrefix("  hplab") || $0.hasPrefix("  printf") }, "\(arguments): \(block)")
      }
      // A paragraph is one flowing text: no line ends after just a word or two of a sentence.
      let prose = discussion.filter { !$0.hasPrefix("  ") && !$0.isEmpty }
      #expect(
        prose.dropLast().allSatisfy { $0.count >= 40 || $0.hasSuffix(":") || $0.hasSuffix(".") },
        "\(arguments)")
    }
  }

  @Test func noColourWhenNotATerminal() throws {
    let r = try hplab(["-c", "print nosuch"], environment: ["TERM": "xterm-256color"])
    #expect(!r.err.contains("\u{1B}["))
  }
}
