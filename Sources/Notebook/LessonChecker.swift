/// How one cell fared against its output block.
public struct CellResult: Sendable {
  public enum Status: Sendable, Equatable {
    case passed
    /// The cell printed something other than its output block.
    case outputDiffers
    /// The cell has no output block.
    case noOutputBlock
    /// The cell failed with an error it was not marked (`{error}`) to expect.
    case unexpectedError
    /// The cell is marked `{error}` but ran without one.
    case missingError
  }

  public var run: CellRun
  public var status: Status

  public var cell: LessonCell { run.cell }
}

/// The verdict on one lesson: each cell's result and the cells that did not run.
public struct LessonCheck: Sendable {
  public let lesson: Lesson
  public let results: [CellResult]
  public let notRun: [LessonCell]

  public var failures: [CellResult] { results.filter { $0.status != .passed } }
  public var passed: Bool { failures.isEmpty && notRun.isEmpty }

  /// Runs `lesson` with `runner` and compares every cell's output with its output block.
  public static func check(_ lesson: Lesson, runner: LessonRunner) -> LessonCheck {
    check(runner.run(lesson))
  }

  public static func check(_ run: LessonRun) -> LessonCheck {
    let results = run.cells.map { cellRun -> CellResult in
      let status: CellResult.Status
      if cellRun.failedUnexpectedly {
        status = .unexpectedError
      } else if cellRun.cell.attributes.expectsError && cellRun.error == nil {
        status = .missingError
      } else if let output = cellRun.cell.output {
        status = output.expected == cellRun.text ? .passed : .outputDiffers
      } else {
        status = .noOutputBlock
      }
      return CellResult(run: cellRun, status: status)
    }
    return LessonCheck(lesson: run.lesson, results: results, notRun: run.notRun)
  }

  /// The report `hplab check` prints: `PASS file (N cells)`, or `FAIL file` followed by each
  /// failing cell's location, what went wrong, and a unified diff whose line numbers are the
  /// lesson file's.
  public func report(color: Bool) -> String {
    let style = TerminalStyle(enabled: color)
    let path = lesson.path
    let count = lesson.cells.count
    guard !passed else {
      return style.green("PASS") + " \(path) (\(count) \(count == 1 ? "cell" : "cells"))\n"
    }
    var out = style.red("FAIL") + " \(path)\n"
    for result in failures {
      let cell = result.cell
      let under = cell.heading.map { " (under \"\($0)\")" } ?? ""
      let what: String
      var hint: String?
      switch result.status {
      case .passed: continue
      case .outputDiffers:
        what = "the output differs from the lesson's output block"
        hint = "if the new output is right, `hplab check --update \(path)` rewrites the block"
      case .noOutputBlock:
        what = "the cell has no ```output block after it"
        hint = "`hplab check --update \(path)` adds one with the output below"
      case .unexpectedError:
        what = "the cell failed with an error"
        hint = "if the lesson means to show this error, mark the cell ```hplab {error}"
      case .missingError:
        what = "the cell is marked {error} but ran without an error"
      }
      out +=
        style.bold("\(path):\(cell.lineNumber): ") + style.red("error: ")
        + style.bold("cell \(cell.number)\(under): \(what)") + "\n"
      if let hint { out += style.cyan("hint: ") + hint + "\n" }
      out += diff(for: result).render(
        oldName: "\(path) (expected)", newName: "\(path) (actual)", style: style)
    }
    if let first = notRun.first, let last = notRun.last {
      let which =
        first.number == last.number ? "cell \(first.number)" : "cells \(first.number)-\(last.number)"
      out +=
        style.bold("\(path):\(first.lineNumber): ") + style.yellow("note: ")
        + "\(which) did not run: an earlier cell stopped the lesson\n"
    }
    return out
  }

  /// The diff between a cell's output block and what it printed, numbered by file lines.
  public func diff(for result: CellResult) -> UnifiedDiff {
    let actual = OutputText.lines(of: result.run.text)
    if let output = result.cell.output {
      let expected = lesson.lines[output.contentLines].map(\.text)
      return UnifiedDiff(old: expected, new: actual, firstLine: output.openLine + 2)
    }
    // No block yet: show the whole output as added after the cell.
    return UnifiedDiff(old: [], new: actual, firstLine: result.cell.closeLine + 2)
  }
}

/// The closing line of `hplab check`: `N passed, M failed`.
public func checkSummary(passed: Int, failed: Int) -> String {
  "\(passed) passed, \(failed) failed"
}
