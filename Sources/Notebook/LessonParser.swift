import HostFiles

/// Reads the lesson format.
///
/// A lesson is Markdown. Fenced code blocks whose language is `hplab` are **cells**: their lines
/// are LabScript, run in one session from the top of the file to the bottom. Right after each
/// cell (only blank lines between) comes an **output block**, a fenced block whose language is
/// `output`, holding exactly what the cell prints: normal output and error messages in the order
/// they appear. Everything else is prose, including fences in other languages.
///
/// ````markdown
/// ```hplab {id=too-big error}
/// mask parse 0-64
/// ```
///
/// ```output
/// <cell 3>:1:12: error: bitmap_parselist("0-64") returned -ERANGE (-34): ...
/// ```
/// ````
///
/// Cell attributes go in braces after `hplab`: `error` (the cell must end with an error, whose
/// message is part of the expected output), `exercise` (the cell is the lesson's answer to an
/// exercise; the cell after it checks the answer, typically with `expect`), and `id=NAME` (a
/// stable name, letters, digits, `-` and `_`, at most 64). An output that does not end in a
/// newline ends with the line `\ no newline at end of output`. Fences follow CommonMark: three or
/// more backticks or tildes, indented at most three spaces, closed by a fence of the same
/// character at least as long. `<details>` blocks (hints) may hold prose but not cells.
public enum LessonParser {
  public static let cellLanguage = "hplab"
  public static let outputLanguage = "output"

  /// Reads and parses a lesson file; returns the lesson and the file's bytes (for a later
  /// "unchanged since read" check).
  public static func load(_ path: String) throws(LessonError) -> (lesson: Lesson, bytes: [UInt8]) {
    let bytes: [UInt8]
    let text: String
    do throws(HostFileError) {
      bytes = try HostFile.readBytes(path)
      text = try HostFile.decodeUTF8(bytes, path: path)
    } catch { throw LessonError(error) }
    return (try parse(text, path: path), bytes)
  }

