import Foundation
import LabScript
import Testing

@testable import Notebook
import Simulation
import HostFiles

/// A timeline source with constructed data, standing in for the Lab.
final class FixedTimeline: TimelineSource {
  var timeline: Timeline?
  init(_ timeline: Timeline?) { self.timeline = timeline }
  func cpuTimeline() -> Timeline? { timeline }
}

/// Runs a lesson in a fresh session whose `timeline` command draws `sampleTimeline`.
func runWithTimeline(_ text: String) throws -> LessonRun {
  let (session, notebook) = labSession()
  notebook.timelineSource = FixedTimeline(sampleTimeline)
  return LessonRunner(session: session).run(try lesson(text, path: "Lessons/demo.md"))
}

let exportLesson = """
  # Demo <lesson>

  Intro with `code`.

  ```hplab {id=masks}
  let m = cpulist("0-3", 8)
  print m
  ```

  ```output
  0-3
  ```

  ```hplab {error}
  print nosuch
  ```

  ```output
  ```

  ## Timeline

  ```hplab
  timeline width=16
  ```

  ```output
  ```

  Exercise prose.

  ```hplab {exercise}
  let answer = 2
  ```

  ```output
  ```

  ```hplab
  expect answer == 2
  if true {
    print "ok"
  }
  ```

  ```output
  ok
  ```
  """

@Suite struct ExportTests {
  func notebook(_ run: LessonRun) throws -> [String: Any] {
    let json = NotebookExport.ipynb(run)
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
    return try #require(object as? [String: Any])
  }

