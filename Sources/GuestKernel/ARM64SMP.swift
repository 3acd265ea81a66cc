import A64
import ACPI
import CPUMask

/// arm64 SMP: enumerating CPUs from the MADT (arch/arm64/kernel/smp.c `acpi_map_gic_cpu_interface`,
/// `smp_init_cpus`, `smp_prepare_cpus`), bringing one up (`__cpu_up`, `secondary_start_kernel`),
/// taking one down (`__cpu_disable`, `cpu_die`, `arch_cpuhp_cleanup_dead_cpu`), and the series' `arch_register_cpu()` /
/// `arch_unregister_cpu()`.
extension Kernel {
  /// `MPIDR_HWID_BITMASK`
  static let mpidrHWIDMask: UInt64 = 0xFF_00FF_FFFF
  /// Where the kernel image starts and the secondary entry trampoline lives.
  public static let trampolineAddress: UInt64 = 0x4008_0000
  /// One boot block (see BootBlock) per CPU from here, and one 4 KiB stack per CPU.
  static let bootBlocks: UInt64 = 0x4020_0000
  /// The redistributor region table the trampoline walks (BootBlock.rdistRegions).
  static let rdistRegionTable: UInt64 = 0x401F_0000
  static let stacks: UInt64 = 0x4040_0000

  /// `acpi_gicc_is_usable()` before the series (Enabled only), or Enabled-or-Online-Capable after it.
  func giccUsable(_ flags: UInt32) -> Bool {
    if config.applied(.gicOnlineCapable) { return flags & (GICC.enabled | GICC.onlineCapable) != 0 }
    return flags & GICC.enabled != 0
  }

  /// `smp_init_cpus()` → `acpi_parse_and_init_cpus()`: walk the MADT's GICC entries
  /// (`acpi_map_gic_cpu_interface`), fix `nr_cpu_ids` and the possible mask.
  static var smpInitCPUs: KFunction {
    KFunction("smp_init_cpus") { k, c in
      guard let madt = k.madt else { return .returns(Kernel.err(.ENODEV)) }
      // cpu_logical_map(0), from MPIDR_EL1 in smp_setup_processor_id().
      let bootMPIDR = k.cpus.first?.mpidr ?? 0
      var logical: [(mpidr: UInt64, gicc: GICC)] = []
      var boot: GICC?
      var count = 1
      for structure in madt.structures {
        guard case .gicc(let gicc) = structure else { continue }
        // acpi_map_gic_cpu_interface()
        guard k.giccUsable(gicc.flags) else { continue }
        let hwid = gicc.mpidr & Kernel.mpidrHWIDMask
        if hwid == 0xFF_FFFF_FFFF || gicc.mpidr & ~Kernel.mpidrHWIDMask != 0 {
          k.printk(.err, "skipping CPU entry with invalid MPIDR 0x\(lhex(gicc.mpidr, 1))", c)
          continue
        }
        if logical.contains(where: { $0.mpidr == hwid }) {
          k.printk(.err, "duplicate CPU MPIDR 0x\(lhex(hwid, 1)) in MADT", c)
          continue
        }
        if boot != nil && hwid == bootMPIDR {
          k.printk(.err, "duplicate boot CPU MPIDR: 0x\(lhex(hwid, 1)) in MADT", c)
          continue
        }
        if hwid == bootMPIDR {
          boot = gicc
          continue
        }
        if count >= k.config.nrCPUs {
          count += 1
          continue
        }
        logical.append((hwid, gicc))
        count += 1
      }
      if count > k.config.nrCPUs {
        k.printk(
          .warning,
          "smp: Number of cores (\(count)) exceeds configured maximum of \(k.config.nrCPUs) - clipping", c)
      }
      guard let boot else {
        k.printk(.err, "missing boot CPU MPIDR, not enabling secondaries", c)
        k.cpus = [KernelCPU(id: 0, mpidr: bootMPIDR, acpiUID: 0, giccFlags: 0, gicrBaseAddress: 0)]
        k.nrCPUIDs = 1
        k.masks.possible.set(0)
        return .returns(0)
      }
      k.cpus = [
        KernelCPU(
          id: 0, mpidr: bootMPIDR, acpiUID: boot.acpiProcessorUID, giccFlags: boot.flags,
          gicrBaseAddress: boot.gicrBaseAddress)
      ]
      for (index, entry) in logical.enumerated() {
        k.cpus.append(
          KernelCPU(
            id: index + 1, mpidr: entry.mpidr, acpiUID: entry.gicc.acpiProcessorUID,
            giccFlags: entry.gicc.flags,
            gicrBaseAddress: entry.gicc.gicrBaseAddress))
      }
      k.nrCPUIDs = k.cpus.count
      for cpu in k.cpus.indices {
        // smp_cpu_setup(): the PSCI cpu_ops init succeeds for every CPU.
        k.masks.possible.set(cpu)
        k.cpus[cpu].bootBlock = Kernel.bootBlocks + UInt64(cpu) * BootBlock.size
      }
      return .returns(0)
    }
  }

