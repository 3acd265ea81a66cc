/// The lifecycle states a CPU moves through, lowest first; each implies the ones before it
/// (online ⊆ enabled ⊆ present ⊆ possible; active ⊆ online).
public enum CPUState: String, Sendable, CaseIterable, Comparable {
  /// Possible but not present (an x86-style physical slot that is empty).
  case possible
  /// Present, not enabled: the firmware has not enabled it, so it has no CPU device (arm64).
  case present
  /// Enabled: registered, `cpuN/` exists, but offline.
  case enabled
  /// Online (the scheduler may use it) but not active.
  case online
  /// Online and active (tasks may migrate to it).
  case active

  public static func < (a: CPUState, b: CPUState) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// The character the text timeline draws it with.
  public var glyph: Character {
    switch self {
    case .possible: "."
    case .present: "-"
    case .enabled: "="
    case .online: "+"
    case .active: "#"
    }
  }
}

/// A per-CPU state timeline: which state each CPU was in over virtual time. A value built from
/// time-ordered state changes; ``TimelineSource`` is how a machine model supplies one, and the
/// `timeline` command draws it (text in the terminal, SVG in exported lessons).
public struct Timeline: Sendable, Equatable {
  /// One CPU entering a state.
  public struct Change: Sendable, Equatable {
    /// Virtual time in nanoseconds.
    public var time: UInt64
    public var cpu: Int
    public var state: CPUState
    /// What caused it, e.g. `device_add host-arm-cpu,core-id=2,id=cpu2` (optional).
    public var reason: String?

    public init(time: UInt64, cpu: Int, state: CPUState, reason: String? = nil) {
      self.time = time
      self.cpu = cpu
      self.state = state
      self.reason = reason
    }
  }

  /// The CPUs drawn, one row each, in ascending order.
  public private(set) var cpus: [Int]
  /// The changes, ordered by time (changes at the same time keep their given order).
  public private(set) var changes: [Change]
  /// The time the timeline reaches ("now"); at least the last change's time.
  public private(set) var end: UInt64

  /// A timeline of `cpus` (every CPU named by a change is added) with `changes` in any order.
  /// A CPU is undrawn (not possible) until its first change.
  public init(cpus: [Int] = [], changes: [Change], end: UInt64 = 0) {
    let order = changes.indices.sorted { a, b in
      changes[a].time != changes[b].time ? changes[a].time < changes[b].time : a < b
    }
    self.changes = order.map { changes[$0] }
    self.cpus = Array(Set(cpus).union(changes.map(\.cpu))).sorted()
    self.end = Swift.max(end, self.changes.last?.time ?? 0)
  }

  /// The state of `cpu` at `time` (nil before its first change).
  public func state(of cpu: Int, at time: UInt64) -> CPUState? {
    var state: CPUState?
    for change in changes where change.cpu == cpu {
      if change.time > time { break }
      state = change.state
    }
    return state
  }

  /// The spans of constant state of one CPU, up to ``end``.
  public func intervals(of cpu: Int) -> [(start: UInt64, end: UInt64, state: CPUState)] {
    var spans: [(start: UInt64, end: UInt64, state: CPUState)] = []
    for change in changes where change.cpu == cpu {
      if let last = spans.last {
        if last.state == change.state { continue }
        spans[spans.count - 1].end = change.time
        // A state that lasted no time is not drawn; the one before it may then go on.
        if last.start == change.time { spans.removeLast() }
        if let previous = spans.last, previous.state == change.state {
          spans[spans.count - 1].end = end
          continue
        }
      }
      spans.append((change.time, end, change.state))
    }
    return spans
  }

  /// The same timeline with only the given CPUs.
  public func restricted(to selected: some Sequence<Int>) -> Timeline {
    let keep = Set(selected)
    return Timeline(
      cpus: cpus.filter { keep.contains($0) }, changes: changes.filter { keep.contains($0.cpu) }, end: end)
  }
}

/// Where the per-CPU timeline comes from. The Lab (the machine and guest model) conforms and is
/// given to ``NotebookCommands/timelineSource``; until then `timeline` says there is no machine.
public protocol TimelineSource: AnyObject {
  /// The CPU states recorded so far, or nil while there is no machine to draw.
  func cpuTimeline() -> Timeline?
}
