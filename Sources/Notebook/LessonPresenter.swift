import LabScript

/// A line typed at a `--step` pause.
public enum StepInput: Sendable, Equatable {
  case line(String)
  /// Ctrl-C: the line was abandoned.
  case interrupted
  /// Ctrl-D or the end of input: the reader wants to stop.
  case endOfInput
}

/// `hplab run LESSON.md`: shows a lesson in the terminal like a notebook — the prose rendered
/// for reading, each cell with its prompts, then what it prints, as it runs. With a step reader
/// (`--step`) it pauses after each cell: an empty line goes on, anything else runs as commands
/// in the lesson's session. At an exercise it waits for the reader's own answer, checks it with
/// the next cell, and offers the lesson's solution with `:solution`.
public final class LessonPresenter {
  public enum Outcome: Sendable, Equatable {
    /// Every cell ran; the listed cells printed something other than their output blocks.
    case finished(differing: [Int])
    /// The reader stopped (Ctrl-D, `quit`) after the given number of cells.
    case stopped(afterCell: Int)
    /// A cell failed with an unexpected error (or ran `exit`); the rest did not run.
    case failed(LessonRun.Stop)
  }

  public let lesson: Lesson
  public let runner: LessonRunner
  let terminal: any OutputSink
  let style: TerminalStyle
  let markdown: MarkdownTerminalRenderer
  let read: ((String) -> StepInput)?

  /// `terminal` receives everything; `read`, when given, makes the run pause after each cell
  /// and reads the reader's lines with a prompt.
  public init(
    lesson: Lesson, runner: LessonRunner, terminal: any OutputSink, width: Int = 80, color: Bool = false,
    read: ((String) -> StepInput)? = nil
  ) {
    self.lesson = lesson
    self.runner = runner
    self.terminal = terminal
    self.style = TerminalStyle(enabled: color)
    self.markdown = MarkdownTerminalRenderer(width: width, color: color)
    self.read = read
  }

  var session: Session { runner.session }

  public func present() -> Outcome {
    let cells = lesson.cells
    var differing: [Int] = []
    var alreadyRan: Set<Int> = []
    if read != nil {
      terminal.write(
        style.dim(
          "Step mode: after each cell, press Enter for the next, or type commands to explore; Ctrl-D stops.")
          + "\n\n")
    }
    var shownProse: Set<Int> = []
    for (index, block) in lesson.blocks.enumerated() {
      switch block {
      case .prose(let range):
        if shownProse.contains(index) { continue }
        terminal.write(markdown.render(markdown: lesson.text(of: range)) + "\n")
      case .cell(let cell):
        if alreadyRan.contains(cell.number) { continue }
        if read != nil && cell.attributes.exercise, cell.number < cells.count {
          let check = cells[cell.number]
          // The prose between the exercise and its check belongs to the exercise: show it first.
          for later in (index + 1)..<lesson.blocks.count {
            guard case .prose(let range) = lesson.blocks[later] else { break }
            terminal.write(markdown.render(markdown: lesson.text(of: range)) + "\n")
            shownProse.insert(later)
          }
          switch exercise(cell, check: check) {
          case .solved: alreadyRan.insert(check.number)
          case .stopped: return .stopped(afterCell: cell.number - 1)
          case .failed(let stop): return .failed(stop)
          }
          continue
        }
        let run = show(cell)
        if let stop = LessonRunner.stop(after: run) {
          report(stop, cell: cell)
          return .failed(stop)
        }
        if run.text != cell.output?.expected {
          differing.append(cell.number)
          terminal.write(
            style.yellow("note: ") + "this output is not what the lesson's output block shows"
              + " (`hplab check \(lesson.path)` shows the difference)\n\n")
        }
        if read != nil && !pause(after: cell, of: cells.count) { return .stopped(afterCell: cell.number) }
      }
    }
    return .finished(differing: differing)
  }

