import HostFiles

/// Why a lesson file could not be used: it could not be read or written, or its Markdown does
/// not follow the lesson format. Printed as `file:line: error: message`, then the hint.
public struct LessonError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    /// Reading or writing the file failed (missing, a directory, no permission...).
    case io
    /// The text breaks the lesson format (an unterminated fence, an output block with no cell...).
    case format
  }

  public var kind: Kind
  /// The file as the user named it.
  public var path: String
  /// The 1-based line the problem is on, when it is on one.
  public var line: Int?
  public var message: String
  public var hint: String?

  public init(_ kind: Kind, path: String, line: Int? = nil, _ message: String, hint: String? = nil) {
    self.kind = kind
    self.path = path
    self.line = line
    self.message = message
    self.hint = hint
  }

  /// `file:line`, or just the file.
  public var location: String { line.map { "\(path):\($0)" } ?? path }

  public var description: String { render(color: false) }

  /// The message, compiler style, ending with a newline.
  public func render(color: Bool) -> String {
    let style = TerminalStyle(enabled: color)
    var out = style.bold("\(location): ") + style.red("error: ") + style.bold(message) + "\n"
    if let hint { out += style.cyan("hint: ") + hint + "\n" }
    return out
  }
}

extension LessonError {
  /// A host file problem as a lesson error: contents problems (invalid UTF-8) are format errors.
  public init(_ error: HostFileError) {
    let contents = error.line != nil
    self.init(
      contents ? .format : .io, path: error.path, line: error.line, error.message,
      hint: contents ? "lessons are UTF-8 Markdown; re-save the file as UTF-8" : error.hint)
  }
}
