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
        "CPU2: Booted secondary processor 0x0000000002 [0x413fd0c1]",
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
        "CPU2: Booted secondary processor 0x0000000002 [0x413fd0c1]",
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

  /// Without CONFIG_ACPI_HOTPLUG_CPU (patch 17 off) drivers/acpi/acpi_processor.c compiles out
  /// `acpi_processor_hotadd_init()` (a stub returning -ENODEV) and the handler's `.post_eject`
  /// (`acpi_processor_post_eject()`), and arm64's `arch_register_cpu()` does not defer: every
  /// present CPU is registered at boot, and an eject leaves the CPU registered and bound.
  /// Patch 16 off keeps CONFIG_ACPI_HOTPLUG_CPU: the eject unregisters the CPU and a re-add
  /// registers it again through `acpi_processor_hotadd_init()`.
  @Test func withoutACPIHotplugCPUAnEjectLeavesTheCPURegistered() throws {
    let script = """
      device_add host-arm-cpu,core-id=1,id=cpu1
      settle
      echo 1 > /sys/devices/system/cpu/cpu1/online
      settle
      device_del cpu1
      settle
      """
    let off17 = try LabHarness.booted("cpus=1,maxcpus=3", before: "kernel patch 17 off")
    let off16 = try LabHarness.booted("cpus=1,maxcpus=3", before: "kernel patch 16 off")
    for h in [off17, off16] { #expect(try h.cpuFile("enabled") == "0-2") }
    try off17.run(script)
    try off16.run(script)
    // Both ran _EJ0 and reported success.
    for h in [off17, off16] {
      #expect(h.trace("cpuhp.ost").map(\.details).last == "slot 1: _OST event=0x3 status=0x0")
      #expect(try h.cpuFile("online") == "0")
    }
    #expect(try off17.cpuFile("enabled") == "0-2")
    #expect(try off17.run("ls /sys/devices/system/cpu").contains("cpu1 "))
    #expect(off17.kernel.cpus[1].device?.driverBound == true)
    #expect(try off16.cpuFile("enabled") == "0,2")
    #expect(!(try off16.run("ls /sys/devices/system/cpu")).contains("cpu1 "))
    // A re-add: patch 16 off registers it again; patch 17 off has nothing to register.
    try off17.run("device_add host-arm-cpu,core-id=1,id=cpu1\nsettle")
    try off16.run("device_add host-arm-cpu,core-id=1,id=cpu1\nsettle")
    #expect(!off17.log.contains { $0.contains("has been hot-added") })
    #expect(off16.log.last == "ACPI: CPU1 has been hot-added")
    let listing = try LabHarness().run("kernel patches")
    #expect(
      SeriesPatch.kconfigHotplugCPU.effectWhenSwitched
        != SeriesPatch.archRegisterCPUVariant.effectWhenSwitched)
    #expect(listing.contains("no CONFIG_ACPI_HOTPLUG_CPU"))
  }

  /// `acpi_map_cpu()` (arch/arm64/kernel/acpi.c, whose pr_fmt is "ACPI: "): a processor whose
  /// GICC maps to no logical CPU.
  @Test func acpiMapCPUMessageHasTheACPIPrefix() throws {
    let h = try LabHarness.booted("cpus=2,maxcpus=3", "gicc-bad-mpidr=2")
    try h.run("device_add host-arm-cpu,core-id=2,id=cpu2\nsettle")
    #expect(h.log.last == "ACPI: Unable to map CPU to valid ID")
  }

  /// `acpi_validate_gic_table()` → `gic_acpi_count_gicr_regions()` (irq-gic-v3.c) runs before
  /// `gic_acpi_init()`: with patch 13 off, the failed count stops the probe before the
  /// distributor is read, so no "GICv3:" line precedes the panic.
  @Test func acpiValidateGICTableFailsBeforeGICACPIInit() throws {
    func boot(_ patch13: String) throws -> LabHarness {
      let h = LabHarness()
      try h.run(
        """
        machine virt -smp cpus=2,maxcpus=3 redistributors=per-gicc gicc-no-gicr=1
        kernel patch 13 \(patch13)
        trace on
        boot
        settle
        """)
      return h
    }
    let h = try boot("off")
    #expect(!h.log.contains { $0.hasPrefix("GICv3:") })
    #expect(h.log.last == "Kernel panic - not syncing: No interrupt controller found.")
    let events = h.machine.state.trace.records.map(\.event)
    let validate = try #require(events.firstIndex(of: "acpi_validate_gic_table"))
    #expect(events[validate + 1] == "gic_acpi_match_gicc")
    #expect(!events.contains("gic_acpi_init"))
    // With the patch the same table probes, and the count is still made first.
    let on = try boot("on")
    let onEvents = on.machine.state.trace.records.map(\.event)
    #expect(
      try #require(onEvents.firstIndex(of: "acpi_validate_gic_table"))
        < (try #require(onEvents.firstIndex(of: "gic_acpi_init"))))
  }

  /// `acpi_processor_driver_init()` (device_initcall, processor_driver.c) registers the driver
  /// after `acpi_scan_init()` (subsys_initcall) has added the boot CPUs: their `bind` uevents
  /// come together when it registers. A runtime hot-add binds right after `add`.
  @Test func bootCPUsBindWhenTheProcessorDriverRegisters() throws {
    let h = try LabHarness.booted("cpus=2,maxcpus=3")
    let boot = h.kernel.uevents.filter { $0.subsystem == "cpu" }.map { "\($0.action) \($0.devpath)" }
    #expect(
      boot == [
        "add /devices/system/cpu/cpu0", "add /devices/system/cpu/cpu1", "bind /devices/system/cpu/cpu0",
        "bind /devices/system/cpu/cpu1",
      ])
    try h.run("device_add host-arm-cpu,core-id=2,id=cpu2\nsettle")
    #expect(
      h.kernel.uevents.suffix(2).map { "\($0.action) \($0.devpath)" } == [
        "add /devices/system/cpu/cpu2", "bind /devices/system/cpu/cpu2",
      ])
  }

  /// `acpi_processor_thermal_init()` / `acpi_processor_thermal_exit()` (processor_thermal.c):
  /// a CPU's first online registers a "Processor" cooling device (the lowest free id), and the
  /// unbind at eject removes it, before the `unbind` uevent, as real 6.12 showed.
  @Test func processorCoolingDeviceComesWithTheFirstOnline() throws {
    let h = try LabHarness.booted("cpus=2,maxcpus=3")
    #expect(
      h.kernel.uevents.filter { $0.subsystem == "thermal" }.map { "\($0.action) \($0.devpath)" } == [
        "add /devices/virtual/thermal/cooling_device0", "add /devices/virtual/thermal/cooling_device1",
      ])
    let before = h.kernel.uevents.count
    try h.run(
      """
      acpi notify \\_SB.CPUS.C001 3
      settle
      device_add host-arm-cpu,core-id=2,id=cpu2
      settle
      echo 1 > /sys/devices/system/cpu/cpu2/online
      settle
      """)
    let events = h.kernel.uevents[before...].map { "\($0.action) \($0.devpath) (\($0.subsystem))" }
    #expect(
      events == [
        "offline /devices/system/cpu/cpu1 (cpu)", "remove /devices/virtual/thermal/cooling_device1 (thermal)",
        "unbind /devices/system/cpu/cpu1 (cpu)", "remove /devices/system/cpu/cpu1 (cpu)",
        "add /devices/system/cpu/cpu2 (cpu)", "bind /devices/system/cpu/cpu2 (cpu)",
        "add /devices/virtual/thermal/cooling_device1 (thermal)", "online /devices/system/cpu/cpu2 (cpu)",
      ])
    #expect(try h.run("help uevents").contains("thermal"))
  }

  /// `print_cpus_nohz_full()` (drivers/base/cpu.c): `%*pbl` of a NULL `tick_nohz_full_mask`.
  @Test func nohzFullPrintsNull() throws {
    let h = try LabHarness.booted("1")
    #expect(try h.cpuFile("nohz_full") == "(null)")
    #expect(try h.cpuFile("isolated") == "")
  }

  /// What 6.12 lists in /sys/devices/system/cpu and in cpuN (drivers/base/cpu.c, the
  /// cpuhp_sysfs_init() attributes, and the online-state attributes of cacheinfo, topology,
  /// arm64 cpuinfo and arch_topology); unmodelled contents say so.
  @Test func sysfsEntriesAreThoseOf612() throws {
    let h = try LabHarness.booted("cpus=2,maxcpus=3")
    #expect(
      try h.run("ls /sys/devices/system/cpu")
        == "cpu0 cpu1 cpufreq cpuidle enabled hotplug isolated kernel_max modalias nohz_full offline online possible power present smt uevent vulnerabilities\n"
    )
    let coldBooted =
      "cache cpu_capacity crash_notes crash_notes_size driver firmware_node hotplug node0 online power regs subsystem topology uevent\n"
    #expect(try h.run("ls /sys/devices/system/cpu/cpu1") == coldBooted)
    try h.run("device_add host-arm-cpu,core-id=2,id=cpu2\nsettle")
    #expect(
      try h.run("ls /sys/devices/system/cpu/cpu2")
        == "crash_notes crash_notes_size driver firmware_node node0 online power subsystem uevent\n")
    try h.run("echo 1 > /sys/devices/system/cpu/cpu2/online\nsettle")
    #expect(
      try h.run("ls /sys/devices/system/cpu/cpu2")
        == "cache cpu_capacity crash_notes crash_notes_size driver firmware_node node0 online power regs subsystem topology uevent\n"
    )
    #expect(try h.cpuFile("cpu2/cpu_capacity") == "1024")
    #expect(
      h.failure("cat /sys/devices/system/cpu/cpu0/crash_notes")?.contains(
        "/sys/devices/system/cpu/cpu0/crash_notes: not modelled by HotplugLab (in Linux: the physical address of this CPU's crash note)"
      ) == true)
    #expect(
      h.failure("ls /sys/devices/system/cpu/cpu0/topology")?.contains("not modelled by HotplugLab") == true)
    #expect(h.failure("cat /sys/devices/system/cpu/cpu0/topology")?.contains("Is a directory") == true)
    #expect(h.failure("ls /sys/devices/system/cpu/vulnerabilities")?.contains("not modelled") == true)
    // Offline again: the online-state attributes go.
    try h.run("echo 0 > /sys/devices/system/cpu/cpu1/online\nsettle")
    #expect(!(try h.run("ls /sys/devices/system/cpu/cpu1")).contains("topology"))
    #expect(h.failure("cat /sys/devices/system/cpu/cpu1/cpu_capacity")?.contains("No such file") == true)
  }

  /// `acpi_scan_try_to_offline()` (scan.c) makes two offline passes before "Offline failed.".
  @Test func acpiScanTryToOfflineTriesTwice() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=2")
    try h.run("trace on\nacpi notify \\_SB.CPUS.C000 3\nsettle")
    #expect(h.trace("device_offline").filter { $0.event == "device_offline" }.count == 2)
    #expect(h.log.last == "processor cpu0: Offline failed.")
  }

  /// `setup_irq_thread()` (kernel/irq/manage.c) names the thread `irq/<Linux IRQ>-<name>`; the
  /// GED's GSI 41 is mapped after the eight IPIs (`gic_smp_init()`), so it is Linux IRQ 9.
  @Test func gedThreadIsNamedWithTheLinuxIRQ() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=2")
    #expect(h.kernel.gedIRQ == 9)
    try h.run("trace on\ndevice_add host-arm-cpu,core-id=1,id=cpu1\nsettle")
    #expect(h.trace("acpi_ged_irq_handler").first?.details.contains("[irq/9-ACPI:Ged]") == true)
  }

  /// `maxcpus=0` is accepted (kernel/cpu.c `maxcpus()`); arm64's `smp_prepare_cpus(0)` returns
  /// before it makes any secondary present, so the others stay possible but never present:
  /// `arch_register_cpu()` refuses them ("Changing CPU present bit is not supported") at the
  /// ACPI scan and at a later hot-add, and no `cpuN` appears to online.
  @Test func maxcpusZeroLeavesOnlyTheBootCPUPresent() throws {
    let h = try LabHarness.booted("cpus=2,maxcpus=3", before: "kernel config maxcpus=0")
    #expect(try h.cpuFile("possible") == "0-2")
    #expect(try h.cpuFile("present") == "0")
    #expect(try h.cpuFile("online") == "0")
    #expect(h.log.contains("smp: Brought up 1 node, 1 CPU"))
    #expect(h.log.filter { $0 == "Changing CPU present bit is not supported" }.count == 1)
    try h.run("device_add host-arm-cpu,core-id=2,id=cpu2\nsettle")
    #expect(try h.cpuFile("enabled") == "0")
    #expect(h.failure("echo 1 > /sys/devices/system/cpu/cpu2/online")?.contains("No such file") == true)
    #expect(LabHarness().failure("kernel config maxcpus=-1")?.contains("maxcpus must be 0 or more") == true)
  }

  /// QEMU checks a device id with util/id.c `id_wellformed()` in `qemu_opts_create()`, before
  /// the driver; `device_del` resolves its argument under /machine/peripheral
  /// (`find_device_state()`), where "" names the container itself.
  @Test func qemuIdsMustBeWellFormed() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=3")
    for bad in ["", "1abc", "a/b", "é"] {
      let error = h.failure("device_add host-arm-cpu,core-id=1,id=\(bad)")
      #expect(error?.contains("error: Parameter 'id' expects an identifier\n") == true, "\(bad)")
      #expect(
        error?.contains(
          "hint: Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.")
          == true)
    }
    // Checked before the driver, as qemu_opts_create() runs first.
    #expect(h.failure("device_add frob,id=9")?.contains("Parameter 'id' expects an identifier") == true)
    #expect(h.machine.state.vmm.slots.filter(\.plugged).count == 1)
    try h.run("device_add host-arm-cpu,core-id=1,id=cpu-1.x_y\nsettle")
    #expect(h.machine.state.vmm.slots[1].qomPath == "/machine/peripheral/cpu-1.x_y")
    #expect(h.failure("device_del \"\"")?.contains("error:  is not a hotpluggable device") == true)
    #expect(h.failure("device_del 1abc")?.contains("error: Device '1abc' not found") == true)
    #expect(
      h.failure("device_del /machine")?.contains("error: /machine is not a hotpluggable device") == true)
  }

  /// `find_device_state()` (qdev-monitor.c) resolves a QOM path as well as an id, so a
  /// cold-booted vCPU can be named; the series' `virt_cpu_unplug_request()` refuses it on
  /// purpose, and nothing changes: no eject request, no event.
  @Test func coldBootedCPUIsNamedByQOMPathAndRefused() throws {
    let h = try LabHarness.booted("cpus=2,maxcpus=3")
    let text = try h.run("info hotpluggable-cpus")
    #expect(text.contains("qom_path: \"/machine/unattached/device[0]\""))
    #expect(text.contains("qom_path: \"/machine/unattached/device[1]\""))
    for path in ["/machine/unattached/device[0]", "/machine/unattached/device[1]"] {
      #expect(
        h.failure("device_del \(path)")?.contains("error: Hot-unplug of cold-booted CPU not supported!")
          == true)
    }
    try h.run("settle")
    #expect(try h.run("info qmp-events") == "")
    #expect(h.machine.state.vmm.slots.filter(\.plugged).count == 2)
  }

  /// One accelerator's facts per `-cpu`: `host` is KVM's (the host's MIDR, a Neoverse-N1;
  /// KVM's PSCI implements SMCCC_VERSION, so `psci_init_smccc()` reports v1.1), `cortex-a57`
  /// TCG's (QEMU's A57 MIDR; no SMCCC_VERSION, so v1.0, as the real captures show); each has
  /// its `*-arm-cpu` type, and the hwcaps (`setup_elf_hwcaps()`) follow the ID registers.
  @Test func cpuModelDecidesMIDRSMCCCAndHwcaps() throws {
    let host = try LabHarness.booted("cpus=1,maxcpus=2")
    #expect(host.log.first == "Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]")
    #expect(host.log.contains("psci: SMC Calling Convention v1.1"))
    #expect(
      try host.cpuFile("modalias")
        == "cpu:type:aarch64:feature:,0000,0001,0002,0003,0004,0005,0006,0007,0008,0009,000A,000B,000C,000F,0010,0014,001C"
    )
    #expect(try host.run("machine").hasPrefix("virt -smp cpus=1,maxcpus=2,"))
    #expect(try host.run("machine").contains("-cpu host -m 1024M (kvm)"))
    let a57 = try LabHarness.booted("cpus=1,maxcpus=2", "-cpu cortex-a57")
    #expect(a57.log.first == "Booting Linux on physical CPU 0x0000000000 [0x411fd070]")
    #expect(a57.log.contains("psci: SMC Calling Convention v1.0"))
    #expect(
      try a57.cpuFile("modalias") == "cpu:type:aarch64:feature:,0000,0001,0002,0003,0004,0005,0006,0007,000B")
    #expect(
      a57.failure("device_add host-arm-cpu,core-id=1,id=cpu1")?.contains(
        "Invalid CPU type, expected cpu type: 'cortex-a57-arm-cpu'") == true)
    try a57.run(
      "device_add cortex-a57-arm-cpu,core-id=1,id=cpu1\nsettle\necho 1 > /sys/devices/system/cpu/cpu1/online\nsettle"
    )
    #expect(a57.log.last == "CPU1: Booted secondary processor 0x0000000001 [0x411fd070]")
    #expect(try a57.run("info hotpluggable-cpus").contains("type: \"cortex-a57-arm-cpu\""))
  }
}
