import LabScript

/// Splits a cell's source into lines with the prompts the REPL would show: `hplab> ` where a
/// statement starts, `...> ` where an open block, string or bracket continues.
public enum CellPrompts {
  public static let prompt = "hplab> "
  public static let continuation = "...> "

  public static func lines(of source: String, session: Session = Session()) -> [(
    prompt: String, text: String
  )] {
    var result: [(prompt: String, text: String)] = []
    var pending = ""
    var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    for line in lines {
      result.append((pending.isEmpty ? prompt : continuation, line))
      pending += line + "\n"
      if !session.needsMoreInput(pending) { pending = "" }
    }
    return result
  }
}

/// Jupyter notebook export (nbformat 4.5): prose between cells becomes markdown cells (ids
/// `md-N`), each `hplab` cell a code cell (id from `{id=...}` or `cell-N`) whose outputs are
/// `stream` outputs (stdout, and stderr for error messages) and, for a timeline, a
/// `display_data` output with the SVG and its text. Cells marked `{error}` carry Jupyter's
/// `raises-exception` tag; exercise solutions are tagged `solution` with their source hidden.
public enum NotebookExport {
  public static func ipynb(_ run: LessonRun) -> String {
    let lesson = run.lesson
    var cells: [JSON] = []
    var markdownCount = 0
    var executionCount = 0
    let runs = Dictionary(uniqueKeysWithValues: run.cells.map { ($0.cell.number, $0) })
    for block in lesson.blocks {
      switch block {
      case .prose(let range):
        let text = trimBlankLines(lesson.text(of: range))
        guard !text.isEmpty else { continue }
        markdownCount += 1
        cells.append(
          .object([
            ("cell_type", .string("markdown")),
            ("id", .string("md-\(markdownCount)")),
            ("metadata", .object([])),
            ("source", multiline(text)),
          ]))
      case .cell(let cell):
        var metadata: [(String, JSON)] = []
        var tags: [JSON] = []
        if cell.attributes.expectsError { tags.append(.string("raises-exception")) }
        if cell.attributes.exercise {
          tags.append(.string("solution"))
          metadata.append(("jupyter", .object([("source_hidden", .bool(true))])))
        }
        if !tags.isEmpty { metadata.insert(("tags", .array(tags)), at: 0) }
        var outputs: [JSON] = []
        var count: JSON = .null
        if let cellRun = runs[cell.number] {
          executionCount += 1
          count = .int(executionCount)
          outputs = cellRun.items.map(output)
        }
        var source = cell.source
        if source.hasSuffix("\n") { source.removeLast() }
        cells.append(
          .object([
            ("cell_type", .string("code")),
            ("execution_count", count),
            ("id", .string(cell.notebookID)),
            ("metadata", .object(metadata)),
            ("outputs", .array(outputs)),
            ("source", multiline(source)),
          ]))
      }
    }
    let notebook = JSON.object([
      ("cells", .array(cells)),
      (
        "metadata",
        .object([
          ("kernelspec", .object([("display_name", .string("HotplugLab")), ("name", .string("hplab"))])),
          ("language_info", .object([("name", .string("hplab"))])),
          ("title", .string(lesson.title)),
        ])
      ),
      ("nbformat", .int(4)),
      ("nbformat_minor", .int(5)),
    ])
    return notebook.serialized()
  }

  static func output(_ item: OutputItem) -> JSON {
    switch item {
    case .output(let text):
      .object([("name", .string("stdout")), ("output_type", .string("stream")), ("text", multiline(text))])
    case .error(let text):
      .object([("name", .string("stderr")), ("output_type", .string("stream")), ("text", multiline(text))])
    case .timeline(let timeline, let text):
      .object([
        (
          "data",
          .object([
            ("image/svg+xml", multiline(timeline.renderSVG())),
            ("text/plain", multiline(text)),
          ])
        ),
        ("metadata", .object([])),
        ("output_type", .string("display_data")),
      ])
    }
  }

  /// A Jupyter "multiline string": the lines, each keeping its newline.
  static func multiline(_ text: String) -> JSON {
    var lines: [JSON] = []
    var current = ""
    for c in text {
      current.append(c)
      if c == "\n" {
        lines.append(.string(current))
        current = ""
      }
    }
    if !current.isEmpty { lines.append(.string(current)) }
    return .array(lines)
  }

  static func trimBlankLines(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while let first = lines.first, first.isBlank { lines.removeFirst() }
    while let last = lines.last, last.isBlank { lines.removeLast() }
    return lines.joined(separator: "\n")
  }
}

