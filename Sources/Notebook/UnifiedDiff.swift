/// A line diff in the unified format (`@@ -a,b +c,d @@`, ` `/`-`/`+` lines), with the line
/// numbers of the file the old lines come from, so a hunk points at the lesson's lines.
public struct UnifiedDiff: Sendable, Equatable {
  public enum Line: Sendable, Equatable {
    case same(String)
    case removed(String)
    case added(String)
  }

  public struct Hunk: Sendable, Equatable {
    public var oldStart: Int
    public var oldCount: Int
    public var newStart: Int
    public var newCount: Int
    public var lines: [Line]

    /// `@@ -oldStart,oldCount +newStart,newCount @@` (an empty side names the line before it).
    public var header: String {
      func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(count == 0 ? start - 1 : start),\(count)"
      }
      return "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@"
    }
  }

  public var hunks: [Hunk]

  public var isEmpty: Bool { hunks.isEmpty }

  /// Compares two lists of lines; `firstLine` is the file line number of `old[0]` (the new side
  /// is numbered as if it replaced the old one in the same file), `context` the unchanged lines
  /// kept around each change.
  public init(old: [String], new: [String], firstLine: Int = 1, context: Int = 3) {
    let script = UnifiedDiff.editScript(old, new)
    hunks = []
    // Positions (old and new line numbers) of each script entry.
    var positions: [(old: Int, new: Int)] = []
    var o = firstLine
    var n = firstLine
    for entry in script {
      positions.append((o, n))
      switch entry {
      case .same:
        o += 1
        n += 1
      case .removed: o += 1
      case .added: n += 1
      }
    }
    // Changes less than 2 * context unchanged lines apart share a hunk.
    let changed = script.indices.filter { if case .same = script[$0] { return false } else { return true } }
    var groups: [(first: Int, last: Int)] = []
    for index in changed {
      if let last = groups.last, index - last.last - 1 <= 2 * context {
        groups[groups.count - 1].last = index
      } else {
        groups.append((index, index))
      }
    }
    for group in groups {
      let start = Swift.max(0, group.first - context)
      let stop = Swift.min(script.count, group.last + 1 + context)
      let lines = Array(script[start..<stop])
      let oldCount = lines.filter { if case .added = $0 { return false } else { return true } }.count
      let newCount = lines.filter { if case .removed = $0 { return false } else { return true } }.count
      hunks.append(
        Hunk(
          oldStart: positions[start].old, oldCount: oldCount, newStart: positions[start].new,
          newCount: newCount,
          lines: lines))
    }
  }

  /// The diff as text: the two file headers, then each hunk, coloured on a terminal.
  public func render(oldName: String, newName: String, style: TerminalStyle) -> String {
    var out = style.red("--- \(oldName)") + "\n" + style.green("+++ \(newName)") + "\n"
    for hunk in hunks {
      out += style.cyan(hunk.header) + "\n"
      for line in hunk.lines {
        switch line {
        case .same(let text): out += " \(text)\n"
        case .removed(let text): out += style.red("-\(text)") + "\n"
        case .added(let text): out += style.green("+\(text)") + "\n"
        }
      }
    }
    return out
  }

  /// The shortest edit script from `old` to `new` (longest common subsequence on the part
  /// between the common prefix and suffix; a very large middle is shown as replaced whole).
  static func editScript(_ old: [String], _ new: [String]) -> [Line] {
    var prefix = 0
    while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < old.count - prefix && suffix < new.count - prefix
      && old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
    {
      suffix += 1
    }
    let a = Array(old[prefix..<(old.count - suffix)])
    let b = Array(new[prefix..<(new.count - suffix)])
    var middle: [Line] = []
    if a.count * b.count > 4_000_000 {
      middle = a.map { .removed($0) } + b.map { .added($0) }
    } else {
      // lengths[i][j]: the LCS length of a[i...] and b[j...].
      let width = b.count + 1
      var lengths = [Int](repeating: 0, count: (a.count + 1) * width)
      for i in stride(from: a.count - 1, through: 0, by: -1) {
        for j in stride(from: b.count - 1, through: 0, by: -1) {
          lengths[i * width + j] =
            a[i] == b[j]
            ? lengths[(i + 1) * width + j + 1] + 1
            : Swift.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
        }
      }
      var i = 0
      var j = 0
      while i < a.count || j < b.count {
        if i < a.count && j < b.count && a[i] == b[j] {
          middle.append(.same(a[i]))
          i += 1
          j += 1
        } else if j == b.count || (i < a.count && lengths[(i + 1) * width + j] >= lengths[i * width + j + 1])
        {
          // Removals come before additions at the same place, as diff prints them.
          middle.append(.removed(a[i]))
          i += 1
        } else {
          middle.append(.added(b[j]))
          j += 1
        }
      }
    }
    return old[..<prefix].map { .same($0) } + middle + old[(old.count - suffix)...].map { .same($0) }
  }
}
