import Simulation

extension Timeline {
  /// The timeline as text: one row per CPU, `width` columns spread evenly over the time span
  /// (each column shows the state the CPU is in at the column's end, so no change is hidden at
  /// the edges), a legend, then every change in order.
  public func renderText(width: Int = 60) -> String {
    guard !cpus.isEmpty else { return "CPU timeline: no CPU has a state yet\n" }
    let columns = Swift.max(width, 8)
    let unit = self.unit
    var out = "CPU states over virtual time, \(unit.format(0)) to \(unit.format(end))"
    if end > 0 { out += "; one column is \(unit.format(end / UInt64(columns)))" }
    out += "\n"
    let labels = cpus.map { "cpu\($0)" }
    let labelWidth = labels.map(\.count).max() ?? 0
    let startLabel = unit.format(0)
    let endLabel = unit.format(end)
    let gap = Swift.max(1, columns + 2 - startLabel.count - endLabel.count)
    out +=
      String(repeating: " ", count: labelWidth + 1) + startLabel + String(repeating: " ", count: gap)
      + endLabel + "\n"
    for (cpu, label) in zip(cpus, labels) {
      var row = ""
      for column in 0..<columns {
        let columnEnd = fraction(column + 1, of: columns)
        let at = columnEnd == 0 || column == columns - 1 ? columnEnd : columnEnd - 1
        row.append(state(of: cpu, at: at)?.glyph ?? " ")
      }
      out += label.padding(to: labelWidth) + " |" + row + "|\n"
    }
    out += "legend: " + CPUState.allCases.map { "\($0.glyph) \($0.rawValue)" }.joined(separator: "  ") + "\n"
    out += "changes:\n"
    let times = changes.map { unit.format($0.time) }
    let timeWidth = times.map(\.count).max() ?? 0
    var current: [Int: CPUState] = [:]
    for (change, time) in zip(changes, times) {
      let label = "cpu\(change.cpu)".padding(to: labelWidth)
      let transition =
        current[change.cpu].map { "\($0.rawValue) -> \(change.state.rawValue)" } ?? change.state.rawValue
      current[change.cpu] = change.state
      out += "  \(time.padding(to: timeWidth))  \(label)  \(transition)"
      if let reason = change.reason, !reason.isEmpty { out += "  (\(reason))" }
      out += "\n"
    }
    return out
  }

  /// Fill colours of the states in the SVG.
  static func color(of state: CPUState) -> String {
    switch state {
    case .possible: "#e5e7eb"
    case .present: "#cbd5e1"
    case .enabled: "#93c5fd"
    case .online: "#fcd34d"
    case .active: "#22c55e"
    }
  }

