import LabScript
import Notebook

/// The interactive session: a prompt (`hplab> `), a continuation prompt (`...> `) while a block,
/// string or bracket is open, history and completion. An error never ends it; `exit`, `quit` and
/// Ctrl-D do, with status 0 (or the status given to `exit`).
struct REPL {
  let session: Session
  /// The notebook commands of `session`: the REPL records its entries there for `save`.
  let notebook: NotebookCommands
  let output: StandardOutput
  let color: Bool

  static let prompt = "hplab> "
  static let continuation = "...> "

  func run() -> Int32 {
    let editor = LineEditor(programName: "hplab", historyPath: LineEditor.defaultHistoryPath()) {
      [session] before in
      let completion = session.complete(before)
      guard !completion.candidates.isEmpty else { return nil }
      return (completion.insertion, completion.candidates)
    }
    session.interruptCheck = { Interrupts.take() }
    let recorder = SessionRecorder { LabSession(output: BufferedOutput()).session }
    notebook.recorder = recorder
    output.write("HotplugLab \(HPLab.version) — `help` lists the commands, Tab completes, Ctrl-D leaves.\n")
    output.flush()
    var pending = ""
    var entry = 0
    while true {
      switch editor.read(prompt: pending.isEmpty ? REPL.prompt : REPL.continuation) {
      case .endOfInput:
        output.write("\n")
        output.flush()
        return session.exitStatus ?? 0
      case .interrupted:
        output.write("\n")
        pending = ""
        continue
      case .line(let line):
        editor.remember(line)
        pending += line + "\n"
        if session.needsMoreInput(pending) { continue }
        entry += 1
        let text = pending
        pending = ""
        _ = Interrupts.take()
        var interrupted = false
        do {
          try session.run(text, name: "<repl>")
        } catch {
          // After ^C the terminal's cursor is still on the echoed line.
          interrupted = error.kind == .interrupted
          output.writeError((interrupted ? "\n" : "") + error.render(color: color))
        }
        recorder.record(text, interrupted: interrupted)
        output.flush()
        if let status = session.exitStatus { return status }
      }
    }
  }
}
