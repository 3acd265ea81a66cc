/// Renders Markdown for a terminal: paragraphs re-wrapped to the width, headings underlined,
/// lists with hanging indents, code indented, tables in aligned columns, `<details>` as a
/// marked, indented section. With colour, emphasis, code and links are styled; without it the
/// text stays readable on its own (code keeps its backticks, links show their address).
public struct MarkdownTerminalRenderer: Sendable {
  public var width: Int
  public var style: TerminalStyle

  public init(width: Int = 80, color: Bool = false) {
    self.width = Swift.max(width, 20)
    self.style = TerminalStyle(enabled: color)
  }

  /// The blocks as lines of text (each ending in a newline), separated by blank lines.
  public func render(_ blocks: [MarkdownBlock]) -> String {
    lines(blocks, width: width).map { $0 + "\n" }.joined()
  }

  public func render(markdown: String) -> String { render(Markdown.parse(markdown)) }

  /// The narrowest text a nested block gets: deeper indentation overflows the width instead of
  /// breaking every word.
  static let minimumWidth = 12

  func lines(_ blocks: [MarkdownBlock], width: Int, tight: Bool = false) -> [String] {
    var out: [String] = []
    for (position, block) in blocks.enumerated() {
      // In a list item, a nested list follows its text without a blank line.
      if position > 0 && !(tight && isList(block)) { out.append("") }
      out += lines(block, width: width)
    }
    return out
  }

  private func isList(_ block: MarkdownBlock) -> Bool {
    if case .list = block { return true }
    return false
  }

