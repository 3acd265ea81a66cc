import Testing

@testable import VirtMachine

@Suite struct TraceTests {
  /// Records of every shape: no CPU, CPU numbers beyond 32 bits, empty and non-ASCII details,
  /// names that repeat and names that do not.
  static func record(_ index: Int) -> TraceRecord {
    let cpus: [Int?] = [nil, 0, 1, 511, Int(Int32.max), -1]
    let sources = ["kernel", "acpi", "aml", "cpu"]
    return TraceRecord(
      time: UInt64(index) * 2_000, source: sources[index % sources.count],
      event: index % 7 == 0 ? "event.\(index % 100)" : "acpi_bus_attach", cpu: cpus[index % cpus.count],
      details: index % 5 == 0 ? "" : "\\_SB.CPUS.C\(index) [kworker/u8:\(index % 13)] é")
  }

  @Test func packedChunksGiveBackEveryRecord() {
    var trace = Trace()
    let count = Trace.chunkSize * 3 + 17
    for index in 0..<count { trace.append(Self.record(index)) }
    #expect(trace.count == count)
    #expect(trace.records.count == count)
    #expect(Array(trace.records) == (0..<count).map(Self.record))
    #expect(trace.records[Trace.chunkSize - 1] == Self.record(Trace.chunkSize - 1))
    #expect(trace.records[Trace.chunkSize] == Self.record(Trace.chunkSize))
    #expect(trace.text == (0..<count).map { Self.record($0).description + "\n" }.joined())
    #expect(trace.matching("aml") == (0..<count).map(Self.record).filter { $0.source == "aml" })
    #expect(trace.matching("event").count == (0..<count).filter { $0 % 7 == 0 }.count)
  }

  @Test func aChunkWithACPUBeyond32BitsKeepsItsRecords() {
    var trace = Trace()
    let records = (0..<Trace.chunkSize).map {
      TraceRecord(
        time: UInt64($0), source: "cpu", event: "cpu.wake", cpu: $0 == 3 ? Int.max : $0, details: "x")
    }
    for r in records { trace.append(r) }
    #expect(Array(trace.records) == records)
  }

  @Test func aCopyIsASnapshot() {
    var trace = Trace()
    for index in 0..<Trace.chunkSize { trace.append(Self.record(index)) }
    let saved = trace
    trace.append(Self.record(Trace.chunkSize))
    #expect(saved.count == Trace.chunkSize && trace.count == Trace.chunkSize + 1)
    #expect(Array(saved.records) == (0..<Trace.chunkSize).map(Self.record))
  }
}
