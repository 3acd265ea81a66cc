import Testing

@testable import Notebook

@Suite struct MarkdownTests {
  @Test func blocks() {
    let blocks = Markdown.parse(
      """
      # Title #

      A paragraph
      on two lines.

      - one
      - two
        continued
        - nested

      3. three
      4. four

      > quoted *text*

      ```sh
      echo 1
      ```

      ---

      | a | b |
      |:--|--:|
      | 1 | 2 |
      """)
    #expect(blocks.count == 8)
    #expect(blocks[0] == .heading(level: 1, [.text("Title")]))
    #expect(blocks[1] == .paragraph([.text("A paragraph"), .softBreak, .text("on two lines.")]))
    #expect(
      blocks[2]
        == .list(
          ordered: false, start: 1,
          items: [
            [.paragraph([.text("one")])],
            [
              .paragraph([.text("two"), .softBreak, .text("continued")]),
              .list(ordered: false, start: 1, items: [[.paragraph([.text("nested")])]]),
            ],
          ]))
    #expect(
      blocks[3]
        == .list(
          ordered: true, start: 3, items: [[.paragraph([.text("three")])], [.paragraph([.text("four")])]]))
    #expect(blocks[4] == .quote([.paragraph([.text("quoted "), .emphasis([.text("text")])])]))
    #expect(blocks[5] == .code(language: "sh", text: "echo 1\n"))
    #expect(blocks[6] == .rule)
    #expect(
      blocks[7]
        == .table(
          header: [[.text("a")], [.text("b")]], alignments: [.left, .right],
          rows: [[[.text("1")], [.text("2")]]]))
  }

  @Test func inlines() {
    #expect(
      Markdown.parseInline("a `code` *em* **strong** _u_ [link](https://x.org/a_b) <https://y.org> \\*lit\\*")
        == [
          .text("a "), .code("code"), .text(" "), .emphasis([.text("em")]), .text(" "),
          .strong([.text("strong")]),
          .text(" "), .emphasis([.text("u")]), .text(" "),
          .link(text: [.text("link")], destination: "https://x.org/a_b"),
          .text(" "), .link(text: [.text("https://y.org")], destination: "https://y.org"), .text(" *lit*"),
        ])
    // Underscores inside words and unmatched markers stay text.
    #expect(Markdown.parseInline("cpu_possible_mask and 2 * 3") == [.text("cpu_possible_mask and 2 * 3")])
    #expect(Markdown.parseInline("``a ` b``") == [.code("a ` b")])
    #expect(Markdown.parseInline("**bold `code`**") == [.strong([.text("bold "), .code("code")])])
  }

  @Test func hardBreaks() {
    #expect(
      Markdown.parse("one  \ntwo\\\nthree")
        == [.paragraph([.text("one"), .lineBreak, .text("two"), .lineBreak, .text("three")])])
  }

  @Test func detailsBlocks() {
    let blocks = Markdown.parse(
      "<details>\n<summary>Hint: *look*</summary>\n\nUse `mask`.\n</details>\n\nAfter.")
    #expect(
      blocks == [
        .details(
          summary: [.text("Hint: "), .emphasis([.text("look")])], open: false,
          body: [.paragraph([.text("Use "), .code("mask"), .text(".")])]),
        .paragraph([.text("After.")]),
      ])
    #expect(
      Markdown.parse("<details open><summary>S</summary>body</details>")
        == [.details(summary: [.text("S")], open: true, body: [.paragraph([.text("body")])])])
  }

  // MARK: Terminal

  @Test func terminalWrapsAndIndents() {
    let renderer = MarkdownTerminalRenderer(width: 30, color: false)
    let text = renderer.render(
      markdown: """
        ## Masks

        The enabled mask says which CPUs may come online; `offline` is a subtraction.

        - first item that is long enough to wrap
        - second

        <details>
        <summary>Hint</summary>

        Use [the docs](https://kernel.org).
        </details>
        """)
    #expect(
      text == """
        Masks
        ─────

        The enabled mask says which
        CPUs may come online;
        `offline` is a subtraction.

        • first item that is long
          enough to wrap
        • second

        ▸ Hint
          Use the docs
          (https://kernel.org).

        """)
  }

  @Test func terminalNestedListsStayTight() {
    let text = MarkdownTerminalRenderer(width: 40).render(
      markdown: "- a\n  - b\n  - c\n- d\n\n  second paragraph of d")
    #expect(text == "• a\n  • b\n  • c\n• d\n\n  second paragraph of d\n")
  }

  @Test func terminalColourStylesInlineText() {
    let text = MarkdownTerminalRenderer(width: 80, color: true).render(markdown: "# T\n\n*a* **b** `c`")
    #expect(text.contains("\u{1B}[1mT\u{1B}[0m"))
    #expect(text.contains("\u{1B}[3ma\u{1B}[0m \u{1B}[1mb\u{1B}[0m \u{1B}[36mc\u{1B}[0m"))
    #expect(!MarkdownTerminalRenderer(width: 80, color: false).render(markdown: "*a* `c`").contains("\u{1B}"))
  }

  @Test func terminalCodeSpansDoNotBreak() {
    let text = MarkdownTerminalRenderer(width: 20, color: false).render(markdown: "run `echo 1 > /sys/x` now")
    #expect(text == "run\n`echo 1 > /sys/x`\nnow\n")
  }

  @Test func terminalTablesAlignAndWrap() {
    let markdown =
      "| mask | meaning |\n|---|--:|\n| possible | may exist during this boot |\n| online | runs tasks |"
    #expect(
      MarkdownTerminalRenderer(width: 80).render(markdown: markdown) == """
        mask                         meaning
        ────────  ──────────────────────────
        possible  may exist during this boot
        online                    runs tasks

        """)
    #expect(
      MarkdownTerminalRenderer(width: 24).render(markdown: markdown) == """
        mask             meaning
        ────────  ──────────────
        possible       may exist
                     during this
                            boot
        online        runs tasks

        """)
  }

  @Test func terminalHeadingsAndCode() {
    let text = MarkdownTerminalRenderer(width: 40).render(
      markdown: "### Small\n\n```\nline 1\n\nline 3\n```\n\n---")
    #expect(text == "### Small\n\n    line 1\n\n    line 3\n\n" + String(repeating: "─", count: 40) + "\n")
  }

  // MARK: HTML

  @Test func htmlEscapesEverything() {
    let html = MarkdownHTML.render(markdown: "# A <b> & \"c\"\n\n<script>alert(1)</script> `<x>`")
    #expect(
      html == """
        <h1>A &lt;b&gt; &amp; &quot;c&quot;</h1>
        <p>&lt;script&gt;alert(1)&lt;/script&gt; <code>&lt;x&gt;</code></p>

        """)
  }

  @Test func htmlLinksOnlyToSafeDestinations() {
    #expect(
      MarkdownHTML.render(
        markdown: "[a](https://x.org/?a=1&b=2) [b](javascript:alert(1)) [c](../02-board.md#top)")
        == "<p><a href=\"https://x.org/?a=1&amp;b=2\">a</a> b <a href=\"../02-board.md#top\">c</a></p>\n")
  }

  @Test func htmlBlocks() {
    let html = MarkdownHTML.render(
      markdown: """
        - one
        - **two**

        2. b

        | x | y |
        |:-:|---|
        | 1 | 2 |

        <details>
        <summary>Hint</summary>

        text
        </details>
        """)
    #expect(
      html == """
        <ul>
        <li>one</li>
        <li><strong>two</strong></li>
        </ul>
        <ol start="2">
        <li>b</li>
        </ol>
        <table>
        <thead>
        <tr><th style="text-align: center">x</th><th>y</th></tr>
        </thead>
        <tbody>
        <tr><td style="text-align: center">1</td><td>2</td></tr>
        </tbody>
        </table>
        <details>
        <summary>Hint</summary>
        <p>text</p>
        </details>

        """)
  }
}
