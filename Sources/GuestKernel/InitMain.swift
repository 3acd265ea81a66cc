import CPUMask

/// Booting the kernel (init/main.c `start_kernel` and `kernel_init`, arch/arm64/kernel/setup.c
/// `setup_arch`, kernel/smp.c `smp_init`), in Linux's order, on the boot CPU's `swapper/0`.
extension Kernel {
  /// Starts the boot thread; the world runs it step by step.
  public mutating func boot(_ platform: any KernelPlatform) {
    spawn("swapper/0", cpu: 0, Kernel.startKernel, at: platform.now)
  }

  static var startKernel: KFunction {
    KFunction("start_kernel") { k, c in
      // smp_setup_processor_id(): cpu_logical_map(0) from MPIDR_EL1, the MIDR (read_cpuid_id()).
      let mpidr = k.readSysreg(.MPIDR_EL1, c) & Kernel.mpidrHWIDMask
      let midr = k.readSysreg(.MIDR_EL1, c)
      k.printk(.info, "Booting Linux on physical CPU 0x\(lhex(mpidr, 10)) [0x\(lhex(midr, 8))]", c)
      k.masks.possible.set(0)
      k.masks.present.set(0)
      k.masks.online.set(0)
      k.masks.active.set(0)
      k.cpus = [KernelCPU(id: 0, mpidr: mpidr, acpiUID: 0, giccFlags: 0, gicrBaseAddress: 0)]
      k.cpus[0].state = .online
      return .tailCall(setupArch)
    }
  }

  /// `setup_arch()`: ACPI tables, PSCI, CPU enumeration; then the rest of start_kernel.
  static var setupArch: KFunction {
    KFunction("setup_arch") { k, c in
      .call(acpiTableInit) { k, c, error in
        if error != 0 { return .returns(error) }
        return .call(psciACPIInit) { k, c, _ in
          .call(smpInitCPUs) { k, c, _ in
            k.cpus[0].state = .online
            k.printk(.info, "Detected PIPT I-cache on CPU0", c)
            // The boot CPU's features (setup_boot_cpu_features() → setup_elf_hwcaps()).
            k.elfHwcaps = k.setupELFHwcaps(c)
            if k.nrCPUIDs != k.config.nrCPUs {
              // rcu_bootup_announce_oddness(), then rcu_init_geometry(): the default
              // rcu_fanout_leaf (CONFIG_RCU_FANOUT_LEAF=16) with nr_cpu_ids != NR_CPUS
              // still recomputes the tree.
              k.printk(
                .info,
                "rcu: \tRCU restricting CPUs from NR_CPUS=\(k.config.nrCPUs) to nr_cpu_ids=\(k.nrCPUIDs).", c)
              k.printk(
                .info, "rcu: Adjusting geometry for rcu_fanout_leaf=16, nr_cpu_ids=\(k.nrCPUIDs)", c)
            }
            // init_IRQ() → the GICv3 driver.
            return .call(irqchipInit) { k, c, _ in
              .call(smpPrepareCPUs) { k, c, _ in
                .tailCall(kernelInit)
              }
            }
          }
        }
      }
    }
  }

  /// `kernel_init()`: SMP bring-up, then the driver model and the initcalls (CPU devices, the
  /// ACPI scan, the GED driver), then user space.
  static var kernelInit: KFunction {
    KFunction("kernel_init") { k, c in
      .call(prepareSecondaryEntry) { k, c, _ in
        .call(smpInit) { k, c, _ in
          // driver_init() → cpu_dev_init() → cpu_dev_register_generic()
          .call(cpuDevRegisterGeneric) { k, c, _ in
            // acpi_init() (subsys_initcall) → acpi_scan_init()
            .call(acpiScanInit) { k, c, _ in
              .call(acpiGEDProbe) { k, c, _ in
                // device_initcall: drivers/acpi/acpi.o (the GED) links before processor.o.
                .call(acpiProcessorDriverInit) { k, c, _ in
                  k.booted = true
                  c.platform.trace("kernel", "kernel.booted", cpu: 0, "user space starts (init)")
                  return .returns(0)
                }
              }
            }
          }
        }
      }
    }
  }

  /// `smp_init()` → `bringup_nonboot_cpus()`: `cpu_up()` every present CPU, up to `maxcpus=`.
  static var smpInit: KFunction {
    KFunction("smp_init") { k, c in
      k.printk(.info, "smp: Bringing up secondary CPUs ...", c)
      let candidates = Array(k.masks.present).filter { $0 != 0 }
      func next(_ i: Int, _ k: inout Kernel, _ c: KContext) -> KResult {
        if i >= candidates.count || k.masks.online.weight >= (k.config.maxCPUsOnCommandLine ?? Int.max) {
          let n = k.masks.online.weight
          k.printk(.info, "smp: Brought up 1 node, \(n) CPU\(n == 1 ? "" : "s")", c)
          k.printk(.info, "SMP: Total of \(n) processors activated.", c)
          return .returns(0)
        }
        return .call(cpuUp(candidates[i])) { k, c, _ in next(i + 1, &k, c) }
      }
      return next(0, &k, c)
    }
  }

  /// Interrupt entry: when CPU 0's IRQ line is up and no handler runs, `gic_handle_irq()`.
  public mutating func takeInterrupt(_ platform: any KernelPlatform) {
    guard booted || gedIRQRequested, !irqActive, platform.irqPending(cpu: 0) else { return }
    irqActive = true
    spawn("irq", cpu: 0, Kernel.gicHandleIRQ, at: platform.now)
  }
}
