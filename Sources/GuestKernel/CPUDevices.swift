import CPUMask

/// CPU devices and their sysfs files (drivers/base/cpu.c): `register_cpu()`, `unregister_cpu()`,
/// `cpu_dev_register_generic()`, and what /sys/devices/system/cpu shows.
extension Kernel {
  /// `register_cpu()`: the device appears (KOBJ_ADD), then the CPU joins the enabled mask.
  static func registerCPU(_ cpu: Int, hotpluggable: Bool) -> KFunction {
    KFunction("register_cpu", "cpu\(cpu)") { k, c in
      k.cpus[cpu].device = CPUDevice(hotpluggable: hotpluggable)
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
    case "isolated", "nohz_full": return .success("\n")
    case "modalias": return .success(Kernel.cpuModalias + "\n")
    case "uevent": return .success("")
    default: break
    }
    let parts = relative.split(separator: "/").map(String.init)
    guard let name = parts.first, name.hasPrefix("cpu"), let cpu = Int(name.dropFirst(3)),
      String(cpu) == String(name.dropFirst(3)),
      cpu < cpus.count, let device = cpus[cpu].device
    else { return .failure(.ENOENT) }
    if parts.count == 1 { return .failure(.EISDIR) }
    guard parts.count == 2 else { return .failure(.ENOENT) }
    switch parts[1] {
    case "online" where device.hotpluggable: return .success(masks.online.test(cpu) ? "1\n" : "0\n")
    case "uevent":
      // dev_uevent() as a file: DRIVER while the processor driver is bound, then MODALIAS.
      return .success(
        (cpus[cpu].processor != nil ? "DRIVER=processor\n" : "") + "MODALIAS=\(Kernel.cpuModalias)\n")
    default: return .failure(.ENOENT)
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
      if config.applied(.enabledMask) { names.append("enabled") }
      names += cpus.indices.filter { cpus[$0].device != nil }.map { "cpu\($0)" }
      return .success(names.sorted())
    }
    guard path.hasPrefix(prefix + "/cpu") else {
      if case .success = sysfsRead(path) { return .failure(.ENOTDIR) }
      return .failure(.ENOENT)
    }
    let name = String(path.dropFirst(prefix.count + 1))
    guard let cpu = Int(name.dropFirst(3)), cpu < cpus.count, let device = cpus[cpu].device else {
      if case .success = sysfsRead(path) { return .failure(.ENOTDIR) }
      return .failure(.ENOENT)
    }
    return .success(device.hotpluggable ? ["online", "uevent"] : ["uevent"])
  }
}