  @Test func ipynbStructure() throws {
    let run = try runWithTimeline(exportLesson)
    let nb = try notebook(run)
    #expect(nb["nbformat"] as? Int == 4)
    #expect(nb["nbformat_minor"] as? Int == 5)
    #expect(Set(nb.keys) == ["cells", "metadata", "nbformat", "nbformat_minor"])
    let metadata = try #require(nb["metadata"] as? [String: Any])
    #expect((metadata["kernelspec"] as? [String: String]) == ["name": "hplab", "display_name": "HotplugLab"])
    #expect(metadata["title"] as? String == "Demo <lesson>")
    let cells = try #require(nb["cells"] as? [[String: Any]])
    #expect(
      cells.map { $0["cell_type"] as? String } == [
        "markdown", "code", "code", "markdown", "code", "markdown", "code", "code",
      ])
    let ids = cells.compactMap { $0["id"] as? String }
    #expect(ids == ["md-1", "masks", "cell-2", "md-2", "cell-3", "md-3", "cell-4", "cell-5"])
    #expect(ids.allSatisfy(LessonParser.isValidID))
    // Markdown cells hold the prose as written, without the blank lines around it.
    #expect((cells[0]["source"] as? [String]) == ["# Demo <lesson>\n", "\n", "Intro with `code`."])
    // Code cells: source without a final newline, execution counts, stream outputs.
    let first = cells[1]
    #expect((first["source"] as? [String]) == ["let m = cpulist(\"0-3\", 8)\n", "print m"])
    #expect(first["execution_count"] as? Int == 1)
    let outputs = try #require(first["outputs"] as? [[String: Any]])
    #expect(outputs.count == 1)
    #expect(outputs[0]["output_type"] as? String == "stream")
    #expect(outputs[0]["name"] as? String == "stdout")
    #expect((outputs[0]["text"] as? [String]) == ["0-3\n"])
    // An {error} cell: the message on stderr, and Jupyter's raises-exception tag.
    let failing = cells[2]
    #expect(((failing["metadata"] as? [String: Any])?["tags"] as? [String]) == ["raises-exception"])
    let errorOutput = try #require((failing["outputs"] as? [[String: Any]])?.first)
    #expect(errorOutput["name"] as? String == "stderr")
    #expect((errorOutput["text"] as? [String])?.first == "<cell 2>:1:7: error: unknown variable 'nosuch'\n")
    // The timeline: display_data with the SVG and its text.
    let timeline = try #require((cells[4]["outputs"] as? [[String: Any]])?.first)
    #expect(timeline["output_type"] as? String == "display_data")
    let data = try #require(timeline["data"] as? [String: [String]])
    #expect(data["image/svg+xml"]?.first?.hasPrefix("<svg xmlns=") == true)
    #expect(data["text/plain"]?.joined() == sampleTimeline.renderText(width: 16))
    // The exercise's solution is tagged and hidden.
    let solution = try #require(cells[6]["metadata"] as? [String: Any])
    #expect(solution["tags"] as? [String] == ["solution"])
    #expect((solution["jupyter"] as? [String: Bool]) == ["source_hidden": true])
  }

  @Test func ipynbOfAStoppedLessonLeavesLaterCellsUnrun() throws {
    let run = LessonRunner(session: labSession().0).run(
      try lesson(
        "```hplab\nprint nosuch\n```\n\n```output\n```\n\n```hplab\nprint 1\n```\n\n```output\n1\n```\n"))
    let cells = try #require(try notebook(run)["cells"] as? [[String: Any]])
    #expect(cells[1]["execution_count"] is NSNull)
    #expect((cells[1]["outputs"] as? [Any])?.isEmpty == true)
  }

  @Test func ipynbIsReproducible() throws {
    let a = NotebookExport.ipynb(try runWithTimeline(exportLesson))
    let b = NotebookExport.ipynb(try runWithTimeline(exportLesson))
    #expect(a == b)
    #expect(a.hasSuffix("}\n"))
  }

  @Test func jsonEscaping() {
    #expect(JSON.string("a\"b\\c\n\t\u{01}é").serialized() == "\"a\\\"b\\\\c\\n\\t\\u0001é\"\n")
    #expect(JSON.object([]).serialized() == "{}\n")
    #expect(JSON.array([.int(1), .null, .bool(true)]).serialized() == "[\n 1,\n null,\n true\n]\n")
  }

  @Test func htmlPage() throws {
    let html = HTMLExport.page(try runWithTimeline(exportLesson), generator: "hplab test")
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n"))
    #expect(html.contains("<title>Demo &lt;lesson&gt;</title>"))
    #expect(html.contains("<h1>Demo &lt;lesson&gt;</h1>"))
    // Self-contained: no scripts, no external style sheets or images.
    #expect(!html.contains("<script") && !html.contains("<link") && !html.contains(" src="))
    #expect(html.contains("<style>"))
    // Cells with prompts (continuation lines too) and outputs.
    #expect(html.contains("<section class=\"cell\" id=\"masks\">"))
    #expect(html.contains("<span class=\"prompt\">hplab&gt; </span>let m = cpulist(&quot;0-3&quot;, 8)\n"))
    #expect(html.contains("<span class=\"prompt\">...&gt; </span>  print &quot;ok&quot;\n"))
    #expect(html.contains("<pre class=\"output\"><code>0-3\n</code></pre>"))
    #expect(html.contains("<span class=\"stderr\">&lt;cell 2&gt;:1:7: error: unknown variable"))
    #expect(html.contains("cell 2 · ends with an error, on purpose"))
    // The timeline is drawn as inline SVG; the exercise is collapsed.
    #expect(html.contains("<figure class=\"timeline\">\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(
      html.contains(
        "<details class=\"solution\">\n<summary>Solution</summary>\n<section class=\"cell\" id=\"cell-4\">"))
    #expect(html.contains("<div class=\"no-output\">(no output)</div>"))
    #expect(html.contains("Exported by hplab test from <code>Lessons/demo.md</code>"))
  }

  @Test func htmlMarksCellsThatDidNotRun() throws {
    let run = LessonRunner(session: labSession().0).run(
      try lesson(
        "```hplab\nprint nosuch\n```\n\n```output\n```\n\n```hplab\nprint 1\n```\n\n```output\n1\n```\n"))
    #expect(HTMLExport.page(run).contains("cell 2 · not run: an earlier cell stopped the lesson"))
  }

  /// The exports of a lesson with a timeline, checked here and, when HPLAB_NOTEBOOK_SAMPLES
  /// names a folder, written there for Scripts/test.d/40-lessons to validate with nbformat and
  /// to screenshot in Chromium (no lesson can draw a timeline before the Lab exists).
  @Test func sampleExportsWithATimeline() throws {
    let run = try runWithTimeline(exportLesson)
    let html = HTMLExport.page(run, generator: "hplab test")
    let ipynb = NotebookExport.ipynb(run)
    let svgStart = try #require(html.firstRange(of: "<svg "))
    let svgEnd = try #require(html.firstRange(of: "</svg>"))
    let svg = String(html[svgStart.lowerBound..<svgEnd.upperBound])
    #expect(XMLCounter.parse(svg)?.elements["rect"] == 11)
    #expect(ipynb.contains("\"image/svg+xml\""))
    if let folder = ProcessInfo.processInfo.environment["HPLAB_NOTEBOOK_SAMPLES"], !folder.isEmpty {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try HostFile.writeAtomically(Array(html.utf8), to: folder + "/timeline-demo.html")
      try HostFile.writeAtomically(Array(ipynb.utf8), to: folder + "/timeline-demo.ipynb")
    }
  }

  @Test func promptsFollowOpenBlocks() {
    let lines = CellPrompts.lines(of: "def f(x) {\n  print x\n}\nf 1\nprint \"a\\\n")
    #expect(lines.map(\.prompt) == ["hplab> ", "...> ", "...> ", "hplab> ", "hplab> "])
  }
}
