import CPUMask

import HostFiles

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The language's own commands, functions, keywords and settings.
enum Builtins {
  static let nrCPUsSetting = "NR_CPUS"
  static let loopLimitSetting = "loop_limit"

  static func register(in registry: Registry) {
    registry.register(
      SettingSpec(
        nrCPUsSetting,
        summary: "width of the CPU masks cpulist() and the mask commands make (CONFIG_NR_CPUS)",
        defaultValue: CPUMask.defaultNRCPUs, range: 2...CPUMask.maximumNRCPUs))
    registry.register(
      SettingSpec(
        loopLimitSetting,
        summary: "iterations (with those of nested loops, and calls) after which a loop stops with an error",
        defaultValue: 1_000_000,
        range: 1...1_000_000_000))
    for keyword in keywords { registry.register(keyword) }
    for command in commands { registry.register(command) }
    for function in functions { registry.register(function) }
  }

  static let session = "Session"
  static let language = "Language"
  static let files = "Files"

  // MARK: Keywords

  static let keywords: [KeywordDoc] = [
    KeywordDoc(
      name: "let", syntax: "let NAME = EXPR", summary: "define a variable (or define it again)",
      help: "Variables hold ints, strings, bools, masks and lists. Inside a `def` body, `let` makes a local."),
    KeywordDoc(
      name: "set", syntax: "set NAME = EXPR", summary: "change an existing variable",
      help: "Unlike `let`, `set` fails when the variable does not exist, which catches typos."),
    KeywordDoc(
      name: "if", syntax: "if COND { ... } else if COND { ... } else { ... }",
      summary: "run a block when a condition holds",
      help: "COND must be a bool: write `x != 0`, not `x`."),
    KeywordDoc(
      name: "for", syntax: "for NAME in A..B { ... }  |  for NAME in LIST-OR-MASK { ... }",
      summary: "repeat a block for each value",
      help: "A..B includes both ends. Looping over a mask gives its CPU numbers in order."),
    KeywordDoc(
      name: "while", syntax: "while COND { ... }", summary: "repeat a block while a condition holds",
      help: """
        A loop stops with an error after `loop_limit` iterations (see `config`), so it never hangs; \
        the outermost loop also counts the iterations of the loops inside it and the commands it calls.
        """),
    KeywordDoc(
      name: "def", syntax: "def NAME(A, B) { ... }", summary: "define a command",
      help:
        "Call it as a command (`NAME 1 2`, `NAME a=1 b=2`) or as a function (`NAME(1, 2)`); `return` gives its value."
    ),
    KeywordDoc(name: "return", syntax: "return [EXPR]", summary: "leave a def body, with a value", help: ""),
    KeywordDoc(name: "break", syntax: "break", summary: "leave the innermost loop", help: ""),
    KeywordDoc(name: "continue", syntax: "continue", summary: "go on with the next iteration", help: ""),
    KeywordDoc(
      name: "expect", syntax: "expect COND  |  expect error [\"TEXT\"] { ... }",
      summary: "assert a condition, or that a block fails",
      help: """
        `expect COND` fails (printing both sides of a comparison) when COND is false.
        `expect error { ... }` passes only if the block fails; with "TEXT", only if the error message contains TEXT.
        Lessons use both to check a reader's answers.
        """),
  ]

  // MARK: Commands