  /// `smp_prepare_cpus(max_cpus)`: every possible CPU whose cpu_ops prepare succeeds becomes
  /// present (PSCI: all of them); on x86 only the CPUs the MADT marks Enabled are present at
  /// boot. `maxcpus=0` (UP mandated, as by `nosmp`) returns before any secondary is made
  /// present, so only the boot CPU ever is.
  static var smpPrepareCPUs: KFunction {
    KFunction("smp_prepare_cpus") { k, c in
      k.masks.present.set(0)
      if k.config.maxCPUsOnCommandLine == 0 { return .returns(0) }
      for cpu in 0..<k.nrCPUIDs {
        if k.config.mode == .x86Physical && cpu != 0 && k.cpus[cpu].giccFlags & GICC.enabled == 0 { continue }
        k.masks.present.set(cpu)
      }
      return .returns(0)
    }
  }

  /// Writes the trampoline and each CPU's boot block into guest memory.
  static var prepareSecondaryEntry: KFunction {
    KFunction("secondary_entry setup") { k, c in
      let program: AssembledProgram
      do throws(AssemblyError) {
        program = try Assembler.assemble(
          k.trampolineSource, base: Kernel.trampolineAddress, fileName: "secondary_entry.S")
      } catch {
        k.printk(
          .err, "secondary_entry.S:\(error.line):\(error.column): \(error.message): secondaries cannot boot",
          c)
        return .returns(Kernel.err(.EINVAL))
      }
      k.copyToPhysical(program.bytes, at: Kernel.trampolineAddress, c)
      // The redistributor regions, for each CPU's own gic_populate_rdist().
      for (i, r) in k.rdistRegions.enumerated() {
        k.write(Kernel.rdistRegionTable + UInt64(i) * 16, size: 8, r.base, c)
        k.write(Kernel.rdistRegionTable + UInt64(i) * 16 + 8, size: 8, r.single ? 1 : 0, c)
      }
      k.write(Kernel.rdistRegionTable + UInt64(k.rdistRegions.count) * 16, size: 8, 0, c)
      for cpu in k.cpus.indices {
        let block = k.cpus[cpu].bootBlock
        k.write(block + BootBlock.stackTop, size: 8, Kernel.stacks + UInt64(cpu + 1) * 0x1000, c)
        k.write(block + BootBlock.logicalCPU, size: 8, UInt64(cpu), c)
        k.write(block + BootBlock.rdistRegions, size: 8, Kernel.rdistRegionTable, c)
      }
      return .returns(0)
    }
  }

  // MARK: Bringing a CPU up

  /// The boot CPU: logical CPU 0, whose code is this Swift model rather than A64 instructions.
  public static let bootCPU = 0

  /// What `secondary_entry` does, for the boot CPU when PSCI CPU_ON starts it again after it
  /// went offline: the modelled kernel is that CPU's code, so the platform calls this instead
  /// of running the trampoline. As the trampoline would, it finds its redistributor (which
  /// stayed awake: the dying CPU does not put it to sleep) and reports in through the boot
  /// block at `context`, the CPU_ON context id.
  public mutating func bootCPUEntry(context: UInt64, _ platform: any KernelPlatform) {
    let c = KContext(platform: platform, thread: 0, cpu: Kernel.bootCPU)
    let rd = populateRdist(cpus[Kernel.bootCPU].mpidr, c)
    write(context + BootBlock.redistributor, size: 8, rd?.0 ?? 0, c)
    write(context + BootBlock.status, size: 8, rd == nil ? UInt64(bitPattern: -1) : 1, c)
  }

