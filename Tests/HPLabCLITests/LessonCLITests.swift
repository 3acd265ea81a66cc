import Foundation
import Testing

/// `hplab check`, `hplab export` and `hplab run LESSON.md`, run as a user runs them.
@Suite struct LessonCLITests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let lessonOne = root.appendingPathComponent("Lessons/01-cpu-masks.md").path

  func hplab(_ arguments: [String], stdin: String = "") throws -> CLITests.Result {
    try CLITests().hplab(arguments, stdin: stdin, environment: ["TERM": "xterm-256color"])
  }

  /// A scratch folder with the given files.
  func folder(_ files: [String: String]) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "hplab-lessons-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (name, text) in files {
      try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }
    return directory
  }

  static let good = "# Good\n\n```hplab\nprint 6 * 7\n```\n\n```output\n42\n```\n\nDone.\n"

  @Test func theCoursePasses() throws {
    let r = try hplab(["check", LessonCLITests.root.appendingPathComponent("Lessons").path])
    #expect(r.status == 0, "\(r.out)\(r.err)")
    #expect(
      r.out.contains("PASS \(LessonCLITests.root.appendingPathComponent("Lessons").path)/01-cpu-masks.md ("))
    #expect(r.out.hasSuffix("passed, 0 failed\n"))
  }

  @Test func oneChangedExpectedLineFailsWithFileLineAndDiff() throws {
    let text = try String(contentsOfFile: LessonCLITests.lessonOne, encoding: .utf8)
    let broken = text.replacingOccurrences(of: "```output\n4 2 2\n```", with: "```output\n4 2 3\n```")
    #expect(broken != text)
    let directory = try folder(["01.md": broken])
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("01.md").path
    let r = try hplab(["check", path])
    #expect(r.status == 1)
    let lines = broken.components(separatedBy: "\n")
    let line = lines.firstIndex(of: "4 2 3")! + 1
    let cellLine = lines[..<line].lastIndex { $0.hasPrefix("```hplab") }! + 1
    #expect(r.out.contains("FAIL \(path)\n"))
    #expect(r.out.contains("\(path):\(cellLine): error: cell 2 (under \"2. A machine with room to grow\")"))
    #expect(
      r.out.contains(
        "--- \(path) (expected)\n+++ \(path) (actual)\n@@ -\(line) +\(line) @@\n-4 2 3\n+4 2 2\n"))
    #expect(r.out.hasSuffix("0 passed, 1 failed\n"))
    #expect(!r.out.contains("\u{1B}["))
  }

  @Test func updateRewritesOnlyTheOutputBlocks() throws {
    let stale =
      "# T\n\nProse  with   odd spacing.\n\n```hplab\nprint 1\n```\n\n```output\n2\n```\n\n```hplab\nprint 3\n```\n"
    let directory = try folder(["t.md": stale])
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("t.md").path
    let r = try hplab(["check", "--update", path])
    #expect(r.status == 0, "\(r.out)\(r.err)")
    #expect(r.out == "updated \(path): output of cells 1, 2\nPASS \(path) (2 cells)\n1 passed, 0 failed\n")
    #expect(
      try String(contentsOfFile: path, encoding: .utf8)
        == "# T\n\nProse  with   odd spacing.\n\n```hplab\nprint 1\n```\n\n```output\n1\n```\n\n```hplab\nprint 3\n```\n\n```output\n3\n```\n"
    )
    #expect(try hplab(["check", path]).status == 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["t.md"])
  }

  @Test func updateCannotFixAnUnexpectedError() throws {
    let text = "```hplab\nprint nosuch\n```\n\n```output\n```\n"
    let directory = try folder(["t.md": text])
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("t.md").path
    let r = try hplab(["check", "-u", path])
    #expect(r.status == 1)
    #expect(r.out.contains("the cell failed with an error"))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
  }

  @Test func malformedAndMissingLessonsExitTwo() throws {
    let directory = try folder(["a-good.md": LessonCLITests.good, "b-bad.md": "Intro\n\n```hplab\nprint 1\n"])
    defer { try? FileManager.default.removeItem(at: directory) }
    let r = try hplab(["check", directory.path])
    #expect(r.status == 2)
    #expect(r.out.contains("PASS \(directory.path)/a-good.md (1 cell)\n"))
    #expect(
      r.err.contains("\(directory.path)/b-bad.md:3: error: the ```hplab fence opened here is never closed\n"))
    #expect(r.out.hasSuffix("1 passed, 1 failed\n"))
    let missing = try hplab(["check", directory.appendingPathComponent("nope.md").path])
    #expect(missing.status == 2)
    #expect(missing.err.contains("nope.md: error: cannot read the file: No such file or directory"))
    #expect(missing.out == "0 passed, 1 failed\n")
    let empty = try folder([:])
    defer { try? FileManager.default.removeItem(at: empty) }
    let none = try hplab(["check", empty.path])
    #expect(none.status == 2 && none.err.contains("the folder holds no lessons (*.md)"))
    #expect(try hplab(["check"]).status == 2)
  }

  @Test func runShowsALessonWithoutColourWhenPiped() throws {
    let r = try hplab(["run", LessonCLITests.lessonOne])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.hasPrefix("Lesson 1: CPU masks and cpulists\n════"))
    #expect(r.out.contains("hplab> print cpumap(cpulist(\"0-1,32\"))\n"))
    #expect(r.out.contains("00000001,00000003\n"))
    #expect(r.err.contains("<cell 8>:1:12: error: bitmap_parselist(\"0-64\") returned -ERANGE (-34)"))
    #expect(!r.out.contains("\u{1B}[") && !r.err.contains("\u{1B}["))
  }

  @Test func runStepReadsCommandsFromStandardInput() throws {
    let directory = try folder([
      "t.md": LessonCLITests.good + "\n```hplab\nprint 1\n```\n\n```output\n1\n```\n"
    ])
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("t.md").path
    let r = try hplab(["run", "--step", path], stdin: "print 6 * 7 + 1\n\n")
    #expect(r.status == 0)
    #expect(
      r.out.contains(
        "[1/2] Enter: next · commands: explore · Ctrl-D: stop\nhplab> print 6 * 7 + 1\n43\nhplab> \n"))
    // The input ran out at the second pause: that stops the lesson.
    #expect(r.out.hasSuffix("[2/2] Enter: next · commands: explore · Ctrl-D: stop\nhplab> \n"))
    let script = try hplab(["run", "--step", directory.appendingPathComponent("x.hpl").path])
    #expect(script.status == 2 && script.err.contains("--step works with lessons (.md files)"))
  }

  @Test func runReportsBadLessonsAndFailingCells() throws {
    let directory = try folder([
      "bad.md": "```output\n1\n```\n", "fails.md": "```hplab\nprint nosuch\n```\n\n```output\n```\n",
    ])
    defer { try? FileManager.default.removeItem(at: directory) }
    let bad = try hplab(["run", directory.appendingPathComponent("bad.md").path])
    #expect(bad.status == 2)
    #expect(bad.err.contains("bad.md:1: error: this output block does not follow an hplab cell"))
    let fails = try hplab(["run", directory.appendingPathComponent("fails.md").path])
    #expect(fails.status == 1)
    #expect(fails.err.contains("fails.md:1: error: cell 1 failed, so the lesson stops here"))
  }

  @Test func exportWritesAPageAndANotebook() throws {
    let directory = try folder([:])
    defer { try? FileManager.default.removeItem(at: directory) }
    let html = directory.appendingPathComponent("01.html").path
    let ipynb = directory.appendingPathComponent("01.ipynb").path
    let r = try hplab(["export", LessonCLITests.lessonOne, "--html", html, "--ipynb", ipynb])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out == "wrote \(html)\nwrote \(ipynb)\n")
    #expect(r.err == "")
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(page.contains("<title>Lesson 1: CPU masks and cpulists</title>"))
    #expect(page.contains("<meta name=\"generator\" content=\"hplab 0.1.0\">"))
    let notebook = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ipynb)))
    #expect((notebook as? [String: Any])?["nbformat"] as? Int == 4)
  }

  @Test func exportNeedsATargetAndAGoodLesson() throws {
    let none = try hplab(["export", LessonCLITests.lessonOne])
    #expect(none.status == 2 && none.err.contains("Give --html FILE, --ipynb FILE, or both."))
    let directory = try folder(["bad.md": "```hplab {nope}\nprint 1\n```\n"])
    defer { try? FileManager.default.removeItem(at: directory) }
    let bad = try hplab([
      "export", directory.appendingPathComponent("bad.md").path, "--html",
      directory.appendingPathComponent("x.html").path,
    ])
    #expect(bad.status == 2 && bad.err.contains("bad.md:1: error: unknown cell attribute 'nope'"))
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("x.html").path))
  }

  @Test func exportWarnsAboutOutputsThatChanged() throws {
    let directory = try folder(["t.md": "```hplab\nprint 2\n```\n\n```output\n1\n```\n"])
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("t.md").path
    let r = try hplab(["export", path, "--ipynb", directory.appendingPathComponent("t.ipynb").path])
    #expect(r.status == 0)
    #expect(
      r.err
        == "\(path):1: warning: cell 1 printed something other than its output block; exporting what it printed\n"
    )
  }

  @Test func helpListsTheLessonCommands() throws {
    let help = try hplab(["--help"])
    #expect(help.out.contains("check") && help.out.contains("export"))
    #expect(help.out.contains("hplab check Lessons/"))
    let checkHelp = try hplab(["check", "--help"])
    #expect(checkHelp.out.contains("N passed, M failed"))
  }

  @Test func theTimelineCommandNeedsAMachine() throws {
    let r = try hplab(["-c", "timeline"])
    #expect(r.status == 1)
    #expect(
      r.err.hasPrefix(
        "<command line>:1:1: error: there is no machine in this session, so there are no CPU states to draw\n"
      ))
    let save = try hplab(["-c", "save x.md"])
    #expect(save.status == 1 && save.err.contains("save writes an interactive session, and this is not one"))
  }
}
