import CPUMask

/// The PSCI client: probing the firmware (drivers/firmware/psci/psci.c `psci_probe`) and the
/// arm64 cpu_ops that use it (arch/arm64/kernel/psci.c `cpu_psci_cpu_boot`, `cpu_psci_cpu_die`,
/// `cpu_psci_cpu_kill`). Every call goes through HVC, the conduit the FADT names.
extension Kernel {
  /// A negative errno as kernel functions return it.
  public static func err(_ e: Errno) -> Int { -Int(e.rawValue) }

  // PSCI function ids (include/uapi/linux/psci.h): the 32-bit ones, and the SMC64 ones arm64
  // uses where an argument is an address or an MPIDR.
  static let PSCI_0_2_FN_PSCI_VERSION: UInt64 = 0x8400_0000
  static let PSCI_0_2_FN_CPU_OFF: UInt64 = 0x8400_0002
  static let PSCI_0_2_FN64_CPU_ON: UInt64 = 0xC400_0003
  static let PSCI_0_2_FN64_AFFINITY_INFO: UInt64 = 0xC400_0004
  static let PSCI_0_2_FN_MIGRATE_INFO_TYPE: UInt64 = 0x8400_0006
  static let PSCI_1_0_FN_PSCI_FEATURES: UInt64 = 0x8400_000A
  static let ARM_SMCCC_VERSION_FUNC_ID: UInt64 = 0x8000_0000
  static let ARM_SMCCC_VERSION_1_0: Int64 = 0x1_0000
  static let ARM_SMCCC_VERSION_1_1: Int64 = 0x1_0001

  // PSCI return codes (PSCI_RET_*) and AFFINITY_INFO states (PSCI_0_2_AFFINITY_LEVEL_*).
  static let PSCI_RET_SUCCESS: Int64 = 0
  static let PSCI_RET_NOT_SUPPORTED: Int64 = -1
  static let PSCI_RET_INVALID_PARAMS: Int64 = -2
  static let PSCI_RET_DENIED: Int64 = -3
  static let PSCI_RET_INVALID_ADDRESS: Int64 = -9
  static let PSCI_0_2_AFFINITY_LEVEL_OFF: Int64 = 1
  /// MIGRATE_INFO_TYPE: no Trusted OS (`PSCI_0_2_TOS_MP`).
  static let PSCI_0_2_TOS_MP: Int64 = 2

  /// `psci_to_linux_errno()` (drivers/firmware/psci/psci.c).
  static func psciToLinuxErrno(_ code: Int64) -> Int {
    // `int err = invoke_psci_fn(...)`: the low 32 bits of X0.
    switch Int64(Int32(truncatingIfNeeded: code)) {
    case PSCI_RET_SUCCESS: 0
    case PSCI_RET_NOT_SUPPORTED: Kernel.err(.EOPNOTSUPP)
    case PSCI_RET_INVALID_PARAMS, PSCI_RET_INVALID_ADDRESS: Kernel.err(.EINVAL)
    case PSCI_RET_DENIED: Kernel.err(.EPERM)
    default: Kernel.err(.EINVAL)
    }
  }

  /// `psci_acpi_init()` → `psci_probe()`: version, function ids, migration, SMCCC version.
  static var psciACPIInit: KFunction {
    KFunction("psci_acpi_init") { k, c in
      k.printk(.info, "psci: probing for conduit method from ACPI.", c)
      let version = c.platform.hvc(cpu: c.cpu, PSCI_0_2_FN_PSCI_VERSION)
      let major = version >> 16
      let minor = version & 0xFFFF
      k.printk(.info, "psci: PSCIv\(major).\(minor) detected in firmware.", c)
      k.printk(.info, "psci: Using standard PSCI v0.2 function IDs", c)
      let migrate = c.platform.hvc(cpu: c.cpu, PSCI_0_2_FN_MIGRATE_INFO_TYPE)
      if migrate == PSCI_0_2_TOS_MP || migrate == PSCI_RET_NOT_SUPPORTED {
        k.printk(.info, "psci: Trusted OS migration not required", c)
      }
      // psci_init_smccc(): SMCCC_VERSION only if PSCI_FEATURES says it exists; below 1.1 the
      // answer is taken as 1.0 (SMCCC and PSCI versions are encoded alike).
      var smccc = ARM_SMCCC_VERSION_1_0
      let features = c.platform.hvc(cpu: c.cpu, PSCI_1_0_FN_PSCI_FEATURES, ARM_SMCCC_VERSION_FUNC_ID)
      if features != PSCI_RET_NOT_SUPPORTED {
        let version = c.platform.hvc(cpu: c.cpu, ARM_SMCCC_VERSION_FUNC_ID) & 0xFFFF_FFFF
        if version >= ARM_SMCCC_VERSION_1_1 && version < 0x8000_0000 { smccc = version }
      }
      k.printk(.info, "psci: SMC Calling Convention v\(smccc >> 16).\(smccc & 0xFFFF)", c)
      return .returns(0)
    }
  }

