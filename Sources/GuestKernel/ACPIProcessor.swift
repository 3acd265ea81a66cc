import ACPI
import CPUMask

/// The ACPI processor driver's scan handler (drivers/acpi/acpi_processor.c): `acpi_processor_add`
/// → `acpi_processor_get_info` → `acpi_processor_hotadd_init` → `arch_register_cpu`, and
/// `acpi_processor_post_eject` on removal; the `processor` driver binding (processor_driver.c).
extension Kernel {
  /// `acpi_processor_add()`: returns 1 when the handler attached, a negative errno otherwise.
  static func acpiProcessorAdd(_ path: String) -> KFunction {
    KFunction("acpi_processor_add", path) { k, c in
      guard let index = k.processorIndex(path) else { return .returns(Kernel.err(.ENODEV)) }
      // acpi_device_is_enabled(): present and enabled (scan.c, 6.9).
      guard acpiDeviceIsEnabled(k.processors[index].status) else { return .returns(Kernel.err(.ENODEV)) }
      return .call(acpiProcessorGetInfo(path)) { k, c, error in
        if error != 0 {
          // Before patch 4 the error was dropped and the add "succeeded".
          return .returns(k.config.applied(.getInfoErrorReturned) ? error : 0)
        }
        guard let cpu = k.processors[index].cpu, cpu >= 0, cpu < k.cpus.count, k.cpus[cpu].device != nil
        else {
          return .returns(Kernel.err(.ENODEV))
        }
        // acpi_bind_one() and device_attach(): the processor driver binds to the CPU device,
        // once it is registered (at boot it is not yet: acpi_processor_driver_init() binds).
        if k.processorDriverRegistered { k.bindProcessorDriver(cpu, c) }
        return .returns(1)
      }
    }
  }

  /// `acpi_processor_get_info()`: `_UID` → MPIDR (the MADT GICC with that UID, Enabled or Online
  /// Capable) → logical CPU; then register it if it has no CPU device yet (patch 8), or just
  /// claim it.
  static func acpiProcessorGetInfo(_ path: String) -> KFunction {
    KFunction("acpi_processor_get_info", path) { k, c in
      guard let index = k.processorIndex(path) else { return .returns(Kernel.err(.ENODEV)) }
      let uid = k.processors[index].uid
      if k.processors.contains(where: { $0.uid == uid && $0.handlerAttached && $0.path != path }) {
        return .returns(Kernel.err(.ENODEV))
      }
      // acpi_get_phys_id() → map_gicc_mpidr(); acpi_map_cpuid() → the logical CPU.
      let gicc = k.madtGICC(uid: UInt32(truncatingIfNeeded: uid))
      let physID = gicc.map { $0.mpidr & Kernel.mpidrHWIDMask }
      let cpu = physID.flatMap { id in k.cpus.firstIndex { $0.mpidr == id } }
      k.processors[index].cpu = cpu
      let hasDevice = cpu.map { k.cpus[$0].device != nil } ?? false
      if k.config.applied(.registerDeferredCPUs) {
        if !hasDevice { return .tailCall(acpiProcessorHotaddInit(path, physID: physID, cpu: cpu)) }
        return .returns(k.setPerCPU(path, cpu: cpu!, c))
      }
      // Before patch 8: only CPUs that are not present went through hotadd_init.
      if let cpu, k.masks.present.test(cpu) {
        return .returns(hasDevice ? k.setPerCPU(path, cpu: cpu, c) : 0)
      }
      return .tailCall(acpiProcessorHotaddInit(path, physID: physID, cpu: cpu))
    }
  }

  /// The MADT GICC entry with an ACPI Processor UID, if usable.
  func madtGICC(uid: UInt32) -> GICC? {
    for structure in madt?.structures ?? [] {
      if case .gicc(let g) = structure, g.acpiProcessorUID == uid, giccUsable(g.flags) { return g }
    }
    return nil
  }

  /// `acpi_processor_set_per_cpu()` (patch 6): claim the CPU number for this device.
  mutating func setPerCPU(_ path: String, cpu: Int, _ c: KContext) -> Int {
    if let claimed = cpus[cpu].processorDeviceArray, claimed != path {
      printk(.warning, "ACPI: BIOS reported wrong ACPI id \(cpus[cpu].acpiUID) for the processor", c)
      return Kernel.err(.EINVAL)
    }
    cpus[cpu].processorDeviceArray = path
    cpus[cpu].processor = path
    return 0
  }

  /// `acpi_processor_hotadd_init()`: map the CPU (arm64: nothing to do; x86: make it present),
  /// claim it, `arch_register_cpu()`, and announce it. Without CONFIG_ACPI_HOTPLUG_CPU it is the
  /// stub that returns -ENODEV.
  static func acpiProcessorHotaddInit(_ path: String, physID: UInt64?, cpu: Int?) -> KFunction {
    KFunction("acpi_processor_hotadd_init", path) { k, c in
      guard k.acpiHotplugCPU else { return .returns(Kernel.err(.ENODEV)) }
      guard physID != nil else { return .returns(Kernel.err(.ENODEV)) }
      // acpi_map_cpu() (arch/arm64/kernel/acpi.c, pr_fmt "ACPI: "): only an invalid logical id
      // is rejected.
      guard let cpu else {
        k.printOnce("ACPI: Unable to map CPU to valid ID", c)
        return .returns(Kernel.err(.ENODEV))
      }
      if k.config.mode == .x86Physical { k.masks.present.set(cpu) }
      let claimed = k.setPerCPU(path, cpu: cpu, c)
      if claimed != 0 { return .returns(claimed) }
      return .call(archRegisterCPU(cpu)) { k, c, error in
        if error != 0 {
          k.cpus[cpu].processor = nil
          if k.config.mode == .x86Physical { k.masks.present.clear(cpu) }
          return .returns(error)
        }
        k.printk(.info, "ACPI: CPU\(cpu) has been hot-added", c)
        return .returns(0)
      }
    }
  }

  /// `acpi_processor_post_eject()`: unbind the driver, `arch_unregister_cpu()`, unmap (x86: the
  /// CPU stops being present), forget the per-CPU pointers.
  static func acpiProcessorPostEject(_ path: String) -> KFunction {
    KFunction("acpi_processor_post_eject", path) { k, c in
      guard let index = k.processorIndex(path), let cpu = k.processors[index].cpu, cpu < k.cpus.count else {
        return .returns(0)
      }
      k.releaseProcessorDriver(cpu, c)
      return .call(archUnregisterCPU(cpu)) { k, c, _ in
        // acpi_unmap_cpu(): arm64 does nothing; x86 clears present.
        if k.config.mode == .x86Physical { k.masks.present.clear(cpu) }
        k.cpus[cpu].processorDeviceArray = nil
        k.cpus[cpu].processor = nil
        k.processors[index].cpu = nil
        return .returns(0)
      }
    }
  }
}
