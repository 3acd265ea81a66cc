/// The Markdown that lessons use, parsed into blocks and inlines for the terminal and HTML
/// renderers. It is a subset of CommonMark with GitHub's tables:
///
/// - ATX headings (`#` to `######`), paragraphs (a line ending in two spaces or `\` breaks),
///   thematic breaks (`---`, `***`, `___`), block quotes (`>`), fenced code blocks (```` ``` ````
///   or `~~~`), pipe tables with a `---` delimiter row, bullet (`-`, `*`, `+`) and ordered
///   (`1.`, `1)`) lists, nested by indentation;
/// - `<details>` blocks with an optional `<summary>` (hints and solutions);
/// - inline: `code`, *emphasis*, **strong**, [links](url), <https://autolinks>, backslash
///   escapes. Other HTML is shown as text, never passed through.
public indirect enum MarkdownBlock: Sendable, Equatable {
  case heading(level: Int, [MarkdownInline])
  case paragraph([MarkdownInline])
  case code(language: String, text: String)
  case quote([MarkdownBlock])
  case list(ordered: Bool, start: Int, items: [[MarkdownBlock]])
  case table(header: [[MarkdownInline]], alignments: [MarkdownAlignment], rows: [[[MarkdownInline]]])
  case rule
  case details(summary: [MarkdownInline], open: Bool, body: [MarkdownBlock])
}

public enum MarkdownAlignment: Sendable, Equatable {
  case none, left, center, right
}

public indirect enum MarkdownInline: Sendable, Equatable {
  case text(String)
  case code(String)
  case emphasis([MarkdownInline])
  case strong([MarkdownInline])
  case link(text: [MarkdownInline], destination: String)
  /// A line break inside a paragraph (the source line ended in two spaces or `\`).
  case lineBreak
  /// A newline in the source: rendered as a space.
  case softBreak

  /// The text without any markup.
  public var plainText: String {
    switch self {
    case .text(let t), .code(let t): t
    case .emphasis(let c), .strong(let c): c.map(\.plainText).joined()
    case .link(let text, _): text.map(\.plainText).joined()
    case .lineBreak: "\n"
    case .softBreak: " "
    }
  }
}

public enum Markdown {
  /// Parses Markdown text into blocks.
  public static func parse(_ text: String) -> [MarkdownBlock] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
    }
    if lines.last == "" { lines.removeLast() }
    var parser = BlockParser(lines: lines)
    return parser.parseBlocks()
  }

  /// Parses one line or paragraph of inline Markdown.
  public static func parseInline(_ text: String) -> [MarkdownInline] {
    var parser = InlineParser(Array(text))
    return parser.parse()
  }
}

// MARK: - Blocks

private struct BlockParser {
  let lines: [String]
  var index = 0

  init(lines: [String]) { self.lines = lines }

  mutating func parseBlocks() -> [MarkdownBlock] {
    var blocks: [MarkdownBlock] = []
    while index < lines.count {
      let line = lines[index]
      if line.isBlank {
        index += 1
        continue
      }
      if let fence = FenceLine.open(line) {
        blocks.append(fencedCode(fence))
      } else if let (level, text) = FenceLine.atxHeading(line) {
        blocks.append(.heading(level: level, Markdown.parseInline(text)))
        index += 1
      } else if BlockParser.isRule(line) {
        blocks.append(.rule)
        index += 1
      } else if BlockParser.isDetailsStart(line) {
        blocks.append(details())
      } else if BlockParser.quoteContent(line) != nil {
        blocks.append(quote())
      } else if BlockParser.listMarker(line) != nil {
        blocks.append(list())
      } else if let table = table() {
        blocks.append(table)
      } else {
        blocks.append(paragraph())
      }
    }
    return blocks
  }

  // A line that starts a block other than a paragraph ends the paragraph before it.
  static func interruptsParagraph(_ line: String) -> Bool {
    if line.isBlank || FenceLine.open(line) != nil || FenceLine.atxHeading(line) != nil { return true }
    if isRule(line) || isDetailsStart(line) || quoteContent(line) != nil { return true }
    let trimmed = line.trimmingSpaces
    if trimmed.hasPrefix("</details>") || trimmed.hasPrefix("<summary>") { return true }
    if let marker = listMarker(line) {
      return !marker.ordered || marker.start == 1
    }
    return false
  }