  /// `__cpu_up()`: CPU_ON, then wait up to 5 s for the CPU to report in (`cpu_running`).
  static func cpuUpArch(_ cpu: Int) -> KFunction {
    KFunction("__cpu_up", "cpu\(cpu)") { k, c in
      k.write(k.cpus[cpu].bootBlock + BootBlock.status, size: 8, 0, c)
      k.write(k.cpus[cpu].bootBlock + BootBlock.request, size: 8, 0, c)
      return .call(cpuPSCICPUBoot(cpu)) { k, c, error in
        if error != 0 {
          if error != Kernel.err(.EPERM) || !k.config.applied(.psciIgnoreDenied) {
            k.printk(.err, "CPU\(cpu): failed to boot: \(error)", c)
          }
          return .returns(error)
        }
        return .wait(.cpuRunning(cpu), timeout: 5_000_000_000) { k, c, timedOut in
          if timedOut != 0 {
            k.printk(.crit, "CPU\(cpu): failed to come online", c)
            // The boot status the CPU left: Linux reads secondary_data.status, or
            // __early_cpu_boot_status while that still says CPU_MMU_OFF; a CPU that never wrote
            // one leaves 0, which is no known state (the default case of the switch).
            let status = k.read(k.cpus[cpu].bootBlock + BootBlock.status, size: 8, c)
            k.printk(.err, "CPU\(cpu): failed in unknown state : 0x\(lhex(status, 1))", c)
            return .returns(Kernel.err(.EIO))
          }
          return .call(secondaryStartKernel(cpu)) { k, c, _ in
            .returns(k.masks.online.test(cpu) ? 0 : Kernel.err(.EIO))
          }
        }
      }
    }
  }

  /// `secondary_start_kernel()`, on the new CPU after its trampoline reported in: the boot
  /// messages, the STARTING hotplug states, and `set_cpu_online()`.
  static func secondaryStartKernel(_ cpu: Int) -> KFunction {
    KFunction("secondary_start_kernel", "cpu\(cpu)") { k, c in
      let status = Int64(bitPattern: k.read(k.cpus[cpu].bootBlock + BootBlock.status, size: 8, c))
      let rd = k.read(k.cpus[cpu].bootBlock + BootBlock.redistributor, size: 8, c)
      let ctx = KContext(platform: c.platform, thread: c.thread, cpu: cpu)
      k.printk(.info, "Detected PIPT I-cache on CPU\(cpu)", ctx)
      if status < 0 {
        // gic_populate_rdist(): WARN(true, ...), so no "GICv3: " prefix.
        k.warn("CPU\(cpu): mpidr \(lhex(k.cpus[cpu].mpidr, 1)) has no re-distributor!", ctx)
      } else {
        // "found redistributor <mpidr> region <i>:<RD_base>" (gic_populate_rdist()).
        let region =
          k.rdistRegions.lastIndex { r in
            rd >= r.base && (r.single ? rd == r.base : true)
          } ?? 0
        k.printk(
          .info,
          "GICv3: CPU\(cpu): found redistributor \(lhex(k.cpus[cpu].mpidr, 1)) region \(region):0x\(lhex(rd, 16))",
          ctx)
        k.cpus[cpu].redistributor = rd
        // gic_starting_cpu() → its_cpu_init(): the first bring-up sets up this CPU's LPIs.
        k.itsCPUInitLPIs(cpu, ctx)
      }
      k.cpus[cpu].state = .apArchTimerStarting
      let midr = k.readSysreg(.MIDR_EL1, ctx)
      k.printk(
        .info, "CPU\(cpu): Booted secondary processor 0x\(lhex(k.cpus[cpu].mpidr, 10)) [0x\(lhex(midr, 8))]",
        ctx)
      // set_cpu_online(cpu, true)
      k.masks.online.set(cpu)
      k.cpus[cpu].state = .apOnline
      return .returns(0)
    }
  }

