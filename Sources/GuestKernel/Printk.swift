import Simulation

/// The kernel log ring buffer (kernel/printk/printk.c) as `dmesg` shows it: every line stamped
/// with the time since boot, `[%5lu.%06lu]`, from the world's virtual clock.
public struct KernelLog: Hashable, Sendable {
  /// Log levels (include/linux/kern_levels.h).
  public enum Level: Int, Hashable, Sendable, Comparable {
    case emerg = 0, alert, crit, err, warning, notice, info, debug
    public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
  }

  public struct Entry: Hashable, Sendable {
    public let time: UInt64
    public let level: Level
    public let text: String

    /// `[    0.000000] text`
    public var line: String { "\(KernelLog.timestamp(time)) \(text)" }
  }

  public private(set) var entries = AppendLog<Entry>()

  public init() {}

  public mutating func printk(_ level: Level, _ text: String, at time: UInt64) {
    entries.append(Entry(time: time, level: level, text: text))
  }

  /// `[%5lu.%06lu]` of a time in nanoseconds.
  public static func timestamp(_ time: UInt64) -> String {
    let seconds = String(time / 1_000_000_000)
    let micros = String((time % 1_000_000_000) / 1000)
    return "[" + String(repeating: " ", count: Swift.max(0, 5 - seconds.count)) + seconds + "."
      + String(repeating: "0", count: 6 - micros.count) + micros + "]"
  }

  /// The last `count` lines (all when nil), as `dmesg | tail -n count` prints them.
  public func text(last count: Int? = nil, minimumLevel: Level = .debug) -> String {
    let shown = entries.filter { $0.level <= minimumLevel }
    let tail = count.map { Array(shown.suffix($0)) } ?? shown
    return tail.map { $0.line + "\n" }.joined()
  }
}

/// A kernel object event sent to user space (lib/kobject_uevent.c), as `udevadm monitor --kernel
/// --property` shows it.
public struct UEvent: Hashable, Sendable {
  public enum Action: String, Hashable, Sendable {
    case add, remove, change, move, online, offline, bind, unbind
  }

  public let sequence: Int
  public let time: UInt64
  public let action: Action
  /// `/devices/system/cpu/cpu2`
  public let devpath: String
  public let subsystem: String
  /// Further `KEY=value` pairs (DRIVER=processor ...), in order.
  public let properties: [(String, String)]

  public static func == (a: UEvent, b: UEvent) -> Bool {
    a.sequence == b.sequence && a.time == b.time && a.action == b.action && a.devpath == b.devpath
      && a.subsystem == b.subsystem
      && a.properties.map { "\($0)=\($1)" } == b.properties.map { "\($0)=\($1)" }
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(sequence)
    hasher.combine(devpath)
  }

  /// `KERNEL[0.123456] add      /devices/system/cpu/cpu2 (cpu)` and the properties.
  public var text: String {
    let stamp = KernelLog.timestamp(time).dropFirst().dropLast().trimmingLeadingSpaces
    var out = "KERNEL[\(stamp)] \(action.rawValue.padding(8)) \(devpath) (\(subsystem))\n"
    out += "ACTION=\(action.rawValue)\nDEVPATH=\(devpath)\nSUBSYSTEM=\(subsystem)\n"
    for (key, value) in properties { out += "\(key)=\(value)\n" }
    out += "SEQNUM=\(sequence)\n"
    return out
  }
}

extension Substring {
  var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}

extension String {
  func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
