import Lab
import Testing

/// ACPI hotplug work runs one item at a time, in notification order: `kacpi_hotplug_wq` is an
/// ordered workqueue and `acpi_device_hotplug()` holds `acpi_scan_lock`.
@Suite struct HotplugWorkTests {
  @Test func twoDeviceChecksFromOneScanRegisterEachCPUOnce() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    try h.run(
      """
      device_add host-arm-cpu,core-id=1,id=cpu1
      device_add host-arm-cpu,core-id=3,id=cpu3
      settle
      """)
    #expect(try h.cpuFile("enabled") == "0-1,3")
    #expect(
      h.log.filter { $0.contains("has been hot-added") } == [
        "ACPI: CPU0 has been hot-added", "ACPI: CPU1 has been hot-added", "ACPI: CPU3 has been hot-added",
      ])
    #expect(h.kernel.uevents.filter { $0.action == .add && $0.subsystem == "cpu" }.map(\.devpath).count == 3)
    // The first work's rescan of \_SB.CPUS attached C003 too; the second finds it enumerated.
    #expect(h.trace("register_cpu").map(\.details).map { $0.prefix(4) } == ["cpu0", "cpu1", "cpu3"])
    #expect(
      h.trace("acpi_device_hotplug").map(\.details).map { $0.split(separator: " [").first! } == [
        "\\_SB.CPUS.C001 Device Check", "\\_SB.CPUS.C003 Device Check",
      ])
    let osts = h.trace("aml.eval").map(\.details).filter { $0.contains("._OST") }
    #expect(
      osts == ["\\_SB.CPUS.C001._OST(0x1, 0x0, Buffer(0))", "\\_SB.CPUS.C003._OST(0x1, 0x0, Buffer(0))"])
    // The second work starts only after the first one's _OST.
    let records = h.machine.state.trace.records
    let firstOST = try #require(records.firstIndex { $0.details.hasPrefix("\\_SB.CPUS.C001._OST") })
    let secondWork = try #require(records.lastIndex { $0.event == "acpi_device_hotplug" })
    #expect(firstOST < secondWork)
    #expect(h.kernel.invariantViolations.isEmpty)
  }

  /// Two `online` writes at once: the second finds device_hotplug_lock taken, sleeps 5 ms in
  /// lock_device_hotplug_sysfs() and returns -ERESTARTNOINTR, and the write starts over.
  @Test func aSysfsWriteThatFindsTheLockTakenRestartsFiveMillisecondsLater() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=3")
    try h.run(
      """
      device_add host-arm-cpu,core-id=1,id=cpu1
      device_add host-arm-cpu,core-id=2,id=cpu2
      settle
      echo 1 > /sys/devices/system/cpu/cpu1/online
      echo 1 > /sys/devices/system/cpu/cpu2/online
      settle
      """)
    #expect(try h.cpuFile("online") == "0-2")
    let tries = h.trace("lock_device_hotplug_sysfs").filter { $0.event == "lock_device_hotplug_sysfs" }
    #expect(tries.count == 3)
    let restart = try #require(h.trace("lock_device_hotplug_sysfs.return").first)
    #expect(restart.details == "lock_device_hotplug_sysfs() = -ERESTARTNOINTR")
    #expect(restart.time - tries[1].time == 5_000_000)
    // The restarted write enters online_store() again for CPU 2.
    #expect(
      h.trace("online_store").map(\.details).map { $0.prefix(8) } == [
        "cpu1 \"1\"", "cpu2 \"1\"", "cpu2 \"1\"",
      ])
    let writes = h.trace("sysfs.write").map(\.details)
    #expect(writes.allSatisfy { $0.hasSuffix("= 2") })
    #expect(h.kernel.invariantViolations.isEmpty)
  }
}
