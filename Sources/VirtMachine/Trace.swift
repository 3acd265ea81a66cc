/// The record of everything that happens in the world, in order: what stepping shows, what
/// breakpoints match, and what determinism tests compare byte for byte.
public struct TraceRecord: Hashable, Sendable, CustomStringConvertible {
  /// Virtual time in nanoseconds.
  public let time: UInt64
  /// The layer: vmm, acpi, aml, gic, psci, cpu, kernel, ged, uart.
  public let source: String
  /// The trace point, e.g. `psci.cpu_on`, `ged.event`, `gicr.wake`, `vmm.device_add`.
  public let event: String
  /// The vCPU involved, if any.
  public let cpu: Int?
  public let details: String

  public init(time: UInt64, source: String, event: String, cpu: Int? = nil, details: String) {
    self.time = time
    self.source = source
    self.event = event
    self.cpu = cpu
    self.details = details
  }

  /// `[    1.000250] psci   psci.cpu_on        cpu1  target=0x1 entry=0x40080000 -> SUCCESS`
  public var description: String {
    let seconds = time / 1_000_000_000
    let micros = (time % 1_000_000_000) / 1000
    let stamp = "[\(pad(String(seconds), 5)).\(zeroPad(micros, 6))]"
    let cpuText = cpu.map { "cpu\($0)" } ?? "-"
    return "\(stamp) \(source.padding(6)) \(event.padding(22)) \(cpuText.padding(5)) \(details)"
  }
}

/// Trace records in order, with named trace points. Snapshots copy the machine state (and so
/// the trace) every time a command changes the world, so the records live in immutable shared
/// chunks plus a short mutable tail: a copy costs a few pointers, not the whole history.
public struct Trace: Sendable {
  static let chunkSize = 4096

  final class Chunk: Sendable {
    let records: [TraceRecord]
    init(_ records: [TraceRecord]) { self.records = records }
  }

  private var chunks: [Chunk] = []
  private var tail: [TraceRecord] = []

  public init() {}

  public mutating func append(_ record: TraceRecord) {
    tail.append(record)
    if tail.count == Trace.chunkSize {
      chunks.append(Chunk(tail))
      tail = []
    }
  }

  public var count: Int { chunks.count * Trace.chunkSize + tail.count }

  /// Every record, oldest first.
  public var records: Records { Records(chunks: chunks, tail: tail) }

  /// The records as a random-access collection indexed from 0.
  public struct Records: RandomAccessCollection, Sendable {
    let chunks: [Chunk]
    let tail: [TraceRecord]

    public var startIndex: Int { 0 }
    public var endIndex: Int { chunks.count * Trace.chunkSize + tail.count }

    public subscript(position: Int) -> TraceRecord {
      let chunked = chunks.count * Trace.chunkSize
      return position < chunked
        ? chunks[position / Trace.chunkSize].records[position % Trace.chunkSize] : tail[position - chunked]
    }
  }

  /// The records of one trace point or of every trace point of a layer (`psci`, `psci.cpu_on`).
  public func matching(_ pattern: String) -> [TraceRecord] {
    records.filter { $0.event == pattern || $0.source == pattern || $0.event.hasPrefix(pattern + ".") }
  }

  /// The text of every record, one per line (what determinism tests compare).
  public var text: String { records.map { $0.description + "\n" }.joined() }
}

private func pad(_ s: String, _ width: Int) -> String {
  s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

private func zeroPad(_ n: UInt64, _ width: Int) -> String {
  let s = String(n)
  return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

extension String {
  func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
