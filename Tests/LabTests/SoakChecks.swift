import CPUMask
import Foundation
import GuestKernel
import Lab
import LabScript
import VirtMachine

/// The checks: invariants after every world event, and the settled state against the reference.
extension SoakExecution {
  /// The invariants that hold after every event: the mask chain, sysfs equal to the masks, and
  /// the VMM, firmware (`_STA`, the hotplug registers), PSCI and GIC agreeing with each other and
  /// with the kernel. Returns the first broken one.
  func invariants() -> String? {
    guard let m = lab.machine else { return nil }
    let state = m.state
    for s in 0..<m.smp.maxCPUs {
      let vmm = state.vmm.slots[s]
      let regs = state.hotplug.slots[s]
      let plugged = vmm.plugged
      if regs.plugged != plugged || regs.enabled != plugged {
        return "VMM and hotplug registers disagree: slot \(s) plugged=\(plugged) CPEN=\(regs.enabled)"
      }
      let sta = m.firmwareStatus(of: s)
      let want: UInt32 = plugged ? 0xF : regs.present ? 0xD : 0
      if sta != want { return "_STA disagrees with the slot: slot \(s) _STA 0x\(String(sta, radix: 16))" }
      if state.gic.accessible[s] != plugged {
        return "GIC CPU interface accessibility disagrees with the slot: slot \(s)"
      }
      if !plugged && state.power[s] != .off { return "PSCI not OFF for an empty slot: slot \(s)" }
      if vmm.coldPlugged && !plugged { return "a cold-plugged vCPU left: slot \(s)" }
      if vmm.deviceID != nil && (!plugged || vmm.coldPlugged) {
        return "a device id on an empty or cold slot: slot \(s)"
      }
    }
    guard let k = lab.kernel else { return nil }
    let masks = k.masks
    let enabledMask = k.config.applied(.enabledMask)
    // active ⊆ online ⊆ enabled ⊆ present ⊆ possible; enabled only once booted (CPU 0 is online
    // from boot_cpu_init() but registered by the ACPI scan), and not before patch 8 (the CPUs
    // present at boot are never registered) or without patch 19 (no enabled mask).
    var chain: [(String, CPUMask)] = [("active", masks.active), ("online", masks.online)]
    let onlineInEnabled = k.config.mode == .x86Physical || k.config.applied(.registerDeferredCPUs)
    if k.booted && enabledMask && onlineInEnabled { chain.append(("enabled", masks.enabled)) }
    if enabledMask && k.booted && !onlineInEnabled && !masks.enabled.isSubset(of: masks.present) {
      return "enabled ⊄ present: \(masks.enabled.andNot(masks.present).listString)"
    }
    chain += [("present", masks.present), ("possible", masks.possible)]
    for i in 1..<chain.count where !chain[i - 1].1.isSubset(of: chain[i].1) {
      return
        "\(chain[i - 1].0) ⊄ \(chain[i].0): CPUs \(chain[i - 1].1.andNot(chain[i].1).listString) are \(chain[i - 1].0) but not \(chain[i].0)"
    }
    if onlineInEnabled && k.invariantViolations.isEmpty == false {
      return "kernel.invariantViolations: \(k.invariantViolations.map { "\($0)" }.joined(separator: "; "))"
    }
    // Without patch 8 the CPUs online from boot have no CPU device, so an eject request removes
    // the vCPU under a running CPU: the slot checks below hold only with it.
    for cpu in masks.online where onlineInEnabled {
      guard cpu < m.smp.maxCPUs else { return "online CPU without a slot: cpu \(cpu)" }
      if !state.vmm.slots[cpu].plugged { return "online CPU in an empty slot: cpu \(cpu)" }
      if state.power[cpu] != .on { return "online CPU not PSCI ON: cpu \(cpu) is \(state.power[cpu])" }
      // CPU 0 is online from boot_cpu_init(), before the GIC driver wakes its redistributor.
      if !state.gic.redistributors[cpu].awake && (cpu != 0 || k.booted) {
        return "online CPU with a sleeping redistributor: cpu \(cpu)"
      }
    }
    // sysfs, whenever the masks or the devices changed.
    let key = (masks, k.uevents.count, k.nrCPUIDs)
    if let old = checkedKey, old.masks == key.0 && old.uevents == key.1 && old.nrCPUIDs == key.2 {
      return nil
    }
    checkedKey = key
    let n = Swift.max(k.nrCPUIDs, 1)
    func list(_ m: CPUMask) -> String { m.resized(to: n).listString + "\n" }
    var offline = CPUMask(nrCPUs: n, cpus: 0..<k.nrCPUIDs)
    for cpu in masks.online where cpu < n { offline.clear(cpu) }
    var files = [
      ("possible", list(masks.possible)), ("present", list(masks.present)), ("online", list(masks.online)),
      ("offline", offline.listString + "\n"),
    ]
    if enabledMask { files.append(("enabled", list(masks.enabled))) }
    for (name, want) in files {
      guard case .success(let text) = k.sysfsRead("/sys/devices/system/cpu/\(name)"), text == want else {
        return "sysfs \(name) is not the mask: \(k.sysfsRead("/sys/devices/system/cpu/\(name)")) for \(want)"
      }
    }
    if !enabledMask, case .success = k.sysfsRead("/sys/devices/system/cpu/enabled") {
      return "sysfs enabled exists without patch 19"
    }
    guard case .success(let names) = k.sysfsList("/sys/devices/system/cpu") else {
      return "no /sys/devices/system/cpu"
    }
    let dirs = names.filter { $0.hasPrefix("cpu") && $0.dropFirst(3).allSatisfy(\.isNumber) }.compactMap {
      Int($0.dropFirst(3))
    }
    if enabledMask && Set(dirs) != Set(masks.enabled.resized(to: n)) {
      return "cpuN directories are not the enabled mask: \(dirs.sorted()) for \(masks.enabled.listString)"
    }
    for cpu in dirs {
      let online = k.sysfsRead("/sys/devices/system/cpu/cpu\(cpu)/online")
      guard case .success(let text) = online, text == (masks.online.test(cpu) ? "1\n" : "0\n") else {
        return "cpuN/online is not the online mask: cpu \(cpu) reads \(online)"
      }
    }
    return nil
  }