  mutating func paragraph() -> MarkdownBlock {
    var text: [String] = []
    while index < lines.count {
      let line = lines[index]
      if !text.isEmpty && BlockParser.interruptsParagraph(line) { break }
      text.append(line)
      index += 1
    }
    return .paragraph(BlockParser.inlines(ofParagraph: text))
  }

  /// Joins paragraph lines: a line ending in two spaces or a backslash is a hard break.
  static func inlines(ofParagraph lines: [String]) -> [MarkdownInline] {
    var result: [MarkdownInline] = []
    for (position, raw) in lines.enumerated() {
      var line = Substring(raw.drop { $0 == " " || $0 == "\t" })
      var hardBreak = false
      if position < lines.count - 1 {
        if line.hasSuffix("  ") {
          hardBreak = true
        } else if line.hasSuffix("\\") && !line.hasSuffix("\\\\") {
          hardBreak = true
          line = line.dropLast()
        }
      }
      while line.last == " " || line.last == "\t" { line = line.dropLast() }
      result += Markdown.parseInline(String(line))
      if position < lines.count - 1 { result.append(hardBreak ? .lineBreak : .softBreak) }
    }
    return result
  }

  mutating func fencedCode(_ fence: FenceLine) -> MarkdownBlock {
    var body: [String] = []
    index += 1
    while index < lines.count {
      if fence.closes(lines[index]) {
        index += 1
        break
      }
      var line = Substring(lines[index])
      var strip = fence.indent
      while strip > 0 && line.first == " " {
        line = line.dropFirst()
        strip -= 1
      }
      body.append(String(line))
      index += 1
    }
    return .code(language: fence.language, text: body.map { $0 + "\n" }.joined())
  }

  static func isRule(_ line: String) -> Bool {
    let trimmed = line.filter { $0 != " " && $0 != "\t" }
    guard line.indentation <= 3, trimmed.count >= 3, let first = trimmed.first else { return false }
    return (first == "-" || first == "*" || first == "_") && trimmed.allSatisfy { $0 == first }
  }

  static func isDetailsStart(_ line: String) -> Bool {
    let trimmed = line.trimmingSpaces
    return trimmed.hasPrefix("<details>") || trimmed.hasPrefix("<details ")
  }

  /// `<details>` ... `</details>`, with `<summary>...</summary>` on the first lines.
  mutating func details() -> MarkdownBlock {
    let first = lines[index].trimmingSpaces
    let open = first.hasPrefix("<details open")
    // The text after the tag (nothing when the tag is not closed on this line).
    var rest = first.firstIndex(of: ">").map { String(first[first.index(after: $0)...]).trimmingSpaces } ?? ""
    index += 1
    var summary: [MarkdownInline] = [.text("Details")]
    var body: [String] = []
    var closedOnFirstLine = false
    if rest.hasSuffix("</details>") {
      rest = String(rest.dropLast("</details>".count)).trimmingSpaces
      closedOnFirstLine = true
    }
    // The summary may be on the <details> line or the next non-blank one.
    var summaryLine = rest
    if summaryLine.isEmpty && !closedOnFirstLine {
      var look = index
      while look < lines.count && lines[look].isBlank { look += 1 }
      if look < lines.count, lines[look].trimmingSpaces.hasPrefix("<summary>") {
        summaryLine = lines[look].trimmingSpaces
        index = look + 1
      }
    }
    if summaryLine.hasPrefix("<summary>"), let end = summaryLine.firstRange(of: "</summary>") {
      summary = Markdown.parseInline(
        String(summaryLine[summaryLine.index(summaryLine.startIndex, offsetBy: 9)..<end.lowerBound])
          .trimmingSpaces)
      let after = String(summaryLine[end.upperBound...]).trimmingSpaces
      if !after.isEmpty { body.append(after) }
    } else if !summaryLine.isEmpty {
      body.append(summaryLine)
    }
    if !closedOnFirstLine {
      var depth = 1
      while index < lines.count {
        let line = lines[index]
        let trimmed = line.trimmingSpaces
        if BlockParser.isDetailsStart(line) { depth += 1 }
        if trimmed.hasSuffix("</details>") {
          depth -= 1
          if depth == 0 {
            let before = String(trimmed.dropLast("</details>".count)).trimmingSpaces
            if !before.isEmpty { body.append(before) }
            index += 1
            break
          }
        }
        body.append(line)
        index += 1
      }
    }
    var inner = BlockParser(lines: body)
    return .details(summary: summary, open: open, body: inner.parseBlocks())
  }

