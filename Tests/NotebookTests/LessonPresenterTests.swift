import Foundation
import LabScript
import Testing

@testable import Notebook

/// Plays the reader at a `--step` prompt: answers each read with the next scripted input, and
/// logs the prompts into the transcript as a terminal would show them.
final class ScriptedReader {
  var inputs: [StepInput]
  let terminal: BufferedOutput

  init(_ inputs: [StepInput], terminal: BufferedOutput) {
    self.inputs = inputs
    self.terminal = terminal
  }

  func read(_ prompt: String) -> StepInput {
    let next = inputs.isEmpty ? .endOfInput : inputs.removeFirst()
    if case .line(let line) = next { terminal.write(prompt + line + "\n") }
    return next
  }
}

@Suite struct LessonPresenterTests {
  func present(
    _ text: String, color: Bool = false, inputs: [StepInput]? = nil
  ) throws -> (LessonPresenter.Outcome, String) {
    let terminal = BufferedOutput()
    let reader = inputs.map { ScriptedReader($0, terminal: terminal) }
    let presenter = LessonPresenter(
      lesson: try lesson(text), runner: LessonRunner(session: labSession().0), terminal: terminal, width: 60,
      color: color, read: reader.map { r in { r.read($0) } })
    let outcome = presenter.present()
    return (outcome, terminal.combined)
  }