  // MARK: After a settle

  /// What the lab shows through its commands, per slot.
  struct Observed {
    var files: [String: String] = [:]
    var dirs: Set<Int> = []
    var slots: [SoakReference.Slot] = []
    var sta: [Int] = []
  }

  func observe() -> Observed {
    var o = Observed()
    let m = lab.machine!
    o.slots = Array(repeating: SoakReference.Slot(), count: m.smp.maxCPUs)
    _ = run("info hotpluggable-cpus")
    var slot = m.smp.maxCPUs
    for line in output.text.split(separator: "\n") {
      if line.hasPrefix("  type:") { slot -= 1 }
      if let r = line.range(of: "qom_path: \"") {
        let path = line[r.upperBound...].dropLast()
        o.slots[slot].plugged = true
        o.slots[slot].cold = path.hasPrefix("/machine/unattached/")
        if path.hasPrefix("/machine/peripheral/") { o.slots[slot].id = String(path.dropFirst(20)) }
      }
    }
    _ = run("print " + (0..<m.smp.maxCPUs).map { "sta(\($0))" }.joined(separator: ", "))
    o.sta = output.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
    for s in o.slots.indices {
      o.slots[s].firmwarePresent = o.sta[s] & 1 != 0
      o.slots[s].inserting = m.state.hotplug.slots[s].inserting
      o.slots[s].removing = m.state.hotplug.slots[s].removing
    }
    guard lab.kernel != nil else { return o }
    for name in ["possible", "present", "enabled", "online", "offline"] {
      o.files[name] = run("cat /sys/devices/system/cpu/\(name)").map { "error: \($0)" } ?? output.text
    }
    _ = run("ls /sys/devices/system/cpu")
    o.dirs = Set(
      output.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter {
        $0.hasPrefix("cpu") && $0.dropFirst(3).allSatisfy(\.isNumber)
      }.compactMap { Int($0.dropFirst(3)) })
    let present = (try? CPUMask(cpulist: o.files["present"]!.trimmingCharacters(in: .newlines))) ?? CPUMask()
    let online = (try? CPUMask(cpulist: o.files["online"]!.trimmingCharacters(in: .newlines))) ?? CPUMask()
    for s in o.slots.indices {
      o.slots[s].registered = o.dirs.contains(s)
      o.slots[s].present = present.test(s)
      o.slots[s].online = online.test(s)
      o.slots[s].attached = o.slots[s].registered && o.slots[s].plugged
    }
    return o
  }

