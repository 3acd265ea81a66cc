import Lab
import Testing
import VirtMachine

/// Stepping the world one event at a time, snapshots, replay and undo.
@Suite struct SteppingTests {
  /// The journey's commands after boot; each only queues work.
  static let journey = [
    "device_add host-arm-cpu,core-id=2,id=cpu2",
    "echo 1 > /sys/devices/system/cpu/cpu2/online",
    "device_del cpu2",
    "device_add host-arm-cpu,core-id=1,id=cpu1",
    "echo 1 > /sys/devices/system/cpu/cpu1/online",
    "echo 0 > /sys/devices/system/cpu/cpu1/online",
    "echo 1 > /sys/devices/system/cpu/cpu1/online",
    "device_del cpu1",
  ]

  @Test func everyStepOfTheJourneyKeepsTheMaskInvariant() throws {
    let h = LabHarness()
    try h.run("machine virt -smp cpus=1,maxcpus=4\nboot")
    var steps = 0
    func stepToIdle() throws {
      while true {
        let out = try h.run("step\nmasks")
        if out.contains("(idle: nothing to run)") { break }
        #expect(!out.contains("BROKEN"), "after step \(steps): \(out)")
        steps += 1
      }
    }
    try stepToIdle()
    for command in SteppingTests.journey {
      try h.run(command)
      try stepToIdle()
    }
    #expect(steps > 200)
    #expect(try h.cpuFile("enabled") == "0")
    #expect(try h.cpuFile("online") == "0")
    #expect(h.kernel.uevents.filter { $0.action == .remove && $0.subsystem == "cpu" }.count == 2)
  }

  @Test func restoringASnapshotAndReplayingGivesTheSameTrace() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    try h.run("snapshot save booted")
    let start = h.machine.state.trace.count
    func replay() throws -> String {
      for command in SteppingTests.journey { try h.run(command + "\nsettle") }
      return h.machine.state.trace.records[start...].map(\.description).joined(separator: "\n")
    }
    let first = try replay()
    let dmesg = try h.run("dmesg")
    #expect(first.count > 10_000)
    try h.run("snapshot restore booted")
    #expect(try h.cpuFile("online") == "0")
    #expect(h.machine.state.trace.count == start)
    let second = try replay()
    #expect(second == first)
    #expect(try h.run("dmesg") == dmesg)
    #expect(try h.run("snapshot list").contains("booted"))
  }

  @Test func aFreshWorldGivesTheSameTraceByteForByte() throws {
    func world() throws -> String {
      let h = try LabHarness.booted("cpus=2,maxcpus=4")
      for command in SteppingTests.journey.prefix(3) { try h.run(command + "\nsettle") }
      return h.machine.state.trace.text
    }
    #expect(try world() == world())
  }

  @Test func undoGoesBackOneCommand() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    try h.run("device_add host-arm-cpu,core-id=2,id=cpu2\nsettle")
    #expect(try h.cpuFile("enabled") == "0,2")
    try h.run("undo")  // the settle
    #expect(try h.cpuFile("enabled") == "0")
    #expect(h.machine.state.hotplug.slots[2].plugged)
    try h.run("undo")  // the device_add
    #expect(!h.machine.state.hotplug.slots[2].plugged)
    try h.run("settle")
    #expect(try h.cpuFile("enabled") == "0")
  }

  @Test func stepByLayerAndUntilATracePoint() throws {
    let h = LabHarness()
    try h.run("machine virt -smp cpus=1,maxcpus=4\nboot\nsettle\ndevice_add host-arm-cpu,core-id=2,id=cpu2")
    let out = try h.run("until acpi_processor_add")
    #expect(out.split(separator: "\n").last?.contains("acpi_processor_add") == true)
    #expect(!(try h.run("ls /sys/devices/system/cpu")).contains("cpu2"))  // not registered yet
    try h.run("settle")
    let psci = try h.run("echo 1 > /sys/devices/system/cpu/cpu2/online\nstep psci")
    #expect(psci.split(separator: "\n").last?.contains("psci") == true)
    try h.run("break psci.cpu_on")
    try h.run("settle")
    try h.run(
      "echo 0 > /sys/devices/system/cpu/cpu2/online\nsettle\necho 1 > /sys/devices/system/cpu/cpu2/online")
    let stopped = try h.run("continue")
    #expect(stopped.contains("Breakpoint psci.cpu_on"))
    #expect(try h.cpuFile("online") == "0")
    try h.run("delete\ncontinue")
    #expect(try h.cpuFile("online") == "0,2")
  }

  @Test func btShowsTheKernelCallStack() throws {
    let h = LabHarness()
    try h.run("machine virt -smp cpus=1,maxcpus=4\nboot\nsettle\ndevice_add host-arm-cpu,core-id=2,id=cpu2")
    try h.run("until arch_register_cpu")
    let bt = try h.run("bt")
    for frame in [
      "arch_register_cpu", "acpi_processor_hotadd_init", "acpi_processor_get_info", "acpi_processor_add",
    ] {
      #expect(bt.contains(frame))
    }
  }
}
