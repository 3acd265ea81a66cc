import CPUMask
import Foundation
import GuestKernel
import Lab
import LabScript
import VirtMachine

/// A Lab driven through its LabScript commands, as a user drives it, with typed access to the
/// world for assertions.
final class LabHarness {
  let output = BufferedOutput()
  let session: Session
  let lab: Lab

  init() {
    (session, lab) = LabModules.makeLabSession(output: output)
  }

  /// Runs commands; returns what they printed. A failing command fails the caller.
  @discardableResult
  func run(_ text: String) throws -> String {
    output.clear()
    try session.run(text, name: "test.hpl")
    return output.text
  }

  /// Runs commands that must fail; returns the rendered error.
  func failure(_ text: String) -> String? {
    output.clear()
    do {
      try session.run(text, name: "test.hpl")
      return nil
    } catch {
      return error.render(color: false)
    }
  }

  func cat(_ path: String) throws -> String {
    try run("cat \(path)").trimmingCharacters(in: .newlines)
  }

  /// `/sys/devices/system/cpu/NAME` without its newline.
  func cpuFile(_ name: String) throws -> String { try cat("/sys/devices/system/cpu/\(name)") }

  var kernel: Kernel { lab.kernel! }
  var machine: VirtMachine { lab.machine! }
  var masks: CPUMasks { lab.kernel!.masks }

  /// The dmesg lines without their timestamps.
  var log: [String] { kernel.log.entries.map(\.text) }

  /// Trace records of an event name.
  func trace(_ event: String) -> [TraceRecord] { machine.state.trace.matching(event) }

  /// Boots `-smp SMP` and settles.
  static func booted(_ smp: String, _ extra: String = "", before: String = "") throws -> LabHarness {
    let h = LabHarness()
    try h.run(
      """
      \(before)
      machine virt -smp \(smp) \(extra)
      boot
      settle
      """)
    return h
  }
}
