import GuestKernel
import Lab
import Testing
import VirtMachine

/// What real Linux 6.12 on QEMU does, pinned one kernel function at a time (issue 17); each
/// test names the function whose behaviour it follows.
@Suite struct FidelityTests {
  /// `its_setup_lpi_prop_table()` and `its_cpu_init_lpis()` (irq-gic-v3-its.c): with an ITS in
  /// the MADT the boot prints the property table and CPU 0's pending table; every CPU's first
  /// bring-up adds its pending-table line after "found redistributor"; a re-online does not.
  @Test func itsCPUInitLPIsPrintsOncePerCPU() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=3")
    let boot = h.log
    let found = try #require(
      boot.firstIndex(of: "GICv3: CPU0: found redistributor 0 region 0:0x00000000080a0000"))
    #expect(
      Array(boot[(found + 1)...(found + 2)]) == [
        "GICv3: using LPI property table @0x0000000042000000",
        "GICv3: CPU0: using allocated LPI pending table @0x0000000042010000",
      ])
    try h.run(
      "device_add host-arm-cpu,core-id=2,id=cpu2\nsettle\necho 1 > /sys/devices/system/cpu/cpu2/online\nsettle"
    )
    #expect(
      Array(h.log.suffix(4)) == [
        "Detected PIPT I-cache on CPU2",
        "GICv3: CPU2: found redistributor 2 region 0:0x00000000080e0000",
        "GICv3: CPU2: using allocated LPI pending table @0x0000000042030000",
        "CPU2: Booted secondary processor 0x0000000002 [0x411fd070]",
      ])
    // The redistributor now points at the tables, with LPIs enabled (GICR_CTLR.EnableLPIs).
    let rd = h.machine.state.gic.redistributors[2]
    #expect(rd.propbaser & ~0xFFF == 0x4200_0000)
    #expect(rd.pendbaser & 0xFFFF_FFFF_F000 == 0x4203_0000)
    try h.run(
      "echo 0 > /sys/devices/system/cpu/cpu2/online\nsettle\necho 1 > /sys/devices/system/cpu/cpu2/online\nsettle"
    )
    #expect(
      Array(h.log.suffix(3)) == [
        "Detected PIPT I-cache on CPU2",
        "GICv3: CPU2: found redistributor 2 region 0:0x00000000080e0000",
        "CPU2: Booted secondary processor 0x0000000002 [0x411fd070]",
      ])
    #expect(h.log.filter { $0.contains("CPU2: using allocated LPI pending table") }.count == 1)
  }

  /// `rcu_init_geometry()` (kernel/rcu/tree.c): nr_cpu_ids below NR_CPUS recomputes the tree and
  /// says so, right after `rcu_bootup_announce_oddness()`'s restriction line.
  @Test func rcuInitGeometryFollowsTheRestriction() throws {
    let h = try LabHarness.booted("cpus=2,maxcpus=4")
    let restricting = try #require(h.log.firstIndex { $0.contains("RCU restricting CPUs") })
    #expect(h.log[restricting] == "rcu: \tRCU restricting CPUs from NR_CPUS=512 to nr_cpu_ids=4.")
    #expect(h.log[restricting + 1] == "rcu: Adjusting geometry for rcu_fanout_leaf=16, nr_cpu_ids=4")
  }
}
