import CPUMask

/// A value passed to a command, with where it was written.
public struct BoundArgument {
  public var value: Value
  public var span: SourceSpan
}

/// A command call after its arguments were bound to the command's ``CommandSpec``: what a
/// ``CommandHandler`` receives.
public struct Invocation {
  public let session: Session
  /// The command as typed, with its sub-command (`mask and`).
  public let command: String
  /// The whole statement.
  public let span: SourceSpan
  /// Declared arguments by name (positional display name, key, or option name).
  public var arguments: [String: BoundArgument]
  /// The words a variadic positional argument collected.
  public var rest: [BoundArgument]
  /// Undeclared `key=value` arguments, in order (when the spec accepts them).
  public var extraKeys: [(key: String, value: BoundArgument)]
  /// `> PATH` / `>> PATH`: a command that writes output sends it here instead of printing.
  public var redirect: (path: String, append: Bool, span: SourceSpan)?

  public subscript(name: String) -> Value? { arguments[name]?.value }

  public func has(_ name: String) -> Bool { arguments[name] != nil }

  /// The span of an argument (or of the whole command if it was not given).
  public func span(of name: String) -> SourceSpan { arguments[name]?.span ?? span }

  public func int(_ name: String) -> Int? {
    if case .int(let i)? = self[name] { return i }
    return nil
  }

  public func string(_ name: String) -> String? {
    if case .string(let s)? = self[name] { return s }
    return nil
  }

  public func mask(_ name: String) -> CPUMask? {
    if case .mask(let m)? = self[name] { return m }
    return nil
  }

  public func flag(_ name: String) -> Bool {
    if case .bool(true)? = self[name] { return true }
    return false
  }

  /// An error that points at one argument (or at the command when `name` is nil or absent).
  public func error(
    _ message: String, at name: String? = nil, hint: String? = nil, kind: LabScriptError.Kind = .command
  ) -> LabScriptError {
    LabScriptError(kind, message, at: name.map { span(of: $0) } ?? span, hint: hint)
  }

  /// Prints text (with a newline) to the session's output, or into the redirection target.
  public func print(_ text: String) {
    session.write(text + "\n")
  }
}

/// A function call after arity and type checks: what a ``FunctionSpec`` handler receives.
public struct FunctionCall {
  public let session: Session
  public let name: String
  public let span: SourceSpan
  public let arguments: [Value]
  public let argumentSpans: [SourceSpan]

  public var count: Int { arguments.count }

  public func int(_ index: Int) -> Int {
    if case .int(let i) = arguments[index] { return i }
    preconditionFailure("argument \(index) of \(name) was checked to be an int")
  }

  public func string(_ index: Int) -> String {
    if case .string(let s) = arguments[index] { return s }
    preconditionFailure("argument \(index) of \(name) was checked to be a string")
  }

  public func mask(_ index: Int) -> CPUMask {
    if case .mask(let m) = arguments[index] { return m }
    preconditionFailure("argument \(index) of \(name) was checked to be a mask")
  }

  public func list(_ index: Int) -> [Value] {
    if case .list(let l) = arguments[index] { return l }
    preconditionFailure("argument \(index) of \(name) was checked to be a list")
  }

  /// An error pointing at argument `index`, or at the whole call.
  public func error(
    _ message: String, at index: Int? = nil, hint: String? = nil, kind: LabScriptError.Kind = .runtime
  )
    -> LabScriptError
  {
    LabScriptError(kind, message, at: index.map { argumentSpans[$0] } ?? span, hint: hint)
  }
}