  /// Prints a cell with its prompts, runs it, and prints what it prints as it comes.
  func show(_ cell: LessonCell) -> CellRun {
    var label = "cell \(cell.number) of \(lesson.cells.count)"
    if cell.attributes.exercise { label += " · the exercise's solution" }
    if cell.attributes.expectsError { label += " · ends with an error, on purpose" }
    terminal.write(style.dim("── \(label) ──") + "\n")
    for line in CellPrompts.lines(of: cell.source, session: session) {
      terminal.write(style.boldGreen(line.prompt) + line.text + "\n")
    }
    let run = runner.run(cell, forward: terminal) { [terminal, style] error in
      terminal.writeError(error.render(color: style.enabled))
    }
    terminal.write("\n")
    return run
  }

  func report(_ stop: LessonRun.Stop, cell: LessonCell) {
    switch stop {
    case .unexpectedError:
      terminal.writeError(
        style.bold("\(lesson.path):\(cell.lineNumber): ") + style.red("error: ")
          + "cell \(cell.number) failed, so the lesson stops here\n")
    case .exit(_, let status):
      terminal.write(style.dim("cell \(cell.number) ran exit \(status); the lesson ends here") + "\n")
    }
  }

  // MARK: Step mode

  /// Reads and runs the reader's commands until an empty line (true) or Ctrl-D / `quit` (false).
  func pause(after cell: LessonCell, of total: Int) -> Bool {
    terminal.write(
      style.dim("[\(cell.number)/\(total)] Enter: next · commands: explore · Ctrl-D: stop") + "\n")
    return interact { line in
      line.trimmingSpaces.isEmpty ? .leave : .run
    } != .stopped
  }

  enum Interaction: Equatable { case left, stopped, solution }
  enum LineAction { case run, leave, solution }

  /// The prompt loop of a pause: each complete entry is run in the lesson's session unless
  /// `classify` says otherwise (only for the first line of an entry).
  func interact(classify: (String) -> LineAction) -> Interaction {
    guard let read else { return .left }
    var pending = ""
    while true {
      switch read(pending.isEmpty ? CellPrompts.prompt : CellPrompts.continuation) {
      case .endOfInput:
        terminal.write("\n")
        return .stopped
      case .interrupted:
        pending = ""
        terminal.write("\n")
      case .line(let line):
        if pending.isEmpty {
          switch classify(line) {
          case .leave: return .left
          case .solution: return .solution
          case .run: break
          }
        }
        pending += line + "\n"
        if session.needsMoreInput(pending) { continue }
        let text = pending
        pending = ""
        _ = LessonRunner.execute(text, name: "<step>", in: session, forward: terminal) {
          [terminal, style] error in
          terminal.writeError(error.render(color: style.enabled))
        }
        if session.exitStatus != nil { return .stopped }
      }
    }
  }

  enum ExerciseOutcome { case solved, stopped, failed(LessonRun.Stop) }

  /// An exercise in step mode: the reader answers at the prompt; an empty line runs the check
  /// cell; `:solution` runs the lesson's answer and then the check.
  func exercise(_ solution: LessonCell, check: LessonCell) -> ExerciseOutcome {
    terminal.write(
      style.bold("✎ Your turn.")
        + " Answer the exercise above at the prompt. An empty line checks your answer (cell \(check.number));"
        + " `:solution` shows the lesson's answer; Ctrl-D stops.\n")
    while true {
      let interaction = interact { line in
        let word = line.trimmingSpaces
        return word.isEmpty ? .leave : word == ":solution" ? .solution : .run
      }
      switch interaction {
      case .stopped:
        return .stopped
      case .solution:
        let run = show(solution)
        if let stop = LessonRunner.stop(after: run) {
          report(stop, cell: solution)
          return .failed(stop)
        }
        let checked = show(check)
        if let stop = LessonRunner.stop(after: checked) {
          report(stop, cell: check)
          return .failed(stop)
        }
        return .solved
      case .left:
        let run = show(check)
        if run.error == nil && run.exitStatus == nil {
          terminal.write(style.boldGreen("✓ Correct.") + "\n\n")
          return .solved
        }
        if run.exitStatus != nil { return .stopped }
        terminal.write(
          style.yellow("✗ Not yet.")
            + " Change your answer and press Enter to check again, or type `:solution`.\n")
      }
    }
  }
}
