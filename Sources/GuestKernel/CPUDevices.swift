import CPUMask

/// CPU devices and their sysfs files (drivers/base/cpu.c): `register_cpu()`, `unregister_cpu()`,
/// `cpu_dev_register_generic()`, and what /sys/devices/system/cpu shows.
extension Kernel {
  /// `register_cpu()`: the device appears (KOBJ_ADD), then the CPU joins the enabled mask.
  static func registerCPU(_ cpu: Int, hotpluggable: Bool) -> KFunction {
    KFunction("register_cpu", "cpu\(cpu)") { k, c in
      k.cpus[cpu].device = CPUDevice(hotpluggable: hotpluggable, hotplugAttributes: !k.booted)
      k.uevent(.add, cpu: cpu, c)
      // set_cpu_enabled(num, true) — the last thing register_cpu() does (patch 19).
      if k.config.applied(.enabledMask) { k.masks.enabled.set(cpu) }
      return .returns(0)
    }
  }

  /// `unregister_cpu()`: the CPU leaves the enabled mask first, then the device goes (KOBJ_REMOVE).
  static func unregisterCPU(_ cpu: Int) -> KFunction {
    KFunction("unregister_cpu", "cpu\(cpu)") { k, c in
      if k.config.applied(.enabledMask) { k.masks.enabled.clear(cpu) }
      k.uevent(.remove, cpu: cpu, c)
      k.cpus[cpu].device = nil
      return .returns(0)
    }
  }

  /// `cpu_dev_register_generic()`: `arch_register_cpu()` for every present CPU. arm64 defers
  /// them all (-EPROBE_DEFER), which is silent since patch 2.
  static var cpuDevRegisterGeneric: KFunction {
    KFunction("cpu_dev_register_generic") { k, c in
      let present = Array(k.masks.present)
      func next(_ i: Int, _ k: inout Kernel, _ c: KContext) -> KResult {
        guard i < present.count else { return .returns(0) }
        let cpu = present[i]
        if k.cpus[cpu].device != nil { return next(i + 1, &k, c) }
        return .call(archRegisterCPU(cpu)) { k, c, error in
          if error != 0 && (error != Kernel.err(.EPROBE_DEFER) || !k.config.applied(.noWarnOnProbeDefer)) {
            k.printk(.warning, "register_cpu \(cpu) failed (\(error))", c)
          }
          return next(i + 1, &k, c)
        }
      }
      return next(0, &k, c)
    }
  }

  // MARK: sysfs

  /// The directories /sys/devices/system/cpu has besides the CPUs, and what Linux keeps in each;
  /// the lab lists them but does not model their contents.
  static let cpuRootDirectories: [String: String] = [
    "cpufreq": "the cpufreq policies", "cpuidle": "the cpuidle driver and governor",
    "hotplug": "the cpuhp states (hotplug/states)", "power": "the runtime PM attributes",
    "smt": "SMT control (smt/control, smt/active)",
    "vulnerabilities": "one file per CPU vulnerability and its mitigation",
  ]

  /// The entries of a `cpuN` directory whose contents the lab does not model, and what Linux
  /// shows there; directories and links read as directories.
  static let cpuEntriesUnmodelled: [String: (linux: String, directory: Bool)] = [
    "cache": ("the cache levels cacheinfo found", true),
    "topology": ("the core, cluster and package ids and sibling masks", true),
    "hotplug": ("this CPU's cpuhp state, target and fail", true),
    "power": ("the runtime PM attributes", true),
    "regs": ("the identification registers (MIDR_EL1, REVIDR_EL1, SMIDR_EL1)", true),
    "node0": ("a link to NUMA node 0", true),
    "driver": ("a link to the processor driver", true),
    "firmware_node": ("a link to the ACPI processor device", true),
    "subsystem": ("a link to the cpu bus", true),
    "crash_notes": ("the physical address of this CPU's crash note", false),
    "crash_notes_size": ("the size of the crash note", false),
  ]

  /// The names in `/sys/devices/system/cpu/cpuN` (drivers/base/cpu.c and the hotplug states
  /// that add attributes): `hotplug/` only for CPUs registered before `cpuhp_sysfs_init()`
  /// (boot), and `cache/`, `cpu_capacity`, `regs/`, `topology/` only while the CPU is online
  /// (their hotplug states add them on the way up and remove them on the way down).
  func cpuDirectoryEntries(_ cpu: Int) -> [String] {
    guard let device = cpus[cpu].device else { return [] }
    var names = ["crash_notes", "crash_notes_size", "node0", "power", "subsystem", "uevent"]
    if device.hotpluggable { names.append("online") }
    if device.driverBound { names.append("driver") }
    if cpus[cpu].processor != nil { names.append("firmware_node") }
    if device.hotplugAttributes { names.append("hotplug") }
    if masks.online.test(cpu) { names += ["cache", "cpu_capacity", "regs", "topology"] }
    return names.sorted()
  }

