import CPUMask

/// The soak's reference: what the world looks like once it has settled, written from the fact
/// sheets (linux-vcpu-hotplug.md §1.3, §4-7, §9, §12; qemu-virt-hotplug.md §3, §6.2, §7;
/// real-linux-captures.md) and sharing no code with GuestKernel or VirtMachine. Every operation
/// takes effect at once and completely; the soak compares this with the lab after a `settle`.
struct SoakReference {
  /// The `-smp` topology and the machine options that change what the guest sees.
  struct Machine: Equatable {
    var cpus = 1, maxcpus = 1, sockets = 1, clusters = 1, cores = 1, threads = 1
    var coldOnlineCapable = false  // cold-flags=online-capable
    var perGICC = false  // redistributors=per-gicc
    var rfcV5Scan = false  // scan=rfc-v5
  }
  /// The kernel's boot configuration (`kernel config`, `kernel patch`, `kernel mode`).
  struct Kernel: Equatable {
    var nrCPUs = 512, maxcpus: Int?, udev = false, x86 = false, off: Set<Int> = [], fix20 = false
    func on(_ patch: Int) -> Bool { patch == 20 ? fix20 : !off.contains(patch) }
  }
  struct Slot: Equatable {
    var plugged = false, cold = false, inserting = false, removing = false
    var id: String?
    var firmwarePresent = true  // `_STA` Present (CPRS)
    var registered = false, present = false, online = false  // the guest: cpuN, masks
    var attached = false  // the ACPI processor scan handler is bound to the CPU's device
  }

  var machine = Machine()
  var kernel = Kernel()  // the running kernel's configuration, once booted
  var slots: [Slot] = []
  var booted = false
  var ejectFault = "normal"
  var cpuOnFault: [Int: String] = [:]
  /// Writes (the user's and the udev rule's) that failed: cpu and errno text, in order.
  var failedWrites: [(cpu: Int, message: String)] = []

  static let EPERM = "Operation not permitted", EINVAL = "Invalid argument"
  static let EBUSY = "Device or resource busy", ENOENT = "No such file or directory"

  init() {}

  init(_ m: Machine) {
    machine = m
    slots = (0..<m.maxcpus).map { Slot(plugged: $0 < m.cpus, cold: $0 < m.cpus) }
  }

  // MARK: What the guest sees (§1.3, §2, §3)

  /// GICC Enabled: CPU 0, and the other cold-plugged CPUs unless they are Online Capable only.
  func giccEnabled(_ s: Int) -> Bool { s == 0 || (s < machine.cpus && !machine.coldOnlineCapable) }
  /// `nr_cpu_ids`: usable GICC entries (Enabled, or Online Capable since patch 14) up to NR_CPUS.
  var nrCPUIDs: Int {
    min(kernel.on(14) ? machine.maxcpus : (machine.coldOnlineCapable ? 1 : machine.cpus), kernel.nrCPUs)
  }
  var possible: [Int] { Array(0..<nrCPUIDs) }
  /// GICR addresses only in Enabled GICCs: the others' redistributors are `broken_rdists`.
  func broken(_ s: Int) -> Bool { machine.perGICC && kernel.on(14) && !giccEnabled(s) }
  /// arm64 `arch_register_cpu()` waits for the ACPI handle (patches 16 and 17).
  var deferring: Bool { !kernel.x86 && kernel.on(16) && kernel.on(17) }
  func sta(_ s: Int) -> Int { slots[s].plugged ? 0xF : slots[s].firmwarePresent ? 0xD : 0 }
  func mask(_ f: (Slot) -> Bool) -> [Int] { possible.filter { f(slots[$0]) } }
  var onlineCount: Int { slots.filter(\.online).count }

  // MARK: The guest's operations (§4-7, §9)

  /// `cpu_up()`: gic_check_rdist, then PSCI CPU_ON (DENIED for an empty slot -> EPERM).
  mutating func cpuUp(_ s: Int) -> String? {
    if slots[s].online { return nil }
    if broken(s) { return Self.EINVAL }
    switch cpuOnFault[s] {
    case "denied"?: return Self.EPERM
    case "invalid-parameters"?, "internal-failure"?: return Self.EINVAL
    default: if !slots[s].plugged { return Self.EPERM }
    }
    slots[s].online = true
    return nil
  }

  /// `cpu_down()`: the last online CPU stays.
  mutating func cpuDown(_ s: Int) -> String? {
    if !slots[s].online { return nil }
    if onlineCount == 1 { return Self.EBUSY }
    slots[s].online = false
    return nil
  }

