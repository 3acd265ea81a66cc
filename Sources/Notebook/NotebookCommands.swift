import Simulation
import HostFiles
import CPUMask
import LabScript

/// The notebook's LabScript commands, `save` and `timeline`, and what they need from the
/// program around them: the interactive session's ``SessionRecorder`` (for `save`) and a
/// ``TimelineSource`` (for `timeline`, supplied by the Lab once a machine exists).
public final class NotebookCommands {
  public static let category = "Notebook"

  /// Where `timeline` gets the CPU states; nil (or a source that returns nil) while there is no
  /// machine, and `timeline` then says so.
  public var timelineSource: (any TimelineSource)?
  /// The interactive session's entries; `save` works only when one is attached.
  public var recorder: SessionRecorder?

  public init() {}

  /// Registers the commands in `session` and returns the object that serves them (the
  /// session's commands keep it alive).
  @discardableResult
  public static func install(in session: Session) -> NotebookCommands {
    let commands = NotebookCommands()
    session.registry.register(commands.timelineCommand)
    session.registry.register(commands.saveCommand)
    return commands
  }

  static let defaultWidth = 60

  var timelineCommand: CommandSpec {
    CommandSpec(
      "timeline", category: NotebookCommands.category,
      summary: "draw each CPU's state over virtual time (text here, SVG in exported lessons)",
      usage: "timeline [CPULIST] [width=N]",
      help: """
        One row per CPU, one character per slice of virtual time: . possible, - present,
        = enabled (registered, offline), + online, # active; then every state change in order.
        In a lesson exported with `hplab export --html` (or --ipynb) the same timeline is drawn
        as an SVG chart. It needs a machine: the states come from the modelled CPUs.
        """,
      arguments: [
        ArgumentSpec("CPULIST", kind: .mask, required: false, summary: "only these CPUs"),
        ArgumentSpec(
          "width", .keyed, kind: .int, required: false, summary: "columns of the chart (default 60)"),
      ]
    ) { inv in
      guard let timeline = self.timelineSource?.cpuTimeline() else {
        throw inv.error(
          "there is no machine in this session, so there are no CPU states to draw",
          hint:
            "the timeline shows the modelled CPUs' states over time; the commands that create a machine are not part of this build yet"
        )
      }
      let width = inv.int("width") ?? NotebookCommands.defaultWidth
      guard (8...400).contains(width) else {
        throw inv.error("width must be between 8 and 400, not \(width)", at: "width", kind: .argument)
      }
      var shown = timeline
      if let cpus = inv.mask("CPULIST") { shown = timeline.restricted(to: cpus) }
      let text = shown.renderText(width: width)
      if inv.redirect == nil, let display = inv.session.output as? TimelineDisplay {
        display.display(shown, text: text)
      } else {
        inv.session.write(text)
      }
      return .none
    }
  }

  var saveCommand: CommandSpec {
    CommandSpec(
      "save", category: NotebookCommands.category,
      summary: "write this interactive session as a lesson (cells and their outputs)",
      usage: "save FILE.md [--force]",
      help: """
        Each entry typed so far becomes a cell, in order, followed by its output; entries that
        ended with an error become cells marked {error}. The outputs come from replaying the
        entries in a fresh session, so `hplab check FILE.md` passes on the file as saved. Edit the
        prose in, then run it with `hplab run FILE.md`. Works at the hplab> prompt only.
        """,
      arguments: [
        ArgumentSpec("FILE", kind: .string, summary: "the lesson to write, a path ending in .md"),
        ArgumentSpec("--force", .flag, summary: "replace the file if it exists"),
      ]
    ) { inv in
      guard let recorder = self.recorder else {
        throw inv.error(
          "save writes an interactive session, and this is not one",
          hint: "start `hplab` with no arguments, type commands, then `save FILE.md`")
      }
      try NotebookCommands.requireOwnEntry(inv)
      let path = inv.string("FILE")!
      guard path.hasSuffix(".md"), path.count > 3 else {
        throw inv.error("a lesson is a Markdown file: give a name ending in .md", at: "FILE", kind: .argument)
      }
      if HostFile.isDirectory(path) {
        throw inv.error("'\(path)' is a directory", at: "FILE", kind: .io)
      }
      if HostFile.exists(path) && !inv.flag("--force") {
        throw inv.error(
          "'\(path)' exists", at: "FILE", hint: "`save \(path) --force` replaces it", kind: .io)
      }
      recorder.skipCurrentEntry()
      let saved = recorder.lesson()
      do throws(HostFileError) {
        try HostFile.writeAtomically(Array(saved.text.utf8), to: path)
      } catch {
        throw inv.error(error.message, at: "FILE", kind: .io)
      }
      inv.print("saved \(saved.cells) \(saved.cells == 1 ? "cell" : "cells") to \(path)")
      return .none
    }
  }

