import A64
import ACPI
import CPUMask
import LabScript
import VirtMachine

#if canImport(Glibc)
  import Glibc
#endif

/// The board and its VMM: `machine`, `device_add`, `device_del`, `info`, `gic`, `psci`, `regs`,
/// `mem`, `uart`, and the `acpi` forms that work on the running machine.
extension Lab {
  func requireMachine(_ inv: Invocation) throws -> VirtMachine {
    guard let machine else {
      throw inv.error("there is no machine yet", hint: "create one with `machine virt -smp 1,maxcpus=4`")
    }
    return machine
  }

  var machineCommands: [CommandSpec] {
    [
      CommandSpec(
        "machine", category: Lab.category, summary: "create the virt board (QEMU-like), or show it",
        usage: "machine [virt -smp CPUS[,maxcpus=N,...] [OPTION=VALUE...]]",
        help: Lab.machineHelp,
        arguments: [
          ArgumentSpec("TYPE", kind: .choice(["virt"]), required: false, summary: "the board: virt"),
          ArgumentSpec(
            "-smp", .option, kind: .string, required: false,
            summary: "QEMU's -smp: cpus,maxcpus,sockets,clusters,cores,threads"),
          ArgumentSpec(
            "-cpu", .option, kind: .choice(CPUModel.allCases.map(\.rawValue)), required: false,
            summary: "the vCPU model: host (KVM, a Neoverse-N1) or cortex-a57 (TCG)"),
          ArgumentSpec(
            "-m", .option, kind: .string, required: false, summary: "RAM size: 128M, 1G ... (default 1G)"),
          ArgumentSpec(
            "madt-revision", .keyed, kind: .choice(["4", "5", "6"]), required: false,
            summary: "MADT revision (default 6: 82-byte GICCs)"),
          ArgumentSpec(
            "cold-flags", .keyed, kind: .choice(["enabled", "online-capable"]), required: false,
            summary: "GICC flags of CPUs present at boot (default enabled)"),
          ArgumentSpec(
            "redistributors", .keyed, kind: .choice(["gicr", "per-gicc"]), required: false,
            summary: "how the MADT describes redistributors (default gicr)"),
          ArgumentSpec(
            "scan", .keyed, kind: .choice(["upstream", "rfc-v5"]), required: false,
            summary: "the CSCN scan method's version (default upstream)"),
        ]
          + [
            ArgumentSpec(
              "ged-crs-gsi", .keyed, kind: .string, required: false,
              summary: "the GSI the GED's _CRS names (the VMM still pulses 41)"),
            ArgumentSpec(
              "gicd-base", .keyed, kind: .string, required: false,
              summary: "the GICD base the MADT gives (the distributor stays at 0x8000000)"),
          ]
          + GICCQuirk.allCases.map {
            ArgumentSpec(
              "gicc-\($0.rawValue)", .keyed, kind: .string, required: false,
              summary: "CPUs (a cpulist) whose GICC is \(Lab.quirkSummary($0))")
          }
      ) { [unowned self] inv in
        guard inv.has("TYPE") || inv.has("-smp") else {
          let m = try requireMachine(inv)
          inv.print(
            "virt -smp \(m.smp.optionText) -cpu \(m.options.cpu.rawValue) -m \(m.options.ramSize >> 20)M (\(m.options.cpu.accelerator))"
          )
          inv.print(
            "madt-revision=\(m.options.madtRevision) cold-flags=\(m.options.coldPlugFlags.rawValue) redistributors=\(m.options.redistributors.rawValue) scan=\(m.options.scan.rawValue)"
          )
          if let gsi = m.options.gedCRSGSI { inv.print("ged-crs-gsi=\(gsi)") }
          if let base = m.options.madtGICDBase { inv.print("gicd-base=0x\(String(base, radix: 16))") }
          for quirk in GICCQuirk.allCases {
            let cpus = m.options.giccQuirks.filter { $0.value == quirk }.map(\.key)
            if !cpus.isEmpty {
              inv.print("gicc-\(quirk.rawValue)=\(Bitmap(nbits: m.smp.maxCPUs, setting: cpus).listString)")
            }
          }
          return .none
        }
        var options = VirtOptions()
        let smp: SMPConfiguration
        do throws(SMPConfiguration.Error) {
          smp = try SMPConfiguration.parse(inv.string("-smp") ?? "")
        } catch {
          throw inv.error("qemu-system-aarch64: \(error.message)", at: "-smp")
        }
        if let r = inv.string("madt-revision") { options.madtRevision = UInt8(r)! }
        if let f = inv.string("cold-flags") {
          options.coldPlugFlags = VirtOptions.ColdPlugFlags(rawValue: f)!
        }
        if let r = inv.string("redistributors") {
          options.redistributors = VirtOptions.Redistributors(rawValue: r)!
        }
        if let s = inv.string("scan") { options.scan = VirtOptions.Scan(rawValue: s)! }
        if let text = inv.string("ged-crs-gsi") {
          // An SPI: GSIs 32-1019 on a GICv3 (SGIs and PPIs cannot be a GED's interrupt).
          guard let gsi = Lab.parseNumber(text), gsi >= 32, gsi <= 1019 else {
            throw inv.error(
              "ged-crs-gsi=\(text): not an SPI", at: "ged-crs-gsi", hint: "a GSI from 32 to 1019, e.g. 42",
              kind: .argument)
          }
          options.gedCRSGSI = UInt32(gsi)
        }
        if let text = inv.string("gicd-base") {
          guard let base = Lab.parseNumber(text), base % 0x1_0000 == 0 else {
            throw inv.error(
              "gicd-base=\(text): not a 64 KiB-aligned address", at: "gicd-base",
              hint: "e.g. gicd-base=0x9000000 (nothing there) or 0x40000000 (RAM)", kind: .argument)
          }
          options.madtGICDBase = base
        }
        for quirk in GICCQuirk.allCases {
          let key = "gicc-\(quirk.rawValue)"
          guard let text = inv.string(key) else { continue }
          let cpus: Bitmap
          do throws(BitmapParseError) { cpus = try Bitmap.parseList(text, nbits: smp.maxCPUs) } catch {
            throw inv.error(
              "\(key)=\(text): \(error.reason) (\(error.errno.symbol))", at: key,
              hint: "a cpulist of possible CPUs, 0-\(smp.maxCPUs - 1)", kind: .argument)
          }
          for cpu in cpus {
            if let other = options.giccQuirks[cpu] {
              throw inv.error(
                "CPU \(cpu) is given both gicc-\(other.rawValue) and \(key)", at: key, kind: .argument)
            }
            options.giccQuirks[cpu] = quirk
          }
        }
        if let model = inv.string("-cpu") { options.cpu = CPUModel(rawValue: model)! }
        if let m = inv.string("-m") {
          guard let size = Lab.parseSize(m), size >= 128 << 20, size <= 4 << 30, size % (1 << 20) == 0 else {
            throw inv.error(
              "-m \(m): the model takes 128M to 4G of RAM, in whole MiB", at: "-m", kind: .argument)
          }
          options.ramSize = size
        }
        do throws(BusError) { try createMachine(smp: smp, options: options) } catch {
          throw inv.error("cannot create the machine: \(error)")
        }
        return .none
      },
      CommandSpec(
        "device_add", category: Lab.category,
        summary: "plug a vCPU (QEMU monitor): device_add host-arm-cpu,core-id=N,id=ID",
        usage: "device_add DRIVER[,socket-id=S][,cluster-id=C][,core-id=N][,thread-id=T][,id=ID]",
        help: """
          As QEMU's HMP: the first word is the driver (or driver=...). The vCPU is plugged at once (slot
          enabled, insert pending) and the guest is told through the GED interrupt; the guest's side
          happens as the world runs (`step`, `settle`). QEMU's checks and error texts apply.
          """,
        arguments: [
          ArgumentSpec(
            "DRIVER", kind: .string, required: false, summary: "the CPU model, e.g. host-arm-cpu",
            completions: { _ in ["host-arm-cpu"] }),
          ArgumentSpec(
            "driver", .keyed, kind: .string, required: false, summary: "the CPU model (driver=...)"),
        ], optionLists: true, acceptsUndeclaredKeys: true
      ) { [unowned self] inv in
        let machine = try requireMachine(inv)
        let driver = inv.string("DRIVER") ?? inv.string("driver")
        let properties = inv.extraKeys.map { ($0.key, $0.value.value.display) }
        checkpoint()
        do throws(VMM.Error) { try machine.deviceAdd(driver: driver, properties: properties) } catch {
          _ = undoStack.popLast()
          throw inv.error(error.message, hint: error.hint)
        }
        afterWorldChange()
        return .none
      },
      CommandSpec(
        "device_del", category: Lab.category,
        summary: "ask the guest to eject a hot-plugged vCPU (QEMU monitor)",
        arguments: [
          ArgumentSpec(
            "ID", kind: .string, summary: "the id given to device_add, or a QOM path",
            completions: { _ in [] })
        ]
      ) { [unowned self] inv in
        let machine = try requireMachine(inv)
        checkpoint()
        do throws(VMM.Error) { try machine.deviceDel(inv.string("ID")!) } catch {
          _ = undoStack.popLast()
          throw inv.error(error.message)
        }
        afterWorldChange()
        return .none
      },
      firmwareCommand,
      CommandSpec(
        "info", category: Lab.category,
        summary: "QEMU monitor information: info hotpluggable-cpus, info cpus",
        subcommands: [
          CommandSpec(
            "hotpluggable-cpus", category: Lab.category, summary: "every possible CPU slot, highest first"
          ) { [unowned self] inv in
            inv.session.write(try requireMachine(inv).state.vmm.hotpluggableCPUsText)
            return .none
          },
          CommandSpec("cpus", category: Lab.category, summary: "the vCPUs that exist, in creation order") {
            [unowned self] inv in
            inv.session.write(try requireMachine(inv).state.vmm.cpusText)
            return .none
          },
          CommandSpec(
            "qmp-events", category: Lab.category,
            summary: "the QMP events the VMM emitted (ACPI_DEVICE_OST, DEVICE_DELETED)"
          ) { [unowned self] inv in
            for event in try requireMachine(inv).state.qmpEvents { inv.print(event) }
            return .none
          },
        ]),
      CommandSpec(
        "gic", category: Lab.category,
        summary: "GICv3 state: distributor, and per CPU redistributor and CPU interface"
      ) { [unowned self] inv in
        inv.session.write(gicText(try requireMachine(inv)))
        return .none
      },
      CommandSpec("psci", category: Lab.category, summary: "the PSCI firmware's view of every possible CPU") {
        [unowned self] inv in
        let m = try requireMachine(inv)
        inv.print("CPU  MPIDR     slot      AFFINITY_INFO          CPU_ON would return")
        for slot in 0..<m.smp.maxCPUs {
          let plugged = m.state.hotplug.slots[slot].plugged
          let power = m.state.power[slot]
          let state =
            plugged
            ? (power == .on ? "0 ON" : power == .off ? "1 OFF" : "2 ON_PENDING") : "-2 INVALID_PARAMETERS"
          let cpuOn =
            !plugged ? "DENIED" : power == .on ? "ALREADY_ON" : power == .onPending ? "ON_PENDING" : "SUCCESS"
          inv.print(
            "\(String(slot).padding(4)) 0x\(String(CPUSlotID.affinity(index: slot), radix: 16).padding(7)) \((plugged ? "plugged" : "empty").padding(9)) \(state.padding(22)) \(cpuOn)"
          )
        }
        return .none
      },
      CommandSpec(
        "regs", category: Lab.category, summary: "a vCPU's registers",
        arguments: [ArgumentSpec("CPU", kind: .int, summary: "the CPU (slot) number")]
      ) { [unowned self] inv in
        let m = try requireMachine(inv)
        let slot = inv.int("CPU")!
        guard slot >= 0 && slot < m.smp.maxCPUs else {
          throw inv.error(
            "CPU \(slot) is not a possible CPU (0-\(m.smp.maxCPUs - 1))", at: "CPU", kind: .argument)
        }
        if m.hostExecutes(slot) {
          inv.print("cpu0 runs the modelled kernel (Swift), not A64 code: see `bt` and `cpu 0`")
          return .none
        }
        guard m.hasVCPU(slot) else {
          inv.print("cpu\(slot) has never run (PSCI \(m.state.power[slot]))")
          return .none
        }
        inv.session.write(Lab.registersText(m.vcpu(slot), m, slot))
        return .none
      },
      CommandSpec(
        "mem", category: Lab.category, summary: "read guest physical memory: mem read ADDR LEN",
        subcommands: [
          CommandSpec(
            "read", category: Lab.category,
            summary: "hex dump of LEN bytes at ADDR (RAM or device registers)",
            arguments: [
              ArgumentSpec("ADDR", kind: .int, summary: "physical address"),
              ArgumentSpec("LEN", kind: .int, summary: "bytes (1-4096)"),
            ]
          ) { [unowned self] inv in
            let m = try requireMachine(inv)
            let address = UInt64(bitPattern: Int64(inv.int("ADDR")!))
            let length = inv.int("LEN")!
            guard (1...4096).contains(length) else {
              throw inv.error("LEN must be between 1 and 4096", at: "LEN", kind: .argument)
            }
            var bytes: [UInt8] = []
            for offset in 0..<UInt64(length) {
              guard let value = m.physicalRead(address &+ offset, size: 1) else {
                throw inv.error(
                  "nothing is mapped at 0x\(String(address &+ offset, radix: 16)) (a guest access there is a synchronous external abort)",
                  at: "ADDR")
              }
              bytes.append(UInt8(truncatingIfNeeded: value))
            }
            inv.session.write(Lab.hexDump(bytes, address: address))
            return .none
          }
        ]),
      CommandSpec("uart", category: Lab.category, summary: "what the guest wrote to the PL011 UART") {
        [unowned self] inv in
        let m = try requireMachine(inv)
        for line in m.state.uart.lines { inv.print(line) }
        if !m.state.uart.partial.isEmpty { inv.print(String(decoding: m.state.uart.partial, as: UTF8.self)) }
        return .none
      },
    ]
  }

