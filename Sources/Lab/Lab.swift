import Simulation
import ACPI
import A64
import CPUMask
import GuestKernel
import LabScript
import HostFiles
import VirtMachine

#if canImport(Foundation)
  import Foundation
#endif

/// Everything about the world that a snapshot restores.
struct LabSnapshot {
  let machine: MachineSnapshot
  let kernel: Kernel?
  let timeline: AppendLog<Timeline.Change>
  let cpuStates: [Int: Simulation.CPUState]
  let reportedWrites: Int
}

/// The Lab: one object holding the machine, the guest kernel and the trace, with stepping,
/// breakpoints, snapshots and the views the commands print. A Swift program can drive it
/// directly; the LabScript commands are thin wrappers.
public final class Lab: TimelineSource {
  public private(set) var machine: VirtMachine?
  public internal(set) var kernel: Kernel?
  var platform: (any KernelPlatform)?
  /// Kernel configuration for the next boot (`kernel patches`, `kernel mode`, `kernel config`).
  public var kernelConfig = KernelConfig()
  /// The secondary trampoline the next boot assembles.
  public var trampoline: String
  var snapshots: [String: LabSnapshot] = [:]
  var undoStack: [LabSnapshot] = []
  /// Trace points (`acpi_processor_add`, `psci.cpu_on`, `aml.notify`...) that stop `continue`.
  public var breakpoints: [String] = []
  /// Layers whose records `settle` and `continue` print as they happen.
  public var liveTrace: Set<String> = []
  var timelineChanges = AppendLog<Timeline.Change>()
  var cpuStates: [Int: Simulation.CPUState] = [:]
  /// What the CPU states were last computed from (the masks and the number of uevents, which
  /// changes with every device registration), so most events skip the computation.
  var timelineKey: (masks: CPUMasks, uevents: Int)?
  /// How many completed sysfs writes have been reported to the user.
  var reportedWrites = 0

  /// The longest a `settle` runs, in virtual time, before it reports that the world does not
  /// become idle (a vCPU spinning, a kernel waiting forever).
  public static let settleBudget: UInt64 = 60_000_000_000
  public static let undoDepth = 64

  public init() {
    trampoline = Lab.bundledTrampoline
  }

  /// The shipped secondary_entry.S.
  public static var bundledTrampoline: String { Kernel.defaultTrampoline }

  // MARK: Creating and booting

  public func createMachine(smp: SMPConfiguration, options: VirtOptions) throws(BusError) {
    machine = try VirtMachine(smp: smp, options: options)
    kernel = nil
    platform = nil
    snapshots = [:]
    undoStack = []
    timelineChanges = []
    cpuStates = [:]
    timelineKey = nil
    reportedWrites = 0
  }

  /// Starts the guest kernel on the machine (CPU 0 runs the kernel model).
  public func boot() {
    guard let machine else { return }
    // CPU 0's code is the kernel model: the board runs no A64 on it, and when PSCI starts it
    // again after an offline, the kernel's own entry takes it.
    machine.hostExecutedCPUs = [Kernel.bootCPU]
    machine.onHostCPUStart = { [unowned self] slot, _, context in
      guard slot == Kernel.bootCPU, let platform = self.platform else { return }
      self.kernel?.bootCPUEntry(context: context, platform)
    }
    // The x86 comparison needs an x86-like VMM: an empty slot is not present.
    machine.setPresentOnlyWhilePlugged(kernelConfig.mode == .x86Physical)
    let platform = VirtMachinePlatform(machine: machine)
    var kernel = Kernel(config: kernelConfig, trampoline: trampoline)
    kernel.boot(platform)
    self.platform = platform
    self.kernel = kernel
    recordTimeline()
  }

  // MARK: Running the world

  /// What happened in one world event.
  public struct Event {
    public var records: [TraceRecord]
    public var time: UInt64
  }

  /// The time of the next event of the machine or the kernel (nil when both are idle).
  public var nextEventTime: UInt64? {
    [machine?.nextEventTime, kernel?.nextEventTime].compactMap { $0 }.min()
  }

  /// Runs one event — the machine's or the kernel's, whichever is due first (the machine on a
  /// tie) — and returns the trace records it produced, or nil when nothing is left to run.
  @discardableResult
  public func stepEvent() -> Event? {
    guard let machine else { return nil }
    let before = machine.state.trace.count
    let machineTime = machine.nextEventTime
    // Asked in place: `kernel?.nextEventTime` copies the whole Kernel value first (and this
    // runs before every event).
    let kernelTime = kernel != nil ? kernel!.nextEventTimeInPlace() : nil
    if let machineTime, kernelTime == nil || machineTime <= kernelTime! {
      machine.step()
    } else if let kernelTime, let platform {
      machine.advanceClock(to: kernelTime)
      kernel!.stepNext(platform)
    } else {
      return nil
    }
    if let platform, kernel != nil {
      kernel!.wakeWaiters(platform)
      kernel!.takeInterrupt(platform)
    }
    recordTimeline()
    return Event(records: Array(machine.state.trace.records[before...]), time: machine.state.clock)
  }