  // MARK: Taking a CPU down

  /// `__cpu_disable()`, on the dying CPU: it leaves the online mask.
  static func cpuDisable(_ cpu: Int) -> KFunction {
    KFunction("__cpu_disable", "cpu\(cpu)") { k, c in
      k.masks.online.clear(cpu)
      return .returns(0)
    }
  }

  /// `arch_cpuhp_cleanup_dead_cpu()`, on the control CPU once the dying CPU has reported dead
  /// (`cpuhp_bp_sync_dead()`; arm64 has had no `__cpu_die()` since Linux 6.5): make sure the
  /// firmware reports it OFF (`op_cpu_kill()` → `cpu_psci_cpu_kill()`).
  static func archCPUHPCleanupDeadCPU(_ cpu: Int) -> KFunction {
    KFunction("arch_cpuhp_cleanup_dead_cpu", "cpu\(cpu)") { k, c in
      .call(cpuPSCICPUKill(cpu)) { k, c, error in
        if error != 0 { k.printk(.warning, "CPU\(cpu) may not have shut down cleanly: \(error)", c) }
        return .returns(0)
      }
    }
  }

  // MARK: Registration

  /// Copies bytes into physical memory (the kernel image's `secondary_entry` as the boot loader
  /// left it), eight at a time.
  mutating func copyToPhysical(_ bytes: [UInt8], at address: UInt64, _ c: KContext) {
    var offset = 0
    while offset < bytes.count {
      let size = bytes.count - offset >= 8 ? 8 : 1
      var value: UInt64 = 0
      for i in 0..<size { value |= UInt64(bytes[offset + i]) << (8 * i) }
      write(address + UInt64(offset), size: size, value, c)
      offset += size
    }
  }

  /// `arch_register_cpu()` (arm64, the series' variant): defer until the ACPI processor driver
  /// has a handle for the CPU; refuse CPUs that are not present.
  static func archRegisterCPU(_ cpu: Int) -> KFunction {
    KFunction("arch_register_cpu", "cpu\(cpu)") { k, c in
      let deferring =
        k.config.applied(.archRegisterCPUVariant) && k.config.applied(.kconfigHotplugCPU)
        && k.config.mode == .arm64
      if deferring {
        // acpi_get_processor_handle(cpu)
        if k.cpus[cpu].processor == nil { return .returns(Kernel.err(.EPROBE_DEFER)) }
        if !k.masks.present.test(cpu) {
          k.printOnce("Changing CPU present bit is not supported", c)
          return .returns(Kernel.err(.ENODEV))
        }
      }
      return .tailCall(registerCPU(cpu, hotpluggable: true))
    }
  }

  /// `arch_unregister_cpu()` (arm64): re-check `_STA`; a cleared Present bit is refused (until
  /// the 2026 fix, which unregisters anyway and only warns).
  static func archUnregisterCPU(_ cpu: Int) -> KFunction {
    KFunction("arch_unregister_cpu", "cpu\(cpu)") { k, c in
      if k.config.mode == .arm64 && k.config.applied(.archRegisterCPUVariant) {
        guard let path = k.cpus[cpu].processor else {
          k.printOnce("Removing a CPU without associated ACPI handle", c)
          if !k.config.applied(.unregisterAlways) { return .returns(0) }
          return .tailCall(unregisterCPU(cpu))
        }
        let sta = k.evaluateSTA(path, c)
        if sta == nil && !k.config.applied(.unregisterAlways) { return .returns(0) }
        if k.masks.present.test(cpu), let sta, sta & ACPI_STA_DEVICE_PRESENT == 0 {
          k.printOnce("Changing CPU present bit is not supported", c)
          if !k.config.applied(.unregisterAlways) { return .returns(0) }
        }
      }
      return .tailCall(unregisterCPU(cpu))
    }
  }

  /// `pr_err_once`: printed the first time only.
  mutating func printOnce(_ text: String, _ c: KContext) {
    if !log.entries.contains(where: { $0.text == text }) { printk(.err, text, c) }
  }
}