  static let machineHelp = """
    Creates the modelled QEMU virt board: GICv3 (224 SPIs, one redistributor per possible CPU), PSCI 1.1
    through HVC, the CPU hotplug register block at 0x090C0000 and the GED at 0x09080000 (SPI 9 = GSIV 41),
    a PL011, RAM at 0x40000000, and ACPI tables describing every possible CPU. Arm vCPU hotplug is not in
    upstream QEMU: this is Salil Mehta's RFC-V5 design on QEMU 9.1 common code (device_add/device_del).
    -smp follows QEMU's rules and error texts (virt: sockets, clusters, cores, threads; at most 512).

    Where the QEMU versions differ, the default is named first:
      madt-revision=6|5|4        6: ACPI 6.5 MADT with 82-byte GICCs (where GICC Online Capable was
                                 defined); 4: what QEMU writes (80-byte GICCs; Linux accepts both)
      cold-flags=enabled|online-capable
                                 GICC flags of CPUs present at boot other than CPU 0: Enabled (RFC-V2/V3,
                                 and what the kernel's cpu-hotplug.rst asks for) or Online Capable only
                                 (RFC-V4/V5's table builder). Hot-pluggable CPUs are always Online Capable.
      redistributors=gicr|per-gicc
                                 one always-on GICR structure (QEMU), or GICR addresses in the Enabled
                                 GICCs only, which makes Linux mark the others' redistributors broken
      scan=upstream|rfc-v5       the CSCN method: QEMU >= 10.0 (Device Checks queued before Eject Requests)
                                 or QEMU 9.1/RFC-V5 (Eject Requests sent during the scan)
    Broken tables, for the kernel's failure paths (each takes a cpulist):
      gicc-omit=LIST             no GICC entry for those CPUs (their Device (Cnnn) stays in the DSDT)
      gicc-bad-mpidr=LIST        GICC MPIDR with bit 40 set, outside MPIDR_HWID_BITMASK
      gicc-no-flags=LIST         GICC flags 0: neither Enabled nor Online Capable
      gicc-no-gicr=LIST          with redistributors=per-gicc: no GICR address in those (Enabled) GICCs
      ged-crs-gsi=N              the GED's _CRS names GSI N while the VMM keeps pulsing 41: the guest
                                 enables the wrong line, and hot-add events never arrive
      gicd-base=ADDR             the MADT's GICD points at ADDR: the GIC driver finds no distributor
                                 there (RAM) or takes an external abort (nothing mapped)
    -cpu picks the vCPU model, and with it the accelerator's facts; device_add must name its type:
      -cpu host                  \(CPUModel.host.summary); device_add host-arm-cpu
      -cpu cortex-a57            \(CPUModel.cortexA57.summary); device_add cortex-a57-arm-cpu
                                 (the real-Linux captures were made this way)
    PSCI CPU_ON answers DENIED for a possible CPU that is not plugged and INVALID_PARAMETERS for an
    MPIDR that is not a possible CPU.
    """