/// HTML export: one self-contained page (inline styles, no scripts, no external files) with the
/// prose, each cell with its prompts and the output it printed when the lesson ran, error
/// messages set apart, timelines drawn as inline SVG, and exercise solutions collapsed.
public enum HTMLExport {
  public static func page(_ run: LessonRun, generator: String = "hplab") -> String {
    let lesson = run.lesson
    let runs = Dictionary(uniqueKeysWithValues: run.cells.map { ($0.cell.number, $0) })
    let prompts = Session()
    var body = ""
    for block in lesson.blocks {
      switch block {
      case .prose(let range):
        body += MarkdownHTML.render(markdown: lesson.text(of: range))
      case .cell(let cell):
        var html = "<section class=\"cell\" id=\"\(escapeXML(cell.notebookID))\">\n"
        var labels: [String] = []
        if cell.attributes.expectsError { labels.append("ends with an error, on purpose") }
        if runs[cell.number] == nil { labels.append("not run: an earlier cell stopped the lesson") }
        html += "<div class=\"cell-label\">cell \(cell.number)"
        for label in labels { html += " · \(escapeXML(label))" }
        html += "</div>\n<pre class=\"input\"><code>"
        for line in CellPrompts.lines(of: cell.source, session: prompts) {
          html += "<span class=\"prompt\">\(escapeXML(line.prompt))</span>\(escapeXML(line.text))\n"
        }
        html += "</code></pre>\n"
        if let cellRun = runs[cell.number] { html += outputHTML(cellRun.items) }
        html += "</section>\n"
        if cell.attributes.exercise {
          html = "<details class=\"solution\">\n<summary>Solution</summary>\n\(html)</details>\n"
        }
        body += html
      }
    }
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="generator" content="\(escapeXML(generator))">
      <title>\(escapeXML(lesson.title))</title>
      <style>
      \(stylesheet)
      </style>
      </head>
      <body>
      <main class="lesson">
      \(body)
      </main>
      <footer>Exported by \(escapeXML(generator)) from <code>\(escapeXML(lesson.path))</code>; every output shown is what the cell printed when the lesson ran.</footer>
      </body>
      </html>

      """
  }

  /// A cell's output: text in `<pre>` blocks (error messages marked), timelines as SVG figures.
  static func outputHTML(_ items: [OutputItem]) -> String {
    var html = ""
    var open = false
    func openPre() {
      if !open {
        html += "<pre class=\"output\"><code>"
        open = true
      }
    }
    func closePre() {
      if open {
        html += "</code></pre>\n"
        open = false
      }
    }
    for item in items {
      switch item {
      case .output(let text):
        openPre()
        html += escapeXML(text)
      case .error(let text):
        openPre()
        html += "<span class=\"stderr\">\(escapeXML(text))</span>"
      case .timeline(let timeline, _):
        closePre()
        html += "<figure class=\"timeline\">\n\(timeline.renderSVG())</figure>\n"
      }
    }
    closePre()
    if items.isEmpty { html += "<div class=\"no-output\">(no output)</div>\n" }
    return html
  }

  static let stylesheet = """
    :root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --rule: #e5e7eb; --code-bg: #f6f8fa;
      --accent: #2563eb; --error: #b91c1c; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #fff; color: var(--ink);
      font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
    main.lesson { max-width: 52rem; margin: 0 auto; padding: 2rem 1.5rem 1rem; }
    h1, h2, h3 { line-height: 1.25; margin: 1.8em 0 0.6em; }
    h1 { font-size: 2rem; margin-top: 0.5em; border-bottom: 2px solid var(--rule); padding-bottom: 0.3em; }
    h2 { font-size: 1.45rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2em; }
    a { color: var(--accent); }
    code, pre { font: 0.9rem/1.45 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
    p code, li code, td code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
    pre { margin: 0; padding: 0.7rem 0.9rem; overflow-x: auto; white-space: pre; }
    pre.code { background: var(--code-bg); border-radius: 6px; margin: 1em 0; }
    table { border-collapse: collapse; margin: 1em 0; }
    th, td { border: 1px solid var(--rule); padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
    th { background: var(--code-bg); }
    blockquote { margin: 1em 0; padding: 0.2em 1em; border-left: 4px solid var(--rule); color: var(--muted); }
    details { margin: 1em 0; padding: 0.5em 0.9em; border: 1px solid var(--rule); border-radius: 6px; }
    summary { cursor: pointer; font-weight: 600; }
    section.cell { margin: 1.2em 0; border: 1px solid #d0d7de; border-left: 4px solid var(--accent);
      border-radius: 6px; overflow: hidden; }
    .cell-label { font-size: 0.75rem; color: var(--muted); padding: 0.25rem 0.9rem; background: #f3f4f6;
      border-bottom: 1px solid #e5e7eb; letter-spacing: 0.02em; }
    pre.input { background: #fbfbfc; }
    .prompt { color: #15803d; font-weight: 600; user-select: none; }
    pre.output { background: var(--code-bg); border-top: 1px dashed #d0d7de; color: #24292f; }
    .stderr { color: var(--error); }
    .no-output { font-size: 0.8rem; color: var(--muted); padding: 0.3rem 0.9rem; border-top: 1px dashed #d0d7de; }
    figure.timeline { margin: 0; padding: 0.6rem; border-top: 1px dashed #d0d7de; overflow-x: auto; }
    details.solution > section.cell { border-left-color: #16a34a; }
    footer { max-width: 52rem; margin: 0 auto; padding: 1rem 1.5rem 2rem; color: var(--muted); font-size: 0.8rem;
      border-top: 1px solid var(--rule); }
    """
}