  /// The timeline as a standalone SVG element (for inline use in HTML): one bar per CPU with a
  /// rectangle per state span (hover shows the state and its times), a time axis and a legend.
  public func renderSVG() -> String {
    let labelWidth = 56.0
    let chartWidth = 640.0
    let rowHeight = 20.0
    let barHeight = 14.0
    let top = 30.0
    let legendHeight = 28.0
    let height = top + Double(cpus.count) * rowHeight + 24 + legendHeight
    let width = labelWidth + chartWidth + 24
    let unit = self.unit
    func x(_ time: UInt64) -> Double {
      end == 0 ? labelWidth : labelWidth + chartWidth * Double(time) / Double(end)
    }
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" role=\"img\" width=\"\(svgNumber(width))\""
      + " height=\"\(svgNumber(height))\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\""
      + " font-family=\"system-ui, sans-serif\" font-size=\"11\">\n"
    svg += "<title>CPU states over virtual time, \(unit.format(0)) to \(unit.format(end))</title>\n"
    // The axis: five ticks with their times.
    let axisY = top + Double(cpus.count) * rowHeight + 4
    svg += "<g class=\"axis\" stroke=\"#6b7280\">\n"
    svg +=
      "<line x1=\"\(svgNumber(labelWidth))\" y1=\"\(svgNumber(axisY))\" x2=\"\(svgNumber(labelWidth + chartWidth))\" y2=\"\(svgNumber(axisY))\"/>\n"
    for tick in 0...4 {
      let time = fraction(tick, of: 4)
      let tx = x(time)
      svg +=
        "<line x1=\"\(svgNumber(tx))\" y1=\"\(svgNumber(top - 6))\" x2=\"\(svgNumber(tx))\" y2=\"\(svgNumber(axisY + 4))\" stroke-dasharray=\"2 3\" stroke-opacity=\"0.5\"/>\n"
    }
    svg += "</g>\n<g class=\"ticks\" fill=\"#374151\">\n"
    for tick in 0...4 {
      let time = fraction(tick, of: 4)
      let anchor = tick == 0 ? "start" : tick == 4 ? "end" : "middle"
      svg +=
        "<text x=\"\(svgNumber(x(time)))\" y=\"\(svgNumber(top - 10))\" text-anchor=\"\(anchor)\">\(escapeXML(unit.format(time)))</text>\n"
    }
    svg += "</g>\n"
    for (row, cpu) in cpus.enumerated() {
      let y = top + Double(row) * rowHeight
      svg += "<g class=\"cpu\" data-cpu=\"\(cpu)\">\n"
      svg +=
        "<text x=\"\(svgNumber(labelWidth - 8))\" y=\"\(svgNumber(y + barHeight - 3))\" text-anchor=\"end\" fill=\"#111827\">cpu\(cpu)</text>\n"
      for span in intervals(of: cpu) {
        let x0 = x(span.start)
        let x1 = end == 0 ? labelWidth + chartWidth : x(span.end)
        svg +=
          "<rect x=\"\(svgNumber(x0))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(Swift.max(x1 - x0, 1)))\" height=\"\(svgNumber(barHeight))\" fill=\"\(Timeline.color(of: span.state))\" data-state=\"\(span.state.rawValue)\">"
          + "<title>cpu\(cpu): \(span.state.rawValue), \(escapeXML(unit.format(span.start))) to \(escapeXML(unit.format(span.end)))</title></rect>\n"
      }
      svg += "</g>\n"
    }
    let legendY = axisY + 18
    svg += "<g class=\"legend\">\n"
    var lx = labelWidth
    for state in CPUState.allCases {
      svg +=
        "<rect x=\"\(svgNumber(lx))\" y=\"\(svgNumber(legendY))\" width=\"12\" height=\"12\" fill=\"\(Timeline.color(of: state))\"/>"
        + "<text x=\"\(svgNumber(lx + 16))\" y=\"\(svgNumber(legendY + 10))\" fill=\"#111827\">\(state.rawValue)</text>\n"
      lx += 96
    }
    svg += "</g>\n</svg>\n"
    return svg
  }
}

/// A coordinate with at most one decimal, always the same text for the same value.
func svgNumber(_ value: Double) -> String {
  let tenths = Int((value * 10).rounded())
  let sign = tenths < 0 ? "-" : ""
  let magnitude = tenths.magnitude
  return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
}

/// Text safe inside XML and HTML elements and attribute values.
func escapeXML(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.count)
  for c in text {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    default: out.append(c)
    }
  }
  return out
}

extension String {
  func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}

// The time axis: how a timeline's times are printed (used by the text and SVG drawings).
extension Timeline {
  /// The unit a timeline's times are printed in, chosen from its length.
  struct TimeUnit {
    var name: String
    var nanoseconds: UInt64

    static func forSpan(_ span: UInt64) -> TimeUnit {
      if span < 1_000 { return TimeUnit(name: "ns", nanoseconds: 1) }
      if span < 1_000_000 { return TimeUnit(name: "µs", nanoseconds: 1000) }
      if span < 1_000_000_000 { return TimeUnit(name: "ms", nanoseconds: 1_000_000) }
      return TimeUnit(name: "s", nanoseconds: 1_000_000_000)
    }

    /// `1.250 ms`; whole numbers of the base unit print without decimals (`0 ns`, `3 ns`).
    func format(_ time: UInt64) -> String {
      if nanoseconds == 1 { return "\(time) \(name)" }
      let whole = time / nanoseconds
      let thousandths = (time % nanoseconds) * 1000 / nanoseconds
      let digits = String(thousandths)
      return "\(whole).\(String(repeating: "0", count: 3 - digits.count))\(digits) \(name)"
    }
  }

  var unit: TimeUnit { TimeUnit.forSpan(end) }

  /// `end * part / whole` without overflow, for any end.
  func fraction(_ part: Int, of whole: Int) -> UInt64 {
    let n = UInt64(whole)
    let k = UInt64(part)
    return end / n * k + end % n * k / n
  }
}
