import LabScript
import Testing

@testable import Notebook
import Simulation
import HostFiles

/// Hostile and random input never crashes the parsers and renderers: it parses, or it fails with
/// a located error.
@Suite struct RobustnessTests {
  /// A small deterministic generator (xorshift), so failures reproduce.
  struct Random {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Int(state % UInt64(bound))
    }
  }

  static let pieces = [
    "```", "````", "~~~", "```hplab", "```hplab {error}", "```hplab {exercise}", "```hplab {id=x}",
    "```output",
    "```hplab {", "<details>", "<details open", "</details>", "<summary>S</summary>", "# ", "## h", "- ",
    "  - ",
    "1. ", "3) ", "> ", "| a | b |", "|---|:-:|", "---", "*", "**", "_", "`", "[", "](", ")", "<https://x>",
    "\\",
    "print 1", "print nosuch", "text", "  ", "\t", "é", "\r", "", "\\ no newline at end of output", "{", "}",
  ]

  func randomText(_ random: inout Random) -> String {
    var text = ""
    for _ in 0..<random.next(40) {
      for _ in 0..<(1 + random.next(3)) {
        text += RobustnessTests.pieces[random.next(RobustnessTests.pieces.count)]
      }
      text += random.next(4) == 0 ? "" : "\n"
    }
    return text
  }

  @Test func randomMarkdownRendersEverywhere() {
    var random = Random(state: 0x9E37_79B9_7F4A_7C15)
    for _ in 0..<400 {
      let text = randomText(&random)
      let blocks = Markdown.parse(text)
      _ = MarkdownTerminalRenderer(width: 20 + random.next(80), color: random.next(2) == 0).render(blocks)
      _ = MarkdownHTML.render(blocks)
    }
  }

  @Test func randomLessonsParseOrFailWithALine() throws {
    var random = Random(state: 42)
    var parsed = 0
    var failed = 0
    for _ in 0..<400 {
      let text = randomText(&random)
      do {
        let lesson = try LessonParser.parse(text, path: "fuzz.md")
        parsed += 1
        // Whatever parses can be checked, updated and exported.
        let run = LessonRunner(session: labSession().0).run(lesson)
        let check = LessonCheck.check(run)
        _ = check.report(color: false)
        let (updated, _) = LessonUpdater.update(check)
        _ = try LessonParser.parse(updated, path: "fuzz.md")
        _ = HTMLExport.page(run)
        _ = NotebookExport.ipynb(run)
      } catch {
        failed += 1
        #expect(error.kind == .format)
        #expect(error.line != nil)
      }
    }
    #expect(parsed > 20 && failed > 20)
  }

  @Test func aDetailsTagWithoutItsClosingBracket() {
    #expect(
      Markdown.parse("<details open\nbody\n</details>") == [
        .details(summary: [.text("Details")], open: true, body: [.paragraph([.text("body")])])
      ])
  }

  @Test func deepNestingInANarrowTerminal() {
    let text = (0..<30).map { String(repeating: "  ", count: $0) + "- level \($0)" }.joined(separator: "\n")
    let rendered = MarkdownTerminalRenderer(width: 20).render(markdown: text)
    #expect(rendered.contains("level 29"))
  }

  @Test func aTimelineOfCenturiesDoesNotOverflow() {
    let timeline = Timeline(
      changes: [
        .init(time: 0, cpu: 0, state: .present), .init(time: UInt64.max - 1, cpu: 0, state: .active),
      ],
      end: UInt64.max)
    let text = timeline.renderText(width: 400)
    #expect(text.contains("|" + String(repeating: "-", count: 399) + "#|"))
    #expect(timeline.renderSVG().contains("data-state=\"active\""))
  }
}