  public static func parse(_ text: String, path: String) throws(LessonError) -> Lesson {
    let lines = SourceLine.split(text)
    var blocks: [LessonBlock] = []
    var proseStart = 0
    var index = 0
    var cellNumber = 0
    var ids: [String: Int] = [:]
    var detailsOpen: [Int] = []
    var heading: String?
    var lessonTitle: String?

    func error(_ line: Int, _ message: String, hint: String? = nil) -> LessonError {
      LessonError(.format, path: path, line: line + 1, message, hint: hint)
    }
    func flushProse(until end: Int) {
      if proseStart < end, lines[proseStart..<end].contains(where: { !$0.text.isBlank }) {
        blocks.append(.prose(proseStart..<end))
      }
    }

    while index < lines.count {
      let text = lines[index].text
      guard let fence = FenceLine.open(text) else {
        try checkIndentedCell(text, line: index, error: error)
        let trimmed = text.trimmingSpaces
        if trimmed.hasPrefix("<details>") || trimmed.hasPrefix("<details ") { detailsOpen.append(index) }
        if trimmed.hasSuffix("</details>") {
          guard !detailsOpen.isEmpty else {
            throw error(index, "</details> without a <details> before it")
          }
          detailsOpen.removeLast()
        }
        if let (level, title) = FenceLine.atxHeading(text) {
          heading = title
          if level == 1 && lessonTitle == nil { lessonTitle = title }
        }
        index += 1
        continue
      }
      guard let close = fence.findClose(in: lines, after: index) else {
        throw error(
          index, "the \(fence.marker)\(fence.language) fence opened here is never closed",
          hint:
            "close it with a line of \(fence.marker) (at least \(fence.marker.count) \(fence.character == "`" ? "backticks" : "tildes"))"
        )
      }
      let language = fence.language
      if language == outputLanguage {
        throw error(
          index, "this output block does not follow an hplab cell",
          hint: "an output block must come right after its cell, with only blank lines between")
      }
      guard language.hasPrefix(cellLanguage) else {
        index = close + 1
        continue
      }
      guard language == cellLanguage else {
        throw error(
          index, "unknown cell language '\(language)'",
          hint: "a cell starts with ```hplab; attributes go in braces after a space: ```hplab {error}")
      }
      if let open = detailsOpen.last {
        throw error(
          index, "a cell cannot be inside a <details> block (opened at line \(open + 1))",
          hint: "put the cell outside, or mark it ```hplab {exercise} to show it as a collapsed solution")
      }
      let attributes = try parseAttributes(fence.info, line: index, error: error)
      if let id = attributes.id {
        if let first = ids[id] {
          throw error(index, "the cell id '\(id)' is already used by the cell at line \(first + 1)")
        }
        ids[id] = index
      }
      let source = lines[(index + 1)..<close].map { $0.text + "\n" }.joined()
      if source.allSatisfy({ $0 == "\n" || $0 == " " || $0 == "\t" }) {
        throw error(index, "the cell is empty", hint: "write commands between the fences, or remove the cell")
      }
      flushProse(until: index)
      cellNumber += 1
      var cell = LessonCell(
        number: cellNumber, attributes: attributes, openLine: index, closeLine: close, source: source,
        output: nil)
      cell.heading = heading
      var next = close + 1
      var look = close + 1
      while look < lines.count && lines[look].text.isBlank { look += 1 }
      if look < lines.count, let outputFence = FenceLine.open(lines[look].text),
        outputFence.language == outputLanguage
      {
        guard let outputClose = outputFence.findClose(in: lines, after: look) else {
          throw error(
            look, "the \(outputFence.marker)output fence opened here is never closed",
            hint: "close it with a line of \(outputFence.marker)")
        }
        guard outputFence.info == outputLanguage else {
          throw error(look, "an output block takes no attributes ('\(outputFence.info)')")
        }
        let content = lines[(look + 1)..<outputClose].map(\.text)
        cell.output = OutputBlock(
          openLine: look, closeLine: outputClose, fence: outputFence.marker,
          expected: OutputText.text(of: content))
        next = outputClose + 1
      }
      blocks.append(.cell(cell))
      proseStart = next
      index = next
    }
    flushProse(until: lines.count)
    if let open = detailsOpen.last {
      throw error(open, "this <details> block is never closed", hint: "end it with a </details> line")
    }
    let lesson = Lesson(path: path, lines: lines, blocks: blocks, title: lessonTitle)
    let cells = lesson.cells
    for (position, cell) in cells.enumerated() where cell.attributes.exercise && position == cells.count - 1 {
      throw error(
        cell.openLine, "an exercise cell must be followed by the cell that checks the answer",
        hint: "add a cell after it with `expect` lines that hold for any correct answer")
    }
    return lesson
  }

  /// A fenced `hplab` block indented by four or more spaces would not be a cell (it is an
  /// indented code block in Markdown): say so instead of silently skipping it.
  private static func checkIndentedCell(
    _ text: String, line: Int, error: (Int, String, String?) -> LessonError
  ) throws(LessonError) {
    guard text.indentation >= 4 else { return }
    let trimmed = text.trimmingSpaces
    guard let fence = FenceLine.open(trimmed),
      fence.language.hasPrefix(cellLanguage) || fence.language == outputLanguage
    else { return }
    throw error(
      line,
      "this \(fence.language) fence is indented by \(text.indentation) spaces, so it would not be a cell",
      "indent cell and output fences by at most 3 spaces")
  }

  static func parseAttributes(
    _ info: String, line: Int, error: (Int, String, String?) -> LessonError
  ) throws(LessonError) -> CellAttributes {
    var attributes = CellAttributes()
    let rest = String(info.dropFirst(cellLanguage.count)).trimmingSpaces
    if rest.isEmpty { return attributes }
    guard rest.hasPrefix("{") && rest.hasSuffix("}") else {
      throw error(line, "cell attributes must be in braces: '\(rest)'", "write ```hplab {\(rest)}")
    }
    let known = "known attributes: error, exercise, id=NAME"
    var seen: Set<String> = []
    for word in rest.dropFirst().dropLast().split(whereSeparator: { $0 == " " || $0 == "\t" }) {
      let key = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? String(word)
      if seen.contains(key) { throw error(line, "the attribute '\(key)' is given twice", nil) }
      seen.insert(key)
      switch key {
      case "error" where word == "error":
        attributes.expectsError = true
      case "exercise" where word == "exercise":
        attributes.exercise = true
      case "id" where word.hasPrefix("id="):
        let id = String(word.dropFirst(3))
        guard isValidID(id) else {
          throw error(
            line, "the cell id '\(id)' is not valid",
            "an id has 1 to 64 letters, digits, '-' or '_' (Jupyter's cell-id rule)")
        }
        attributes.id = id
      default:
        throw error(line, "unknown cell attribute '\(word)'", known)
      }
    }
    return attributes
  }

  /// Jupyter's cell-id rule: 1-64 characters of `[A-Za-z0-9_-]`.
  public static func isValidID(_ id: String) -> Bool {
    (1...64).contains(id.utf8.count)
      && id.utf8.allSatisfy { b in
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
          || b == 0x5F
      }
  }
}

/// A CommonMark fence line: up to three spaces, then three or more backticks or tildes, then
/// the info string (whose first word is the language).
struct FenceLine {
  var indent: Int
  /// The run of fence characters, e.g. ```` ``` ```` or `~~~~`.
  var marker: String
  var info: String

