/// The declarations that drive LabScript's commands and functions: parsing, argument binding,
/// `help` and Tab completion all read these, so a command is declared once, in the module that
/// implements it (the swift-argument-parser / QEMU monitor-table idea).

/// What kind of value an argument or parameter takes.
public enum ValueKind: Sendable, Equatable {
  /// Anything; a plain word becomes an int, a bool or a string (``Value/inferred(fromWord:)``).
  case any
  case int
  case bool
  case string
  /// A CPU mask; a plain word is parsed as a CPU list (`0-3,8`).
  case mask
  case list
  /// A path in the lab's virtual file system (completes like a path).
  case path
  /// One of a fixed set of words.
  case choice([String])

  /// How usage lines and messages name the kind.
  public var placeholder: String {
    switch self {
    case .any: "VALUE"
    case .int: "N"
    case .bool: "on|off"
    case .string: "TEXT"
    case .mask: "CPULIST"
    case .list: "LIST"
    case .path: "PATH"
    case .choice(let words): words.joined(separator: "|")
    }
  }
}

/// One argument of a command.
public struct ArgumentSpec: Sendable {
  public enum Form: Sendable, Equatable {
    /// By position: `mask weight 0-3`.
    case positional
    /// `key=value`: `device_add host-arm-cpu core-id=1`.
    case keyed
    /// `-smp VALUE`, `--base VALUE`, `-o FILE`, or `--base=VALUE`.
    case option
    /// `--trace`: present or not.
    case flag
  }

  /// For positional arguments a display name (`FILE`); for keyed ones the key; for options and
  /// flags the option with its dashes (`--base`, `-smp`).
  public var name: String
  public var form: Form
  public var kind: ValueKind
  public var required: Bool
  /// A positional argument that takes all remaining positional words (must be last).
  public var variadic: Bool
  public var summary: String
  /// Other spellings of an option (`-o` for `--output`).
  public var aliases: [String]
  /// Values offered by Tab completion, computed when asked (e.g. the ids of plugged CPUs).
  public var completions: (@Sendable (Session) -> [String])?

  public init(
    _ name: String, _ form: Form = .positional, kind: ValueKind = .any, required: Bool = true,
    variadic: Bool = false, aliases: [String] = [], summary: String,
    completions: (@Sendable (Session) -> [String])? = nil
  ) {
    self.name = name
    self.form = form
    self.kind = kind
    self.required = form == .flag ? false : required
    self.variadic = variadic
    self.aliases = aliases
    self.summary = summary
    self.completions = completions
  }

  /// The argument as usage lines show it.
  var usage: String {
    let text: String
    switch form {
    case .positional: text = name + (variadic ? "..." : "")
    case .keyed: text = "\(name)=\(kind.placeholder)"
    case .option: text = "\(name) \(kind.placeholder)"
    case .flag: text = name
    }
    return required ? text : "[\(text)]"
  }
}

/// A command's handler: it receives the bound arguments and returns a value (``Value/none`` for
/// commands that only print or act).
public typealias CommandHandler = (inout Invocation) throws -> Value

/// One command, possibly with sub-commands (`mask and`, `acpi decode`).
public struct CommandSpec {
  public var name: String
  /// One line for the `help` list.
  public var summary: String
  /// The usage line; generated from the arguments when nil.
  public var usage: String?
  /// Longer help, shown by `help NAME`.
  public var help: String
  /// The heading `help` lists the command under.
  public var category: String
  public var arguments: [ArgumentSpec]
  public var subcommands: [CommandSpec]
  public var syntax: ArgumentSyntax
  /// QEMU-style option lists: `host-arm-cpu,core-id=1,id=cpu1` splits into a positional word and
  /// keyed arguments.
  public var optionLists: Bool
  /// Accept `key=value` arguments that are not declared (device properties); they arrive in
  /// ``Invocation/extraKeys`` in order.
  public var acceptsUndeclaredKeys: Bool
  /// Runs the command; nil for a command that only groups sub-commands.
  public var handler: CommandHandler?