  /// Whether nothing is left to run.
  public var isIdle: Bool { nextEventTime == nil }

  /// Runs events until the world is idle; returns how many ran, or nil when it was still busy
  /// after `Lab.settleBudget` of virtual time (the `settle` command, for Swift programs).
  @discardableResult
  public func settle() -> Int? {
    guard let machine else { return 0 }
    return AMLInterpreter.withLargeStack {
      let start = machine.state.clock
      var count = 0
      while stepEvent() != nil {
        count += 1
        if machine.state.clock - start > Lab.settleBudget { return nil }
      }
      return count
    }
  }

  /// Queues a write to a sysfs file as `echo TEXT > PATH` does (it happens as the world runs).
  public func sysfsWrite(_ path: String, _ text: String) -> Result<Void, Errno> {
    guard let platform, kernel != nil else { return .failure(.ENOENT) }
    return kernel!.sysfsWrite(path, text, at: platform.now)
  }

  /// Saves the whole world (machine, kernel, timeline) under `name`.
  public func saveSnapshot(_ name: String) {
    snapshots[name] = snapshot()
  }

  /// Restores a saved world; false when there is no snapshot of that name.
  @discardableResult
  public func restoreSnapshot(_ name: String) -> Bool {
    guard let s = snapshots[name] else { return false }
    restore(s)
    return true
  }

  /// Sysfs writes that failed and have not been reported yet.
  func takeFailedWrites() -> [(path: String, text: String, result: Int)] {
    guard let kernel else { return [] }
    let new = kernel.completedWrites.dropFirst(reportedWrites)
    reportedWrites = kernel.completedWrites.count
    return new.filter { $0.result < 0 }
  }

  // MARK: Snapshots

  func snapshot() -> LabSnapshot? {
    guard let machine else { return nil }
    return LabSnapshot(
      machine: machine.snapshot(), kernel: kernel, timeline: timelineChanges, cpuStates: cpuStates,
      reportedWrites: reportedWrites)
  }

  func restore(_ s: LabSnapshot) {
    guard let machine else { return }
    machine.restore(s.machine)
    kernel = s.kernel
    timelineChanges = s.timeline
    cpuStates = s.cpuStates
    timelineKey = nil
    reportedWrites = s.reportedWrites
  }

  /// Saves the world before a command that changes it, for `undo`.
  func checkpoint() {
    guard let s = snapshot() else { return }
    undoStack.append(s)
    if undoStack.count > Lab.undoDepth { undoStack.removeFirst() }
  }

  // MARK: Timeline

  /// A CPU's state as the kernel's masks say.
  static func cpuState(_ cpu: Int, _ kernel: Kernel) -> Simulation.CPUState? {
    let m = kernel.masks
    guard m.possible.test(cpu) else { return nil }
    if m.active.test(cpu) { return .active }
    if m.online.test(cpu) { return .online }
    if m.enabled.test(cpu) || kernel.cpus.indices.contains(cpu) && kernel.cpus[cpu].device != nil {
      return .enabled
    }
    return m.present.test(cpu) ? .present : .possible
  }

  /// Records the CPUs whose state changed since the last call. Only CPUs whose mask bits
  /// changed, or that had a uevent (a device registered or removed), are looked at, so an event
  /// that changes nothing costs a few mask comparisons.
  func recordTimeline() {
    guard let machine, self.kernel != nil else { return }
    // Runs after every event, and most events change nothing: that is checked on the kernel in
    // place, before binding it to a local (which copies the whole Kernel value).
    if let key = timelineKey, key.uevents == self.kernel!.uevents.count, key.masks == self.kernel!.masks {
      return
    }
    guard let kernel else { return }
    var candidates: CPUMask
    if let key = timelineKey {
      let (old, new) = (key.masks, kernel.masks)
      candidates = old.possible.xor(new.possible).or(old.present.xor(new.present))
        .or(old.enabled.xor(new.enabled)).or(old.online.xor(new.online)).or(old.active.xor(new.active))
      for event in kernel.uevents[key.uevents...] {
        if let cpu = Int(event.devpath.dropFirst("/devices/system/cpu/cpu".count)) { candidates.set(cpu) }
      }
    } else {
      candidates = kernel.masks.possible
    }
    timelineKey = (kernel.masks, kernel.uevents.count)
    for cpu in candidates {
      let state = Lab.cpuState(cpu, kernel)
      guard cpuStates[cpu] != state else { continue }
      cpuStates[cpu] = state
      if let state {
        timelineChanges.append(Timeline.Change(time: machine.state.clock, cpu: cpu, state: state))
      }
    }
  }

  public func cpuTimeline() -> Timeline? {
    guard let machine, kernel != nil else { return nil }
    return Timeline(changes: Array(timelineChanges), end: machine.state.clock)
  }
}
