import Foundation
import Lab
import Testing

/// A secondary that starts but never reports in: `__cpu_up()` gives up after 5 s with the two
/// lines arch/arm64/kernel/smp.c prints, and the write fails with EIO.
@Suite struct TrampolineTimeoutTests {
  @Test func aTrampolineThatNeverSignalsTimesOutAfterFiveSeconds() throws {
    let signal = "        mov     x6, #1\n        str     x6, [x19, #16]\n"
    #expect(Lab.bundledTrampoline.contains(signal))
    let silent = Lab.bundledTrampoline.replacingOccurrences(of: signal, with: "")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "hplab-silent-\(ProcessInfo.processInfo.processIdentifier).S")
    try silent.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let h = try LabHarness.booted("cpus=1,maxcpus=3", before: "kernel trampoline load \(file.path)")
    try h.run(
      "device_add host-arm-cpu,core-id=2,id=cpu2\nsettle\necho 1 > /sys/devices/system/cpu/cpu2/online")
    #expect(try #require(h.failure("settle")).contains("Input/output error"))
    #expect(h.log.suffix(2) == ["CPU2: failed to come online", "CPU2: failed in unknown state : 0x0"])
    #expect(h.kernel.log.entries.last!.time >= 5_000_000_000)
    #expect(try h.cpuFile("online") == "0")
  }
}