  static var commands: [CommandSpec] {
    [
      CommandSpec(
        "print", category: language, summary: "print values", usage: "print [EXPR, ...]",
        help:
          "Prints the values separated by spaces: masks in the sysfs list format (0-3,8), strings without quotes.",
        syntax: .expressions
      ) { inv in
        inv.print(inv.rest.map(\.value.display).joined(separator: " "))
        return .none
      }.withVariadicExpressions(),
      CommandSpec(
        "echo", category: files, summary: "print words, or write them to a file with > PATH",
        usage: "echo [-n] [WORD...] [> PATH | >> PATH]",
        help: """
          Prints its words separated by spaces, then a newline (none with -n).
          With `> PATH` the text is written to a file of the lab's virtual file system instead,
          as a shell does: `echo 1 > /sys/devices/system/cpu/cpu1/online`. A failed write reports the
          errno the file returned.
          """,
        arguments: [
          ArgumentSpec("-n", .flag, summary: "no newline at the end"),
          ArgumentSpec("WORD", kind: .string, required: false, variadic: true, summary: "the text"),
        ]
      ) { inv in
        let text = inv.rest.map(\.value.display).joined(separator: " ")
        inv.session.write(inv.flag("-n") ? text : text + "\n")
        return .none
      },
      CommandSpec(
        "cat", category: files, summary: "print files of the lab's virtual file system",
        help: "Paths are absolute (`/sys/devices/system/cpu/online`); relative ones start at /.",
        arguments: [ArgumentSpec("PATH", kind: .path, variadic: true, summary: "the files")]
      ) { inv in
        for path in inv.rest {
          inv.session.write(try inv.session.files.read(path.value.display))
        }
        return .none
      },
      CommandSpec(
        "ls", category: files, summary: "list a directory of the lab's virtual file system",
        arguments: [ArgumentSpec("PATH", kind: .path, required: false, summary: "the directory (default /)")]
      ) { inv in
        let path = inv.string("PATH") ?? "/"
        inv.print(try inv.session.files.list(path).joined(separator: " "))
        return .none
      },
      CommandSpec(
        "help", category: session, summary: "show the commands, or help on one command, function or keyword",
        usage: "help [NAME [SUB-COMMAND]] | help functions",
        arguments: [
          ArgumentSpec(
            "NAME", kind: .string, required: false, summary: "a command, function or keyword",
            completions: { s in
              Array(s.registry.commands.keys) + Array(s.registry.functions.keys)
                + Array(s.registry.keywords.keys)
                + ["functions"]
            }),
          ArgumentSpec("SUB-COMMAND", kind: .string, required: false, summary: "a sub-command of NAME"),
        ]
      ) { inv in
        inv.session.write(try Help.text(for: inv, in: inv.session))
        return .none
      },
      CommandSpec(
        "config", category: session, summary: "show or change session settings",
        usage: "config [NAME=VALUE ...]",
        help: "Without arguments, lists every setting with its value.",
        acceptsUndeclaredKeys: true
      ) { inv in
        let session = inv.session
        if inv.extraKeys.isEmpty {
          let names = session.registry.settings.keys.sorted()
          let width = names.map { "\($0)=\(session.setting($0))".count }.max() ?? 0
          for name in names {
            let assignment = "\(name)=\(session.setting(name))"
            let pad = String(repeating: " ", count: width - assignment.count + 2)
            inv.print(assignment + pad + (session.registry.settings[name]?.summary ?? ""))
          }
          return .none
        }
        for (key, argument) in inv.extraKeys {
          let value: Int
          switch argument.value {
          case .int(let i): value = i
          case .string(let s):
            guard let i = Value.parseInteger(s) else {
              throw LabScriptError(.argument, "\(key) must be an integer, not '\(s)'", at: argument.span)
            }
            value = i
          default:
            throw LabScriptError(
              .argument, "\(key) must be an integer, not \(argument.value.typeName)", at: argument.span)
          }
          do throws(LabScriptError) { try session.setSetting(key, value) } catch {
            var located = error
            located.span = argument.span
            throw located
          }
        }
        return .none
      },
      CommandSpec("vars", category: session, summary: "list the variables and their values") { inv in
        for name in inv.session.variableNames {
          inv.print("\(name) = \(inv.session[name]!.literal)")
        }
        return .none
      },
      CommandSpec(
        "source", category: session, summary: "run a script file in this session",
        help:
          "Variables and commands it defines stay defined. A relative path is taken from the directory of the file that sources it (or the current directory).",
        arguments: [ArgumentSpec("FILE", kind: .path, summary: "the script")]
      ) { inv in
        try inv.session.source(inv.string("FILE")!, span: inv.span(of: "FILE"))
        return .none
      },
      CommandSpec(
        "exit", category: session, summary: "end the session (status 0, or STATUS)",
        arguments: [ArgumentSpec("STATUS", kind: .int, required: false, summary: "the exit status, 0-255")]
      ) { inv in try requestExit(inv) },
      CommandSpec(
        "quit", category: session, summary: "end the session (same as exit)",
        arguments: [ArgumentSpec("STATUS", kind: .int, required: false, summary: "the exit status, 0-255")]
      ) { inv in try requestExit(inv) },
    ]
  }

  private static func requestExit(_ inv: Invocation) throws -> Value {
    let status = inv.int("STATUS") ?? 0
    guard (0...255).contains(status) else {
      throw inv.error(
        "the exit status must be between 0 and 255, not \(status)", at: "STATUS", kind: .argument)
    }
    inv.session.exitStatus = Int32(status)
    return .none
  }

  // MARK: Functions

