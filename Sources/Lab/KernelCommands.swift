import ACPI
import CPUMask
import GuestKernel
import LabScript
import HostFiles
import VirtMachine

/// The guest kernel: `boot`, `kernel` (patches, mode, config, trampoline), and the views of its
/// state: `masks`, `cpus`, `cpu N`, `dmesg`, `uevents`, `bt`; the functions `mask()`, `now()`,
/// `sta()`, `cpu_online()`.
extension Lab {
  static let category = "Machine"
  static let kernelCategory = "Guest kernel"
  static let steppingCategory = "Stepping"

  func requireKernel(_ inv: Invocation) throws -> Kernel {
    _ = try requireMachine(inv)
    guard let kernel else {
      throw inv.error("the guest has not booted", hint: "`boot` starts it (then `settle`)")
    }
    return kernel
  }

  var kernelCommands: [CommandSpec] {
    [
      CommandSpec(
        "boot", category: Lab.kernelCategory,
        summary: "start the Linux-like guest on the machine (CPU 0 runs it)",
        help:
          "Queues the guest's boot; `settle` (or `step`) runs it. The kernel configuration is fixed at boot (see `kernel`)."
      ) { [unowned self] inv in
        let m = try requireMachine(inv)
        guard kernel == nil else {
          throw inv.error("the guest is already booted", hint: "create a new machine to boot again")
        }
        guard !trampoline.isEmpty else {
          throw inv.error("there is no secondary_entry.S to boot secondaries with")
        }
        _ = m
        boot()
        inv.session.files.mount(LabSysfs(lab: self), at: "/sys")
        return .none
      },
      CommandSpec(
        "kernel", category: Lab.kernelCategory,
        summary: "the guest kernel's configuration: patches, mode, config, trampoline",
        subcommands: [
          CommandSpec(
            "patches", category: Lab.kernelCategory,
            summary: "the series' patches and whether each is applied"
          ) { [unowned self] inv in
            for patch in SeriesPatch.allCases {
              let on = kernelConfig.applied(patch)
              inv.print(
                "\(String(patch.rawValue).padding(3)) \(on ? "on " : "off") \(patch.commit.padding(12)) \(patch.subject)"
              )
              if let effect = patch.effectWhenSwitched {
                inv.print("              \(patch.defaultOn ? "off" : "on"): \(effect)")
              }
            }
            return .none
          },
          CommandSpec(
            "patch", category: Lab.kernelCategory, summary: "switch a patch on or off for the next boot",
            arguments: [
              ArgumentSpec("N", kind: .int, summary: "the patch number (kernel patches)"),
              ArgumentSpec("STATE", kind: .choice(["on", "off"]), summary: "on or off"),
            ]
          ) { [unowned self] inv in
            guard kernel == nil else {
              throw inv.error(
                "the guest is already booted: patches apply at boot", hint: "create a new machine first")
            }
            guard let patch = SeriesPatch(rawValue: inv.int("N")!) else {
              throw inv.error(
                "there is no patch \(inv.int("N")!): the series has 1-19, and 20 is the later fix", at: "N",
                kind: .argument)
            }
            let on = inv.string("STATE") == "on"
            if patch == .unregisterAlways {
              if on {
                kernelConfig.enabledFixes.insert(patch)
              } else {
                kernelConfig.enabledFixes.remove(patch)
              }
            } else if on {
              kernelConfig.disabledPatches.remove(patch)
            } else {
              kernelConfig.disabledPatches.insert(patch)
            }
            if patch.effectWhenSwitched == nil {
              inv.print("note: patch \(patch.rawValue) changes nothing the lab models")
            }
            return .none
          },
          CommandSpec(
            "mode", category: Lab.kernelCategory,
            summary: "arm64 (virtual hotplug) or x86-physical (present changes) for the next boot",
            arguments: [
              ArgumentSpec(
                "MODE", kind: .choice(KernelConfig.Mode.allCases.map(\.rawValue)), required: false,
                summary: "arm64 or x86-physical")
            ]
          ) { [unowned self] inv in
            guard let mode = inv.string("MODE") else {
              inv.print(kernelConfig.mode.rawValue)
              return .none
            }
            guard kernel == nil else {
              throw inv.error("the guest is already booted: the mode applies at boot")
            }
            kernelConfig.mode = KernelConfig.Mode(rawValue: mode)!
            return .none
          },
          CommandSpec(
            "config", category: Lab.kernelCategory,
            summary: "NR_CPUS, maxcpus= and the udev auto-online rule for the next boot",
            arguments: [
              ArgumentSpec(
                "NR_CPUS", .keyed, kind: .int, required: false,
                summary: "CONFIG_NR_CPUS (2-4096, default 512)"),
              ArgumentSpec(
                "maxcpus", .keyed, kind: .int, required: false, summary: "maxcpus= on the command line"),
              ArgumentSpec(
                "udev", .keyed, kind: .bool, required: false, summary: "the udev rule that onlines added CPUs"
              ),
            ]
          ) { [unowned self] inv in
            if inv.arguments.isEmpty {
              inv.print(
                "NR_CPUS=\(kernelConfig.nrCPUs) maxcpus=\(kernelConfig.maxCPUsOnCommandLine.map(String.init) ?? "(none)") udev=\(kernelConfig.udevAutoOnline ? "on" : "off") mode=\(kernelConfig.mode.rawValue)"
              )
              return .none
            }
            guard kernel == nil else {
              throw inv.error("the guest is already booted: its configuration applies at boot")
            }
            if let n = inv.int("NR_CPUS") {
              guard (2...CPUMask.maximumNRCPUs).contains(n) else {
                throw inv.error("NR_CPUS must be between 2 and 4096", at: "NR_CPUS", kind: .argument)
              }
              kernelConfig.nrCPUs = n
            }
            if let n = inv.int("maxcpus") {
              // maxcpus=0 is valid: no secondary CPU is made present (smp_prepare_cpus()).
              guard n >= 0 else {
                throw inv.error("maxcpus must be 0 or more", at: "maxcpus", kind: .argument)
              }
              kernelConfig.maxCPUsOnCommandLine = n
            }
            if case .bool(let b)? = inv["udev"] { kernelConfig.udevAutoOnline = b }
            return .none
          },
          CommandSpec(
            "trampoline", category: Lab.kernelCategory,
            summary: "show, load, save or reset the secondary entry trampoline (secondary_entry.S)",
            arguments: [
              ArgumentSpec(
                "ACTION", kind: .choice(["show", "load", "save", "reset"]), required: false,
                summary: "what to do (default show)"),
              ArgumentSpec("FILE", kind: .path, required: false, summary: "the .S file for load and save"),
            ]
          ) { [unowned self] inv in
            switch inv.string("ACTION") ?? "show" {
            case "show": inv.session.write(trampoline)
            case "reset": trampoline = Lab.bundledTrampoline
            case "load":
              guard let file = inv.string("FILE") else {
                throw inv.error("load needs a FILE", kind: .argument)
              }
              do throws(HostFileError) { trampoline = try HostFile.readText(file) } catch {
                throw inv.error("cannot read '\(file)': \(error.detail)", at: "FILE", kind: .io)
              }
            default:
              guard let file = inv.string("FILE") else {
                throw inv.error("save needs a FILE", kind: .argument)
              }
              do throws(HostFileError) {
                try HostFile.writeAtomically(Array(trampoline.utf8), to: file)
              } catch {
                throw inv.error("\(error.path): \(error.message)", at: "FILE", kind: .io)
              }
            }
            return .none
          },
        ]),
      CommandSpec(
        "masks", category: Lab.kernelCategory,
        summary: "the kernel's CPU masks (and offline), as sysfs prints them"
      ) { [unowned self] inv in
        let k = try requireKernel(inv)
        let n = Swift.max(k.nrCPUIDs, 1)
        for name in CPUMasks.Name.allCases {
          if name == .enabled && !k.config.applied(.enabledMask) { continue }
          inv.print("\(name.rawValue.padding(9)) \(k.masks[name].resized(to: n).listString)")
        }
        inv.print("offline   \(k.masks.offline(nrCPUIDs: k.nrCPUIDs).listString)")
        for v in k.invariantViolations { inv.print("BROKEN: \(v)") }
        if let panic = k.panicked {
          inv.print("(the kernel panicked: \(panic))")
        } else if !k.booted && k.config.applied(.enabledMask) {
          inv.print("(booting: CPUs enter enabled as register_cpu() runs for them)")
        }
        return .none
      },
      CommandSpec(
        "cpus", category: Lab.kernelCategory,
        summary: "one row per possible CPU: VMM, firmware, GIC, PSCI and kernel state"
      ) { [unowned self] inv in
        inv.session.write(cpusTable(try requireMachine(inv)))
        return .none
      },
      CommandSpec(
        "cpu", category: Lab.kernelCategory, summary: "everything about one CPU",
        arguments: [ArgumentSpec("N", kind: .int, summary: "the CPU number")]
      ) { [unowned self] inv in
        let m = try requireMachine(inv)
        let n = inv.int("N")!
        guard n >= 0 && n < m.smp.maxCPUs else {
          throw inv.error("CPU \(n) is not a possible CPU (0-\(m.smp.maxCPUs - 1))", at: "N", kind: .argument)
        }
        inv.session.write(cpuDetail(m, n))
        return .none
      },
      CommandSpec(
        "dmesg", category: Lab.kernelCategory, summary: "the kernel log",
        arguments: [
          ArgumentSpec("-n", .option, kind: .int, required: false, summary: "only the last N lines")
        ]
      ) { [unowned self] inv in
        let k = try requireKernel(inv)
        inv.session.write(k.log.text(last: inv.int("-n")))
        return .none
      },
      CommandSpec(
        "uevents", category: Lab.kernelCategory,
        summary: "the uevents sent to user space (udevadm monitor --kernel --property)",
        help: """
          Every uevent of the devices the lab models, in order: the CPU devices (subsystem cpu: add, bind, online, \
          offline, unbind, remove) and the processor driver's thermal cooling devices (subsystem thermal). A \
          real guest sends many more, for devices the lab has not got.
          """
      ) { [unowned self] inv in
        let k = try requireKernel(inv)
        for (i, event) in k.uevents.enumerated() {
          if i > 0 { inv.print("") }
          inv.session.write(event.text)
        }
        return .none
      },
      CommandSpec(
        "bt", category: Lab.kernelCategory, summary: "the modelled kernel's call stacks, per thread"
      ) { [unowned self] inv in
        let k = try requireKernel(inv)
        let traces = k.backtraces
        if traces.isEmpty { inv.print("no kernel thread is running") }
        for t in traces {
          inv.print("\(t.thread) on cpu\(t.cpu)\(t.waiting.map { ", waiting for \($0)" } ?? ""):")
          for (depth, frame) in t.frames.enumerated().reversed() {
            inv.print("  #\(t.frames.count - 1 - depth) \(frame)")
          }
        }
        return .none
      },
    ]
  }

