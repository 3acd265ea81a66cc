import CPUMask

/// The CPU hotplug core (kernel/cpu.c: `cpu_up`, `_cpu_up`, `cpu_down`, `_cpu_down`, the cpuhp
/// state machine) and the driver-core glue that sysfs writes reach (drivers/base/core.c
/// `device_online`/`device_offline`, drivers/base/cpu.c `online_store`).
extension Kernel {
  /// One cpuhp state's callback for `cpu`, run on the CPU the state belongs to.
  static func cpuhpInvoke(_ cpu: Int, _ state: CPUHPState, bringup: Bool) -> KFunction {
    KFunction(
      "cpuhp_invoke_callback",
      "cpu\(cpu) \(state.constant) \"\(state.name)\" \(bringup ? "startup" : "teardown")"
    ) { k, c in
      var result = 0
      switch (state, bringup) {
      case (.gicCheckRdist, true):
        // gic_check_rdist() (patch 14): a CPU whose redistributor is inaccessible cannot boot.
        if k.config.applied(.gicOnlineCapable) && k.brokenRdists.contains(cpu) {
          result = Kernel.err(.EINVAL)
        }
      case (.apACPICPUOnline, true):
        // acpi_soft_cpu_online(): the first online does the per-CPU ACPI setup (patch 1).
        if k.processorDriverRegistered { k.acpiSoftCPUOnline(cpu, c) }
      case (.apActive, true):
        k.masks.active.set(cpu)  // sched_cpu_activate()
      case (.apActive, false):
        k.masks.active.clear(cpu)  // sched_cpu_deactivate()
      default:
        break
      }
      if result == 0 {
        k.cpus[cpu].state = bringup ? state : CPUHPState(rawValue: state.rawValue - 1) ?? .offline
      }
      return .returns(result)
    }
  }

  /// `cpu_up(cpu, CPUHP_ONLINE)`.
  static func cpuUp(_ cpu: Int) -> KFunction {
    KFunction("cpu_up", "cpu\(cpu)") { k, c in
      guard cpu < k.config.nrCPUs, k.masks.possible.test(cpu) else {
        k.printk(.err, "can't online cpu \(cpu) because it is not configured as may-hotadd at boot time", c)
        return .returns(Kernel.err(.EINVAL))
      }
      return .tailCall(cpuUpLocked(cpu))
    }
  }

  /// `_cpu_up()`: the BP states up to CPUHP_BRINGUP_CPU, then the AP states; on failure the
  /// states already passed are undone (`cpuhp_rollback_install`) and the CPU stays offline.
  static func cpuUpLocked(_ cpu: Int) -> KFunction {
    KFunction("_cpu_up", "cpu\(cpu)") { k, c in
      guard k.masks.present.test(cpu) else { return .returns(Kernel.err(.EINVAL)) }
      if k.masks.online.test(cpu) { return .returns(0) }
      let states = CPUHPState.allCases.filter { $0 > k.cpus[cpu].state && $0 < .online && $0 != .teardownCPU }
      func up(_ i: Int, _ k: inout Kernel, _ c: KContext) -> KResult {
        guard i < states.count else {
          k.cpus[cpu].state = .online
          return .returns(0)
        }
        let state = states[i]
        let step: KFunction
        switch state {
        case .bringupCPU: step = bringupCPU(cpu)
        case .apIdleDead, .apOffline, .apSchedStarting, .apIRQGICStarting, .apArchTimerStarting, .apOnline:
          // Run by the CPU itself inside secondary_start_kernel() (notify_cpu_starting).
          return up(i + 1, &k, c)
        default: step = cpuhpInvoke(cpu, state, bringup: true)
        }
        return .call(step) { k, c, error in
          if error != 0 { return rollback(states[..<i].reversed(), error, &k, c) }
          return up(i + 1, &k, c)
        }
      }
      func rollback(
        _ done: ReversedCollection<ArraySlice<CPUHPState>>, _ error: Int, _ k: inout Kernel, _ c: KContext
      )
        -> KResult
      {
        for state in done where state != .bringupCPU {
          k.cpus[cpu].state = CPUHPState(rawValue: state.rawValue - 1) ?? .offline
        }
        k.cpus[cpu].state = .offline
        return .returns(error)
      }
      return up(0, &k, c)
    }
  }

  /// `bringup_cpu()` → `__cpu_up()`.
  static func bringupCPU(_ cpu: Int) -> KFunction {
    KFunction("bringup_cpu", "cpu\(cpu)") { k, c in
      .call(cpuUpArch(cpu)) { k, c, error in
        if error == 0 { k.cpus[cpu].state = .apOnline }
        return .returns(error)
      }
    }
  }

  /// `cpu_down(cpu, CPUHP_OFFLINE)` → `_cpu_down()`: the AP states are torn down, then
  /// CPUHP_TEARDOWN_CPU takes the CPU out (`takedown_cpu`: `__cpu_disable` on it, then
  /// `arch_cpuhp_cleanup_dead_cpu` on the control CPU), then the BP dead states.
  static func cpuDown(_ cpu: Int) -> KFunction {
    KFunction("cpu_down", "cpu\(cpu)") { k, c in
      if k.masks.online.weight == 1 && k.masks.online.test(cpu) { return .returns(Kernel.err(.EBUSY)) }
      guard k.masks.present.test(cpu) else { return .returns(Kernel.err(.EINVAL)) }
      guard k.masks.online.test(cpu) else { return .returns(0) }
      let apStates: [CPUHPState] = [.apActive, .apACPICPUOnline, .apSmpbootThreads, .apOnlineIdle]
      func down(_ i: Int, _ k: inout Kernel, _ c: KContext) -> KResult {
        guard i < apStates.count else {
          return .call(takedownCPU(cpu)) { k, c, error in
            if error != 0 { return .returns(error) }
            return .call(cpuhpInvoke(cpu, .timersPrepare, bringup: false)) { k, c, _ in
              k.cpus[cpu].state = .offline
              return .returns(0)
            }
          }
        }
        let ap = KContext(platform: c.platform, thread: c.thread, cpu: cpu)
        _ = ap
        return .call(cpuhpInvoke(cpu, apStates[i], bringup: false)) { k, c, _ in down(i + 1, &k, c) }
      }
      return down(0, &k, c)
    }
  }

