import Testing

@testable import GuestKernel

/// The kernel's fast paths give the answers of the plain code they replaced.
@Suite struct KernelLookupTests {
  @Test(arguments: ["\\_SB.CPUS.C001", "\\_SB.C001", "\\C001", "\\", "\\_SB.CPUS.C001._STA", "ABC"])
  func parentPathIsTheDroppedLastSegment(_ path: String) {
    let split = path.split(separator: ".").dropLast().joined(separator: ".")
    #expect(Kernel.parentPath(path) == Substring(split))
  }

  @Test func subsystemsByName() {
    #expect(KFunction.subsystem(of: "acpi_bus_attach") == "acpi")
    #expect(KFunction.subsystem(of: "gic_handle_irq") == "gic")
    #expect(KFunction.subsystem(of: "cpu_psci_cpu_boot") == "psci")
    #expect(KFunction.subsystem(of: "psci") == "psci")
    #expect(KFunction.subsystem(of: "pscx_psc") == "kernel")
    #expect(KFunction.subsystem(of: "register_cpu") == "kernel")
    #expect(KFunction.subsystem(of: "") == "kernel")
  }

  @Test func utf8Contains() {
    #expect(KFunction.contains("cpu_psci_cpu_kill", "psci"))
    #expect(KFunction.contains("psci", "psci"))
    #expect(!KFunction.contains("psc", "psci"))
    #expect(!KFunction.contains("ppsc_ci", "psci"))
    #expect(KFunction.contains("anything", ""))
    #expect(KFunction.contains("é psci", "psci"))
  }

  @Test func sharedUEventStrings() {
    #expect(Kernel.cpuDevpath(0) == "/devices/system/cpu/cpu0")
    #expect(Kernel.cpuDevpath(511) == "/devices/system/cpu/cpu511")
    #expect(Kernel.cpuDevpath(5000) == "/devices/system/cpu/cpu5000")
    #expect(Kernel.UEventProperties(hwcaps: [0, 11]).processorDriver.map(\.0) == ["DRIVER", "MODALIAS"])
    #expect(Kernel.UEventProperties(hwcaps: [0, 11]).modalias[0].1 == "cpu:type:aarch64:feature:,0000,000B")
  }

  /// The mutex table answers as the dictionary it replaced, whatever the order of changes.
  @Test func mutexTableActsAsADictionary() {
    var table = KMutexTable<[Int]>()
    var reference: [String: [Int]] = [:]
    let names = ["device_hotplug_lock", "acpi_scan_lock", String("device_hotplug_") + "lock", "x"]
    var state: UInt64 = 0x4D55_5458
    for step in 0..<2000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let name = names[Int(state >> 60) % names.count]
      switch (state >> 40) % 4 {
      case 0:
        table[name] = nil
        reference[name] = nil
      case 1:
        table[name] = [step]
        reference[name] = [step]
      default:
        table[name, default: []].append(step)
        reference[name, default: []].append(step)
      }
      #expect(table[name] == reference[name])
      #expect(table.isEmpty == reference.isEmpty)
      #expect(table.entries.count == reference.count)
    }
    for (name, value) in table.entries { #expect(reference[name] == value) }
  }
}