  var kernelFunctions: [FunctionSpec] {
    [
      FunctionSpec(
        "mask", [ParameterSpec("name", .choice(CPUMasks.Name.allCases.map(\.rawValue) + ["offline"]))],
        returns: "mask",
        category: Lab.kernelCategory,
        summary:
          "one of the kernel's masks (nr_cpu_ids wide): possible, present, enabled, online, active, offline"
      ) { [unowned self] call in
        guard let kernel else { throw call.error("the guest has not booted", hint: "`boot` starts it") }
        let n = Swift.max(kernel.nrCPUIDs, 1)
        let name = call.string(0)
        if name == "offline" { return .mask(kernel.masks.offline(nrCPUIDs: kernel.nrCPUIDs).resized(to: n)) }
        return .mask(kernel.masks[CPUMasks.Name(rawValue: name)!].resized(to: n))
      },
      FunctionSpec("now", [], returns: "int", category: Lab.category, summary: "virtual time in nanoseconds")
      { [unowned self] call in
        .int(Int(machine?.state.clock ?? 0))
      },
      FunctionSpec(
        "sta", [ParameterSpec("cpu", .int)], returns: "int", category: Lab.category,
        summary: "the _STA the firmware's AML returns for a CPU slot (0xF plugged, 0xD empty)"
      ) { [unowned self] call in
        guard let machine else { throw call.error("there is no machine yet") }
        let n = call.int(0)
        guard n >= 0 && n < machine.smp.maxCPUs else {
          throw call.error("CPU \(n) is not a possible CPU", at: 0)
        }
        return .int(Int(machine.firmwareStatus(of: n)))
      },
    ]
  }

