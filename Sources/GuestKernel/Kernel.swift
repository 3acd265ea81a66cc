import Simulation
import ACPI
import CPUMask

/// Boot-time configuration of the modelled kernel.
public struct KernelConfig: Hashable, Sendable {
  /// `CONFIG_NR_CPUS`; Debian's arm64 6.12 kernel uses 512.
  public var nrCPUs = CPUMask.defaultNRCPUs
  /// Patches switched off (the series is applied by default; `.unregisterAlways` is a later fix,
  /// off unless added to `enabledFixes`).
  public var disabledPatches: Set<SeriesPatch> = []
  public var enabledFixes: Set<SeriesPatch> = []
  /// `kernel mode x86-physical`: physical hotplug as x86 does it, where the present mask changes.
  public var mode: Mode = .arm64
  /// A udev rule that onlines every added CPU (`SUBSYSTEM=="cpu", ACTION=="add", ...`).
  public var udevAutoOnline = false
  /// `maxcpus=N` on the kernel command line: how many CPUs come online at boot.
  public var maxCPUsOnCommandLine: Int?

  public enum Mode: String, Hashable, Sendable, CaseIterable {
    case arm64
    case x86Physical = "x86-physical"
  }

  public init() {}

  /// Whether a patch of the series is applied.
  public func applied(_ patch: SeriesPatch) -> Bool {
    patch == .unregisterAlways ? enabledFixes.contains(patch) : !disabledPatches.contains(patch)
  }

  /// `CONFIG_ACPI_HOTPLUG_CPU`: x86 always selects it; arm64 does from patch 17 on
  /// (`select ACPI_HOTPLUG_CPU if ACPI_PROCESSOR && HOTPLUG_CPU`).
  public var acpiHotplugCPU: Bool { mode != .arm64 || applied(.kconfigHotplugCPU) }
}

/// What the kernel knows about one logical CPU.
public struct KernelCPU: Sendable {
  public let id: Int
  /// `cpu_logical_map(cpu)`: the MPIDR affinity from the MADT.
  public var mpidr: UInt64
  /// The GICC entry it came from (`cpu_madt_gicc[cpu]`).
  public var acpiUID: UInt32
  public var giccFlags: UInt32
  public var gicrBaseAddress: UInt64
  /// The registered CPU device (`struct cpu` in `cpu_sys_devices`), if any.
  public var device: CPUDevice?
  /// The ACPI processor device claiming this CPU (`per_cpu(processors)`), by namespace path.
  public var processor: String?
  /// `per_cpu(processor_device_array)`: the device that first claimed the number (never cleared on
  /// error paths).
  public var processorDeviceArray: String?
  /// The cpuhp state the CPU has reached.
  public var state: CPUHPState = .offline
  /// Guest memory of this CPU's boot block (the trampoline's context id).
  public var bootBlock: UInt64 = 0
  /// `RD_LOCAL_LPI_ENABLED`: `its_cpu_init_lpis()` has set up this CPU's redistributor (once
  /// per boot; a re-online finds it done and prints nothing).
  public var lpisEnabled = false
  /// `gic_data_rdist_rd_base()`: the RD_base `gic_populate_rdist()` found for this CPU.
  public var redistributor: UInt64?
}

/// A registered CPU device (drivers/base/cpu.c `struct cpu`).
public struct CPUDevice: Hashable, Sendable {
  /// `cpu->hotpluggable`: whether `cpuN/online` exists.
  public var hotpluggable: Bool
  /// The ACPI `processor` driver is bound (processor_driver.c).
  public var driverBound = false
  /// `pr->flags.previously_online`: the ACPI per-CPU setup ran on a first online.
  public var previouslyOnline = false
  /// The cpuhp attributes (`cpuN/hotplug/`): `cpuhp_sysfs_init()` (device_initcall) adds them
  /// to the CPUs registered by then, and nothing adds them to a CPU registered later.
  public var hotplugAttributes = false
  /// `pr->cdev`: the id of the thermal cooling device that setup registered
  /// (`/sys/class/thermal/cooling_deviceN`).
  public var coolingDevice: Int?
}