  /// `cpu_psci_cpu_boot()`: PSCI CPU_ON for the CPU's MPIDR, entering the trampoline with the
  /// CPU's boot block as context. "arm64: psci: Ignore DENIED CPUs" keeps -EPERM quiet.
  static func cpuPSCICPUBoot(_ cpu: Int) -> KFunction {
    KFunction("cpu_psci_cpu_boot", "cpu\(cpu)") { k, c in
      let result = c.platform.hvc(
        cpu: c.cpu, PSCI_0_2_FN64_CPU_ON, k.cpus[cpu].mpidr, Kernel.trampolineAddress, k.cpus[cpu].bootBlock)
      let error = psciToLinuxErrno(result)
      if error != 0 && (error != Kernel.err(.EPERM) || !k.config.applied(.psciIgnoreDenied)) {
        k.printk(.err, "psci: failed to boot CPU\(cpu) (\(error))", c)
      }
      return .returns(error)
    }
  }

  /// `cpu_psci_cpu_die()`, on the dying CPU: PSCI CPU_OFF. A secondary's idle loop runs A64
  /// code, so the kernel raises the die request in its boot block and sends it an IPI (SGI 1);
  /// the trampoline's IRQ handler then calls CPU_OFF itself. CPU 0 runs the modelled kernel
  /// instead, so the kernel makes its CPU_OFF call itself; arm64 lets the boot CPU go offline
  /// (`cpu_psci_cpu_can_disable()` is true without a resident Trusted OS), and a later CPU_ON
  /// brings vCPU 0 back through the same trampoline as any secondary.
  static func cpuPSCICPUDie(_ cpu: Int) -> KFunction {
    KFunction("cpu_psci_cpu_die", "cpu\(cpu)") { k, c in
      if cpu == Kernel.bootCPU {
        _ = c.platform.hvc(cpu: 0, PSCI_0_2_FN_CPU_OFF)
        return .returns(0)
      }
      k.write(k.cpus[cpu].bootBlock + BootBlock.request, size: 8, 1, c)
      k.sendIPI(.callFunction, to: cpu, c)
      return .returns(0)
    }
  }

  /// `cpu_psci_cpu_kill()`: polls AFFINITY_INFO for up to 100 ms until the CPU reports OFF.
  static func cpuPSCICPUKill(_ cpu: Int) -> KFunction {
    KFunction("cpu_psci_cpu_kill", "cpu\(cpu)") { k, c in
      let start = c.now
      func poll(_ k: inout Kernel, _ c: KContext) -> KResult {
        let state = c.platform.hvc(cpu: c.cpu, PSCI_0_2_FN64_AFFINITY_INFO, k.cpus[cpu].mpidr, 0)
        if state == PSCI_0_2_AFFINITY_LEVEL_OFF {
          // jiffies at HZ=250: 4 ms granularity.
          let ms = (c.now - start) / 4_000_000 * 4
          k.printk(.info, "psci: CPU\(cpu) killed (polled \(ms) ms)", c)
          return .returns(0)
        }
        if c.now - start >= 100_000_000 {
          k.printk(
            .warning, "psci: CPU\(cpu) may not have shut down cleanly (AFFINITY_INFO reports \(state))", c)
          return .returns(Kernel.err(.ETIMEDOUT))
        }
        // usleep_range(100, 1000)
        return .sleep(nanoseconds: 500_000) { k, c, _ in poll(&k, c) }
      }
      return poll(&k, c)
    }
  }
}

/// arm64's IPIs (arch/arm64/kernel/smp.c `enum ipi_msg_type`): the SGI number of each.
enum IPI: UInt64 {
  case reschedule = 0
  case callFunction = 1
  case cpuStop = 2
}

extension Kernel {
  /// `smp_cross_call()` → `gic_ipi_send_mask()`: an SGI to one CPU, written to CPU 0's
  /// ICC_SGI1R_EL1 (INTID [27:24], Aff1 [23:16], Aff2 [39:32], Aff3 [55:48], TargetList [15:0]).
  mutating func sendIPI(_ ipi: IPI, to cpu: Int, _ c: KContext) {
    let affinity = cpus[cpu].mpidr
    let sgi1r =
      ipi.rawValue << 24 | ((affinity >> 8) & 0xFF) << 16 | ((affinity >> 16) & 0xFF) << 32
      | ((affinity >> 32) & 0xFF) << 48 | (1 << (affinity & 0xF))
    writeSysreg(.ICC_SGI1R_EL1, sgi1r, KContext(platform: c.platform, thread: c.thread, cpu: Kernel.bootCPU))
  }
}