  static func quoteContent(_ line: String) -> String? {
    guard line.indentation <= 3 else { return nil }
    let trimmed = line.drop { $0 == " " }
    guard trimmed.first == ">" else { return nil }
    let rest = trimmed.dropFirst()
    return String(rest.first == " " ? rest.dropFirst() : rest)
  }

  mutating func quote() -> MarkdownBlock {
    var body: [String] = []
    while index < lines.count, let content = BlockParser.quoteContent(lines[index]) {
      body.append(content)
      index += 1
    }
    var inner = BlockParser(lines: body)
    return .quote(inner.parseBlocks())
  }

  struct ListMarker {
    var ordered: Bool
    var start: Int
    /// `-`, `*`, `+`, `.` or `)`: items of one list share it.
    var delimiter: Character
    /// The column where the item's text starts.
    var contentIndent: Int
  }

  static func listMarker(_ line: String) -> ListMarker? {
    let indent = line.prefix { $0 == " " }.count
    guard indent <= 3 else { return nil }
    let rest = line.dropFirst(indent)
    guard let first = rest.first else { return nil }
    if first == "-" || first == "*" || first == "+" {
      let after = rest.dropFirst()
      guard after.isEmpty || after.first == " " else { return nil }
      let spaces = Swift.min(Swift.max(after.prefix { $0 == " " }.count, 1), 4)
      return ListMarker(ordered: false, start: 1, delimiter: first, contentIndent: indent + 1 + spaces)
    }
    let digits = rest.prefix { $0.isASCII && $0.isNumber }
    guard (1...9).contains(digits.count), let number = Int(digits) else { return nil }
    let afterDigits = rest.dropFirst(digits.count)
    guard let delimiter = afterDigits.first, delimiter == "." || delimiter == ")" else { return nil }
    let after = afterDigits.dropFirst()
    guard after.isEmpty || after.first == " " else { return nil }
    let spaces = Swift.min(Swift.max(after.prefix { $0 == " " }.count, 1), 4)
    return ListMarker(
      ordered: true, start: number, delimiter: delimiter, contentIndent: indent + digits.count + 1 + spaces)
  }

  mutating func list() -> MarkdownBlock {
    let first = BlockParser.listMarker(lines[index])!
    var items: [[MarkdownBlock]] = []
    while index < lines.count, let marker = BlockParser.listMarker(lines[index]),
      marker.ordered == first.ordered, marker.delimiter == first.delimiter
    {
      var body = [String(lines[index].dropFirst(Swift.min(marker.contentIndent, lines[index].count)))]
      index += 1
      while index < lines.count {
        let line = lines[index]
        if line.isBlank {
          // A blank line continues the item only if indented content follows.
          var look = index
          while look < lines.count && lines[look].isBlank { look += 1 }
          if look < lines.count && lines[look].indentation >= marker.contentIndent {
            body += Array(repeating: "", count: look - index)
            index = look
            continue
          }
          break
        }
        if line.indentation >= marker.contentIndent {
          body.append(String(line.dropFirst(marker.contentIndent)))
        } else if BlockParser.listMarker(line) == nil && !BlockParser.interruptsParagraph(line)
          && !(body.last?.isBlank ?? true)
        {
          body.append(line.trimmingSpaces)  // a lazy continuation of the item's paragraph
        } else {
          break
        }
        index += 1
      }
      var inner = BlockParser(lines: body)
      items.append(inner.parseBlocks())
      // Blank lines between items belong to the list.
      var look = index
      while look < lines.count && lines[look].isBlank { look += 1 }
      if look < lines.count, let next = BlockParser.listMarker(lines[look]), next.ordered == first.ordered,
        next.delimiter == first.delimiter
      {
        index = look
      }
    }
    return .list(ordered: first.ordered, start: first.start, items: items)
  }

