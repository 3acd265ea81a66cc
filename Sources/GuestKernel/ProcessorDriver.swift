/// The ACPI `processor` driver (drivers/acpi/processor_driver.c) and its thermal cooling device
/// (drivers/acpi/processor_thermal.c). The driver registers at device_initcall time, after
/// `acpi_scan_init()` (subsys_initcall) has registered the boot CPUs: that is when they are
/// bound. Since the series' patch 1 the per-CPU setup (`__acpi_processor_start()`, which
/// registers the "Processor" cooling device) runs from the "acpi/cpu-drv:online" hotplug state
/// the first time a CPU comes online; the driver's `.remove` (`acpi_processor_stop()`)
/// unregisters it when the CPU is unbound at eject.
extension Kernel {
  /// `acpi_processor_driver_init()`: `driver_register()` binds every CPU device an ACPI
  /// processor claimed, then `cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "acpi/cpu-drv:online")`
  /// runs `acpi_soft_cpu_online()` on each CPU already online.
  static var acpiProcessorDriverInit: KFunction {
    KFunction("acpi_processor_driver_init") { k, c in
      k.processorDriverRegistered = true
      for cpu in k.cpus.indices where k.cpus[cpu].device != nil && k.cpus[cpu].processor != nil {
        k.bindProcessorDriver(cpu, c)
      }
      for cpu in k.masks.online { k.acpiSoftCPUOnline(cpu, c) }
      return .returns(0)
    }
  }

  /// `device_attach()` / `driver_attach()`: the `processor` driver binds (KOBJ_BIND).
  mutating func bindProcessorDriver(_ cpu: Int, _ c: KContext) {
    guard cpus[cpu].device?.driverBound == false else { return }
    cpus[cpu].device?.driverBound = true
    uevent(.bind, cpu: cpu, properties: [("DRIVER", "processor")], c)
  }

  /// `device_release_driver()`: the driver's `.remove` (`acpi_processor_stop()` →
  /// `acpi_processor_thermal_exit()`), then KOBJ_UNBIND.
  mutating func releaseProcessorDriver(_ cpu: Int, _ c: KContext) {
    guard cpus[cpu].device?.driverBound == true else { return }
    if let id = cpus[cpu].device?.coolingDevice {
      cpus[cpu].device?.coolingDevice = nil
      coolingDeviceUevent(.remove, id, c)
    }
    cpus[cpu].device?.driverBound = false
    uevent(.unbind, cpu: cpu, properties: [("DRIVER", "processor")], c)
  }

  /// `acpi_soft_cpu_online()`: for a CPU an ACPI processor claimed, the first online runs
  /// `__acpi_processor_start()` (`pr->flags.previously_online`).
  mutating func acpiSoftCPUOnline(_ cpu: Int, _ c: KContext) {
    guard cpus[cpu].processor != nil, cpus[cpu].device?.driverBound == true,
      cpus[cpu].device?.previouslyOnline == false
    else { return }
    cpus[cpu].device?.previouslyOnline = true
    // acpi_processor_thermal_init() → thermal_cooling_device_register("Processor"): the
    // lowest free id (ida_alloc).
    let used = Set(cpus.compactMap { $0.device?.coolingDevice })
    let id = (0...).first { !used.contains($0) }!
    cpus[cpu].device?.coolingDevice = id
    coolingDeviceUevent(.add, id, c)
  }

  /// The thermal class's uevent for `/devices/virtual/thermal/cooling_deviceN`.
  mutating func coolingDeviceUevent(_ action: UEvent.Action, _ id: Int, _ c: KContext) {
    let devpath = "/devices/virtual/thermal/cooling_device\(id)"
    uevents.append(
      UEvent(
        sequence: nextUEventSequence, time: c.now, action: action, devpath: devpath, subsystem: "thermal",
        properties: []))
    nextUEventSequence += 1
    c.platform.trace("kernel", "uevent", cpu: c.cpu, action.rawValue + " " + devpath)
  }
}