  /// `register_cpu()`: cpuN appears, KOBJ_ADD, enabled; the udev rule (if any) onlines it.
  mutating func register(_ s: Int) {
    slots[s].registered = true
    if kernel.udev, let error = cpuUp(s) { failedWrites.append((s, error)) }
  }

  /// Cold boot (§9a): possible/present from the MADT, smp_init up to maxcpus=, then the
  /// registrations, then the CPU hotplug events raised before the guest ran.
  mutating func boot(_ k: Kernel) {
    kernel = k
    booted = true
    // x86 physical hotplug: the firmware reports an empty socket as absent (_STA 0).
    if kernel.x86 { for s in slots.indices { slots[s].firmwarePresent = slots[s].plugged } }
    for s in possible { slots[s].present = !kernel.x86 || giccEnabled(s) }
    slots[0].online = true
    for s in possible.dropFirst() where slots[s].present {
      if onlineCount >= kernel.maxcpus ?? Int.max { break }
      _ = cpuUp(s)
    }
    if !deferring { for s in possible where slots[s].present { register(s) } }
    for s in possible where slots[s].plugged && !slots[s].attached { deviceCheck(s) }
    gedScan()
  }

  /// Device Check of a CPU without a device: `acpi_scan_device_check()` rescans the parent, so
  /// every enabled processor without a device is attached (linux-vcpu-hotplug.md, notify table).
  mutating func deviceCheck(_ s: Int) {
    guard booted, s < nrCPUIDs, slots[s].plugged, !slots[s].attached else { return }
    for t in possible where slots[t].plugged && !slots[t].attached { attach(t) }
  }

  /// The processor scan handler attaches a CPU (x86: it becomes present first).
  /// A CPU registered at boot only gets its per-CPU data; arm64 registers the others only with
  /// patch 8 (`acpi_processor_hotadd_init()`), otherwise the add fails and nothing is bound.
  mutating func attach(_ s: Int) {
    if slots[s].registered {
      slots[s].attached = true
    } else if kernel.x86 {
      slots[s].present = true
      slots[s].attached = true
      register(s)
    } else if kernel.on(8) {
      slots[s].attached = true
      register(s)
    }
  }

  /// Eject Request (§4.5, §9d): offline, (.detach before patch 10), `_EJ0`, `_STA` re-check,
  /// post_eject → arch_unregister_cpu().
  mutating func eject(_ s: Int) {
    guard booted else { return }
    if slots[s].registered && slots[s].online && cpuDown(s) != nil { return }  // "Offline failed."
    if !kernel.on(10) {  // .detach = acpi_processor_remove() before patch 10
      if slots[s].attached && slots[s].registered { unregister(s) }
      slots[s].attached = false
    }
    if ejectFault != "keep-enabled" {
      slots[s].plugged = false
      slots[s].id = nil
      if ejectFault == "clear-present" || kernel.x86 { slots[s].firmwarePresent = false }
    } else {
      return  // "Eject incomplete - status 0xf"
    }
    slots[s].attached = false  // acpi_bus_post_eject() clears the handler
    guard kernel.on(10), slots[s].registered else { return }
    // arm64's arch_unregister_cpu() (patch 16) returns early when Present went (§5.2, §11.3).
    if !kernel.x86 && kernel.on(16) && !slots[s].firmwarePresent && !kernel.fix20 { return }
    unregister(s)
  }

  mutating func unregister(_ s: Int) {
    slots[s].registered = false
    if kernel.x86 { slots[s].present = false }  // acpi_unmap_cpu()
  }

  /// The GED's CPU scan (CSCN): upstream, Device Checks then Eject Requests; the RFC v5 scan
  /// sends a slot's Eject Request during its walk, before the Device Checks, and none to a slot
  /// that also has an insert pending (it stays pending).
  mutating func gedScan() {
    guard booted else { return }
    let inserted = slots.indices.filter { slots[$0].inserting }
    let ejected = slots.indices.filter { slots[$0].removing && !(machine.rfcV5Scan && inserted.contains($0)) }
    if machine.rfcV5Scan { ejectAll(ejected) }
    for s in inserted {
      slots[s].inserting = false
      deviceCheck(s)
    }
    if !machine.rfcV5Scan { ejectAll(ejected) }
  }

  mutating func ejectAll(_ ejected: [Int]) {
    for s in ejected {
      slots[s].removing = false
      eject(s)
    }
  }

