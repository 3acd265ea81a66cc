import GuestKernel
import Lab
import Testing

/// Each behavioural patch of the series switched off changes the journey as
/// linux-vcpu-hotplug.md §10-12 says; the later fix switched on changes it too.
@Suite struct SeriesPatchTests {
  func booted(_ patch: Int, _ state: String = "off", smp: String = "cpus=1,maxcpus=4", _ extra: String = "")
    throws -> LabHarness
  {
    try LabHarness.booted(smp, extra, before: "kernel patch \(patch) \(state)")
  }

  @Test func everyPatchWithAModelledEffectIsListedWithIt() throws {
    let h = LabHarness()
    let listing = try h.run("kernel patches")
    for patch in SeriesPatch.allCases {
      #expect(listing.contains(patch.subject))
      if let effect = patch.effectWhenSwitched { #expect(listing.contains(effect)) }
    }
    #expect(listing.contains("20  off (2026 fix)"))
  }

  @Test func patch2NoWarnOnProbeDefer() throws {
    let h = try booted(2)
    #expect(
      h.log.filter { $0.hasPrefix("register_cpu") } == (0...3).map { "register_cpu \($0) failed (-517)" })
    #expect(try h.cpuFile("enabled") == "0")  // the deferral itself is unchanged
  }

  @Test func patch4GetInfoErrorReturned() throws {
    // A processor whose GICC is missing: acpi_processor_get_info() fails (no MPIDR).
    let on = try LabHarness.booted("cpus=2,maxcpus=4", "gicc-omit=1")
    let off = try booted(4, smp: "cpus=2,maxcpus=4", "gicc-omit=1")
    func addResult(_ h: LabHarness) -> String? {
      let records = h.machine.state.trace.records
      guard
        let i = records.firstIndex(where: {
          $0.event == "acpi_processor_add" && $0.details.hasPrefix("\\_SB.CPUS.C001")
        })
      else { return nil }
      let rest = records[(i + 1)...]
      let end = rest.firstIndex { $0.event == "acpi_processor_add" } ?? records.endIndex
      // A function that returns 0 leaves no .return record.
      return records[(i + 1)..<end].first { $0.event == "acpi_processor_add.return" }?.details ?? "0"
    }
    #expect(addResult(on) == "acpi_processor_add() = -ENODEV")
    #expect(addResult(off) == "0")
    #expect(try on.cpuFile("enabled") == "0")
    #expect(try off.cpuFile("enabled") == "0")
  }

  @Test func patch8RegisterDeferredCPUs() throws {
    let h = try booted(8)
    #expect(try h.cpuFile("enabled") == "")
    #expect(!(try h.run("ls /sys/devices/system/cpu")).contains("cpu0"))
    #expect(!h.log.contains { $0.contains("has been hot-added") })
    // CPU 0 runs without being enabled: exactly the broken invariant the patch fixed.
    #expect(
      h.kernel.invariantViolations.map(\.description) == ["online ⊄ enabled: CPU 0 is online but not enabled"]
    )
  }

  @Test func patch10PostEject() throws {
    // The firmware keeps _STA at 0xF after _EJ0: with post_eject the CPU stays registered;
    // before it, .detach had already unregistered it.
    for state in ["on", "off"] {
      let h = try booted(10, state)
      try h.run(
        "device_add host-arm-cpu,core-id=1,id=cpu1\nsettle\nfirmware eject keep-enabled\ndevice_del cpu1\nsettle"
      )
      #expect(h.log.last == "ACPI: \\_SB_.CPUS.C001: Eject incomplete - status 0xf")
      #expect(try h.cpuFile("enabled") == (state == "on" ? "0-1" : "0"))
      #expect(try h.run("ls /sys/devices/system/cpu").contains("cpu1") == (state == "on"))
      #expect(try h.session.evaluate("sta(1)") == .int(0xF))
    }
  }

  @Test func patch13GICMatchGICCNoErrors() throws {
    let table = "redistributors=per-gicc gicc-no-gicr=1"
    let on = try LabHarness.booted("cpus=2,maxcpus=4", table)
    // gic_populate_rdist() complains with WARN(): a "cut here" line, then the message without
    // the driver's "GICv3: " prefix.
    let warning = try #require(on.log.firstIndex(of: "CPU1: mpidr 1 has no re-distributor!"))
    #expect(warning > 0 && on.log[warning - 1] == "------------[ cut here ]------------")
    #expect(!on.log.contains { $0.hasPrefix("GICv3: CPU1: mpidr") })
    #expect(on.kernel.panicked == nil)
    let off = try booted(13, smp: "cpus=2,maxcpus=4", table)
    #expect(off.log.last == "Kernel panic - not syncing: No interrupt controller found.")
    #expect(off.kernel.panicked != nil)
    #expect(off.trace("gic_acpi_match_gicc").map(\.details) == ["UID 1: Enabled, no GICR address -> -ENODEV"])
  }

  @Test func patch14GICOnlineCapable() throws {
    let h = try booted(14)
    #expect(try h.cpuFile("possible") == "0")
    #expect(try h.cpuFile("present") == "0")
    #expect(
      h.failure(
        "device_add host-arm-cpu,core-id=2,id=cpu2\nsettle\necho 1 > /sys/devices/system/cpu/cpu2/online")
        != nil)
    #expect(try h.cpuFile("enabled") == "0")
  }

  @Test func patch15PSCIIgnoreDenied() throws {
    let h = try booted(15)
    for cpu in 1...3 {
      #expect(h.log.contains("psci: failed to boot CPU\(cpu) (-1)"))
      #expect(h.log.contains("CPU\(cpu): failed to boot: -1"))
    }
    #expect(try h.cpuFile("online") == "0")
  }

  @Test func patches16And17LetArchRegisterCPURegisterEveryPresentCPU() throws {
    for patch in [16, 17] {
      let h = try booted(patch)
      #expect(try h.cpuFile("enabled") == "0-3")
      #expect(try h.run("ls /sys/devices/system/cpu").contains("cpu3"))
      // CPU 3 has a device, but the VMM has no vCPU for it: onlining it is refused.
      try h.run("echo 1 > /sys/devices/system/cpu/cpu3/online")
      #expect(try #require(h.failure("settle")).contains("Operation not permitted"))
    }
  }

  @Test func patch19EnabledMask() throws {
    let h = try booted(19)
    #expect(
      try #require(h.failure("cat /sys/devices/system/cpu/enabled")).contains("No such file or directory"))
    #expect(!(try h.run("masks")).contains("enabled"))
    #expect(h.kernel.invariantViolations.isEmpty)
  }

  @Test func patchesWithoutAModelledEffectSaySo() throws {
    let h = LabHarness()
    #expect(try h.run("kernel patch 18 off").contains("changes nothing the lab models"))
    #expect(try h.run("kernel patch 15 off") == "")
  }
}