  static var functions: [FunctionSpec] {
    [
      FunctionSpec(
        "len", [ParameterSpec("x", .any)], returns: "int", category: language,
        summary: "the length of a string or list, or a mask's weight"
      ) { call in
        switch call.arguments[0] {
        case .string(let s): return .int(s.count)
        case .list(let l): return .int(l.count)
        case .mask(let m): return .int(m.weight)
        case let other:
          throw call.error("len() needs a string, list or mask, not \(other.typeName)", at: 0, kind: .type)
        }
      },
      FunctionSpec(
        "str", [ParameterSpec("x", .any)], returns: "string", category: language,
        summary: "the value as print shows it"
      ) { call in
        .string(call.arguments[0].display)
      },
      FunctionSpec(
        "int", [ParameterSpec("x", .any)], returns: "int", category: language,
        summary: "an int from a string (decimal, 0x, 0b) or a bool"
      ) { call in
        switch call.arguments[0] {
        case .int: return call.arguments[0]
        case .bool(let b): return .int(b ? 1 : 0)
        case .string(let s):
          guard let i = Value.parseInteger(s.trimmingWhitespace) else {
            throw call.error("'\(s)' is not an integer", at: 0)
          }
          return .int(i)
        case let other: throw call.error("int() cannot convert \(other.typeName)", at: 0, kind: .type)
        }
      },
      FunctionSpec(
        "hex", [ParameterSpec("n", .int)], returns: "string", category: language,
        summary: "an int in hex, 0x-prefixed"
      ) { call in
        let n = call.int(0)
        return .string(n < 0 ? "-0x" + String(n.magnitude, radix: 16) : "0x" + String(n, radix: 16))
      },
      FunctionSpec(
        "type", [ParameterSpec("x", .any)], returns: "string", category: language,
        summary: "the type's name: int, string, bool, mask, list or none"
      ) { call in
        .string(call.arguments[0].typeName)
      },
      FunctionSpec(
        "min", [ParameterSpec("a", .int), ParameterSpec("b", .int)], returns: "int", category: language,
        summary: "the smaller int"
      ) { call in
        .int(Swift.min(call.int(0), call.int(1)))
      },
      FunctionSpec(
        "max", [ParameterSpec("a", .int), ParameterSpec("b", .int)], returns: "int", category: language,
        summary: "the larger int"
      ) { call in
        .int(Swift.max(call.int(0), call.int(1)))
      },
      FunctionSpec(
        "abs", [ParameterSpec("n", .int)], returns: "int", category: language, summary: "the absolute value"
      ) { call in
        let n = call.int(0)
        guard n != Int.min else { throw call.error("integer overflow in abs(\(n))", at: 0) }
        return .int(Swift.abs(n))
      },
      FunctionSpec(
        "join", [ParameterSpec("list", .list), ParameterSpec("separator", .string, optional: true)],
        returns: "string", category: language,
        summary: "the elements as text, joined (by \", \" unless given)"
      ) { call in
        .string(call.list(0).map(\.display).joined(separator: call.count > 1 ? call.string(1) : ", "))
      },
      FunctionSpec(
        "range", [ParameterSpec("start", .int), ParameterSpec("end", .int)], returns: "list",
        category: language, summary: "the ints from start up to (not including) end: for i in range(1, 4)"
      ) { call in
        let (start, end) = (call.int(0), call.int(1))
        let (count, overflow) = end.subtractingReportingOverflow(start)
        guard !overflow && count <= 1_000_000 else {
          throw call.error("range(\(start), \(end)) would hold more than 1000000 ints", at: 1)
        }
        return .list(start < end ? (start..<end).map { .int($0) } : [])
      },
      FunctionSpec(
        "split", [ParameterSpec("text", .string), ParameterSpec("separator", .string)], returns: "list",
        category: language, summary: "the pieces of a string between separators"
      ) { call in
        let separator = call.string(1)
        guard !separator.isEmpty else { throw call.error("the separator must not be empty", at: 1) }
        return .list(call.string(0).components(separatedBy: separator).map { .string($0) })
      },
    ]
  }
}

extension CommandSpec {
  /// `print`-style commands take a variadic list of expressions.
  fileprivate func withVariadicExpressions() -> CommandSpec {
    var copy = self
    copy.arguments = [ArgumentSpec("EXPR", required: false, variadic: true, summary: "the values")]
    return copy
  }
}

extension String {
  var trimmingWhitespace: String {
    var s = Substring(self)
    while s.first?.isWhitespace == true { s = s.dropFirst() }
    while s.last?.isWhitespace == true { s = s.dropLast() }
    return String(s)
  }

  /// Splits on a separator string.
  func components(separatedBy separator: String) -> [String] {
    var pieces: [String] = []
    var rest = Substring(self)
    while let range = rest.range(of: separator) {
      pieces.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    pieces.append(String(rest))
    return pieces
  }
}

extension Substring {
  func range(of needle: String) -> Range<Substring.Index>? {
    guard !needle.isEmpty else { return nil }
    var index = startIndex
    while index < endIndex {
      if self[index...].hasPrefix(needle) {
        return index..<self.index(index, offsetBy: needle.count)
      }
      index = self.index(after: index)
    }
    return nil
  }
}

extension Session {
  /// `source FILE`: runs a host file's text in this session.
  func source(_ path: String, span: SourceSpan) throws {
    var resolved = path
    if !path.hasPrefix("/"), let current = currentFile, current.name.contains("/"),
      !current.name.hasPrefix("<")
    {
      resolved = String(current.name[..<current.name.lastIndex(of: "/")!]) + "/" + path
    }
    guard sourceDepth < Session.maximumSourceDepth else {
      throw LabScriptError(
        .limit, "source is nested more than \(Session.maximumSourceDepth) deep", at: span,
        hint: "does '\(path)' source itself?")
    }
    let text: String
    do { text = try HostFile.readText(resolved) } catch {
      throw LabScriptError(.io, "cannot read '\(path)': \(error.detail)", at: span)
    }
    sourceDepth += 1
    defer { sourceDepth -= 1 }
    let file = SourceFile(name: resolved, text: text)
    try execute(program: try parse(file), file: file)
  }
}
