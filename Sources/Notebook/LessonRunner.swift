import Simulation
import LabScript

/// One piece of what a cell printed, in the order it was printed.
public enum OutputItem: Sendable, Equatable {
  /// Normal output (standard output).
  case output(String)
  /// Diagnostics: error messages and warnings (standard error).
  case error(String)
  /// A per-CPU timeline the cell drew: `text` is what the terminal shows (and what the output
  /// block holds); exporters draw the timeline as SVG instead.
  case timeline(Timeline, text: String)

  /// The text the item contributes to the cell's output.
  public var text: String {
    switch self {
    case .output(let t), .error(let t): t
    case .timeline(_, let text): text
    }
  }
}

/// An output sink that can also show a timeline as a picture (a lesson cell's capture does;
/// the terminal shows the text instead).
public protocol TimelineDisplay: AnyObject {
  func display(_ timeline: Timeline, text: String)
}

/// Captures a cell's output in order, optionally passing it on (to the terminal) as it comes.
final class CellCapture: OutputSink, TimelineDisplay {
  private(set) var items: [OutputItem] = []
  let forward: (any OutputSink)?

  init(forward: (any OutputSink)?) { self.forward = forward }

  func write(_ text: String) {
    if case .output(let previous)? = items.last {
      items[items.count - 1] = .output(previous + text)
    } else {
      items.append(.output(text))
    }
    forward?.write(text)
  }

  func writeError(_ text: String) {
    appendError(text)
    forward?.writeError(text)
  }

  func appendError(_ text: String) {
    if case .error(let previous)? = items.last {
      items[items.count - 1] = .error(previous + text)
    } else {
      items.append(.error(text))
    }
  }

  func display(_ timeline: Timeline, text: String) {
    items.append(.timeline(timeline, text: text))
    if let display = forward as? TimelineDisplay {
      display.display(timeline, text: text)
    } else {
      forward?.write(text)
    }
  }
}

/// What happened when a cell ran.
public struct CellRun: Sendable {
  public var cell: LessonCell
  public var items: [OutputItem]
  /// The error the cell stopped with, if any.
  public var error: LabScriptError?
  /// Set when the cell ran `exit`/`quit`.
  public var exitStatus: Int32?

  /// Everything the cell printed, as the output block holds it.
  public var text: String { items.map(\.text).joined() }

  /// The cell ended with an error it was not marked to expect.
  public var failedUnexpectedly: Bool { error != nil && !cell.attributes.expectsError }
}

/// The result of running a lesson top to bottom.
public struct LessonRun: Sendable {
  public enum Stop: Sendable, Equatable {
    /// A cell failed with an error it was not marked to expect; the later cells did not run.
    case unexpectedError(cell: Int)
    /// A cell ran `exit`; the later cells did not run.
    case exit(cell: Int, status: Int32)
  }

  public let lesson: Lesson
  /// The cells that ran, in order.
  public var cells: [CellRun]
  public var stop: Stop?

  /// The cells that did not run because the run stopped early.
  public var notRun: [LessonCell] { Array(lesson.cells.dropFirst(cells.count)) }
}

/// Runs a lesson's cells in one session, top to bottom, capturing each cell's output.
public final class LessonRunner {
  public let session: Session

  /// `session` should be fresh (with every module's commands registered) for the outputs to
  /// match a check.
  public init(session: Session) {
    self.session = session
  }

  /// Runs every cell; stops at the first unexpected error or `exit`.
  public func run(_ lesson: Lesson) -> LessonRun {
    var result = LessonRun(lesson: lesson, cells: [], stop: nil)
    for cell in lesson.cells {
      let run = self.run(cell)
      result.cells.append(run)
      if let stop = LessonRunner.stop(after: run) {
        result.stop = stop
        break
      }
    }
    return result
  }

  /// Why a run cannot go on after this cell, if it cannot.
  public static func stop(after run: CellRun) -> LessonRun.Stop? {
    if run.failedUnexpectedly { return .unexpectedError(cell: run.cell.number) }
    if let status = run.exitStatus { return .exit(cell: run.cell.number, status: status) }
    return nil
  }

  /// Runs one cell. Output goes to the capture and, when given, on to `forward` as it is
  /// printed; an error the cell ends with is captured uncoloured and handed to `showError` (the
  /// terminal prints it in colour).
  public func run(
    _ cell: LessonCell, forward: (any OutputSink)? = nil, showError: ((LabScriptError) -> Void)? = nil
  ) -> CellRun {
    let (items, error) = LessonRunner.execute(
      cell.source, name: cell.sourceName, in: session, forward: forward, showError: showError)
    return CellRun(cell: cell, items: items, error: error, exitStatus: session.exitStatus)
  }

  /// Runs text in a session with its output captured.
  static func execute(
    _ source: String, name: String, in session: Session, forward: (any OutputSink)? = nil,
    showError: ((LabScriptError) -> Void)? = nil
  ) -> (items: [OutputItem], error: LabScriptError?) {
    let capture = CellCapture(forward: forward)
    let previous = session.output
    session.output = capture
    defer { session.output = previous }
    do {
      try session.run(source, name: name)
      return (capture.items, nil)
    } catch {
      capture.appendError(error.render(color: false))
      showError?(error)
      return (capture.items, error)
    }
  }
}