  /// A pipe table: a header row, a delimiter row (`| --- | :-: |`), then body rows.
  mutating func table() -> MarkdownBlock? {
    guard index + 1 < lines.count, lines[index].contains("|") else { return nil }
    let header = BlockParser.cells(lines[index])
    guard let alignments = BlockParser.alignments(lines[index + 1]), alignments.count == header.count else {
      return nil
    }
    index += 2
    var rows: [[[MarkdownInline]]] = []
    while index < lines.count, !lines[index].isBlank, lines[index].contains("|"),
      !BlockParser.interruptsParagraph(lines[index])
    {
      var row = BlockParser.cells(lines[index])
      if row.count < header.count { row += Array(repeating: "", count: header.count - row.count) }
      rows.append(row.prefix(header.count).map { Markdown.parseInline($0) })
      index += 1
    }
    return .table(header: header.map { Markdown.parseInline($0) }, alignments: alignments, rows: rows)
  }

  /// The cells of a table row; `\|` is a literal bar.
  static func cells(_ line: String) -> [String] {
    var text = line.trimmingSpaces
    if text.hasPrefix("|") { text.removeFirst() }
    if text.hasSuffix("|") && !text.hasSuffix("\\|") { text.removeLast() }
    var cells: [String] = []
    var current = ""
    var escaped = false
    var inCode = false
    for c in text {
      if escaped {
        current.append(c == "|" ? "|" : "\\")
        if c != "|" { current.append(c) }
        escaped = false
      } else if c == "\\" {
        escaped = true
      } else if c == "`" {
        inCode.toggle()
        current.append(c)
      } else if c == "|" && !inCode {
        cells.append(current.trimmingSpaces)
        current = ""
      } else {
        current.append(c)
      }
    }
    if escaped { current.append("\\") }
    cells.append(current.trimmingSpaces)
    return cells
  }

  static func alignments(_ line: String) -> [MarkdownAlignment]? {
    guard line.contains("-") else { return nil }
    var result: [MarkdownAlignment] = []
    for cell in cells(line) {
      let left = cell.hasPrefix(":")
      let right = cell.hasSuffix(":")
      let dashes = cell.dropFirst(left ? 1 : 0).dropLast(right ? 1 : 0)
      guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
      result.append(left && right ? .center : left ? .left : right ? .right : .none)
    }
    return result
  }
}

// MARK: - Inlines

private struct InlineParser {
  let chars: [Character]
  var index = 0

  init(_ chars: [Character]) { self.chars = chars }

  static let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

  mutating func parse() -> [MarkdownInline] {
    var result: [MarkdownInline] = []
    var text = ""
    func flush() {
      if !text.isEmpty {
        result.append(.text(text))
        text = ""
      }
    }
    while index < chars.count {
      let c = chars[index]
      if c == "\\", index + 1 < chars.count, InlineParser.punctuation.contains(chars[index + 1]) {
        text.append(chars[index + 1])
        index += 2
      } else if c == "`", let (code, next) = codeSpan(at: index) {
        flush()
        result.append(.code(code))
        index = next
      } else if c == "*" || c == "_", let (inline, next) = emphasis(at: index) {
        flush()
        result.append(inline)
        index = next
      } else if c == "[", let (inline, next) = link(at: index) {
        flush()
        result.append(inline)
        index = next
      } else if c == "<", let (inline, next) = autolink(at: index) {
        flush()
        result.append(inline)
        index = next
      } else {
        text.append(c)
        index += 1
      }
    }
    flush()
    return result
  }

