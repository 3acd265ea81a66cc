import Foundation
import Testing

@testable import Notebook
import Simulation
import HostFiles

@Suite struct LessonUpdaterTests {
  /// The lesson's bytes outside its output blocks' content lines.
  func proseBytes(_ text: String) throws -> [String] {
    let parsed = try lesson(text)
    var inside = Set<Int>()
    for cell in parsed.cells {
      if let output = cell.output { inside.formUnion(output.contentLines) }
    }
    return parsed.lines.enumerated().filter { !inside.contains($0.offset) }.map {
      $0.element.text + $0.element.terminator
    }
  }

  static let stale = """
    # Stale outputs

    Prose with trailing spaces   \n\
    and *markup* that must survive byte for byte.

    ```hplab
    let m = cpulist("0-3,8", 16)
    print m
    print weight(m)
    ```

    ```output
    0-3
    4
    ```

    A paragraph between cells.

    ```hplab {error}
    print nosuch
    ```

    ```output
    old error text
    ```

    ```hplab
    print "already right"
    ```

    ```output
    already right
    ```

    The end, without a final newline.
    """

  @Test func rewritesExactlyTheOutputBlocks() throws {
    let before = try check(LessonUpdaterTests.stale)
    #expect(before.results.map(\.status) == [.outputDiffers, .outputDiffers, .passed])
    let (text, changed) = LessonUpdater.update(before)
    #expect(changed == [1, 2])
    // Every byte outside the output blocks is unchanged.
    #expect(try proseBytes(text) == (try proseBytes(LessonUpdaterTests.stale)))
    #expect(text.hasSuffix("The end, without a final newline."))
    #expect(text.contains("```output\n0-3,8\n5\n```\n"))
    #expect(text.contains("```output\n<cell 2>:1:7: error: unknown variable 'nosuch'\n"))
    let after = try check(text)
    #expect(after.passed)
    // A second update changes nothing.
    let again = LessonUpdater.update(after)
    #expect(again.changedCells.isEmpty && again.text == text)
  }

  @Test func fillsInMissingOutputBlocks() throws {
    let text = "Intro.\n\n```hplab\nprint 1\nprint 2\n```\nMore prose.\n\n```hplab\nprint 3\n```"
    let (updated, changed) = LessonUpdater.update(try check(text))
    #expect(changed == [1, 2])
    #expect(
      updated
        == "Intro.\n\n```hplab\nprint 1\nprint 2\n```\n\n```output\n1\n2\n```\nMore prose.\n\n```hplab\nprint 3\n```\n\n```output\n3\n```\n"
    )
    #expect(try check(updated).passed)
  }

  @Test func keepsWindowsLineEnds() throws {
    let text = "Intro.\r\n\r\n```hplab\r\nprint 1\r\n```\r\n\r\n```output\r\n2\r\n```\r\n"
    let (updated, _) = LessonUpdater.update(try check(text))
    #expect(updated == "Intro.\r\n\r\n```hplab\r\nprint 1\r\n```\r\n\r\n```output\r\n1\r\n```\r\n")
  }

  @Test func lengthensTheFenceWhenTheOutputHoldsOne() throws {
    let text = "```hplab\nprint \"```\"\n```\n\n```output\n```\n"
    let (updated, _) = LessonUpdater.update(try check(text))
    #expect(updated == "```hplab\nprint \"```\"\n```\n\n````output\n```\n````\n")
    #expect(try check(updated).passed)
  }

  @Test func leavesACellWithAnUnexpectedErrorAlone() throws {
    let text =
      "```hplab\nprint nosuch\n```\n\n```output\nstale\n```\n\n```hplab\nprint 1\n```\n\n```output\nold\n```\n"
    let result = try check(text)
    let (updated, changed) = LessonUpdater.update(result)
    #expect(changed.isEmpty)
    #expect(updated == text)
  }

  @Test func marksOutputWithoutFinalNewline() throws {
    let (updated, _) = LessonUpdater.update(try check("```hplab\necho -n abc\n```\n\n```output\n```\n"))
    #expect(updated == "```hplab\necho -n abc\n```\n\n```output\nabc\n\\ no newline at end of output\n```\n")
  }

  @Test func writesAtomicallyAndRefusesAChangedFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let path = try directory.write("lesson.md", LessonUpdaterTests.stale)
    chmod(path, 0o640)
    let (loaded, bytes) = try LessonParser.load(path)
    let result = LessonCheck.check(loaded, runner: LessonRunner(session: labSession().0))
    let (text, _) = LessonUpdater.update(result)
    // Someone edits the file while the lesson runs: the update must not overwrite it.
    _ = try directory.write("lesson.md", LessonUpdaterTests.stale + "\nan edit\n")
    do {
      try HostFile.writeAtomically(Array(text.utf8), to: path, unchangedSince: bytes)
      Issue.record("a changed file was overwritten")
    } catch {
      #expect(
        error.message == "cannot write the file: the file changed since it was read; it was not rewritten")
    }
    #expect(try directory.read("lesson.md") == LessonUpdaterTests.stale + "\nan edit\n")
    // Unchanged: replaced, with its permissions, and no temporary file left behind.
    _ = try directory.write("lesson.md", LessonUpdaterTests.stale)
    chmod(path, 0o640)
    try HostFile.writeAtomically(Array(text.utf8), to: path, unchangedSince: bytes)
    #expect(try directory.read("lesson.md") == text)
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o640)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["lesson.md"])
  }

  @Test func writingIntoAMissingDirectoryFailsClearly() {
    do {
      try HostFile.writeAtomically(Array("x".utf8), to: "/nonexistent-hplab-dir/lesson.md")
      Issue.record("wrote into a missing directory")
    } catch {
      #expect(error.operation == .write && error.errno == ENOENT)
      #expect(error.message.hasPrefix("cannot write the file: No such file or directory"))
    }
  }
}