  /// After `settle`: the world is idle and shows what the reference predicts; slots that raced
  /// are taken from the lab once they pass the settled invariants.
  func compareSettled(index: Int) throws(SoakFailure) {
    guard lab.isIdle else { throw fail(index, "settle", "the world is not idle after settle") }
    let m = lab.machine!
    let o = observe()
    let ref = world.ref
    // Settled invariants: PSCI ON exactly for online CPUs, no event left pending, enabled CPUs
    // plugged (unless the firmware cleared Present on eject, or arch_register_cpu() registered
    // every present CPU at boot).
    let fullSeries = lab.kernel.map {
      $0.config.mode == .x86Physical || $0.config.applied(.registerDeferredCPUs)
    }
    if let k = lab.kernel, k.booted, fullSeries == true {
      for s in 0..<m.smp.maxCPUs {
        let online = s < k.masks.online.nrCPUs && k.masks.online.test(s)
        if (m.state.power[s] == .on) != online {
          throw fail(
            index, "settled: PSCI power",
            "cpu\(s) is PSCI \(m.state.power[s]) but \(online ? "online" : "offline") once settled",
            show: ["cpu \(s)", "psci", "dmesg -n 6"])
        }
        let registered = k.cpus.indices.contains(s) && k.cpus[s].device != nil
        if registered && !o.slots[s].plugged && !world.clearPresentUsed && ref.deferring {
          throw fail(
            index, "settled: registered CPU in an empty slot", "cpu\(s) is registered but its slot is empty",
            expect: "expect error \"No such file\" { cat /sys/devices/system/cpu/cpu\(s)/online }",
            show: ["cpus"])
        }
      }
      if k.masks.active != k.masks.online {
        throw fail(index, "settled: active", "active \(k.masks.active) is not online \(k.masks.online)")
      }
    }
    let booted = lab.kernel?.booted == true
    if booted,
      let s = o.slots.indices.first(where: {
        o.slots[$0].inserting || (o.slots[$0].removing && !m.options.scan.isRFCV5)
      })
    {
      throw fail(index, "settled: hotplug event pending", "slot \(s) still has a CPU hotplug event pending")
    }
    // Adopt what raced, then compare everything.
    for s in world.uncertain where s < o.slots.count {
      var slot = o.slots[s]
      if !ref.booted || s >= ref.nrCPUIDs {
        slot.registered = false
        slot.online = false
        slot.present = false
      }
      world.ref.slots[s] = slot
    }
    world.pending = []
    world.pendingIDs = []
    world.uncertain = []
    world.uncertainIDs = []
    let r = world.ref
    for s in o.slots.indices {
      let (want, got) = (r.slots[s], o.slots[s])
      if want.plugged != got.plugged || (want.plugged && (want.cold != got.cold || want.id != got.id)) {
        throw fail(
          index, "settled: VMM slot",
          "slot \(s): the VMM has \(Self.describe(got)), the reference \(Self.describe(want))",
          expect: "expect sta(\(s)) == \(r.sta(s))", show: ["info hotpluggable-cpus"])
      }
      if booted && want.removing != got.removing {
        throw fail(
          index, "settled: eject request pending",
          "slot \(s): an Eject Request is \(got.removing ? "" : "not ")pending, the reference says the opposite",
          show: ["cpu \(s)"])
      }
      if o.sta[s] != r.sta(s) {
        throw fail(
          index, "settled: _STA",
          "slot \(s): _STA is 0x\(String(o.sta[s], radix: 16)), expected 0x\(String(r.sta(s), radix: 16))",
          expect: "expect sta(\(s)) == \(r.sta(s))")
      }
    }
    guard r.booted else { return }
    func text(_ cpus: [Int]) -> String {
      CPUMask(nrCPUs: Swift.max(r.nrCPUIDs, 1), cpus: cpus).listString + "\n"
    }
    var files = [
      ("possible", text(r.possible)), ("present", text(r.mask(\.present))),
      ("online", text(r.mask(\.online))),
      ("offline", text(r.possible.filter { !r.slots[$0].online })),
    ]
    files.append(
      ("enabled", r.kernel.on(19) ? text(r.mask(\.registered)) : "error: No such file or directory"))
    for (name, want) in files {
      let got = o.files[name] ?? ""
      let matches = want.hasPrefix("error: ") ? got.contains(want.dropFirst(7)) : got == want
      guard matches else {
        throw fail(
          index, "settled: \(name)",
          "/sys/devices/system/cpu/\(name) is \"\(got.trimmingCharacters(in: .newlines))\", the reference says \"\(want.trimmingCharacters(in: .newlines))\"",
          expect: want.hasPrefix("error: ")
            ? nil : "expect str(mask(\"\(name)\")) == \"\(want.trimmingCharacters(in: .newlines))\"",
          show: ["masks", "cpus", "dmesg -n 8"])
      }
    }
    let dirs = Set(r.mask(\.registered))
    if o.dirs != dirs {
      let cpu = o.dirs.symmetricDifference(dirs).min()!
      throw fail(
        index, "settled: cpuN directories",
        "cpuN directories are \(o.dirs.sorted()), the reference says \(dirs.sorted())",
        expect: dirs.contains(cpu)
          ? "cat /sys/devices/system/cpu/cpu\(cpu)/online"
          : "expect error \"No such file\" { cat /sys/devices/system/cpu/cpu\(cpu)/online }",
        show: ["cpus", "dmesg -n 8"])
    }
  }

  static func describe(_ s: SoakReference.Slot) -> String {
    s.plugged
      ? (s.cold ? "a cold-plugged vCPU" : "vCPU \(s.id.map { "id=\($0)" } ?? "(no id)")") : "an empty slot"
  }
}

extension VirtOptions.Scan {
  var isRFCV5: Bool { self == .rfcV5 }
}
