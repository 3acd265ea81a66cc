/// The text of `help`: an overview, or the help of one command, sub-command, function or keyword.
enum Help {
  static func text(for inv: Invocation, in session: Session) throws -> String {
    let registry = session.registry
    guard let topic = inv.string("NAME") else { return overview(registry) }
    if topic == "functions" && inv.string("SUB-COMMAND") == nil { return functions(registry) }
    if var command = registry.commands[topic] {
      var prefix = ""
      if let sub = inv.string("SUB-COMMAND") {
        guard let found = command.subcommand(sub) else {
          throw inv.error(
            "'\(topic)' has no sub-command '\(sub)'", at: "SUB-COMMAND",
            hint: Registry.didYouMean(sub, among: command.subcommands.map(\.name))
              ?? (command.subcommands.isEmpty
                ? "it has no sub-commands"
                : "its sub-commands are: \(command.subcommands.map(\.name).joined(separator: ", "))"),
            kind: .name)
        }
        prefix = topic
        command = found
      }
      return describe(command, prefix: prefix)
    }
    if inv.string("SUB-COMMAND") != nil {
      throw inv.error("only commands have sub-commands", at: "SUB-COMMAND", kind: .argument)
    }
    if let function = registry.functions[topic] {
      var out = "\(function.signature)\n  \(capitalized(function.summary)).\n"
      if !function.help.isEmpty { out += "\n" + indent(function.help) + "\n" }
      return out
    }
    if let keyword = registry.keywords[topic] {
      var out = "\(keyword.syntax)\n  \(capitalized(keyword.summary)).\n"
      if !keyword.help.isEmpty { out += "\n" + indent(keyword.help) + "\n" }
      return out
    }
    if let user = session.userCommands[topic] {
      return "\(user.name)(\(user.parameters.joined(separator: ", ")))\n  Defined at \(user.span.position).\n"
    }
    let candidates =
      Array(registry.commands.keys) + Array(registry.functions.keys) + Array(registry.keywords.keys)
    throw inv.error(
      "no help for '\(topic)': it is not a command, function or keyword", at: "NAME",
      hint: Registry.didYouMean(topic, among: candidates) ?? "`help` lists everything", kind: .name)
  }

  static func overview(_ registry: Registry) -> String {
    var out = "Commands (help NAME shows one):\n"
    let byCategory = Dictionary(grouping: registry.commands.values, by: \.category)
    for category in byCategory.keys.sorted() {
      out += "  \(category)\n"
      let commands = byCategory[category]!.sorted { $0.name < $1.name }
      let width = commands.map(\.name.count).max() ?? 0
      for command in commands {
        out += "    \(command.name.padded(to: width))  \(command.summary)\n"
      }
    }
    out += "Statements: \(registry.keywords.keys.sorted().joined(separator: ", "))\n"
    out += "Functions (help functions): \(registry.functions.keys.sorted().joined(separator: ", "))\n"
    return out
  }

  static func functions(_ registry: Registry) -> String {
    var out = ""
    let byCategory = Dictionary(grouping: registry.functions.values, by: \.category)
    for category in byCategory.keys.sorted() {
      out += "\(category)\n"
      let list = byCategory[category]!.sorted { $0.name < $1.name }
      let width = list.map(\.signature.count).max() ?? 0
      for function in list {
        out += "  \(function.signature.padded(to: width))  \(function.summary)\n"
      }
    }
    return out
  }

  static func describe(_ command: CommandSpec, prefix: String) -> String {
    let full = prefix.isEmpty ? command.name : "\(prefix) \(command.name)"
    var out = "\(full) — \(command.summary)\nusage: \(command.usageLine(prefix: prefix))\n"
    if !command.help.isEmpty { out += "\n" + indent(command.help) + "\n" }
    if !command.arguments.isEmpty {
      out += "\nArguments:\n"
      let rows = command.arguments.map { a -> (String, String) in
        let label: String
        switch a.form {
        case .positional: label = a.name + (a.variadic ? "..." : "")
        case .keyed: label = "\(a.name)=\(a.kind.placeholder)"
        case .option: label = ([a.name] + a.aliases).joined(separator: ", ") + " \(a.kind.placeholder)"
        case .flag: label = ([a.name] + a.aliases).joined(separator: ", ")
        }
        return (label, a.summary + (a.required ? "" : " (optional)"))
      }
      let width = rows.map(\.0.count).max() ?? 0
      for (label, summary) in rows { out += "  \(label.padded(to: width))  \(summary)\n" }
    }
    if !command.subcommands.isEmpty {
      out += "\nSub-commands:\n"
      let rows = command.subcommands.map { ($0.usageLine(prefix: full), $0.summary) }
      let width = rows.map(\.0.count).max() ?? 0
      for (usage, summary) in rows { out += "  \(usage.padded(to: width))  \(summary)\n" }
    }
    return out
  }

  private static func indent(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(
      separator: "\n")
  }

  private static func capitalized(_ s: String) -> String {
    guard let first = s.first else { return s }
    return first.uppercased() + s.dropFirst()
  }
}

extension String {
  func padded(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