  /// `cpus`: one row per possible CPU.
  func cpusTable(_ m: VirtMachine) -> String {
    var out = "CPU  MPIDR   VMM slot  _STA  MADT flags       PSCI        GICR   registered  online  active\n"
    for slot in 0..<m.smp.maxCPUs {
      let vmm = m.state.vmm.slots[slot]
      let vmmText = vmm.plugged ? (vmm.coldPlugged ? "cold" : (vmm.deviceID ?? "plugged")) : "empty"
      let flags = m.firmware.giccFlags(slot)
      let flagText =
        "0x\(String(flags, radix: 16)) " + (flags & 1 != 0 ? "Enabled" : flags & 8 != 0 ? "OnlineCap" : "-")
      let awake = m.state.gic.redistributors[slot].awake ? "awake" : "asleep"
      var registered = "-"
      var online = "-"
      var active = "-"
      if let k = kernel, slot < k.cpus.count {
        registered = k.cpus[slot].device != nil ? "yes" : (k.masks.present.test(slot) ? "no" : "-")
        online = k.masks.online.test(slot) ? "yes" : "no"
        active = k.masks.active.test(slot) ? "yes" : "no"
      }
      out +=
        "\(String(slot).padding(4)) 0x\(String(CPUSlotID.affinity(index: slot), radix: 16).padding(5)) \(vmmText.padding(9)) 0x\(String(m.firmwareStatus(of: slot), radix: 16).padding(3)) \(flagText.padding(16)) \(String(describing: m.state.power[slot]).padding(11)) \(awake.padding(6)) \(registered.padding(11)) \(online.padding(7)) \(active)\n"
    }
    return out
  }