  /// `firmware`: the deliberate firmware faults (FirmwareFaults) for failure-path experiments.
  var firmwareCommand: CommandSpec {
    let answers = ["normal", "denied", "invalid-parameters", "internal-failure"]
    return CommandSpec(
      "firmware", category: Lab.category,
      summary: "make the firmware misbehave on purpose: ignore or overdo _EJ0, refuse CPU_ON",
      usage:
        "firmware [eject normal|keep-enabled|clear-present | cpu_on CPU \(answers.joined(separator: "|"))]",
      help: """
        Without arguments, lists the faults in force. They are part of the machine (snapshots and undo keep
        them) and act from the next firmware call on:
          eject keep-enabled     the VMM ignores the eject bit _EJ0 writes: _STA stays 0xF
          eject clear-present    the eject unplugs the vCPU and clears Present too: _STA reads 0
          cpu_on CPU denied      PSCI CPU_ON for CPU answers DENIED (-3) whatever its slot's state
          cpu_on CPU invalid-parameters | internal-failure   the same with -2 or -6
        `normal` undoes one.
        """,
      arguments: [
        ArgumentSpec(
          "WHAT", kind: .choice(["eject", "cpu_on"]), required: false, summary: "the firmware call to change"),
        ArgumentSpec("ARGS", kind: .string, required: false, variadic: true, summary: "how it should behave"),
      ]
    ) { [unowned self] inv in
      let machine = try requireMachine(inv)
      let args = inv.rest.map { $0.value.display }
      switch inv.string("WHAT") {
      case nil:
        let faults = machine.state.faults
        if faults.isEmpty { inv.print("no firmware faults: the firmware behaves as QEMU's") }
        if faults.eject != .normal { inv.print("eject \(faults.eject.rawValue)") }
        for (cpu, code) in faults.cpuOn.sorted(by: { $0.key < $1.key }) {
          inv.print("cpu_on \(cpu) \(code) (\(code.rawValue))")
        }
      case "eject":
        guard args.count == 1, let mode = FirmwareFaults.Eject(rawValue: args[0]) else {
          throw inv.error(
            "firmware eject takes one of: \(FirmwareFaults.Eject.allCases.map(\.rawValue).joined(separator: ", "))",
            at: "ARGS", kind: .argument)
        }
        checkpoint()
        machine.faults.eject = mode
      default:
        guard args.count == 2, let cpu = Int(args[0]), answers.contains(args[1]) else {
          throw inv.error(
            "usage: firmware cpu_on CPU \(answers.joined(separator: "|"))", at: "ARGS", kind: .argument)
        }
        guard cpu >= 0 && cpu < machine.smp.maxCPUs else {
          throw inv.error(
            "CPU \(cpu) is not a possible CPU (0-\(machine.smp.maxCPUs - 1))", at: "ARGS", kind: .argument)
        }
        checkpoint()
        switch args[1] {
        case "denied": machine.faults.cpuOn[cpu] = .DENIED
        case "invalid-parameters": machine.faults.cpuOn[cpu] = .INVALID_PARAMETERS
        case "internal-failure": machine.faults.cpuOn[cpu] = .INTERNAL_FAILURE
        default: machine.faults.cpuOn[cpu] = nil
        }
      }
      return .none
    }
  }