  /// `save` must be the only statement of its entry: the entry is left out of the lesson, and
  /// anything typed with it would be lost.
  static func requireOwnEntry(_ inv: Invocation) throws(LabScriptError) {
    let bytes = Array(inv.span.file.text.utf8)
    let start = min(inv.span.start, bytes.count)
    let end = min(max(inv.span.end, start), bytes.count)
    let before = String(decoding: bytes[0..<start], as: UTF8.self)
    var after = Substring(String(decoding: bytes[end...], as: UTF8.self))
    while let c = after.first, c == " " || c == "\t" || c == "\n" || c == ";" { after = after.dropFirst() }
    guard before.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }), after.isEmpty || after.hasPrefix("#")
    else {
      throw inv.error(
        "save must be on a line of its own", hint: "type the other commands first, then `save` by itself",
        kind: .argument)
    }
  }
}

/// The entries of an interactive session, kept so `save` can write them as a lesson. The REPL
/// calls ``record(_:interrupted:)`` after each entry has run.
public final class SessionRecorder {
  public private(set) var entries: [String] = []
  private let makeSession: () -> Session
  private var skipCurrent = false

  /// `makeSession` creates the fresh session (with every module's commands) that `save`
  /// replays the entries in.
  public init(makeSession: @escaping () -> Session) {
    self.makeSession = makeSession
  }

  /// Keeps an entry (its text, as run). Blank entries, entries interrupted with Ctrl-C and the
  /// entry that ran `save` are left out.
  public func record(_ text: String, interrupted: Bool) {
    defer { skipCurrent = false }
    guard !skipCurrent, !interrupted, !text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) else {
      return
    }
    entries.append(text.hasSuffix("\n") ? text : text + "\n")
  }

  /// Leaves the entry being run out of the record.
  func skipCurrentEntry() { skipCurrent = true }

  public static let title = "An hplab session"

  /// The entries as a lesson: each a cell (marked `{error}` if it failed when replayed) with
  /// its output block, from replaying them in a fresh session.
  public func lesson() -> (text: String, cells: Int) {
    let session = makeSession()
    var text = """
      # \(SessionRecorder.title)

      Saved from an interactive session: one cell per entry, in the order they were typed. The
      outputs come from replaying the entries in a fresh session. Add prose between the cells,
      then `hplab run` this file to read it or `hplab check` it to test it.

      """
    var count = 0
    for entry in entries {
      count += 1
      let (items, error) = LessonRunner.execute(entry, name: "<cell \(count)>", in: session)
      let sourceLines = entry.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
        String.init)
      let fence = FenceLine.marker(for: sourceLines)
      text += "\n\(fence)\(LessonParser.cellLanguage)\(error != nil ? " {error}" : "")\n\(entry)\(fence)\n"
      let outputLines = OutputText.lines(of: items.map(\.text).joined())
      let outputFence = FenceLine.marker(for: outputLines)
      text += "\n\(outputFence)\(LessonParser.outputLanguage)\n"
      for line in outputLines { text += line + "\n" }
      text += "\(outputFence)\n"
      if session.exitStatus != nil { break }
    }
    return (text, count)
  }
}