/// A processor device of the ACPI namespace (`struct acpi_device` for ACPI0007).
public struct ACPIProcessorDevice: Hashable, Sendable {
  public let path: String
  public let uid: UInt64
  /// `_STA` from the last evaluation (0x0F when there is no `_STA`).
  public var status: UInt32 = 0
  public var hasSTA = true
  /// The processor scan handler is attached (`device->handler`).
  public var handlerAttached = false
  /// `acpi_device_set_enumerated()`.
  public var enumerated = false
  /// The logical CPU (`pr->id`) once `acpi_processor_get_info()` mapped it.
  public var cpu: Int?
}

/// The modelled Linux kernel: all of its state is here, as a value.
public struct Kernel: @unchecked Sendable {
  public var config: KernelConfig
  /// possible, present, enabled, online, active (`NR_CPUS` bits).
  public var masks: CPUMasks
  /// The broken links of active ⊆ online ⊆ enabled ⊆ present ⊆ possible. Without patch 19
  /// there is no enabled mask, so the chain is active ⊆ online ⊆ present ⊆ possible; during
  /// boot the enabled link is not checked either, as in Linux, where CPU 0 is online from
  /// boot_cpu_init() but enabled only when register_cpu() runs for it (linux-vcpu-hotplug.md §9a).
  public var invariantViolations: [CPUMasks.Violation] {
    guard !config.applied(.enabledMask) || !booted else { return masks.violations }
    var chain = masks
    chain.enabled = masks.present
    return chain.violations
  }
  /// `nr_cpu_ids`: highest possible CPU + 1.
  public var nrCPUIDs = 1
  public var cpus: [KernelCPU] = []
  /// ACPICA's state: the namespace loaded from the DSDT, mutexes, and the virtual clock.
  public var aml = AMLInterpreter() {
    didSet { amlHandles.validate(aml) }
  }
  /// Namespace nodes by absolute path, as ACPICA keeps `acpi_handle`s: a path is parsed and
  /// looked up once (the namespace does not change after the tables are loaded).
  var amlHandles = AMLHandleCache()
  public var processors: [ACPIProcessorDevice] = []
  /// `processors` indices by path (built with the list; see `processorIndex`).
  var processorIndexByPath: [String: Int] = [:]
  /// The MADT as parsed at boot.
  public var madt: MADT?
  /// `gic_rdists->prop_table_pa`: the LPI property table, once `its_init()` found an ITS.
  public var lpiPropertyTable: UInt64?
  /// `driver_register(&acpi_processor_driver)` has run (device_initcall): CPU devices bind
  /// when they are claimed; before it, at boot, they are bound all at once when it registers.
  public var processorDriverRegistered = false
  /// The interrupt descriptors: the GIC hwirq (INTID) behind each Linux IRQ number, from 1
  /// (`irq_domain_alloc_descs()` takes the lowest free number).
  public var irqHwirqs: [Int] = []
  /// The Linux IRQ number the GED's interrupt was mapped to (`acpi_register_gsi()`).
  /// KERNEL_HWCAP_* of the CPUs (`setup_elf_hwcaps()` at boot), and the uevent properties
  /// derived from them (kept with them: every uevent needs them).
  public internal(set) var elfHwcaps: [Int] = [] {
    didSet { ueventProperties = UEventProperties(hwcaps: elfHwcaps) }
  }
  var ueventProperties = UEventProperties(hwcaps: [])
  public var gedIRQ: Int? { gedGSI.flatMap { gsi in irqHwirqs.firstIndex(of: gsi).map { $0 + 1 } } }
  /// `lpi_id_bits`: the LPI INTID width the tables were sized for.
  var lpiIDBits: UInt64 = 16
  /// CPUs whose redistributor the GIC driver found inaccessible (`broken_rdists`).
  public var brokenRdists: Set<Int> = []
  /// The GIC probe failed (no usable redistributors).
  public var gicFailed = false
  /// The redistributor regions the GICv3 driver found (`gic_data.redist_regions`): MADT GICR
  /// ranges walked frame by frame to the Last bit, or, with no GICR structure, the GICR address
  /// of each Enabled GICC, one frame each (`single_redist`).
  public var rdistRegions: [(base: UInt64, single: Bool)] = []
  /// `panic()` was called: the kernel runs nothing more.
  public internal(set) var panicked: String?
  /// The thread an Oops killed in its current step (`make_task_dead()`); removed when the step ends.
  var killedThread: Int?
  /// The GED's namespace path once its driver probed.
  public var gedDevice: String?
  /// The GSI the GED's `_CRS` names, once requested.
  public var gedGSI: Int?
  /// The distributor's base from the MADT's GICD structure, once `gic_acpi_init()` found it.
  public var gicdBase: UInt64?
  public var log = KernelLog()
  public var uevents = AppendLog<UEvent>()
  /// The last workload started (`workload run`), running or finished.
  public internal(set) var workload: Workload?
  var nextUEventSequence = 1700
  /// The kernel threads in existence.
  var threads: [Int: KThread] = [:]
  /// Kernel mutexes held, by name, and the thread holding each.
  var mutexOwners = KMutexTable<Int>()
  /// The threads in a wait (`threads[id].waiting != nil`), so a step need not look at all.
  var waitingThreads: Set<Int> = []
  /// Threads waiting without a timeout for a mutex to be free, by mutex (not in
  /// `waitingThreads`; see `endWaits`).
  var mutexWaiters = KMutexTable<[Int]>()
  var nextThreadID = 1
  /// Thread steps waiting to run, by virtual time.
  var runQueue = EventQueue<Int>()
  /// Hotplug work queued behind the one running: `kacpi_hotplug_wq` is an ordered workqueue
  /// (drivers/acpi/osl.c), so one `acpi_device_hotplug()` runs at a time, in notification order.
  var queuedHotplugWork: [(path: String, type: UInt64)] = []
  /// An `acpi_device_hotplug()` work item is running.
  var hotplugWorkRunning = false
  /// `boot` has finished (`kernel_init` is done: user space runs).
  public var booted = false
  /// An interrupt is being handled on CPU 0 (no nesting in the model).
  var irqActive = false
  /// The secondary trampoline's source (`kernel trampoline` can replace it before boot).
  public var trampolineSource: String
  /// The thread and call depth of the last kernel step (for `next`).
  public internal(set) var lastStep: (thread: Int, depth: Int)?
  /// Results of user writes to sysfs that completed, in order (for `settle` and `step`).
  public var completedWrites: [(path: String, text: String, result: Int)] = []