  var character: Character { marker.first! }
  var language: String {
    String(info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
  }

  static func open(_ text: String) -> FenceLine? {
    let indent = text.prefix { $0 == " " }.count
    guard indent <= 3 else { return nil }
    let rest = text.dropFirst(indent)
    guard let first = rest.first, first == "`" || first == "~" else { return nil }
    let run = rest.prefix { $0 == first }
    guard run.count >= 3 else { return nil }
    let info = String(rest.dropFirst(run.count)).trimmingSpaces
    if first == "`" && info.contains("`") { return nil }
    return FenceLine(indent: indent, marker: String(run), info: info)
  }

  /// Whether `text` closes this fence.
  func closes(_ text: String) -> Bool {
    let indent = text.prefix { $0 == " " }.count
    guard indent <= 3 else { return false }
    let rest = text.dropFirst(indent)
    let run = rest.prefix { $0 == character }
    return run.count >= marker.count && rest.dropFirst(run.count).allSatisfy { $0 == " " || $0 == "\t" }
  }

  /// The index of the closing line after `open`, or nil when the fence is never closed.
  func findClose(in lines: [SourceLine], after open: Int) -> Int? {
    var index = open + 1
    while index < lines.count {
      if closes(lines[index].text) { return index }
      index += 1
    }
    return nil
  }

  /// The level and text of an ATX heading line (`## Title`), or nil.
  static func atxHeading(_ text: String) -> (level: Int, text: String)? {
    let indent = text.prefix { $0 == " " }.count
    guard indent <= 3 else { return nil }
    let rest = text.dropFirst(indent)
    let hashes = rest.prefix { $0 == "#" }
    guard (1...6).contains(hashes.count) else { return nil }
    let after = rest.dropFirst(hashes.count)
    guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
    return (hashes.count, String(after).trimmingSpaces.trimmingTrailingHashes)
  }

  /// A fence for a block holding `lines`: longer than any run of `character` that could close it.
  static func marker(for lines: [String], character: Character = "`", minimum: Int = 3) -> String {
    var length = minimum
    for line in lines {
      let trimmed = line.drop { $0 == " " }
      if line.count - trimmed.count <= 3 {
        let run = trimmed.prefix { $0 == character }.count
        if run >= length { length = run + 1 }
      }
    }
    return String(repeating: character, count: length)
  }
}
