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
///
/// A full chunk is packed: a hotplug cycle at 512 vCPUs records millions of lines, and as
/// `TraceRecord` values each would hold four strings (the details on the heap). Packed, a record
/// is its time, CPU, the indexes of its layer and trace point in the chunk's table of distinct
/// names, and its details' UTF-8 bytes; reading a record rebuilds the value.
public struct Trace: Sendable {
  static let chunkSize = 1024

  final class Chunk: Sendable {
    let times: [UInt64]
    /// The CPU, or `Chunk.noCPU`.
    let cpus: [Int32]
    /// `source << 16 | event`, indexes into `names`.
    let nameIndexes: [UInt32]
    /// The chunk's distinct sources and trace points.
    let names: [String]
    /// Where each record's details end in `details`.
    let detailEnds: [UInt32]
    /// Every record's details, back to back.
    let details: [UInt8]
    /// The records as they came, for a chunk that does not fit the packed form (a CPU number
    /// beyond 32 bits); never the case for the machine's records.
    let unpacked: [TraceRecord]?

    static let noCPU = Int32.min

    init(_ records: [TraceRecord]) {
      var times: [UInt64] = []
      var cpus: [Int32] = []
      var nameIndexes: [UInt32] = []
      var detailEnds: [UInt32] = []
      var details: [UInt8] = []
      times.reserveCapacity(records.count)
      cpus.reserveCapacity(records.count)
      nameIndexes.reserveCapacity(records.count)
      detailEnds.reserveCapacity(records.count)
      details.reserveCapacity(records.count * 32)
      var table = NameTable()
      // Consecutive records mostly share their layer and trace point: look those up once.
      var last: (source: String, event: String, index: UInt32)?
      var packable = true
      for record in records {
        times.append(record.time)
        if let cpu = record.cpu {
          guard let narrow = Int32(exactly: cpu), narrow != Chunk.noCPU else {
            packable = false
            break
          }
          cpus.append(narrow)
        } else {
          cpus.append(Chunk.noCPU)
        }
        if let last, last.source == record.source, last.event == record.event {
          nameIndexes.append(last.index)
        } else {
          let packed = table.index(record.source) << 16 | table.index(record.event)
          nameIndexes.append(packed)
          last = (record.source, record.event, packed)
        }
        details.append(contentsOf: record.details.utf8)
        detailEnds.append(UInt32(details.count))
      }
      packable = packable && table.names.count <= 1 << 16 && details.count <= Int(UInt32.max)
      self.times = packable ? times : []
      self.cpus = packable ? cpus : []
      self.nameIndexes = packable ? nameIndexes : []
      self.names = packable ? table.names : []
      self.detailEnds = packable ? detailEnds : []
      self.details = packable ? details : []
      unpacked = packable ? nil : records
    }

    /// The distinct names of a chunk, numbered as they first appear.
    private struct NameTable {
      var names: [String] = []
      var indexes: [String: UInt32] = [:]

      mutating func index(_ name: String) -> UInt32 {
        if let index = indexes[name] { return index }
        names.append(name)
        indexes[name] = UInt32(names.count - 1)
        return UInt32(names.count - 1)
      }
    }

    subscript(index: Int) -> TraceRecord {
      if let unpacked { return unpacked[index] }
      let start = index == 0 ? 0 : Int(detailEnds[index - 1])
      let cpu = cpus[index]
      return TraceRecord(
        time: times[index], source: names[Int(nameIndexes[index] >> 16)],
        event: names[Int(nameIndexes[index] & 0xFFFF)], cpu: cpu == Chunk.noCPU ? nil : Int(cpu),
        details: String(decoding: details[start..<Int(detailEnds[index])], as: UTF8.self))
    }
  }

  private var chunks: [Chunk] = []
  private var tail: [TraceRecord] = []

  public init() {}

  public mutating func append(_ record: TraceRecord) {
    if tail.isEmpty { tail.reserveCapacity(Trace.chunkSize) }
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
        ? chunks[position / Trace.chunkSize][position % Trace.chunkSize] : tail[position - chunked]
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
