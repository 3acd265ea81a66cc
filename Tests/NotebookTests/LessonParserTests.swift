import Foundation
import Testing

@testable import Notebook

@Suite struct LessonParserTests {
  @Test func cellsOutputsAndProseInOrder() throws {
    let parsed = try lesson(sampleLesson)
    #expect(parsed.title == "Sample")
    let cells = parsed.cells
    #expect(cells.count == 2)
    #expect(cells[0].number == 1 && cells[0].attributes.id == "first" && !cells[0].attributes.expectsError)
    #expect(cells[0].source == "let m = cpulist(\"0-3\", 8)\nprint m\n")
    #expect(cells[0].output?.expected == "0-3\n")
    #expect(cells[0].lineNumber == 5)
    #expect(cells[0].heading == "Sample")
    #expect(cells[1].attributes.expectsError)
    #expect(cells[1].heading == "Errors")
    #expect(cells[1].output?.expected.hasPrefix("<cell 2>:1:12: error:") == true)
    // prose, cell, prose ("## Errors"), cell, prose ("The end.")
    let kinds = parsed.blocks.map { block -> String in
      if case .prose = block { return "prose" } else { return "cell" }
    }
    #expect(kinds == ["prose", "cell", "prose", "cell", "prose"])
    guard case .prose(let first) = parsed.blocks[0] else { return }
    #expect(parsed.text(of: first) == "# Sample\n\nSome *prose* before the first cell.\n\n")
  }

  @Test func titleFallsBackToTheFileName() throws {
    #expect(try lesson("no heading here\n", path: "Lessons/07-onlining.md").title == "07-onlining")
  }

  @Test func otherFencesAreProse() throws {
    let text = """
      ````markdown
      ```hplab
      print 1
      ```
      ````

      ```text
      ```output
      ```
      """
    let parsed = try lesson(text)
    #expect(parsed.cells.isEmpty)
  }

  @Test func longerAndTildeFences() throws {
    let text = """
      ~~~~hplab
      print "```"
      ~~~~

      ````output
      ```
      ````
      """
    let cell = try #require(try lesson(text).cells.first)
    #expect(cell.source == "print \"```\"\n")
    #expect(cell.output?.expected == "```\n")
    #expect(cell.output?.fence == "````")
  }

  @Test func missingNewlineMarkerAndEmptyOutput() throws {
    let text = """
      ```hplab
      echo -n hi
      ```

      ```output
      hi
      \\ no newline at end of output
      ```

      ```hplab
      let x = 1
      ```

      ```output
      ```

      """
    let cells = try lesson(text).cells
    #expect(cells[0].output?.expected == "hi")
    #expect(cells[1].output?.expected == "")
    #expect(OutputText.lines(of: "hi") == ["hi", OutputText.noNewlineMarker])
    #expect(OutputText.lines(of: "a\n\nb\n") == ["a", "", "b"])
    #expect(OutputText.lines(of: "") == [])
    #expect(OutputText.text(of: ["a", "", "b"]) == "a\n\nb\n")
  }

  @Test func aCellWithoutOutputBlock() throws {
    let cells = try lesson("```hplab\nprint 1\n```\n\nprose\n").cells
    #expect(cells[0].output == nil)
  }

  @Test func windowsLineEndingsAreKept() throws {
    let parsed = try lesson("# T\r\n\r\n```hplab\r\nprint 1\r\n```\r\n\r\n```output\r\n1\r\n```\r\n")
    #expect(parsed.cells[0].source == "print 1\n")
    #expect(parsed.cells[0].output?.expected == "1\n")
    #expect(parsed.lines.allSatisfy { $0.terminator == "\r\n" })
    #expect(parsed.title == "T")
  }

