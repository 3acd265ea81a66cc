import Lab
import Testing

/// Taking a CPU down uses the arm64 names of Linux 6.5 and later: the dying CPU calls
/// `cpu_psci_cpu_die()` (PSCI CPU_OFF), the control CPU `arch_cpuhp_cleanup_dead_cpu()` →
/// `cpu_psci_cpu_kill()`; arm64 no longer has a `__cpu_die()`.
@Suite struct OfflineTraceTests {
  @Test func offliningTracesTheDeadCPUCleanup() throws {
    let h = try LabHarness.booted("cpus=2,maxcpus=2")
    try h.run("echo 0 > /sys/devices/system/cpu/cpu1/online\nsettle")
    #expect(h.trace("__cpu_die").isEmpty)
    let records = h.machine.state.trace.records
    let order = [
      "__cpu_disable", "cpu_psci_cpu_die", "psci.cpu_off", "arch_cpuhp_cleanup_dead_cpu", "cpu_psci_cpu_kill",
    ]
    let positions = try order.map { event in try #require(records.firstIndex { $0.event == event }) }
    #expect(positions == positions.sorted())
    #expect(h.log.last == "psci: CPU1 killed (polled 0 ms)")
    #expect(try h.cpuFile("online") == "0")
  }
}
