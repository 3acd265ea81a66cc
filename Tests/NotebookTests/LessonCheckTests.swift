import LabScript
import Testing

@testable import Notebook

@Suite struct LessonCheckTests {
  @Test func aCorrectLessonPasses() throws {
    let result = try check(sampleLesson)
    #expect(result.passed)
    #expect(result.results.map(\.status) == [.passed, .passed])
    #expect(result.report(color: false) == "PASS test.md (2 cells)\n")
    #expect(result.report(color: true) == "\u{1B}[32mPASS\u{1B}[0m test.md (2 cells)\n")
  }

  @Test func cellsShareOneSessionTopToBottom() throws {
    let text = """
      ```hplab
      let shared = 41
      ```

      ```output
      ```

      ```hplab
      print shared + 1
      ```

      ```output
      42
      ```
      """
    #expect(try check(text).passed)
  }

  @Test func changingOneExpectedLineFailsWithADiffNamingFileAndLine() throws {
    let broken = sampleLesson.replacingOccurrences(of: "```output\n0-3\n```", with: "```output\n0-4\n```")
    let result = try check(broken, path: "Lessons/99-sample.md")
    #expect(!result.passed)
    #expect(result.results.map(\.status) == [.outputDiffers, .passed])
    #expect(
      result.report(color: false) == """
        FAIL Lessons/99-sample.md
        Lessons/99-sample.md:5: error: cell 1 (under "Sample"): the output differs from the lesson's output block
        hint: if the new output is right, `hplab check --update Lessons/99-sample.md` rewrites the block
        --- Lessons/99-sample.md (expected)
        +++ Lessons/99-sample.md (actual)
        @@ -11 +11 @@
        -0-4
        +0-3

        """)
  }

  @Test func anUnexpectedErrorStopsTheLesson() throws {
    let text = """
      ```hplab
      print nosuch
      ```

      ```output
      ```

      ```hplab
      print 1
      ```

      ```output
      1
      ```
      """
    let result = try check(text)
    #expect(result.results.map(\.status) == [.unexpectedError])
    #expect(result.notRun.map(\.number) == [2])
    let report = result.report(color: false)
    #expect(report.contains("test.md:1: error: cell 1: the cell failed with an error\n"))
    #expect(report.contains("hint: if the lesson means to show this error, mark the cell ```hplab {error}\n"))
    #expect(report.contains("+<cell 1>:1:7: error: unknown variable 'nosuch'\n"))
    #expect(report.hasSuffix("test.md:8: note: cell 2 did not run: an earlier cell stopped the lesson\n"))
  }

  @Test func aCellMarkedErrorMustFail() throws {
    let result = try check("```hplab {error}\nprint 1\n```\n\n```output\n1\n```\n")
    #expect(result.results.map(\.status) == [.missingError])
    #expect(
      result.report(color: false).contains("cell 1: the cell is marked {error} but ran without an error"))
  }

  @Test func aCellWithoutOutputBlockFailsAndShowsItsOutput() throws {
    let result = try check("# T\n\n```hplab\nprint 7\n```\n\nprose\n")
    #expect(result.results.map(\.status) == [.noOutputBlock])
    let report = result.report(color: false)
    #expect(
      report.contains("test.md:3: error: cell 1 (under \"T\"): the cell has no ```output block after it\n"))
    #expect(report.contains("@@ -5,0 +6 @@\n+7\n"))
  }

  @Test func exitStopsTheLesson() throws {
    let text = "```hplab\nexit 3\n```\n\n```output\n```\n\n```hplab\nprint 1\n```\n\n```output\n1\n```\n"
    let run = LessonRunner(session: labSession().0).run(try lesson(text))
    #expect(run.stop == .exit(cell: 1, status: 3))
    #expect(run.notRun.count == 1)
    #expect(!LessonCheck.check(run).passed)
  }

  @Test func outputKeepsStdoutAndErrorsInOrder() throws {
    let text = """
      ```hplab {error}
      print "before"
      expect 1 == 2
      ```

      ```output
      ```
      """
    let run = LessonRunner(session: labSession().0).run(try lesson(text))
    let items = run.cells[0].items
    #expect(items.count == 2)
    #expect(items[0] == .output("before\n"))
    guard case .error(let message) = items[1] else {
      Issue.record("no error item")
      return
    }
    #expect(message.hasPrefix("<cell 1>:2:8: error: expectation failed: 1 == 2\n"))
    #expect(run.cells[0].text == "before\n" + message)
  }

  @Test func outputWithoutFinalNewlineRoundTrips() throws {
    let text = "```hplab\necho -n hi\n```\n\n```output\nhi\n\\ no newline at end of output\n```\n"
    #expect(try check(text).passed)
  }

  @Test func theSummaryLine() {
    #expect(checkSummary(passed: 3, failed: 1) == "3 passed, 1 failed")
  }
}