  func lines(_ block: MarkdownBlock, width: Int) -> [String] {
    switch block {
    case .heading(let level, let inlines):
      let text = inlines.map(\.plainText).joined()
      switch level {
      case 1:
        return [style.bold(text), style.bold(String(repeating: "═", count: Swift.min(text.count, width)))]
      case 2: return [style.bold(text), String(repeating: "─", count: Swift.min(text.count, width))]
      default: return [style.enabled ? style.bold(text) : String(repeating: "#", count: level) + " " + text]
      }
    case .paragraph(let inlines):
      return wrap(inlines, width: width)
    case .code(_, let text):
      return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
        $0.isEmpty ? "" : style.dim("    " + $0)
      }
    case .quote(let inner):
      return lines(inner, width: Swift.max(width - 2, Self.minimumWidth)).map {
        style.dim("│") + ($0.isEmpty ? "" : " " + $0)
      }
    case .list(let ordered, let start, let items):
      var out: [String] = []
      let lastNumber = start + items.count - 1
      let markerWidth = ordered ? "\(lastNumber).".count + 1 : 2
      for (position, item) in items.enumerated() {
        let marker = ordered ? "\(start + position)." : "•"
        let body = lines(item, width: Swift.max(width - markerWidth, Self.minimumWidth), tight: true)
        for (row, line) in body.enumerated() {
          if row == 0 {
            out.append(marker.padding(to: markerWidth) + line)
          } else {
            out.append(line.isEmpty ? "" : String(repeating: " ", count: markerWidth) + line)
          }
        }
      }
      return out
    case .table(let header, let alignments, let rows):
      return table(header: header, alignments: alignments, rows: rows, width: width)
    case .rule:
      return [style.dim(String(repeating: "─", count: width))]
    case .details(let summary, _, let body):
      let title = summary.map(\.plainText).joined()
      var out = [style.bold("▸ " + title)]
      for line in lines(body, width: Swift.max(width - 2, Self.minimumWidth)) {
        out.append(line.isEmpty ? "" : "  " + line)
      }
      return out
    }
  }

  // MARK: Inline text

  /// A piece of text and the styling applied to it.
  struct Piece {
    var text: String
    var styles: [Style]
    /// Code spans keep their spaces: a line never breaks inside one.
    var breakable = true
  }

  enum Style { case bold, italic, code, link }

  func apply(_ styles: [Style], _ text: String) -> String {
    var result = text
    for s in styles {
      switch s {
      case .bold: result = style.bold(result)
      case .italic: result = style.italic(result)
      case .code: result = style.cyan(result)
      case .link: result = style.underline(result)
      }
    }
    return result
  }

  /// Flattens inlines into styled pieces; nil marks a hard line break.
  func pieces(_ inlines: [MarkdownInline], styles: [Style] = []) -> [Piece?] {
    var out: [Piece?] = []
    for inline in inlines {
      switch inline {
      case .text(let t): out.append(Piece(text: t, styles: styles))
      case .code(let t):
        out.append(Piece(text: style.enabled ? t : "`\(t)`", styles: styles + [.code], breakable: false))
      case .emphasis(let inner): out += pieces(inner, styles: styles + [.italic])
      case .strong(let inner): out += pieces(inner, styles: styles + [.bold])
      case .link(let text, let destination):
        out += pieces(text, styles: styles + [.link])
        let shown = text.map(\.plainText).joined()
        if shown != destination && !destination.hasPrefix("#") {
          out.append(Piece(text: " (\(destination))", styles: styles))
        }
      case .lineBreak: out.append(nil)
      case .softBreak: out.append(Piece(text: " ", styles: styles))
      }
    }
    return out
  }

  /// Greedy word wrap of styled text; a word longer than the width gets a line of its own.
  func wrap(_ inlines: [MarkdownInline], width: Int) -> [String] {
    // Words are lists of pieces; a nil word is a hard break.
    var words: [[Piece]?] = []
    var current: [Piece] = []
    func finish() {
      if !current.isEmpty { words.append(current) }
      current = []
    }
    for piece in pieces(inlines) {
      guard let piece else {
        finish()
        words.append(nil)
        continue
      }
      guard piece.breakable else {
        current.append(piece)
        continue
      }
      let parts = piece.text.split(separator: " ", omittingEmptySubsequences: false)
      for (position, part) in parts.enumerated() {
        if position > 0 { finish() }
        if !part.isEmpty { current.append(Piece(text: String(part), styles: piece.styles)) }
      }
    }
    finish()
    var lines: [String] = []
    var line = ""
    var lineWidth = 0
    for word in words {
      guard let word else {
        lines.append(line)
        line = ""
        lineWidth = 0
        continue
      }
      let wordWidth = word.reduce(0) { $0 + $1.text.count }
      let rendered = word.map { apply($0.styles, $0.text) }.joined()
      if lineWidth > 0 && lineWidth + 1 + wordWidth > width {
        lines.append(line)
        line = ""
        lineWidth = 0
      }
      if lineWidth > 0 {
        line += " "
        lineWidth += 1
      }
      line += rendered
      lineWidth += wordWidth
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }

  // MARK: Tables

  /// A table in aligned columns; when it is wider than the width, the widest columns are
  /// narrowed and their cells wrapped onto more lines.
  func table(
    header: [[MarkdownInline]], alignments: [MarkdownAlignment], rows: [[[MarkdownInline]]], width: Int
  ) -> [String] {
    let plainHeader = header.map { $0.map(\.plainText).joined() }
    let plainRows = rows.map { $0.map { cell in cell.map(\.plainText).joined() } }
    var widths = plainHeader.map(\.count)
    for row in plainRows {
      for (column, text) in row.enumerated() where column < widths.count {
        widths[column] = Swift.max(widths[column], text.count)
      }
    }
    let gaps = 2 * Swift.max(widths.count - 1, 0)
    while widths.reduce(0, +) + gaps > width,
      let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
      widths[widest] > 8
    {
      widths[widest] -= 1
    }
    func format(_ cells: [String], styledAs styler: (String) -> String) -> [String] {
      let wrapped = cells.enumerated().map { column, text in
        MarkdownTerminalRenderer.wrapPlain(text, width: widths[column])
      }
      let height = wrapped.map(\.count).max() ?? 1
      var lines: [String] = []
      for row in 0..<height {
        var parts: [String] = []
        for (column, cellLines) in wrapped.enumerated() {
          let text = row < cellLines.count ? cellLines[row] : ""
          let pad = Swift.max(widths[column] - text.count, 0)
          let aligned: String
          switch alignments[column] {
          case .right: aligned = String(repeating: " ", count: pad) + text
          case .center:
            aligned =
              String(repeating: " ", count: pad / 2) + text + String(repeating: " ", count: pad - pad / 2)
          case .left, .none: aligned = text + String(repeating: " ", count: pad)
          }
          parts.append(text.isEmpty ? aligned : styler(aligned))
        }
        var line = parts.joined(separator: "  ")
        while line.hasSuffix(" ") { line.removeLast() }
        lines.append(line)
      }
      return lines
    }
    var out = format(plainHeader, styledAs: style.bold)
    out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
    for row in plainRows { out += format(row, styledAs: { $0 }) }
    return out
  }

  /// Word wrap of plain text; a word longer than the width is cut.
  static func wrapPlain(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      var word = Substring(word)
      if !line.isEmpty && line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      while word.count > width {
        if !line.isEmpty {
          lines.append(line)
          line = ""
        }
        lines.append(String(word.prefix(width)))
        word = word.dropFirst(width)
      }
      if word.isEmpty { continue }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }
}
