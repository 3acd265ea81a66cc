/// A piece of LabScript text with a name: a file path, `<stdin>`, `<command line>`, `<repl>`.
/// Immutable and shared by every span that points into it.
public final class SourceFile: Sendable {
  public let name: String
  public let text: String
  /// The text as UTF-8, which the lexer scans.
  let bytes: [UInt8]
  /// UTF-8 offset of the first byte of every line.
  private let lineStarts: [Int]

  public init(name: String, text: String) {
    self.name = name
    self.text = text
    bytes = Array(text.utf8)
    var starts = [0]
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      starts.append(offset + 1)
    }
    lineStarts = starts
  }

  /// 1-based line and column of a UTF-8 offset; the column counts Unicode scalars, so `é` is one
  /// column.
  public func location(of offset: Int) -> (line: Int, column: Int) {
    let clamped = Swift.min(Swift.max(offset, 0), bytes.count)
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
    }
    let start = lineStarts[low]
    let column = bytes[start..<clamped].reduce(1) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
    return (low + 1, column)
  }

  /// The text of a 1-based line, without its newline.
  public func lineText(_ line: Int) -> String {
    guard line >= 1 && line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<Swift.max(start, end)], as: UTF8.self)
  }

  /// The source text between two UTF-8 offsets.
  func slice(_ start: Int, _ end: Int) -> String {
    String(decoding: bytes[Swift.max(0, start)..<Swift.min(end, bytes.count)], as: UTF8.self)
  }
}

/// A range of a ``SourceFile`` in UTF-8 offsets: what an AST node, a token or an error covers.
public struct SourceSpan: Sendable {
  public let file: SourceFile
  public let start: Int
  public let end: Int

  public init(file: SourceFile, start: Int, end: Int) {
    self.file = file
    self.start = start
    self.end = Swift.max(start, end)
  }

  /// The span from the start of `self` to the end of `other`.
  public func through(_ other: SourceSpan) -> SourceSpan {
    SourceSpan(file: file, start: start, end: Swift.max(end, other.end))
  }

  public var line: Int { file.location(of: start).line }
  public var column: Int { file.location(of: start).column }

  /// `file:line:col`
  public var position: String {
    let (line, column) = file.location(of: start)
    return "\(file.name):\(line):\(column)"
  }

  /// The text the span covers.
  public var text: String { file.slice(start, end) }
}