  @Test func attributes() throws {
    let text = """
      ```hplab {id=a-1 error exercise}
      print 1
      ```

      ```hplab
      print 2
      ```
      """
    let attributes = try lesson(text).cells[0].attributes
    #expect(attributes == CellAttributes(id: "a-1", expectsError: true, exercise: true))
    #expect(attributes.infoSuffix == " {id=a-1 error exercise}")
    #expect(LessonParser.isValidID("cell_2-b"))
    #expect(
      !LessonParser.isValidID("has space") && !LessonParser.isValidID("") && !LessonParser.isValidID("bang!"))
    #expect(!LessonParser.isValidID(String(repeating: "x", count: 65)))
  }

  struct BadLesson: Sendable, CustomTestStringConvertible {
    var text: String
    var line: Int?
    var message: String
    var testDescription: String { message }
  }

  static let badLessons: [BadLesson] = [
    BadLesson(
      text: "intro\n\n```hplab\nprint 1\n", line: 3, message: "the ```hplab fence opened here is never closed"
    ),
    BadLesson(
      text: "```hplab\nprint 1\n```\n\n```output\n1\n", line: 5,
      message: "the ```output fence opened here is never closed"),
    BadLesson(
      text: "text\n~~~text\nabc\n", line: 2, message: "the ~~~text fence opened here is never closed"),
    BadLesson(
      text: "prose\n\n```output\n1\n```\n", line: 3,
      message: "this output block does not follow an hplab cell"),
    BadLesson(
      text: "```hplab\nprint 1\n```\n\nprose\n\n```output\n1\n```\n", line: 7,
      message: "this output block does not follow an hplab cell"),
    BadLesson(
      text: "```hplab\nprint 1\n```\n```output\n1\n```\n```output\n1\n```\n", line: 7,
      message: "this output block does not follow an hplab cell"),
    BadLesson(text: "```hplab {bogus}\nprint 1\n```\n", line: 1, message: "unknown cell attribute 'bogus'"),
    BadLesson(
      text: "```hplab error\nprint 1\n```\n", line: 1, message: "cell attributes must be in braces: 'error'"),
    BadLesson(
      text: "```hplab {error error}\nprint 1\n```\n", line: 1, message: "the attribute 'error' is given twice"
    ),
    BadLesson(text: "```hplab {id=no!}\nprint 1\n```\n", line: 1, message: "the cell id 'no!' is not valid"),
    BadLesson(
      text: "```hplab {id=x}\nprint 1\n```\n\n```hplab {id=x}\nprint 2\n```\n", line: 5,
      message: "the cell id 'x' is already used by the cell at line 1"),
    BadLesson(text: "```hplab\n\n  \n```\n", line: 1, message: "the cell is empty"),
    BadLesson(text: "```hplabx\nprint 1\n```\n", line: 1, message: "unknown cell language 'hplabx'"),
    BadLesson(
      text: "```hplab\nprint 1\n```\n\n```output extra\n1\n```\n", line: 5,
      message: "an output block takes no attributes ('output extra')"),
    BadLesson(
      text: "<details>\n<summary>Hint</summary>\n\n```hplab\nprint 1\n```\n</details>\n", line: 4,
      message: "a cell cannot be inside a <details> block (opened at line 1)"),
    BadLesson(text: "intro\n<details>\nhint\n", line: 2, message: "this <details> block is never closed"),
    BadLesson(text: "intro\n</details>\n", line: 2, message: "</details> without a <details> before it"),
    BadLesson(
      text: "- a list item\n\n      ```hplab\n      print 1\n      ```\n", line: 3,
      message: "this hplab fence is indented by 6 spaces, so it would not be a cell"),
    BadLesson(
      text: "```hplab\nprint 1\n```\n\n```hplab {exercise}\nlet a = 1\n```\n", line: 5,
      message: "an exercise cell must be followed by the cell that checks the answer"),
  ]

  @Test(arguments: badLessons) func formatErrorsSayWhereAndWhy(_ bad: BadLesson) throws {
    let error = try #require(formatError(bad.text))
    #expect(error.kind == .format)
    #expect(error.message == bad.message)
    #expect(error.line == bad.line)
    #expect(error.description.hasPrefix("bad.md:\(bad.line!): error: \(bad.message)\n"))
  }

  @Test func anUnterminatedFenceNamesTheFixInItsHint() throws {
    let error = try #require(formatError("```hplab\nprint 1\n"))
    #expect(
      error.render(color: false) == """
        bad.md:1: error: the ```hplab fence opened here is never closed
        hint: close it with a line of ``` (at least 3 backticks)

        """)
    #expect(error.render(color: true).contains("\u{1B}[1;31merror: "))
  }

  @Test func loadReportsMissingFilesAndBadUTF8() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let missing = directory.file("nope.md")
    do {
      _ = try LessonParser.load(missing)
      Issue.record("a missing file loaded")
    } catch {
      #expect(error.kind == .io)
      #expect(error.description == "\(missing): error: cannot read the file: No such file or directory\n")
    }
    do {
      _ = try LessonParser.load(directory.path)
      Issue.record("a directory loaded")
    } catch {
      #expect(error.message == "cannot read the file: Is a directory")
    }
    let bad = directory.file("latin1.md")
    try Data([0x61, 0x0A, 0x62, 0x0A, 0xE9, 0x74, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: bad))
    do {
      _ = try LessonParser.load(bad)
      Issue.record("invalid UTF-8 loaded")
    } catch {
      #expect(error.kind == .format)
      #expect(error.line == 3)
      #expect(error.message == "the file is not valid UTF-8 (byte 5)")
    }
  }
}