  static func quirkSummary(_ quirk: GICCQuirk) -> String {
    switch quirk {
    case .omitted: "left out of the MADT"
    case .invalidMPIDR: "given an MPIDR outside MPIDR_HWID_BITMASK"
    case .noFlags: "neither Enabled nor Online Capable"
    case .noGICRAddress: "without its GICR address (with redistributors=per-gicc)"
    }
  }

  /// A decimal or 0x-hex number of a machine option.
  static func parseNumber(_ text: String) -> UInt64? {
    let lower = text.lowercased()
    return lower.hasPrefix("0x") ? UInt64(lower.dropFirst(2), radix: 16) : UInt64(lower)
  }

  static func parseSize(_ text: String) -> UInt64? {
    var digits = text.uppercased()
    var scale: UInt64 = 1 << 20
    if digits.hasSuffix("G") {
      scale = 1 << 30
      digits.removeLast()
    } else if digits.hasSuffix("M") {
      digits.removeLast()
    }
    guard let n = UInt64(digits) else { return nil }
    let (size, overflow) = n.multipliedReportingOverflow(by: scale)
    return overflow ? nil : size
  }

  static func hexDump(_ bytes: [UInt8], address: UInt64) -> String {
    var out = ""
    for start in stride(from: 0, to: bytes.count, by: 16) {
      let chunk = bytes[start..<Swift.min(start + 16, bytes.count)]
      let hex = chunk.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
      let ascii = String(chunk.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : "." })
      let addr = String(address &+ UInt64(start), radix: 16)
      out +=
        String(repeating: "0", count: Swift.max(0, 16 - addr.count)) + addr + "  " + hex.padding(47) + "  "
        + ascii + "\n"
    }
    return out
  }

  static func registersText(_ cpu: CPU, _ m: VirtMachine, _ slot: Int) -> String {
    func h(_ v: UInt64) -> String {
      let s = String(v, radix: 16)
      return String(repeating: "0", count: 16 - s.count) + s
    }
    var out =
      "cpu\(slot): PSCI \(m.state.power[slot])\(m.state.parked.contains(slot) ? ", in WFI" : "")\(m.state.stopped[slot].map { ", stopped: \($0)" } ?? "")\n"
    out +=
      "pc  \(h(cpu.pc))  sp  \(h(cpu.sp))  EL\(cpu.pstate.el)\(cpu.pstate.spSel == 1 ? "h" : "t")  DAIF \(String(cpu.pstate.daif, radix: 2))  NZCV \(String(cpu.nzcv, radix: 2))\n"
    for row in stride(from: 0, to: 31, by: 3) {
      out +=
        (row..<Swift.min(row + 3, 31)).map { "x\($0)".padding(4) + h(cpu.x($0)) }.joined(separator: "  ")
        + "\n"
    }
    out += "instructions retired: \(cpu.instructionsRetired)\n"
    if let exception = cpu.lastException { out += "last exception: \(exception)\n" }
    return out
  }

  func gicText(_ m: VirtMachine) -> String {
    let g = m.state.gic
    var out = "GICD_CTLR=0x\(String(g.distributor.control, radix: 16))  SPIs 224  pending SPIs: "
    let pending = (32..<GICv3.numberOfIRQs).filter { g.state($0, cpu: 0).pending }
    out += (pending.isEmpty ? "none" : pending.map(String.init).joined(separator: ",")) + "\n"
    out += "CPU  GICR RD_base          WAKER  accessible  PMR   IGRPEN1  RPR   IRQ  pending\n"
    for cpu in 0..<g.cpuCount {
      let r = g.redistributors[cpu]
      let i = g.cpuInterfaces[cpu]
      let pendingPrivate = (0..<32).filter { g.state($0, cpu: cpu).pending }.map(String.init).joined(
        separator: ",")
      out +=
        "\(String(cpu).padding(4)) 0x\(String(MemoryMap.redistributorBase(of: cpu), radix: 16).padding(16)) 0x\(String(r.waker, radix: 16).padding(4)) \((g.accessible[cpu] ? "yes" : "no").padding(11)) 0x\(String(i.priorityMask, radix: 16).padding(3)) \((i.groupEnable1 ? "1" : "0").padding(8)) 0x\(String(i.runningPriority, radix: 16).padding(3)) \((g.irqAsserted(cpu: cpu) ? "up" : "-").padding(4)) \(pendingPrivate.isEmpty ? "-" : pendingPrivate)\n"
    }
    return out
  }
}

extension String {
  func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
