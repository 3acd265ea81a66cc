/// Tab completion from the registry: command names, sub-commands, option and `key=` names,
/// choice values, variables, functions and paths of the virtual file system.
public struct Completion: Equatable, Sendable {
  /// The text being completed (the end of the line before the cursor).
  public var fragment: String
  /// Full replacements for `fragment`, sorted.
  public var candidates: [String]

  /// The longest text every candidate starts with.
  public var commonPrefix: String {
    guard var prefix = candidates.first else { return fragment }
    for candidate in candidates.dropFirst() {
      while !candidate.hasPrefix(prefix) { prefix.removeLast() }
    }
    return prefix
  }

  /// What to insert at the cursor: the unambiguous rest of the word, plus a space when the word
  /// is complete.
  public var insertion: String {
    let prefix = commonPrefix
    guard prefix.count >= fragment.count, prefix.hasPrefix(fragment) else { return "" }
    var rest = String(prefix.dropFirst(fragment.count))
    if candidates.count == 1, let last = prefix.last, !"=/(,".contains(last) { rest += " " }
    return rest
  }
}

extension Session {
  /// Completes the word that ends at the end of `line` (the text before the cursor).
  public func complete(_ line: String) -> Completion {
    let statement = Completer.currentStatement(line)
    var words = Completer.words(statement)
    let fragment = statement.last.map { $0 == " " || $0 == "\t" } ?? true ? "" : (words.popLast() ?? "")
    func result(_ all: [String], prefix: String = "") -> Completion {
      let matches = Set(all.map { prefix + $0 }.filter { $0.hasPrefix(fragment) })
      return Completion(fragment: fragment, candidates: matches.sorted())
    }
    if fragment.hasPrefix("$") {
      return result(visibleVariableNames, prefix: "$")
    }
    guard let first = words.first else {
      return result(Array(registry.commands.keys) + Array(registry.keywords.keys) + Array(userCommands.keys))
    }
    let expressionWords: Set<String> = ["let", "set", "if", "while", "expect", "return", "for", "in"]
    if expressionWords.contains(first) || registry.commands[first]?.syntax == .expressions {
      let name =
        fragment.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).last.map(String.init)
        ?? ""
      let head = String(fragment.dropLast(name.count))
      let names =
        Array(registry.functions.keys).map { $0 + "(" } + visibleVariableNames
        + Array(userCommands.keys).map { $0 + "(" }
      return result(names.filter { $0.hasPrefix(name) }, prefix: head)
    }
    guard var spec = registry.commands[first] else { return Completion(fragment: fragment, candidates: []) }
    var consumed = words.dropFirst()
    while !spec.subcommands.isEmpty {
      guard let next = consumed.first else {
        return result(spec.subcommands.map(\.name))
      }
      guard let sub = spec.subcommand(next) else { break }
      spec = sub
      consumed = consumed.dropFirst()
    }
    // QEMU option lists: complete the piece after the last comma.
    if spec.optionLists, let comma = fragment.lastIndex(of: ",") {
      let head = String(fragment[...comma])
      let piece = String(fragment[fragment.index(after: comma)...])
      return result(
        keyCandidates(spec, piece: piece, used: consumed).filter { $0.hasPrefix(piece) }, prefix: head)
    }
    if fragment.hasPrefix("-") {
      return result(
        spec.arguments.filter { $0.form == .option || $0.form == .flag }.flatMap { [$0.name] + $0.aliases })
    }
    if let equals = fragment.firstIndex(of: "=") {
      let key = String(fragment[..<equals])
      guard let argument = spec.arguments.first(where: { $0.form == .keyed && $0.name == key }) else {
        return Completion(fragment: fragment, candidates: [])
      }
      return result(values(for: argument), prefix: key + "=")
    }
    // The next positional argument, after options and keys already typed.
    let positionalCount = consumed.filter { !$0.hasPrefix("-") && !$0.contains("=") }.count
    let positionals = spec.arguments.filter { $0.form == .positional }
    var options: [String] = keyCandidates(spec, piece: fragment, used: consumed)
    if let next = positionals.indices.contains(positionalCount)
      ? positionals[positionalCount] : positionals.last(where: \.variadic)
    {
      if next.kind == .path { return pathCompletion(fragment) }
      options += values(for: next)
    }
    return result(options)
  }

  private func keyCandidates(_ spec: CommandSpec, piece: String, used: ArraySlice<String>) -> [String] {
    let usedKeys = Set(
      used.flatMap { $0.split(separator: ",") }.compactMap { $0.split(separator: "=").first.map(String.init) }
    )
    return spec.arguments.filter { $0.form == .keyed && !usedKeys.contains($0.name) }.map { $0.name + "=" }
  }

  private func values(for argument: ArgumentSpec) -> [String] {
    var values: [String] = []
    if case .choice(let words) = argument.kind { values += words }
    if case .bool = argument.kind { values += ["on", "off"] }
    if let completions = argument.completions { values += completions(self) }
    return values
  }

  private func pathCompletion(_ fragment: String) -> Completion {
    let directory: String
    let base: String
    if let slash = fragment.lastIndex(of: "/") {
      directory = String(fragment[...slash])
      base = String(fragment[fragment.index(after: slash)...])
    } else {
      directory = ""
      base = fragment
    }
    let listed = (try? files.list(directory.isEmpty ? "/" : directory)) ?? []
    let candidates = listed.filter { $0.hasPrefix(base) }.map { name -> String in
      let full = directory + name
      let isDirectory = (try? files.list(full)) != nil
      return isDirectory ? full + "/" : full
    }
    return Completion(fragment: fragment, candidates: candidates.sorted())
  }
}

enum Completer {
  /// The text of the statement the cursor is in: after the last `;`, `{` or `}` outside quotes.
  static func currentStatement(_ line: String) -> Substring {
    var start = line.startIndex
    var quote: Character?
    var index = line.startIndex
    while index < line.endIndex {
      let c = line[index]
      if let q = quote {
        if c == q { quote = nil }
      } else if c == "\"" || c == "'" {
        quote = c
      } else if c == ";" || c == "{" || c == "}" {
        start = line.index(after: index)
      }
      index = line.index(after: index)
    }
    var statement = line[start...]
    while statement.first == " " || statement.first == "\t" { statement = statement.dropFirst() }
    return statement
  }

  /// Blank-separated words, keeping quoted text together.
  static func words(_ statement: Substring) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    for c in statement {
      if let q = quote {
        current.append(c)
        if c == q { quote = nil }
      } else if c == " " || c == "\t" {
        if !current.isEmpty { words.append(current) }
        current = ""
      } else {
        if c == "\"" || c == "'" { quote = c }
        current.append(c)
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }
}