  @Test func showsProseCellsAndOutputsLikeANotebook() throws {
    let (outcome, text) = try present(sampleLesson)
    #expect(outcome == .finished(differing: []))
    #expect(
      text == """
        Sample
        ══════

        Some prose before the first cell.

        ── cell 1 of 2 ──
        hplab> let m = cpulist("0-3", 8)
        hplab> print m
        0-3

        Errors
        ──────

        ── cell 2 of 2 · ends with an error, on purpose ──
        hplab> mask parse 0-8 nbits=8
        <cell 2>:1:12: error: bitmap_parselist("0-8") returned -ERANGE (-34): bit 8 does not fit in a mask of 8 bits
        mask parse 0-8 nbits=8
                   ^

        The end.


        """)
  }

  @Test func colourOnlyWhenAsked() throws {
    let (_, coloured) = try present(sampleLesson, color: true)
    #expect(coloured.contains("\u{1B}[1;32mhplab> \u{1B}[0m"))
    #expect(coloured.contains("\u{1B}[1;31merror: \u{1B}[0m"))
    #expect(stripANSI(coloured) == (try present(sampleLesson).1))
  }

  @Test func notesOutputThatDiffersFromTheLesson() throws {
    let (outcome, text) = try present("```hplab\nprint 2\n```\n\n```output\n1\n```\n")
    #expect(outcome == .finished(differing: [1]))
    #expect(
      text.contains(
        "note: this output is not what the lesson's output block shows (`hplab check test.md` shows the difference)"
      ))
  }

  @Test func stopsAtAnUnexpectedError() throws {
    let (outcome, text) = try present(
      "```hplab\nprint nosuch\n```\n\n```output\n```\n\nnever shown\n\n```hplab\nprint 1\n```\n\n```output\n1\n```\n"
    )
    #expect(outcome == .failed(.unexpectedError(cell: 1)))
    #expect(text.hasSuffix("test.md:1: error: cell 1 failed, so the lesson stops here\n"))
    #expect(!text.contains("never shown"))
  }

  static let twoCells = """
    ```hplab
    let x = 1
    print x
    ```

    ```output
    1
    ```

    Between.

    ```hplab
    print x + 1
    ```

    ```output
    2
    ```
    """

  @Test func stepPausesAndRunsTheReadersCommandsInTheLessonsSession() throws {
    let (outcome, text) = try present(
      LessonPresenterTests.twoCells,
      inputs: [
        .line("print x * 10"), .line("if true {"), .line("  set x = 5"), .line("}"), .line(""), .line(""),
      ])
    // The reader changed x, so cell 2 prints 6 and the run notes the difference.
    #expect(outcome == .finished(differing: [2]))
    #expect(
      text.hasPrefix(
        """
        Step mode: after each cell, press Enter for the next, or type commands to explore; Ctrl-D stops.

        ── cell 1 of 2 ──
        hplab> let x = 1
        hplab> print x
        1

        [1/2] Enter: next · commands: explore · Ctrl-D: stop
        hplab> print x * 10
        10
        hplab> if true {
        ...>   set x = 5
        ...> }
        hplab> \n\
        Between.

        ── cell 2 of 2 ──
        hplab> print x + 1
        6

        """))
    #expect(text.hasSuffix("[2/2] Enter: next · commands: explore · Ctrl-D: stop\nhplab> \n"))
  }

  @Test func stepErrorsDoNotEndTheLesson() throws {
    let (outcome, text) = try present(
      LessonPresenterTests.twoCells, inputs: [.line("print nosuch"), .line(""), .line("")])
    #expect(outcome == .finished(differing: []))
    #expect(text.contains("<step>:1:7: error: unknown variable 'nosuch'"))
  }

  @Test func ctrlDOrQuitStopsTheLesson() throws {
    let (stopped, text) = try present(LessonPresenterTests.twoCells, inputs: [.interrupted, .endOfInput])
    #expect(stopped == .stopped(afterCell: 1))
    #expect(!text.contains("Between."))
    #expect(try present(LessonPresenterTests.twoCells, inputs: [.line("quit")]).0 == .stopped(afterCell: 1))
  }

  static let exercise = """
    Make `answer` hold 42.

    ```hplab {exercise}
    let answer = 42
    ```

    ```output
    ```

    ```hplab
    expect answer == 42
    print "checked"
    ```

    ```output
    checked
    ```

    After.
    """

  @Test func anExerciseWaitsForTheReadersAnswer() throws {
    let (outcome, text) = try present(
      LessonPresenterTests.exercise,
      inputs: [.line(""), .line("let answer = 41"), .line(""), .line("set answer = 42"), .line("")])
    #expect(outcome == .finished(differing: []))
    // The lesson's own answer is never shown; the check runs after each attempt.
    #expect(!text.contains("let answer = 42"))
    #expect(text.contains("✎ Your turn. Answer the exercise above at the prompt."))
    #expect(text.contains("<cell 2>:1:8: error: unknown variable 'answer'"))
    #expect(text.contains("<cell 2>:1:8: error: expectation failed: answer == 42"))
    #expect(text.components(separatedBy: "✗ Not yet.").count == 3)
    #expect(text.contains("checked\n\n✓ Correct.\n\nAfter."))
  }

  @Test func anExerciseCanShowTheSolution() throws {
    let (outcome, text) = try present(LessonPresenterTests.exercise, inputs: [.line(":solution")])
    #expect(outcome == .finished(differing: []))
    #expect(text.contains("── cell 1 of 2 · the exercise's solution ──\nhplab> let answer = 42\n"))
    #expect(
      text.contains("── cell 2 of 2 ──\nhplab> expect answer == 42\nhplab> print \"checked\"\nchecked\n"))
    #expect(text.hasSuffix("After.\n\n"))
  }

  @Test func proseBetweenAnExerciseAndItsCheckComesBeforeTheReadersTurn() throws {
    let text = LessonPresenterTests.exercise.replacingOccurrences(
      of: "```output\n```\n\n```hplab\nexpect", with: "```output\n```\n\nThe check:\n\n```hplab\nexpect")
    let (outcome, shown) = try present(text, inputs: [.line("let answer = 42"), .line("")])
    #expect(outcome == .finished(differing: []))
    let prose = try #require(shown.firstRange(of: "The check:"))
    let turn = try #require(shown.firstRange(of: "✎ Your turn."))
    #expect(prose.lowerBound < turn.lowerBound)
    #expect(shown.components(separatedBy: "The check:").count == 2)
  }

  @Test func withoutStepAnExerciseIsShownAsItsSolution() throws {
    let (outcome, text) = try present(LessonPresenterTests.exercise)
    #expect(outcome == .finished(differing: []))
    #expect(text.contains("── cell 1 of 2 · the exercise's solution ──"))
  }
}
