/// Renders Markdown as HTML. All text is escaped; raw HTML in the source is shown as text,
/// except the `<details>`/`<summary>` blocks the parser understands. Links keep only http,
/// https, mailto, relative and `#fragment` destinations.
public enum MarkdownHTML {
  public static func render(_ blocks: [MarkdownBlock]) -> String {
    blocks.map(render).joined()
  }

  public static func render(markdown: String) -> String { render(Markdown.parse(markdown)) }

  static func render(_ block: MarkdownBlock) -> String {
    switch block {
    case .heading(let level, let inlines):
      return "<h\(level)>\(render(inlines))</h\(level)>\n"
    case .paragraph(let inlines):
      return "<p>\(render(inlines))</p>\n"
    case .code(let language, let text):
      let cls = language.isEmpty ? "" : " class=\"language-\(escapeXML(language))\""
      return "<pre class=\"code\"><code\(cls)>\(escapeXML(text))</code></pre>\n"
    case .quote(let inner):
      return "<blockquote>\n\(render(inner))</blockquote>\n"
    case .list(let ordered, let start, let items):
      let tag = ordered ? "ol" : "ul"
      let startAttribute = ordered && start != 1 ? " start=\"\(start)\"" : ""
      var out = "<\(tag)\(startAttribute)>\n"
      for item in items {
        // A single paragraph item is written tight, without <p>.
        if item.count == 1, case .paragraph(let inlines) = item[0] {
          out += "<li>\(render(inlines))</li>\n"
        } else {
          out += "<li>\n\(render(item))</li>\n"
        }
      }
      return out + "</\(tag)>\n"
    case .table(let header, let alignments, let rows):
      func align(_ column: Int) -> String {
        switch alignments[column] {
        case .none: ""
        case .left: " style=\"text-align: left\""
        case .center: " style=\"text-align: center\""
        case .right: " style=\"text-align: right\""
        }
      }
      var out = "<table>\n<thead>\n<tr>"
      for (column, cell) in header.enumerated() { out += "<th\(align(column))>\(render(cell))</th>" }
      out += "</tr>\n</thead>\n<tbody>\n"
      for row in rows {
        out += "<tr>"
        for (column, cell) in row.enumerated() { out += "<td\(align(column))>\(render(cell))</td>" }
        out += "</tr>\n"
      }
      return out + "</tbody>\n</table>\n"
    case .rule:
      return "<hr>\n"
    case .details(let summary, let open, let body):
      return
        "<details\(open ? " open" : "")>\n<summary>\(render(summary))</summary>\n\(render(body))</details>\n"
    }
  }

  public static func render(_ inlines: [MarkdownInline]) -> String {
    inlines.map(render).joined()
  }

  static func render(_ inline: MarkdownInline) -> String {
    switch inline {
    case .text(let t): escapeXML(t)
    case .code(let t): "<code>\(escapeXML(t))</code>"
    case .emphasis(let inner): "<em>\(render(inner))</em>"
    case .strong(let inner): "<strong>\(render(inner))</strong>"
    case .link(let text, let destination):
      isSafe(destination) ? "<a href=\"\(escapeXML(destination))\">\(render(text))</a>" : render(text)
    case .lineBreak: "<br>\n"
    case .softBreak: "\n"
    }
  }

  /// Destinations a page may link to: web and mail addresses, relative paths, fragments.
  static func isSafe(_ destination: String) -> Bool {
    let lower = destination.lowercased()
    if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") { return true }
    // A relative reference has no scheme: no ':' before the first '/', '?' or '#'.
    let head = lower.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    return !head.contains(":")
  }
}