  func cpuDetail(_ m: VirtMachine, _ n: Int) -> String {
    var out =
      "cpu\(n)  MPIDR 0x\(String(CPUSlotID.affinity(index: n), radix: 16))  slot \(m.state.vmm.slots[n].id.idsText)  device \(CPUSlotID.deviceName(index: n))\n"
    let vmm = m.state.vmm.slots[n]
    out +=
      "VMM:      \(vmm.plugged ? "plugged" : "empty")\(vmm.coldPlugged ? " (cold-plugged)" : "")\(vmm.deviceID.map { " id=\($0)" } ?? "")\(vmm.qomPath.map { " \($0)" } ?? "")\n"
    let hp = m.state.hotplug.slots[n]
    out +=
      "firmware: _STA 0x\(String(m.firmwareStatus(of: n), radix: 16))  CPEN=\(hp.enabled ? 1 : 0) CINS=\(hp.inserting ? 1 : 0) CRMV=\(hp.removing ? 1 : 0) CPRS=\(hp.present ? 1 : 0)  MADT GICC flags 0x\(String(m.firmware.giccFlags(n), radix: 16))\n"
    out += "PSCI:     \(m.state.power[n])\n"
    let r = m.state.gic.redistributors[n]
    let i = m.state.gic.cpuInterfaces[n]
    out +=
      "GIC:      GICR_WAKER=0x\(String(r.waker, radix: 16)) CPU interface \(m.state.gic.accessible[n] ? "accessible" : "inaccessible") PMR=0x\(String(i.priorityMask, radix: 16)) IGRPEN1=\(i.groupEnable1 ? 1 : 0)\n"
    if let k = kernel, n < k.cpus.count {
      let c = k.cpus[n]
      out +=
        "kernel:   cpuhp \(c.state.constant)  device \(c.device == nil ? "none" : "cpu\(n)\(c.device!.driverBound ? " (processor driver)" : "")")  ACPI \(c.processor ?? "-")\n"
      out +=
        "masks:    "
        + CPUMasks.Name.allCases.filter { k.masks[$0].test(n) }.map(\.rawValue).joined(separator: " ") + "\n"
    } else if kernel != nil {
      out += "kernel:   not a possible CPU\n"
    }
    if m.hostExecutes(n) {
      out += "registers: cpu0 runs the modelled kernel\n"
    } else if m.hasVCPU(n) {
      out += Lab.registersText(m.vcpu(n), m, n)
    }
    return out
  }
}
