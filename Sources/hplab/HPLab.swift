import HostFiles
import ArgumentParser
import Lab
import LabScript

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// `hplab`: the REPL, `-c` one-liners, scripts on stdin, and `hplab run FILE...`.
struct HPLab: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "hplab",
    abstract:
      "HotplugLab: step through arm64 virtual CPU hotplug on a modelled virt machine and Linux guest.",
    discussion: """
      With no arguments on a terminal, hplab starts an interactive session (history, Tab completion, \
      `help`). When standard input is not a terminal, it runs the text it reads as a script.

      Examples:
        hplab                             # an interactive session
        hplab -c 'let m = cpulist("0-3,8"); print weight(m)'
        printf 'print 1 + 2\\n' | hplab    # a script on stdin
        hplab run experiment.hpl          # scripts; stop at the first error
        hplab run --step Lessons/01-cpu-masks.md    # a cell at a time
        hplab check Lessons/              # run every lesson, compare outputs
        hplab run sweep.hpl --set maxcpus=8 --json  # shell variables, JSON
        hplab batch sweep.hpl --param maxcpus=2..64:x2 --out sweep.csv

      Exit status: 0 on success, 1 when a script fails (an error or an unmet expect), 2 on a usage error.
      """,
    version: version,
    subcommands: [Run.self, Batch.self, Check.self, Export.self]
  )

  @Option(
    name: .customShort("c"),
    help: ArgumentHelp("Run these commands (separated by ';' or newlines) and exit.", valueName: "commands"))
  var commands: String?

  mutating func run() throws {
    let output = StandardOutput()
    let lab = LabSession(output: output)
    let session = lab.session
    if let commands {
      throw ExitCode(runScript(commands, name: "<command line>", session: session, output: output))
    }
    if Terminal.isTTY(0) && Terminal.isTTY(1) {
      Interrupts.install()
      throw ExitCode(
        REPL(session: session, notebook: lab.notebook, output: output, color: Terminal.colorEnabled(fd: 2))
          .run())
    }
    var text = ""
    while let line = readLine(strippingNewline: false) { text += line }
    throw ExitCode(runScript(text, name: "<stdin>", session: session, output: output))
  }
}

/// `hplab run FILE...`
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run script files and lessons in one session, in order.",
    discussion: """
      On the first failing command or expectation, prints its location and exits with status 1. \
      A lesson (.md) is shown like a notebook: the prose, then each cell and what it prints. \
      With --step the lesson pauses after each cell: Enter goes on, commands typed there run in \
      the lesson's session, Ctrl-D stops. A lesson that cannot be read or breaks the lesson \
      format exits with status 2.
      """
  )

  @Flag(help: "Pause after each cell of a lesson (.md) and take commands until an empty line.")
  var step = false

  @Argument(help: ArgumentHelp("Script files (.hpl) and lessons (.md).", valueName: "file"))
  var files: [String]

  @OptionGroup var inputs: ScriptInputs

  func validate() throws {
    if step, let script = files.first(where: { !isLesson($0) }) {
      throw ValidationError("--step works with lessons (.md files), not '\(script)'.")
    }
    if inputs.json, let lesson = files.first(where: isLesson) {
      throw ValidationError("--json works with scripts (.hpl), not lessons: '\(lesson)'.")
    }
  }

  mutating func run() throws {
    let output = StandardOutput()
    let lab = LabSession(output: inputs.scriptOutput(output))
    let session = lab.session
    inputs.bind(session)
    defer { inputs.printResults(of: session) }
    for file in files {
      if isLesson(file) {
        let status = runLesson(file, step: step, lab: lab, output: output)
        if status != 0 || session.exitStatus != nil { throw ExitCode(status) }
        continue
      }
      let text: String
      do { text = try HostFile.readText(file) } catch {
        output.writeError("hplab: cannot read '\(file)': \(error.detail)\n")
        throw ExitCode(1)
      }
      let status = runScript(text, name: file, session: session, output: output)
      if status != 0 || session.exitStatus != nil { throw ExitCode(status) }
    }
  }
}

/// A session with every module's commands registered.
func makeSession(output: any OutputSink) -> Session {
  LabModules.makeSession(output: output)
}

/// Runs a script; returns the exit status (1 on an error, or what `exit` asked for).
func runScript(_ text: String, name: String, session: Session, output: StandardOutput) -> Int32 {
  do {
    try session.run(text, name: name)
  } catch {
    output.writeError(error.render(color: Terminal.colorEnabled(fd: 2)))
    return 1
  }
  output.flush()
  return session.exitStatus ?? 0
}

@main
enum Main {
  static func main() {
    do {
      var command = try HPLab.parseAsRoot()
      try command.run()
    } catch {
      // swift-argument-parser reports usage errors with EX_USAGE (64); hplab's convention is 2.
      let code = HPLab.exitCode(for: error)
      if code.rawValue == 64 {
        fputs(HPLab.fullMessage(for: error) + "\n", stderr)
        exit(2)
      }
      fflush(stdout)
      HPLab.exit(withError: error)
    }
  }
}