  public init(config: KernelConfig, trampoline: String) {
    self.config = config
    masks = CPUMasks(nrCPUs: config.nrCPUs)
    trampolineSource = trampoline
  }

  /// Whether anything is left to run (or waiting).
  public var idle: Bool { runQueue.isEmpty && waitingThreads.isEmpty && mutexWaiters.isEmpty }

  /// The time of the next thread step (or wait deadline), if any.
  public var nextEventTime: UInt64? {
    if panicked != nil { return nil }
    // Asked before every world event: no arrays built.
    var next = runQueue.nextTime
    for id in waitingThreads {
      if let deadline = threads[id]?.waiting?.deadline, next.map({ deadline < $0 }) ?? true {
        next = deadline
      }
    }
    return next
  }

  /// `nextEventTime` for an owner that keeps the kernel in a class property: a mutating call
  /// works on the property in place, where reading it would copy the kernel first.
  public mutating func nextEventTimeInPlace() -> UInt64? { nextEventTime }

  /// `cpumask_of(cpu)`-style helper: a mask with one CPU.
  func single(_ cpu: Int) -> CPUMask { CPUMask(nrCPUs: config.nrCPUs, cpus: [cpu]) }
}

/// Values by mutex name (the kernel's mutexes: `device_hotplug_lock` today), in a short list
/// searched in order. The names are constants, so a comparison is mostly one of the strings'
/// bits, where a dictionary hashes the name on every lookup; and the scheduler asks on every
/// event while threads sleep on a mutex.
struct KMutexTable<Value> {
  private(set) var entries: [(name: String, value: Value)] = []

  var isEmpty: Bool { entries.isEmpty }

  subscript(name: String) -> Value? {
    get {
      for entry in entries where entry.name == name { return entry.value }
      return nil
    }
    set {
      if let index = entries.firstIndex(where: { $0.name == name }) {
        if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
      } else if let newValue {
        entries.append((name, newValue))
      }
    }
  }

  /// The value for `name`, created as `value` first if there is none; changed in place.
  subscript(name: String, default value: @autoclosure () -> Value) -> Value {
    get { self[name] ?? value() }
    _modify {
      let index: Int
      if let found = entries.firstIndex(where: { $0.name == name }) {
        index = found
      } else {
        entries.append((name, value()))
        index = entries.count - 1
      }
      yield &entries[index].value
    }
  }
}
