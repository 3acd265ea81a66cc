/// Every command, function, keyword and setting a session knows. Modules register theirs when a
/// session is created; nothing here knows any command by name.
public final class Registry {
  public private(set) var commands: [String: CommandSpec] = [:]
  public private(set) var functions: [String: FunctionSpec] = [:]
  public private(set) var keywords: [String: KeywordDoc] = [:]
  public private(set) var settings: [String: SettingSpec] = [:]

  public init() {}

  /// Adds a command. A second command with the same name is a programming error.
  public func register(_ command: CommandSpec) {
    precondition(commands[command.name] == nil, "command '\(command.name)' is registered twice")
    precondition(
      !Parser.reservedWords.subtracting(Parser.commandKeywords).contains(command.name),
      "'\(command.name)' is a reserved word")
    commands[command.name] = command
  }

  public func register(_ function: FunctionSpec) {
    precondition(functions[function.name] == nil, "function '\(function.name)' is registered twice")
    functions[function.name] = function
  }

  public func register(_ keyword: KeywordDoc) {
    keywords[keyword.name] = keyword
  }

  public func register(_ setting: SettingSpec) {
    precondition(settings[setting.name] == nil, "setting '\(setting.name)' is registered twice")
    settings[setting.name] = setting
  }

  /// Names close to `name` among `candidates`: same prefix, or at most two edits away.
  static func suggestions(for name: String, among candidates: some Sequence<String>) -> [String] {
    let lower = name.lowercased()
    var scored: [(Int, String)] = []
    for candidate in candidates {
      let c = candidate.lowercased()
      let distance = editDistance(lower, c)
      let limit = name.count <= 3 ? 1 : 2
      if distance <= limit || (lower.count >= 3 && c.hasPrefix(lower)) {
        scored.append((distance, candidate))
      }
    }
    return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(3).map(\.1)
  }

  /// A "did you mean" hint, or nil.
  static func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String? {
    let found = suggestions(for: name, among: candidates)
    guard !found.isEmpty else { return nil }
    return "did you mean " + found.map { "'\($0)'" }.joined(separator: " or ") + "?"
  }
}

/// Levenshtein distance, for suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a.unicodeScalars)
  let b = Array(b.unicodeScalars)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      current[j] = Swift.min(
        previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}
