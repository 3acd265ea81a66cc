import Foundation
import Testing

@testable import Notebook
import Simulation
import HostFiles

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A hot-add of CPU 2 as the Lab will record it: CPU 0 active from boot, CPUs 1-2 present;
/// CPU 1 is added at 2 ms and brought online.
let sampleTimeline = Timeline(
  changes: [
    .init(time: 0, cpu: 0, state: .active),
    .init(time: 0, cpu: 1, state: .present),
    .init(time: 0, cpu: 2, state: .present),
    .init(time: 3_500_000, cpu: 1, state: .active),
    .init(time: 2_000_000, cpu: 1, state: .enabled, reason: "device_add"),
    .init(time: 3_000_000, cpu: 1, state: .online),
  ], end: 8_000_000)

/// Counts elements and checks that a document is well-formed XML.
final class XMLCounter: NSObject, XMLParserDelegate {
  var elements: [String: Int] = [:]
  var states: [String] = []

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    elements[name, default: 0] += 1
    if name == "rect", let state = attributes["data-state"] { states.append(state) }
  }

  static func parse(_ text: String) -> XMLCounter? {
    let counter = XMLCounter()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = counter
    return parser.parse() ? counter : nil
  }
}

@Suite struct TimelineTests {
  @Test func changesAreOrderedAndCPUsCollected() {
    #expect(sampleTimeline.cpus == [0, 1, 2])
    #expect(sampleTimeline.changes.map(\.time) == [0, 0, 0, 2_000_000, 3_000_000, 3_500_000])
    #expect(sampleTimeline.end == 8_000_000)
    #expect(Timeline(changes: [.init(time: 9, cpu: 4, state: .online)], end: 2).end == 9)
  }

  @Test func stateAtATime() {
    #expect(sampleTimeline.state(of: 1, at: 1_999_999) == .present)
    #expect(sampleTimeline.state(of: 1, at: 2_000_000) == .enabled)
    #expect(sampleTimeline.state(of: 1, at: 8_000_000) == .active)
    #expect(sampleTimeline.state(of: 7, at: 0) == nil)
  }

  @Test func intervalsMergeAndDropZeroLengthStates() {
    let spans = sampleTimeline.intervals(of: 1)
    #expect(spans.map(\.state) == [.present, .enabled, .online, .active])
    #expect(spans.map(\.start) == [0, 2_000_000, 3_000_000, 3_500_000])
    #expect(spans.map(\.end) == [2_000_000, 3_000_000, 3_500_000, 8_000_000])
    let flicker = Timeline(
      changes: [
        .init(time: 0, cpu: 0, state: .present), .init(time: 5, cpu: 0, state: .enabled),
        .init(time: 5, cpu: 0, state: .present), .init(time: 7, cpu: 0, state: .present),
      ], end: 10)
    let merged = flicker.intervals(of: 0)
    #expect(merged.count == 1 && merged[0].state == .present && merged[0].start == 0 && merged[0].end == 10)
  }

  @Test func restrictedKeepsOnlyTheChosenCPUs() {
    let only = sampleTimeline.restricted(to: [1])
    #expect(only.cpus == [1])
    #expect(only.changes.allSatisfy { $0.cpu == 1 })
    #expect(only.end == sampleTimeline.end)
  }

  @Test func textRendering() {
    #expect(
      sampleTimeline.renderText(width: 16) == """
        CPU states over virtual time, 0.000 ms to 8.000 ms; one column is 0.500 ms
             0.000 ms  8.000 ms
        cpu0 |################|
        cpu1 |----==+#########|
        cpu2 |----------------|
        legend: . possible  - present  = enabled  + online  # active
        changes:
          0.000 ms  cpu0  active
          0.000 ms  cpu1  present
          0.000 ms  cpu2  present
          2.000 ms  cpu1  present -> enabled  (device_add)
          3.000 ms  cpu1  enabled -> online
          3.500 ms  cpu1  online -> active

        """)
    #expect(Timeline(changes: []).renderText() == "CPU timeline: no CPU has a state yet\n")
  }

  @Test func timeUnits() {
    #expect(Timeline.TimeUnit.forSpan(999).format(123) == "123 ns")
    #expect(Timeline.TimeUnit.forSpan(1_000).format(1_234) == "1.234 µs")
    #expect(Timeline.TimeUnit.forSpan(1_000_000).format(1_500_000) == "1.500 ms")
    #expect(Timeline.TimeUnit.forSpan(1_000_000_000).format(2_005_000_000) == "2.005 s")
    #expect(Timeline.TimeUnit.forSpan(1_000_000).format(7) == "0.000 ms")
  }

  @Test func svgRendering() throws {
    let svg = sampleTimeline.renderSVG()
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    let xml = try #require(XMLCounter.parse(svg), "the SVG is not well-formed XML")
    // cpu0: 1 span, cpu1: 4, cpu2: 1, plus five legend swatches.
    #expect(xml.states == ["active", "present", "enabled", "online", "active", "present"])
    #expect(xml.elements["rect"] == 11)
    #expect(xml.elements["g"] == 6)
    #expect(svg.contains("<title>cpu1: enabled, 2.000 ms to 3.000 ms</title>"))
    #expect(svg.contains("fill=\"#22c55e\""))
    // The same timeline always draws the same picture.
    #expect(svg == sampleTimeline.renderSVG())
  }

  @Test func svgNumbers() {
    #expect(svgNumber(12) == "12")
    #expect(svgNumber(12.34) == "12.3")
    #expect(svgNumber(-0.25) == "-0.3")
    #expect(svgNumber(0.04) == "0")
  }
}