  /// The CPU directory and the entry below it a `/sys/devices/system/cpu/...` path names.
  func cpuEntry(_ relative: String) -> (cpu: Int, entry: [String])? {
    let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard let name = parts.first, name.hasPrefix("cpu"), let cpu = Int(name.dropFirst(3)),
      String(cpu) == String(name.dropFirst(3)), cpu < cpus.count, cpus[cpu].device != nil
    else { return nil }
    return (cpu, Array(parts.dropFirst()))
  }

  /// When `path` is, or is inside, an entry Linux has but the lab does not model: what Linux
  /// keeps there, and whether the entry itself is a directory.
  public func sysfsUnmodelled(_ path: String) -> (linux: String, directory: Bool, isEntry: Bool)? {
    let prefix = "/sys/devices/system/cpu/"
    guard path.hasPrefix(prefix) else { return nil }
    let relative = String(path.dropFirst(prefix.count))
    let parts = relative.split(separator: "/").map(String.init)
    guard let first = parts.first else { return nil }
    if let linux = Kernel.cpuRootDirectories[first] { return (linux, true, parts.count == 1) }
    guard let (cpu, entry) = cpuEntry(relative), let name = entry.first,
      let unmodelled = Kernel.cpuEntriesUnmodelled[name], cpuDirectoryEntries(cpu).contains(name)
    else { return nil }
    return (unmodelled.linux, unmodelled.directory, entry.count == 1)
  }

  /// The files of /sys/devices/system/cpu, as the kernel's show() functions print them.
  public func sysfsRead(_ path: String) -> Result<String, Errno> {
    let prefix = "/sys/devices/system/cpu"
    guard path == prefix || path.hasPrefix(prefix + "/") else { return .failure(.ENOENT) }
    let relative = path == prefix ? "" : String(path.dropFirst(prefix.count + 1))
    let list = { (m: CPUMask) -> String in m.resized(to: Swift.max(self.nrCPUIDs, 1)).listString + "\n" }
    switch relative {
    case "": return .failure(.EISDIR)
    case "possible": return .success(list(masks.possible))
    case "present": return .success(list(masks.present))
    case "online": return .success(list(masks.online))
    case "offline": return .success(masks.offline(nrCPUIDs: nrCPUIDs).listString + "\n")
    case "enabled":
      return config.applied(.enabledMask) ? .success(list(masks.enabled)) : .failure(.ENOENT)
    case "kernel_max": return .success("\(config.nrCPUs - 1)\n")
    case "isolated": return .success("\n")
    // print_cpus_nohz_full(): "%*pbl" of tick_nohz_full_mask, a NULL cpumask_var_t when
    // CONFIG_NO_HZ_FULL is built (Debian) but nohz_full= was not given.
    case "nohz_full": return .success("(null)\n")
    case "modalias": return .success(cpuModalias + "\n")
    case "uevent": return .success("")
    default: break
    }
    if Kernel.cpuRootDirectories[relative] != nil { return .failure(.EISDIR) }
    guard let (cpu, entry) = cpuEntry(relative), let device = cpus[cpu].device else {
      return .failure(.ENOENT)
    }
    guard let name = entry.first else { return .failure(.EISDIR) }
    guard entry.count == 1, cpuDirectoryEntries(cpu).contains(name) else { return .failure(.ENOENT) }
    switch name {
    case "online": return .success(masks.online.test(cpu) ? "1\n" : "0\n")
    case "uevent":
      // dev_uevent() as a file: DRIVER while the processor driver is bound, then MODALIAS.
      return .success((device.driverBound ? "DRIVER=processor\n" : "") + "MODALIAS=\(cpuModalias)\n")
    // cpu_capacity_show(): SCHED_CAPACITY_SCALE, as no firmware table gives capacities.
    case "cpu_capacity": return .success("1024\n")
    default:
      return Kernel.cpuEntriesUnmodelled[name]?.directory == true ? .failure(.EISDIR) : .failure(.EOPNOTSUPP)
    }
  }

  /// The names in a directory of /sys/devices/system/cpu.
  public func sysfsList(_ path: String) -> Result<[String], Errno> {
    let prefix = "/sys/devices/system/cpu"
    if path == prefix {
      var names = [
        "isolated", "kernel_max", "modalias", "nohz_full", "offline", "online", "possible", "present",
        "uevent",
      ]
      names += Kernel.cpuRootDirectories.keys
      if config.applied(.enabledMask) { names.append("enabled") }
      names += cpus.indices.filter { cpus[$0].device != nil }.map { "cpu\($0)" }
      return .success(names.sorted())
    }
    guard path.hasPrefix(prefix + "/") else { return .failure(.ENOENT) }
    let relative = String(path.dropFirst(prefix.count + 1))
    if let (cpu, entry) = cpuEntry(relative), entry.isEmpty { return .success(cpuDirectoryEntries(cpu)) }
    if case .success = sysfsRead(path) { return .failure(.ENOTDIR) }
    return .failure(.ENOENT)
  }
}