  public init(
    _ name: String, category: String, summary: String, usage: String? = nil, help: String = "",
    arguments: [ArgumentSpec] = [], subcommands: [CommandSpec] = [], syntax: ArgumentSyntax = .words,
    optionLists: Bool = false, acceptsUndeclaredKeys: Bool = false, handler: CommandHandler? = nil
  ) {
    self.name = name
    self.category = category
    self.summary = summary
    self.usage = usage
    self.help = help
    self.arguments = arguments
    self.subcommands = subcommands
    self.syntax = syntax
    self.optionLists = optionLists
    self.acceptsUndeclaredKeys = acceptsUndeclaredKeys
    self.handler = handler
  }

  /// The usage line, `name ARG [key=N] [--flag]`.
  public func usageLine(prefix: String = "") -> String {
    if let usage { return usage }
    let full = prefix.isEmpty ? name : "\(prefix) \(name)"
    if !subcommands.isEmpty && handler == nil {
      return "\(full) \(subcommands.map(\.name).joined(separator: "|")) ..."
    }
    return ([full] + arguments.map(\.usage)).joined(separator: " ")
  }

  func subcommand(_ name: String) -> CommandSpec? { subcommands.first { $0.name == name } }

  /// Every option or key a user can type for this command (for completion and suggestions).
  var argumentKeys: [String] {
    arguments.flatMap { a -> [String] in
      switch a.form {
      case .positional: []
      case .keyed: ["\(a.name)="]
      case .option, .flag: [a.name] + a.aliases
      }
    }
  }
}

/// One parameter of a function.
public struct ParameterSpec: Sendable {
  public var name: String
  public var kind: ValueKind
  public var optional: Bool

  public init(_ name: String, _ kind: ValueKind, optional: Bool = false) {
    self.name = name
    self.kind = kind
    self.optional = optional
  }
}

/// A function callable in expressions: `weight(m)`.
public struct FunctionSpec {
  public var name: String
  public var parameters: [ParameterSpec]
  /// The result type's name, for help (`int`, `mask`...).
  public var returns: String
  public var summary: String
  public var help: String
  public var category: String
  public var handler: (FunctionCall) throws -> Value

  public init(
    _ name: String, _ parameters: [ParameterSpec], returns: String, category: String, summary: String,
    help: String = "", handler: @escaping (FunctionCall) throws -> Value
  ) {
    self.name = name
    self.parameters = parameters
    self.returns = returns
    self.category = category
    self.summary = summary
    self.help = help
    self.handler = handler
  }

  /// `weight(m: mask) -> int`
  public var signature: String {
    let params = parameters.map { p in
      let text = p.kind == .any ? p.name : "\(p.name): \(p.kind == .mask ? "mask" : typeName(p.kind))"
      return p.optional ? "[\(text)]" : text
    }
    return "\(name)(\(params.joined(separator: ", "))) -> \(returns)"
  }
}

private func typeName(_ kind: ValueKind) -> String {
  switch kind {
  case .any: "any"
  case .int: "int"
  case .bool: "bool"
  case .string, .path, .choice: "string"
  case .mask: "mask"
  case .list: "list"
  }
}

/// Documentation of a language keyword, so `help if` works and completion knows it.
public struct KeywordDoc: Sendable {
  public var name: String
  public var syntax: String
  public var summary: String
  public var help: String
}

/// A session setting changed with `config NAME=VALUE`.
public struct SettingSpec: Sendable {
  public var name: String
  public var summary: String
  public var defaultValue: Int
  public var range: ClosedRange<Int>

  public init(_ name: String, summary: String, defaultValue: Int, range: ClosedRange<Int>) {
    self.name = name
    self.summary = summary
    self.defaultValue = defaultValue
    self.range = range
  }
}
