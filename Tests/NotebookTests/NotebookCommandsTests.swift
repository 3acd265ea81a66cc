import Foundation
import LabScript
import Testing

@testable import Notebook
import Simulation
import HostFiles

/// One in-memory file, for redirection tests.
final class OneFile: VirtualFileSystem {
  var contents = ""
  func read(_ path: String) throws(FileError) -> String { contents }
  func write(_ path: String, _ text: String) throws(FileError) { contents = text }
  func list(_ path: String) throws(FileError) -> [String] { ["file"] }
}

@Suite struct TimelineCommandTests {
  /// Runs text; returns the output and the rendered error.
  func run(_ text: String, _ session: Session) -> (out: String, error: String?) {
    let output = BufferedOutput()
    session.output = output
    do {
      try session.run(text, name: "t")
      return (output.combined, nil)
    } catch {
      return (output.combined, error.render(color: false))
    }
  }

  @Test func withoutAMachineItSaysSoClearly() {
    let (session, notebook) = labSession()
    let expected = """
      t:1:1: error: there is no machine in this session, so there are no CPU states to draw
      timeline
      ^~~~~~~~
      hint: the timeline shows the modelled CPUs' states over time; the commands that create a machine are not part of this build yet

      """
    #expect(run("timeline", session).error == expected)
    // A source that has nothing yet (the Lab before `machine`) gives the same answer.
    notebook.timelineSource = FixedTimeline(nil)
    #expect(run("timeline", session).error == expected)
  }

  @Test func drawsTheSourcesTimeline() {
    let (session, notebook) = labSession()
    notebook.timelineSource = FixedTimeline(sampleTimeline)
    #expect(run("timeline width=16", session) == (sampleTimeline.renderText(width: 16), nil))
    #expect(run("timeline", session).out == sampleTimeline.renderText(width: 60))
    #expect(
      run("timeline 1 width=16", session).out == sampleTimeline.restricted(to: [1]).renderText(width: 16))
    #expect(
      run("timeline width=3", session).error?.contains("width must be between 8 and 400, not 3") == true)
  }

  @Test func aLessonCellCapturesTheTimelineForExport() throws {
    let run = try runWithTimeline("```hplab\ntimeline 0-1 width=10\n```\n\n```output\n```\n")
    let expected = sampleTimeline.restricted(to: [0, 1])
    #expect(run.cells[0].items == [.timeline(expected, text: expected.renderText(width: 10))])
  }

  @Test func redirectionWritesTheText() {
    let (session, notebook) = labSession()
    notebook.timelineSource = FixedTimeline(sampleTimeline)
    let file = OneFile()
    session.files.mount(file, at: "/tmp")
    #expect(run("timeline width=12 > /tmp/file", session) == ("", nil))
    #expect(file.contents == sampleTimeline.renderText(width: 12))
  }

  @Test func helpDescribesIt() {
    let (session, _) = labSession()
    let help = run("help timeline", session).out
    #expect(
      help.hasPrefix(
        "timeline — draw each CPU's state over virtual time (text here, SVG in exported lessons)\n"))
    #expect(help.contains("usage: timeline [CPULIST] [width=N]"))
    #expect(run("help", session).out.contains("  Notebook\n    save"))
  }
}

@Suite struct SaveCommandTests {
  /// A session as the REPL has it: notebook commands with a recorder; `type` runs an entry
  /// and records it, as the REPL does.
  final class Typist {
    let session: Session
    let recorder = SessionRecorder { labSession().0 }
    let output = BufferedOutput()

    init() {
      let (session, notebook) = labSession()
      self.session = session
      notebook.recorder = recorder
      session.output = output
    }

    @discardableResult
    func type(_ entry: String, interrupted: Bool = false) -> String? {
      var failure: String?
      do { try session.run(entry + "\n", name: "<repl>") } catch { failure = error.render(color: false) }
      recorder.record(entry + "\n", interrupted: interrupted)
      return failure
    }
  }

  @Test func savesTheSessionAsALessonThatPassesCheck() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let typist = Typist()
    typist.type("let m = cpulist(\"0-3\", 8)")
    typist.type("print m")
    typist.type("   ")
    typist.type("print nosuch")
    typist.type("print \"abandoned\"", interrupted: true)
    typist.type("if true {\n  print weight(m)\n}")
    let path = directory.file("session.md")
    #expect(typist.type("save \(path)") == nil)
    #expect(typist.output.text.hasSuffix("saved 4 cells to \(path)\n"))
    let saved = try directory.read("session.md")
    #expect(
      saved == """
        # An hplab session

        Saved from an interactive session: one cell per entry, in the order they were typed. The
        outputs come from replaying the entries in a fresh session. Add prose between the cells,
        then `hplab run` this file to read it or `hplab check` it to test it.

        ```hplab
        let m = cpulist("0-3", 8)
        ```

        ```output
        ```

        ```hplab
        print m
        ```

        ```output
        0-3
        ```

        ```hplab {error}
        print nosuch
        ```

        ```output
        <cell 3>:1:7: error: unknown variable 'nosuch'
        print nosuch
              ^~~~~~
        hint: define it with `let nosuch = ...`
        ```

        ```hplab
        if true {
          print weight(m)
        }
        ```

        ```output
        4
        ```

        """)
    let (loaded, _) = try LessonParser.load(path)
    #expect(LessonCheck.check(loaded, runner: LessonRunner(session: labSession().0)).passed)
    // The save itself was not recorded.
    #expect(typist.recorder.entries.count == 4)
  }

  @Test func refusesToReplaceAFileUnlessForced() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let path = try directory.write("mine.md", "my own notes\n")
    let typist = Typist()
    typist.type("print 1")
    let error = try #require(typist.type("save \(path)"))
    #expect(error.contains("error: '\(path)' exists"))
    #expect(error.contains("hint: `save \(path) --force` replaces it"))
    #expect(try directory.read("mine.md") == "my own notes\n")
    #expect(typist.type("save \(path) --force") == nil)
    #expect(try directory.read("mine.md").contains("```hplab\nprint 1\n```"))
  }

  @Test func checksItsArguments() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let typist = Typist()
    #expect(
      typist.type("save notes.txt")?.contains("a lesson is a Markdown file: give a name ending in .md")
        == true)
    #expect(
      typist.type("print 1; save \(directory.file("x.md"))")?.contains("save must be on a line of its own")
        == true)
    #expect(!FileManager.default.fileExists(atPath: directory.file("x.md")))
    #expect(typist.type("save \(directory.file("x.md"))  # a comment") == nil)
    #expect(
      typist.type("save /nonexistent-hplab-dir/x.md")?.contains(
        "cannot write the file: No such file or directory")
        == true)
  }

  @Test func onlyInAnInteractiveSession() {
    let (session, _) = labSession()
    do {
      try session.run("save x.md", name: "script.hpl")
      Issue.record("save worked without a recorder")
    } catch {
      #expect(error.message == "save writes an interactive session, and this is not one")
      #expect(error.hint == "start `hplab` with no arguments, type commands, then `save FILE.md`")
    }
  }
}