  /// A run of n backticks up to the next run of exactly n.
  func codeSpan(at start: Int) -> (String, Int)? {
    var runEnd = start
    while runEnd < chars.count && chars[runEnd] == "`" { runEnd += 1 }
    let length = runEnd - start
    var look = runEnd
    while look < chars.count {
      if chars[look] == "`" {
        var close = look
        while close < chars.count && chars[close] == "`" { close += 1 }
        if close - look == length {
          var content = String(chars[runEnd..<look])
          if content.count >= 2 && content.first == " " && content.last == " "
            && !content.allSatisfy({ $0 == " " })
          {
            content = String(content.dropFirst().dropLast())
          }
          return (content, close)
        }
        look = close
      } else {
        look += 1
      }
    }
    return nil
  }

  /// `*x*`, `_x_`, `**x**`, `__x__`: the opener is not followed by a space, the closer not
  /// preceded by one; `_` must not be inside a word.
  func emphasis(at start: Int) -> (MarkdownInline, Int)? {
    let c = chars[start]
    let strong = start + 1 < chars.count && chars[start + 1] == c
    let width = strong ? 2 : 1
    let contentStart = start + width
    guard contentStart < chars.count, !chars[contentStart].isWhitespace else { return nil }
    if c == "_" && start > 0 && (chars[start - 1].isLetter || chars[start - 1].isNumber) { return nil }
    var look = contentStart
    while look + width <= chars.count {
      if chars[look] == "`", let (_, next) = codeSpan(at: look) {
        look = next
        continue
      }
      if chars[look] == "\\" {
        look += 2
        continue
      }
      let matches = (0..<width).allSatisfy { chars[look + $0] == c }
      let followedBySame = look + width < chars.count && chars[look + width] == c
      if matches && look > contentStart && !chars[look - 1].isWhitespace && (!followedBySame || strong) {
        let after = look + width
        if c == "_" && after < chars.count && (chars[after].isLetter || chars[after].isNumber) {
          look += 1
          continue
        }
        var inner = InlineParser(Array(chars[contentStart..<look]))
        let content = inner.parse()
        return (strong ? .strong(content) : .emphasis(content), after)
      }
      if !strong && chars[look] == c && followedBySame {
        // Skip a nested strong run inside emphasis.
        look += 2
        continue
      }
      look += 1
    }
    return nil
  }

  /// `[text](destination)`.
  func link(at start: Int) -> (MarkdownInline, Int)? {
    var depth = 0
    var look = start
    var close: Int?
    while look < chars.count {
      if chars[look] == "\\" {
        look += 2
        continue
      }
      if chars[look] == "`", let (_, next) = codeSpan(at: look) {
        look = next
        continue
      }
      if chars[look] == "[" { depth += 1 }
      if chars[look] == "]" {
        depth -= 1
        if depth == 0 {
          close = look
          break
        }
      }
      look += 1
    }
    guard let close, close + 1 < chars.count, chars[close + 1] == "(" else { return nil }
    var end = close + 2
    var parens = 1
    while end < chars.count {
      if chars[end] == "(" { parens += 1 }
      if chars[end] == ")" {
        parens -= 1
        if parens == 0 { break }
      }
      if chars[end] == " " { return nil }
      end += 1
    }
    guard end < chars.count else { return nil }
    var inner = InlineParser(Array(chars[(start + 1)..<close]))
    let destination = String(chars[(close + 2)..<end])
    return (.link(text: inner.parse(), destination: destination), end + 1)
  }

  /// `<https://...>` or `<http://...>` or `<mailto:...>`.
  func autolink(at start: Int) -> (MarkdownInline, Int)? {
    guard let end = chars[start...].firstIndex(of: ">") else { return nil }
    let inside = String(chars[(start + 1)..<end])
    guard inside.hasPrefix("https://") || inside.hasPrefix("http://") || inside.hasPrefix("mailto:"),
      !inside.contains(" ")
    else { return nil }
    return (.link(text: [.text(inside)], destination: inside), end + 1)
  }
}
