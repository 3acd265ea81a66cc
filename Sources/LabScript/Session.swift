import CPUMask

/// Where a session's output goes: the terminal, a lesson cell's capture, a test's buffer.
public protocol OutputSink: AnyObject {
  /// Normal output (what `print`, `cat` and commands print).
  func write(_ text: String)
  /// Diagnostics and warnings.
  func writeError(_ text: String)
}

/// An output sink that keeps everything, in order, in memory.
public final class BufferedOutput: OutputSink {
  public enum Stream: Sendable { case output, error }
  public private(set) var chunks: [(Stream, String)] = []

  public init() {}
  public func write(_ text: String) { chunks.append((.output, text)) }
  public func writeError(_ text: String) { chunks.append((.error, text)) }

  /// Standard output only.
  public var text: String { chunks.filter { $0.0 == .output }.map(\.1).joined() }
  /// Standard error only.
  public var errorText: String { chunks.filter { $0.0 == .error }.map(\.1).joined() }
  /// Both, interleaved as written.
  public var combined: String { chunks.map(\.1).joined() }
  public func clear() { chunks.removeAll() }
}

/// A LabScript session: variables, user-defined commands, settings and the registry of built-in
/// commands. Swift programs use it directly: create one, `run` text, read variables back.
///
/// ```swift
/// let session = Session()
/// try session.run("let m = cpulist(\"0-3,8\")")
/// session["m"]  // .mask(0-3,8)
/// ```
public final class Session {
  public let registry: Registry
  public var output: any OutputSink
  public let files = FileNamespace()
  /// Called in loops and calls; returning true stops evaluation with an "interrupted" error.
  public var interruptCheck: (() -> Bool)?
  /// Set by `exit`/`quit`: the status the program should end with.
  public internal(set) var exitStatus: Int32?
  /// Results recorded with `emit`, and the generator `random` draws from.
  public let batch = BatchState()

  var globals: [String: Value] = [:]
  var frames: [[String: Value]] = []
  var userCommands: [String: UserCommand] = [:]
  var settingValues: [String: Int] = [:]
  var sourceDepth = 0
  /// Loop iterations and user-command calls run so far, and where the outermost loop or call
  /// running now started counting (see `countWork`).
  var workDone = 0
  var outermostWork: WorkStart?
  /// Text printed while a command's output is redirected.
  var captures: [String] = []
  /// The file a statement being run came from, for `source` of relative paths.
  var currentFile: SourceFile?

  /// Limits that keep hostile input from exhausting the stack.
  static let maximumCallDepth = 200
  static let maximumSourceDepth = 16

  /// A session with the language's built-in commands and functions (and the CPU-mask ones).
  public init(output: any OutputSink = BufferedOutput()) {
    self.output = output
    registry = Registry()
    Builtins.register(in: registry)
    MaskBuiltins.register(in: registry)
    BatchBuiltins.register(in: registry)
  }

  // MARK: Running text

  /// Parses and runs `text`. Errors stop the run; what ran before them stays done.
  public func run(_ text: String, name: String = "<input>") throws(LabScriptError) {
    let file = SourceFile(name: name, text: text)
    let program = try parse(file)
    try execute(program: program, file: file)
  }

  /// Parses text without running it.
  func parse(_ file: SourceFile) throws(LabScriptError) -> [Stmt] {
    var parser = Parser(file: file) { [weak self] name in self?.commandSyntax(of: name) }
    return try parser.parseProgram()
  }

  /// Whether `text` stops in the middle of a block, string or bracket, so that a REPL should
  /// read another line before running it.
  public func needsMoreInput(_ text: String) -> Bool {
    let trimmed = text.hasSuffix("\n") ? String(text.dropLast()) : text
    if trimmed.hasSuffix("\\") && !trimmed.hasSuffix("\\\\") { return true }
    do {
      _ = try parse(SourceFile(name: "<repl>", text: text))
      return false
    } catch {
      return error.kind == .incompleteInput
    }
  }

  /// Evaluates one expression and returns its value.
  public func evaluate(_ expression: String) throws(LabScriptError) -> Value {
    let file = SourceFile(name: "<expression>", text: expression)
    var parser = Parser(file: file) { [weak self] name in self?.commandSyntax(of: name) }
    let e = try parser.parseWholeExpression()
    do { return try evaluate(e) } catch let error as LabScriptError { throw error } catch {
      throw LabScriptError(.runtime, "\(error)", at: e.span)
    }
  }

  func commandSyntax(of name: String) -> ArgumentSyntax? {
    if let spec = registry.commands[name] { return spec.syntax }
    if userCommands[name] != nil { return .words }
    return nil
  }

  // MARK: State

  /// A global variable.
  public subscript(name: String) -> Value? {
    get { globals[name] }
    set { globals[name] = newValue }
  }

  /// The global variables' names, sorted.
  public var variableNames: [String] { globals.keys.sorted() }

  /// The names of the commands defined with `def`, sorted.
  public var userCommandNames: [String] { userCommands.keys.sorted() }

  /// The current value of a setting (its default if never set).
  public func setting(_ name: String) -> Int {
    settingValues[name] ?? registry.settings[name]?.defaultValue ?? 0
  }

  /// Changes a setting; the value must be in the setting's range.
  public func setSetting(_ name: String, _ value: Int) throws(LabScriptError) {
    guard let spec = registry.settings[name] else {
      throw LabScriptError(
        .argument, "unknown setting '\(name)'",
        hint: Registry.didYouMean(name, among: registry.settings.keys) ?? "`config` lists the settings")
    }
    guard spec.range.contains(value) else {
      throw LabScriptError(
        .argument,
        "\(name) must be between \(spec.range.lowerBound) and \(spec.range.upperBound), not \(value)")
    }
    settingValues[name] = value
  }

  /// `CONFIG_NR_CPUS` for masks a user makes with `cpulist()` and the mask commands.
  public var nrCPUs: Int { setting(Builtins.nrCPUsSetting) }

  /// Writes normal output (into the redirection capture while a command is redirected).
  public func write(_ text: String) {
    if captures.isEmpty { output.write(text) } else { captures[captures.count - 1] += text }
  }

  /// Writes a diagnostic or a warning.
  public func writeError(_ text: String) {
    output.writeError(text)
  }
}
