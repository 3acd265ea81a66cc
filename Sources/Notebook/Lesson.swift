/// A lesson: Markdown prose with `hplab` cells, each followed by an `output` block holding the
/// output the cell is expected to print. The grammar is in ``LessonParser``; the runner, checker,
/// updater and exporters all work from this one parsed form.
public struct Lesson: Sendable {
  /// The file as the user named it (used in every message).
  public let path: String
  /// The lines of the file, with their terminators, exactly as read.
  public let lines: [SourceLine]
  /// Prose and cells in file order.
  public let blocks: [LessonBlock]

  public var cells: [LessonCell] {
    blocks.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }
  }

  /// The text of the first level-1 heading, or the file name without its extension.
  public let title: String

  public init(path: String, lines: [SourceLine], blocks: [LessonBlock], title: String? = nil) {
    self.path = path
    self.lines = lines
    self.blocks = blocks
    if let title {
      self.title = title
    } else {
      var name = Substring(path)
      if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
      if name.hasSuffix(".md") { name = name.dropLast(3) }
      self.title = String(name)
    }
  }

  /// The prose text of a block range, as in the file (each line with a newline).
  public func text(of range: Range<Int>) -> String {
    lines[range].map { $0.text + "\n" }.joined()
  }
}

/// One line of a lesson file.
public struct SourceLine: Sendable, Equatable {
  /// The line without its terminator.
  public var text: String
  /// `"\n"`, `"\r\n"`, or `""` for a last line without one.
  public var terminator: String
  /// 1-based.
  public var number: Int

  /// Splits text into lines, keeping each terminator so the text can be rebuilt byte for byte.
  public static func split(_ text: String) -> [SourceLine] {
    var lines: [SourceLine] = []
    var current: [UInt8] = []
    var number = 1
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\n") {
        var terminator = "\n"
        if current.last == UInt8(ascii: "\r") {
          current.removeLast()
          terminator = "\r\n"
        }
        lines.append(
          SourceLine(text: String(decoding: current, as: UTF8.self), terminator: terminator, number: number))
        current.removeAll(keepingCapacity: true)
        number += 1
      } else {
        current.append(byte)
      }
      index += 1
    }
    if !current.isEmpty {
      lines.append(SourceLine(text: String(decoding: current, as: UTF8.self), terminator: "", number: number))
    }
    return lines
  }
}

/// A stretch of the file: prose (a range of line indexes), or a cell with its output block.
public enum LessonBlock: Sendable {
  case prose(Range<Int>)
  case cell(LessonCell)
}

/// A cell's options, written in braces after the fence's language: ```` ```hplab {id=parse error} ````.
public struct CellAttributes: Sendable, Equatable {
  /// A stable name (`[A-Za-z0-9_-]`, 1-64 characters: the Jupyter cell-id rule).
  public var id: String?
  /// The cell is expected to end with an error; its output block holds the error message.
  public var expectsError = false
  /// The cell is the lesson's answer to an exercise; the next cell checks the answer.
  public var exercise = false

  public init(id: String? = nil, expectsError: Bool = false, exercise: Bool = false) {
    self.id = id
    self.expectsError = expectsError
    self.exercise = exercise
  }

  /// The attributes as written in an info string (`{id=x error}`), or "" when there are none.
  public var infoSuffix: String {
    var words: [String] = []
    if let id { words.append("id=\(id)") }
    if expectsError { words.append("error") }
    if exercise { words.append("exercise") }
    return words.isEmpty ? "" : " {" + words.joined(separator: " ") + "}"
  }
}

/// An `hplab` cell.
public struct LessonCell: Sendable {
  /// 1-based position among the lesson's cells; the cell's source is named `<cell N>` in errors.
  public var number: Int
  public var attributes: CellAttributes
  /// Line indexes (0-based) of the opening and closing fence lines.
  public var openLine: Int
  public var closeLine: Int
  /// The commands: the lines between the fences, each ending in a newline.
  public var source: String
  /// The expected output, when the cell has an `output` block.
  public var output: OutputBlock?

  /// The nearest heading above the cell, for messages.
  public var heading: String?

  /// The name the cell's text has in error messages.
  public var sourceName: String { "<cell \(number)>" }
  /// The 1-based file line of the opening fence.
  public var lineNumber: Int { openLine + 1 }
  /// The Jupyter id: the `id` attribute, or `cell-N`.
  public var notebookID: String { attributes.id ?? "cell-\(number)" }
}

/// The `output` block after a cell.
public struct OutputBlock: Sendable {
  /// Line indexes (0-based) of the fence lines; the content is between them.
  public var openLine: Int
  public var closeLine: Int
  /// The fence characters (```` ``` ````, ```` ```` ````, `~~~`), reused when the block is rewritten.
  public var fence: String
  /// The expected output text (decoded with ``OutputText``).
  public var expected: String

  public var contentLines: Range<Int> { (openLine + 1)..<closeLine }
}

/// How an output text is stored in an `output` block: its lines; an output that does not end in
/// a newline gets a last line ``noNewlineMarker`` (as `diff` marks such files).
public enum OutputText {
  public static let noNewlineMarker = "\\ no newline at end of output"

  public static func lines(of text: String) -> [String] {
    if text.isEmpty { return [] }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if text.hasSuffix("\n") {
      lines.removeLast()
    } else {
      lines.append(noNewlineMarker)
    }
    return lines
  }

  public static func text(of lines: [String]) -> String {
    if lines.isEmpty { return "" }
    if lines.last == noNewlineMarker {
      return lines.dropLast().joined(separator: "\n")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
    return String(s)
  }

  /// An ATX heading's optional closing `#`s removed.
  var trimmingTrailingHashes: String {
    var s = Substring(self)
    let before = s
    while s.last == "#" { s = s.dropLast() }
    if s.isEmpty { return String(before) }
    if s.last == " " { return String(s).trimmingSpaces }
    return String(before)
  }

  var isBlank: Bool { allSatisfy { $0 == " " || $0 == "\t" } }

  /// The number of leading spaces (a tab counts as reaching the next multiple of 4).
  var indentation: Int {
    var width = 0
    for c in self {
      if c == " " {
        width += 1
      } else if c == "\t" {
        width += 4 - width % 4
      } else {
        break
      }
    }
    return width
  }
}
