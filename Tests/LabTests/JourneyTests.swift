import CPUMask
import GuestKernel
import Lab
import Testing
import VirtMachine

/// The hotplug journey of the guest-and-Lab issue, through the commands a user types, checked
/// against linux-vcpu-hotplug.md §12 and the real 6.12 captures.
@Suite struct JourneyTests {
  @Test func bootDefersRegistrationOfTheCPUsThatAreNotEnabled() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    #expect(try h.cpuFile("present") == "0-3")
    #expect(try h.cpuFile("possible") == "0-3")
    #expect(try h.cpuFile("enabled") == "0")
    #expect(try h.cpuFile("online") == "0")
    #expect(try h.cpuFile("offline") == "1-3")
    #expect(
      try h.run("ls /sys/devices/system/cpu").split(separator: " ").filter { $0.hasPrefix("cpu") } == [
        "cpu0", "cpufreq", "cpuidle",
      ]
    )
    // cpu_dev_register_generic(): arch_register_cpu() defers every present CPU, silently
    // (patch 2); the ACPI processor driver then registers CPU 0 only (_STA 0xF; 0xD for 1-3).
    let records = h.machine.state.trace.records
    var deferred: [String] = []
    for (i, r) in records.enumerated() where r.event == "arch_register_cpu" && i + 1 < records.count {
      if records[i + 1].details.contains("-EPROBE_DEFER") { deferred.append(r.details) }
    }
    #expect(deferred.map { $0.prefix(4) } == ["cpu0", "cpu1", "cpu2", "cpu3"])
    #expect(h.log.filter { $0.contains("has been hot-added") } == ["ACPI: CPU0 has been hot-added"])
    #expect(!h.log.contains { $0.contains("register_cpu") || $0.contains("-517") })
    for cpu in 1...3 {
      let evaluations = h.trace("aml.eval").map(\.details)
      #expect(evaluations.contains("\\_SB.CPUS.C00\(cpu)._STA() = 0xd"))
    }
    #expect(h.kernel.invariantViolations.isEmpty)
  }

  /// arm64 lets the boot CPU go offline (every cpuN has an `online` file, cpu0 included): it
  /// calls PSCI CPU_OFF and later comes back through CPU_ON like a secondary, and hotplug still
  /// works afterwards.
  @Test func bootCPUGoesOfflineAndComesBack() throws {
    let h = try LabHarness.booted("cpus=2,maxcpus=3")
    try h.run("echo 0 > /sys/devices/system/cpu/cpu0/online\nsettle")
    #expect(try h.cpuFile("online") == "1")
    #expect(try h.cpuFile("cpu0/online") == "0")
    #expect(h.machine.state.power[0] == .off)
    #expect(h.log.last == "psci: CPU0 killed (polled 0 ms)")
    #expect(h.trace("psci.cpu_off").map(\.cpu) == [0])

    try h.run("echo 1 > /sys/devices/system/cpu/cpu0/online\nsettle")
    #expect(try h.cpuFile("online") == "0-1")
    #expect(h.machine.state.power[0] == .on)
    #expect(
      Array(h.log.suffix(3)) == [
        "Detected PIPT I-cache on CPU0", "GICv3: CPU0: found redistributor 0 region 0:0x00000000080a0000",
        "CPU0: Booted secondary processor 0x0000000000 [0x413fd0c1]",
      ])
    let cpuOn = try #require(h.trace("psci.cpu_on").last)
    #expect(cpuOn.details.hasPrefix("target=0x0 "))

    try h.run(
      "device_add host-arm-cpu,core-id=2,id=cpu2\nsettle\necho 1 > /sys/devices/system/cpu/cpu2/online\nsettle"
    )
    #expect(try h.cpuFile("online") == "0-2")
    #expect(h.kernel.invariantViolations.isEmpty)
  }

  @Test func hotAddOnlineAndEject() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    try h.run("device_add host-arm-cpu,core-id=2,id=cpu2\nsettle")
    #expect(try h.cpuFile("enabled") == "0,2")
    #expect(try h.cpuFile("online") == "0")
    #expect(try h.cpuFile("cpu2/online") == "0")
    #expect(h.kernel.uevents.filter { $0.action == .add }.map(\.devpath).last == "/devices/system/cpu/cpu2")
    #expect(h.log.last == "ACPI: CPU2 has been hot-added")

    let before = h.machine.state.trace.count
    try h.run("echo 1 > /sys/devices/system/cpu/cpu2/online\nsettle")
    #expect(try h.cpuFile("online") == "0,2")
    #expect(try h.cpuFile("offline") == "1,3")
    let onlining = Array(h.machine.state.trace.records[before...])
    let cpuOn = try #require(onlining.first { $0.event == "psci.cpu_on" })
    #expect(cpuOn.details.hasPrefix("target=0x2 entry=0x40080000"))
    #expect(cpuOn.details.hasSuffix("-> SUCCESS"))
    // The trampoline, on vCPU 2, clears GICR_WAKER.ProcessorSleep and waits for ChildrenAsleep.
    let wake = try #require(onlining.first { $0.event == "gicr.wake" })
    #expect(wake.cpu == 2)
    #expect(onlining.contains { $0.details == "CPU2: Booted secondary processor 0x0000000002 [0x413fd0c1]" })
    #expect(
      onlining.firstIndex { $0.event == "psci.cpu_on" }! < onlining.firstIndex { $0.event == "gicr.wake" }!)
    #expect(h.kernel.uevents.last?.action == .online)

    try h.run("device_del cpu2\nsettle")
    #expect(try h.cpuFile("online") == "0")
    #expect(try h.cpuFile("enabled") == "0")
    #expect(try h.cpuFile("present") == "0-3")
    #expect(!(try h.run("ls /sys/devices/system/cpu")).contains("cpu2"))
    #expect(try h.session.evaluate("sta(2)") == .int(0xD))
    // offline, then the processor driver lets go (its cooling device first), then the device goes.
    #expect(
      h.kernel.uevents.suffix(4).map { "\($0.action) \($0.subsystem)" } == [
        "offline cpu", "remove thermal", "unbind cpu", "remove cpu",
      ])
    let firmware = h.trace("aml.eval").map(\.details).filter {
      $0.contains("C002._OST") || $0.contains("C002._EJ0")
    }
    #expect(
      firmware.suffix(3) == [
        "\\_SB.CPUS.C002._OST(0x3, 0x84, Buffer(0))", "\\_SB.CPUS.C002._EJ0(0x1)",
        "\\_SB.CPUS.C002._OST(0x3, 0x0, Buffer(0))",
      ])
    #expect(h.log.last == "psci: CPU2 killed (polled 0 ms)")  // no "hot-removed" line exists
    #expect(h.kernel.invariantViolations.isEmpty)
  }

  @Test func onliningACPUThatWasNeverAddedFailsWithENOENT() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    let error = try #require(h.failure("echo 1 > /sys/devices/system/cpu/cpu3/online"))
    #expect(error.contains("/sys/devices/system/cpu/cpu3/online: No such file or directory"))
    #expect(try h.cpuFile("online") == "0")
    #expect(try h.cpuFile("enabled") == "0")
  }

  @Test func deniedCPUOnIsSilentAndTheWriteFailsWithEPERM() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    // At boot, smp_init() tried CPUs 1-3: DENIED by the VMM, ignored silently (patch 15).
    #expect(h.trace("psci.cpu_on").map(\.details).allSatisfy { $0.hasSuffix("-> DENIED") })
    #expect(h.trace("psci.cpu_on").count == 3)
    #expect(!h.log.contains { $0.contains("failed to boot") })
    // A registered CPU whose CPU_ON the firmware refuses (vector 9).
    try h.run("device_add host-arm-cpu,core-id=1,id=cpu1\nsettle\nfirmware cpu_on 1 denied")
    try h.run("echo 1 > /sys/devices/system/cpu/cpu1/online")
    let error = try #require(h.failure("settle"))
    #expect(error.contains("Operation not permitted"))
    #expect(!h.log.contains { $0.contains("failed to boot") })
    #expect(try h.cpuFile("online") == "0")
    // INVALID_PARAMETERS is an error the kernel reports (vector 10).
    try h.run("firmware cpu_on 1 invalid-parameters\necho 1 > /sys/devices/system/cpu/cpu1/online")
    #expect(try #require(h.failure("settle")).contains("Invalid argument"))
    #expect(h.log.suffix(2) == ["psci: failed to boot CPU1 (-22)", "CPU1: failed to boot: -22"])
  }

  @Test func udevRuleOnlinesAddedCPUs() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4", before: "kernel config udev=on")
    try h.run("device_add host-arm-cpu,core-id=2,id=cpu2\nsettle")
    #expect(try h.cpuFile("enabled") == "0,2")
    #expect(try h.cpuFile("online") == "0,2")
  }

  @Test func guestMaxcpusLeavesEnabledCPUsOffline() throws {
    // Vector 6: -smp cpus=4,maxcpus=6 with the guest's maxcpus=2.
    let h = try LabHarness.booted("cpus=4,maxcpus=6", before: "kernel config maxcpus=2")
    #expect(try h.cpuFile("possible") == "0-5")
    #expect(try h.cpuFile("present") == "0-5")
    #expect(try h.cpuFile("enabled") == "0-3")
    #expect(try h.cpuFile("online") == "0-1")
    try h.run(
      "device_add host-arm-cpu,core-id=4,id=cpu4\nsettle\necho 1 > /sys/devices/system/cpu/cpu4/online\nsettle"
    )
    #expect(try h.cpuFile("enabled") == "0-4")
    #expect(try h.cpuFile("online") == "0-1,4")
  }

  @Test func ejectThatTheFirmwareIgnoresKeepsTheCPURegistered() throws {
    // Vector 11: _STA stays 0xF after _EJ0.
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    try h.run(
      """
      device_add host-arm-cpu,core-id=1,id=cpu1
      settle
      echo 1 > /sys/devices/system/cpu/cpu1/online
      settle
      firmware eject keep-enabled
      device_del cpu1
      settle
      """)
    #expect(h.log.last == "ACPI: \\_SB_.CPUS.C001: Eject incomplete - status 0xf")
    #expect(try h.cpuFile("enabled") == "0-1")
    #expect(try h.cpuFile("online") == "0")
    #expect(try h.run("ls /sys/devices/system/cpu").contains("cpu1"))
    #expect(h.kernel.uevents.last?.action == .offline)
  }

  @Test func ejectThatClearsPresentLeavesAStaleCPUUntilTheLaterFix() throws {
    // Vector 12: _STA 0 after _EJ0. 6.11 keeps the CPU device; the 2026 fix unregisters it.
    for fix in [false, true] {
      let h = try LabHarness.booted(
        "cpus=1,maxcpus=4", before: fix ? "kernel patch 20 on" : "")
      try h.run(
        "device_add host-arm-cpu,core-id=1,id=cpu1\nsettle\nfirmware eject clear-present\ndevice_del cpu1\nsettle"
      )
      #expect(h.log.last == "Changing CPU present bit is not supported")
      #expect(try h.cpuFile("present") == "0-3")
      #expect(try h.session.evaluate("sta(1)") == .int(0))
      #expect(try h.cpuFile("enabled") == (fix ? "0" : "0-1"))
      #expect(try h.run("ls /sys/devices/system/cpu").contains("cpu1") == !fix)
    }
  }

  @Test func ejectingTheLastOnlineCPUFailsTheOfflineStep() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    try h.run("acpi notify \\_SB.CPUS.C000 3\nsettle")
    #expect(h.log.last == "processor cpu0: Offline failed.")
    let osts = h.trace("aml.eval").map(\.details).filter { $0.contains("C000._OST") }
    #expect(
      osts == ["\\_SB.CPUS.C000._OST(0x3, 0x84, Buffer(0))", "\\_SB.CPUS.C000._OST(0x3, 0x82, Buffer(0))"])
    #expect(!h.trace("aml.eval").contains { $0.details.contains("_EJ0") })
    #expect(try h.cpuFile("online") == "0")
  }

  @Test func x86PhysicalModeShrinksPresent() throws {
    // Vector 16: physical hotplug changes the present mask.
    let h = try LabHarness.booted("cpus=1,maxcpus=4", before: "kernel mode x86-physical")
    #expect(try h.cpuFile("present") == "0")
    try h.run("device_add host-arm-cpu,core-id=2,id=cpu2\nsettle")
    #expect(try h.cpuFile("present") == "0,2")
    #expect(try h.cpuFile("enabled") == "0,2")
    try h.run("device_del cpu2\nsettle")
    #expect(try h.cpuFile("present") == "0")
    #expect(try h.cpuFile("enabled") == "0")
  }

  @Test func brokenRedistributorsMakeOnliningFailWithEINVAL() throws {
    // Vector 13: per-GICC redistributor addresses, none in the online-capable GICCs.
    let h = try LabHarness.booted("cpus=1,maxcpus=4", "redistributors=per-gicc")
    #expect(h.log.contains("GICv3: CPU 2's redistributor is inaccessible: this CPU can't be brought online"))
    try h.run("device_add host-arm-cpu,core-id=2,id=cpu2\nsettle")
    #expect(try h.cpuFile("enabled") == "0,2")
    try h.run("echo 1 > /sys/devices/system/cpu/cpu2/online")
    #expect(try #require(h.failure("settle")).contains("Invalid argument"))
    // gic_check_rdist() fails in the BP prepare phase, before any CPU_ON for CPU 2.
    #expect(
      !h.trace("psci.cpu_on").contains {
        $0.details.hasPrefix("target=0x2") && $0.details.hasSuffix("SUCCESS")
      })
    #expect(try h.cpuFile("online") == "0")
  }

  @Test func giccWithNoFlagsIsNeverPossible() throws {
    // Vector 14.
    let h = try LabHarness.booted("cpus=1,maxcpus=4", "gicc-no-flags=3")
    #expect(try h.cpuFile("possible") == "0-2")
    try h.run("device_add host-arm-cpu,core-id=3,id=cpu3\nsettle")
    #expect(try h.cpuFile("enabled") == "0")
  }

  @Test func giccWithAnInvalidMPIDRIsSkipped() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4", "gicc-bad-mpidr=2")
    #expect(h.log.contains("skipping CPU entry with invalid MPIDR 0x10000000002"))
    #expect(try h.cpuFile("possible") == "0-2")
  }

  @Test func hotplugWorkRunsOneAtATime() throws {
    // One GED event, three Device Checks: device_hotplug_lock makes the kworkers take turns, so
    // the first one's bus scan registers all three CPUs and the others find them enumerated.
    let h = try LabHarness.booted("cpus=2,maxcpus=8", before: "kernel config udev=on")
    try h.run(
      """
      workload run Lessons/workloads/mix.S chunks=8
      step 100
      device_add host-arm-cpu,core-id=2,id=cpu2
      device_add host-arm-cpu,core-id=3,id=cpu3
      device_add host-arm-cpu,core-id=4,id=cpu4
      settle
      """)
    #expect(h.trace("aml.notify").count == 3)
    #expect(h.trace("register_cpu").count == 5)  // CPUs 0-1 at boot, 2-4 once each
    #expect(h.kernel.uevents.filter { $0.action == .add && $0.subsystem == "cpu" }.count == 5)
    #expect(try h.cpuFile("online") == "0-4")
    #expect(h.kernel.workload?.completed == 8)
  }
}