  // MARK: Commands

  /// `echo TEXT > cpuN/online` once the write ran: nil, or the errno text the shell reports.
  mutating func onlineStore(_ s: Int, _ text: String) -> String? {
    switch Self.kstrtobool(text) {
    case true?: return cpuUp(s)
    case false?: return cpuDown(s)
    case nil: return Self.EINVAL
    }
  }

  /// lib/kstrtox.c `kstrtobool()`.
  static func kstrtobool(_ text: String) -> Bool? {
    let c = Array(text.lowercased())
    switch c.first {
    case "1", "y", "t": return true
    case "0", "n", "f": return false
    case "o" where c.count > 1: return c[1] == "n" ? true : c[1] == "f" ? false : nil
    default: return nil
    }
  }

  /// The slot `device_add DRIVER,key=value...` plugs, or QEMU's error (§7.2).
  func deviceAddSlot(_ driver: String?, _ props: [(String, String)]) -> Result<Int, SoakError> {
    guard let driver, !driver.isEmpty else { return .failure("Parameter 'driver' is missing") }
    guard driver.hasSuffix("-arm-cpu") else {
      return .failure("'\(driver)' is not a valid device model name")
    }
    if let id = props.last(where: { $0.0 == "id" })?.1, slots.contains(where: { $0.plugged && $0.id == id }) {
      return .failure("Duplicate device ID '\(id)'")
    }
    var ids: [String: Int] = [:]
    for (key, value) in props where key != "id" {
      guard ["socket-id", "cluster-id", "core-id", "thread-id"].contains(key) else {
        return .failure("Property '\(driver).\(key)' not found")
      }
      guard let v = Int(value) else { return .failure("Parameter '\(key)' expects") }
      ids[key] = v
    }
    guard driver == "host-arm-cpu" else {
      return .failure("Invalid CPU type, expected cpu type: 'host-arm-cpu'")
    }
    let m = machine
    var value: [String: Int] = [:]
    for (key, count) in [("thread-id", m.threads), ("core-id", m.cores), ("cluster-id", m.clusters)]
      + [("socket-id", m.sockets)]
    {
      let v = ids[key] ?? 0
      guard v >= 0 && v < count else {
        let shown = key == "core-id" ? String(v) : String(UInt32(truncatingIfNeeded: v))
        return .failure("Invalid \(key) \(shown) specified, correct range 0:\(count - 1)")
      }
      value[key] = v
    }
    let (socket, cluster, core, thread) = (
      value["socket-id"]!, value["cluster-id"]!, value["core-id"]!, value["thread-id"]!
    )
    let s = ((socket * m.clusters + cluster) * m.cores + core) * m.threads + thread
    guard !slots[s].plugged else {
      let mpidr = (s / 16) << 8 | s % 16
      return .failure("cpu(id\(s)=\(socket):\(cluster):\(core):\(thread)) with arch-id \(mpidr) exist")
    }
    return .success(s)
  }

  /// `device_add` that passed the checks: the slot is plugged, the guest told (§7.3).
  mutating func plug(_ s: Int, id: String?) {
    slots[s].plugged = true
    slots[s].firmwarePresent = true
    slots[s].id = id
    slots[s].inserting = true
    gedScan()
  }

  /// The slot `device_del ID` names, or QEMU's error (§7.4).
  func deviceDelSlot(_ name: String) -> Result<Int, SoakError> {
    let byPath = name.hasPrefix("/machine/unattached/device[") ? Int(name.dropFirst(27).dropLast()) : nil
    if let s = byPath, s < slots.count, slots[s].cold {
      return .failure("Hot-unplug of cold-booted CPU not supported!")
    }
    let id = name.hasPrefix("/machine/peripheral/") ? String(name.dropFirst(20)) : name
    guard let s = slots.indices.first(where: { slots[$0].plugged && slots[$0].id == id }) else {
      return .failure("Device '\(name)' not found")
    }
    return .success(s)
  }

  mutating func requestEject(_ s: Int) {
    slots[s].removing = true
    gedScan()
  }
}

/// An expected error text (a substring of what the lab reports).
struct SoakError: Error, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
  var text: String
  init(_ text: String) { self.text = text }
  init(stringLiteral text: String) { self.text = text }
  init(stringInterpolation: DefaultStringInterpolation) {
    text = String(stringInterpolation: stringInterpolation)
  }
  var description: String { text }
}