  /// `takedown_cpu()`: stop_machine runs `take_cpu_down` (→ `__cpu_disable`) on the dying CPU,
  /// which then dies from its idle loop (`cpu_die()` → `cpu_psci_cpu_die()`) while the control
  /// CPU waits in `cpuhp_bp_sync_dead()` and then calls `arch_cpuhp_cleanup_dead_cpu()`.
  static func takedownCPU(_ cpu: Int) -> KFunction {
    KFunction("takedown_cpu", "cpu\(cpu)") { k, c in
      .call(cpuDisable(cpu)) { k, c, _ in
        k.cpus[cpu].state = .apIdleDead
        return .call(cpuPSCICPUDie(cpu)) { k, c, _ in
          .tailCall(archCPUHPCleanupDeadCPU(cpu))
        }
      }
    }
  }

  // MARK: The driver core and sysfs

  /// `device_online()` → `cpu_subsys_online()` → `cpu_device_up()`; KOBJ_ONLINE on success.
  static func deviceOnline(_ cpu: Int) -> KFunction {
    KFunction("device_online", "cpu\(cpu)") { k, c in
      if k.masks.online.test(cpu) { return .returns(1) }
      return .call(cpuUp(cpu)) { k, c, error in
        if error == 0 { k.uevent(.online, cpu: cpu, properties: [("DRIVER", "processor")], c) }
        return .returns(error)
      }
    }
  }

  /// `device_offline()` → `cpu_subsys_offline()` → `cpu_device_down()`; KOBJ_OFFLINE on success.
  static func deviceOffline(_ cpu: Int) -> KFunction {
    KFunction("device_offline", "cpu\(cpu)") { k, c in
      guard let device = k.cpus[cpu].device else { return .returns(Kernel.err(.ENODEV)) }
      if !device.hotpluggable { return .returns(Kernel.err(.EPERM)) }
      if !k.masks.online.test(cpu) { return .returns(1) }
      return .call(cpuDown(cpu)) { k, c, error in
        if error == 0 { k.uevent(.offline, cpu: cpu, properties: [("DRIVER", "processor")], c) }
        return .returns(error)
      }
    }
  }

  /// `online_store()` for /sys/devices/system/cpu/cpuN/online: `kstrtobool`, then
  /// `device_online` or `device_offline`; a write returns its length or a negative errno.
  static func onlineStore(_ cpu: Int, text: String) -> KFunction {
    KFunction("online_store", "cpu\(cpu) \"\(text.trimmingCharacters(in: "\n"))\"") { k, c in
      guard let value = kstrtobool(text) else { return .returns(Kernel.err(.EINVAL)) }
      // The CPU may have been ejected before this write ran (kernfs then finds the file gone).
      guard k.cpus.indices.contains(cpu), k.cpus[cpu].device != nil else {
        return .returns(Kernel.err(.ENODEV))
      }
      return .call(lockDeviceHotplugSysfs) { k, c, locked in
        // -ERESTARTNOINTR: write(2) starts over, from the top.
        if locked != 0 { return .tailCall(onlineStore(cpu, text: text)) }
        return .call(value ? deviceOnline(cpu) : deviceOffline(cpu)) { k, c, result in
          .call(unlockDeviceHotplug) { _, _, _ in .returns(result < 0 ? result : text.utf8.count) }
        }
      }
    }
  }

  /// `kstrtobool()`: 1/y/Y/t/T/on and 0/n/N/f/F/off.
  static func kstrtobool(_ text: String) -> Bool? {
    let s = Array(text.utf8)
    guard let first = s.first else { return nil }
    switch first {
    case UInt8(ascii: "1"), UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "t"), UInt8(ascii: "T"):
      return true
    case UInt8(ascii: "0"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "f"), UInt8(ascii: "F"):
      return false
    case UInt8(ascii: "o"), UInt8(ascii: "O"):
      guard s.count > 1 else { return nil }
      switch s[1] | 0x20 {
      case UInt8(ascii: "n"): return true
      case UInt8(ascii: "f"): return false
      default: return nil
      }
    default: return nil
    }
  }

  /// A user process writes `text` to a sysfs file: the write runs as a thread; its result is
  /// reported when it completes. Paths that do not exist fail at once (open() fails).
  public mutating func sysfsWrite(_ path: String, _ text: String, at time: UInt64) -> Result<Void, Errno> {
    let prefix = "/sys/devices/system/cpu/cpu"
    if path.hasPrefix(prefix), path.hasSuffix("/online"),
      let cpu = Int(path.dropFirst(prefix.count).dropLast("/online".count)),
      cpus.indices.contains(cpu), let device = cpus[cpu].device, device.hotpluggable
    {
      spawn(
        "bash", cpu: 0, purpose: .sysfsWrite(path: path, text: text), Kernel.onlineStore(cpu, text: text),
        at: time)
      return .success(())
    }
    switch sysfsRead(path) {
    case .success: return .failure(.EACCES)  // read-only attribute (mode 0444)
    case .failure(let e): return .failure(e == .EISDIR ? .EISDIR : .ENOENT)
    }
  }
}
