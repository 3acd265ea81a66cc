import Simulation
import A64
import ACPI

/// A vCPU's scheduling event.
public enum MachineEvent: Hashable, Sendable {
  /// Run a slice of guest code on a vCPU.
  case run(cpu: Int)
  /// The vCPU a PSCI CPU_ON accepted comes out of reset at `entry` with x0 = `context`.
  case start(cpu: Int, entry: UInt64, context: UInt64)
}

/// Everything about the board that is a value: devices, power states, clock, pending events
/// and the trace. Copying it (with the vCPUs' registers and RAM) is a snapshot.
public struct MachineState: Sendable {
  /// Virtual time in nanoseconds.
  public var clock: UInt64 = 0
  public var queue = EventQueue<MachineEvent>()
  public var trace = Trace()
  public var vmm: VMM
  public var gic: GICv3
  public var hotplug: ACPICPUHotplug
  public var ged = GenericEventDevice()
  public var uart = PL011()
  /// PSCI power state of every possible CPU.
  public var power: [PSCI.PowerState]
  /// vCPUs waiting in WFI/WFE (or CPU_SUSPEND standby) for an interrupt or event.
  public var parked: Set<Int> = []
  /// The parked vCPUs that wait in WFE: an event (another vCPU's SEV) wakes them as well.
  public var parkedInWFE: Set<Int> = []
  /// vCPUs stopped by something the model does not continue from (BRK, an exception with no
  /// vector table...), with the reason.
  public var stopped: [Int: String] = [:]
  /// SYSTEM_OFF or SYSTEM_RESET was called.
  public var systemOff: String?
  /// QMP events the VMM emitted (`ACPI_DEVICE_OST`, `DEVICE_DELETED`), as JSON text.
  public var qmpEvents = AppendLog<String>()
  /// x86-style presence (QEMU's pc/q35 CPU hotplug): a slot is present only while it holds a
  /// vCPU, so `_STA` of an empty slot reads 0 instead of arm virt's 0xD. A VMM policy; the Lab
  /// sets it for its `kernel mode x86-physical` comparison.
  public var presentOnlyWhilePlugged = false
  /// Firmware misbehaviour the user asked for (`firmware`).
  public var faults = FirmwareFaults()
}

/// A complete snapshot of the machine.
public struct MachineSnapshot: Sendable {
  let state: MachineState
  /// The machine's state at the snapshot (clock, devices, trace).
  public var stateValue: MachineState { state }
  let cpus: SavedCPUs
  let ram: RAMSnapshot
}

/// The QEMU-like arm64 virt machine: RAM, the GICv3, PSCI firmware, the CPU hotplug block and
/// GED, a PL011, the VMM's vCPU slots, the firmware tables in guest memory, and one A64 vCPU per
/// possible CPU (created when it first starts). Deterministic: vCPUs run in bounded slices of
/// guest instructions (1 ns each) in virtual-time order.
public final class VirtMachine {
  public let smp: SMPConfiguration
  public let options: VirtOptions
  public let firmware: VirtACPIBuild
  public let bus = SystemBus()
  public internal(set) var state: MachineState
  /// The A64 vCPU of each slot, once it has been started.
  var vcpus: [CPU?]
  /// The slot of each vCPU by its bus index (`slot(ofBusIndex:)`); a vCPU keeps its slot and
  /// bus index for the machine's life.
  var slotsByBusIndex: [Int: Int] = [:]
  /// The vCPU states of the last snapshot (see `snapshot()`).
  var savedCPUs = SavedCPUs()
  /// vCPUs that may have changed since the last snapshot: they ran, took an IRQ line change,
  /// were restored, or were handed out by `vcpu(_:)`. The others are skipped by `snapshot()`
  /// but for the state the bus keeps for them (event register, exclusive reservation), which
  /// another vCPU or a kernel write can change.
  var touchedVCPUs: [Bool] = []
  /// vCPUs whose instructions the host supplies instead of the A64 interpreter (the Lab's
  /// Swift kernel is CPU 0's code): PSCI powers them on and off like any other, but the board
  /// runs nothing on them, and when CPU_ON starts one it calls `onHostCPUStart` with the entry
  /// point and context id where a vCPU would have started executing.
  public var hostExecutedCPUs: Set<Int> = []
  public var onHostCPUStart: ((_ slot: Int, _ entry: UInt64, _ context: UInt64) -> Void)?

  /// Whether the host, not the A64 interpreter, runs the vCPU in `slot`.
  public func hostExecutes(_ slot: Int) -> Bool { hostExecutedCPUs.contains(slot) }
  /// Called after a guest or kernel access ejected a slot (the vCPU is already gone).
  public var onUnplug: ((Int) -> Void)?

  /// Guest instructions per scheduling slice; a slice of N instructions takes N ns.
  public static let quantum: UInt64 = 1000
  /// How long after CPU_ON the target starts executing (the call itself returns at once).
  public static let cpuOnLatency: UInt64 = 10_000
  /// CNTFRQ_EL0: 62.5 MHz, as QEMU reports, so CNTVCT_EL0 = nanoseconds / 16.
  public static let counterFrequency: UInt64 = 62_500_000

  public init(smp: SMPConfiguration, options: VirtOptions = VirtOptions()) throws(BusError) {
    self.smp = smp
    self.options = options
    firmware = VirtACPIBuild(smp: smp, options: options)
    let affinities = (0..<smp.maxCPUs).map { CPUSlotID.affinity(index: $0) }
    var gic = GICv3(affinities: affinities, firstRegionCount: MemoryMap.region0Redistributors)
    var hotplug = ACPICPUHotplug(archIDs: affinities)
    for index in 0..<smp.maxCPUs {
      let cold = index < smp.cpus
      hotplug.slots[index].plugged = cold
      hotplug.slots[index].enabled = cold
      gic.accessible[index] = cold
    }
    var power = [PSCI.PowerState](repeating: .off, count: smp.maxCPUs)
    power[0] = .on
    state = MachineState(
      vmm: VMM(smp: smp, cpuType: options.cpuType), gic: gic, hotplug: hotplug, power: power)
    vcpus = Array(repeating: nil, count: smp.maxCPUs)
    touchedVCPUs = Array(repeating: true, count: smp.maxCPUs)
    try bus.addRAM(base: MemoryMap.ramBase, size: options.ramSize)
    try mapDevices()
    for table in firmware.tables { try bus.write(table.bytes, at: table.address) }
    try bus.write(firmware.efiConfigurationTable, at: VirtACPIBuild.efiConfigurationTableAddress)
    note(source: "vmm", event: "vmm.machine", cpu: nil, details: "virt -smp \(smp.optionText)")
  }

  // MARK: Devices on the bus

  private func mapDevices() throws(BusError) {
    func device(
      _ read: @escaping (VirtMachine, UInt64, Int, Int) -> UInt64?,
      _ write: @escaping (VirtMachine, UInt64, Int, UInt64, Int) -> Bool
    ) -> ClosureMMIODevice {
      ClosureMMIODevice(
        read: { [unowned self] offset, size, cpu in read(self, offset, size, self.slot(ofBusIndex: cpu)) },
        write: { [unowned self] offset, size, value, cpu in
          write(self, offset, size, value, self.slot(ofBusIndex: cpu))
        })
    }
    try bus.addMMIO(
      base: MemoryMap.gicdBase, size: MemoryMap.gicdSize, name: "GICD",
      device: device(
        { m, o, s, _ in m.state.gic.readDistributor(offset: o, size: s) },
        { m, o, s, v, _ in
          m.state.gic.writeDistributor(offset: o, size: s, value: v)
          m.interruptsChanged()
          return true
        }))
    try bus.addMMIO(
      base: MemoryMap.gicrBase, size: MemoryMap.gicrSize, name: "GICR",
      device: device(
        { m, o, s, _ in m.state.gic.readRedistributor(offset: o, size: s) },
        { m, o, s, v, _ in
          m.state.gic.writeRedistributor(offset: o, size: s, value: v)
          m.interruptsChanged()
          return true
        }))
    if smp.maxCPUs > MemoryMap.region0Redistributors {
      let skip = UInt64(MemoryMap.region0Redistributors) * GICRedistributor.stride
      try bus.addMMIO(
        base: MemoryMap.highGICRBase, size: MemoryMap.highGICRSize, name: "GICR (high)",
        device: device(
          { m, o, s, _ in m.state.gic.readRedistributor(offset: skip + o, size: s) },
          { m, o, s, v, _ in
            m.state.gic.writeRedistributor(offset: skip + o, size: s, value: v)
            m.interruptsChanged()
            return true
          }))
    }
    try bus.addMMIO(
      base: MemoryMap.uartBase, size: PL011.length, name: "PL011",
      device: device(
        { m, o, s, _ in m.state.uart.read(offset: o, size: s) },
        { m, o, s, v, cpu in
          if m.state.uart.write(offset: o, size: s, value: v) {
            m.note(source: "uart", event: "uart.line", cpu: cpu, details: m.state.uart.lines.last ?? "")
          }
          return true
        }))
    try bus.addMMIO(
      base: MemoryMap.gedBase, size: GenericEventDevice.length, name: "GED",
      device: device({ m, o, s, _ in m.state.ged.read(offset: o, size: s) }, { _, _, _, _, _ in true }))
    try bus.addMMIO(
      base: MemoryMap.cpuHotplugBase, size: ACPICPUHotplug.length, name: "CPU hotplug",
      device: device(
        { m, o, s, _ in m.state.hotplug.read(offset: o, size: s) },
        { m, o, s, v, _ in
          m.hotplugWrite(offset: o, size: s, value: v)
          return true
        }))
  }

  /// The slot of the vCPU with a given bus index (vCPUs attach to the bus as they first start).
  ///
  /// Every MMIO access of a guest vCPU asks (GIC redistributor scans read every frame), so the
  /// slots are indexed when the vCPUs are made rather than searched.
  func slot(ofBusIndex index: Int) -> Int {
    slotsByBusIndex[index] ?? 0
  }

  /// A physical read as a device or RAM answers it: what the modelled kernel's MMIO accessors
  /// (and the ACPICA region handler) use. Nil when nothing is mapped there.
  public func physicalRead(_ address: UInt64, size: Int, cpu: Int = 0) -> UInt64? {
    if let value = try? bus.readValue(address, size: size) { return value }
    let value: UInt64?
    switch address {
    case MemoryMap.gicdBase..<MemoryMap.gicdBase + MemoryMap.gicdSize:
      value = state.gic.readDistributor(offset: address - MemoryMap.gicdBase, size: size)
    case MemoryMap.gicrBase..<MemoryMap.gicrBase + MemoryMap.gicrSize:
      value = state.gic.readRedistributor(offset: address - MemoryMap.gicrBase, size: size)
    case MemoryMap.highGICRBase..<MemoryMap.highGICRBase + MemoryMap.highGICRSize
    where smp.maxCPUs > MemoryMap.region0Redistributors:
      value = state.gic.readRedistributor(
        offset: UInt64(MemoryMap.region0Redistributors) * GICRedistributor.stride + address
          - MemoryMap.highGICRBase,
        size: size)
    case MemoryMap.uartBase..<MemoryMap.uartBase + PL011.length:
      value = state.uart.read(offset: address - MemoryMap.uartBase, size: size)
    case MemoryMap.gedBase..<MemoryMap.gedBase + GenericEventDevice.length:
      value = state.ged.read(offset: address - MemoryMap.gedBase, size: size)
    case MemoryMap.cpuHotplugBase..<MemoryMap.cpuHotplugBase + ACPICPUHotplug.length:
      value = state.hotplug.read(offset: address - MemoryMap.cpuHotplugBase, size: size)
    default:
      value = nil
    }
    drainNotes()
    return value
  }

  /// A physical write; false when nothing is mapped there.
  @discardableResult
  public func physicalWrite(_ address: UInt64, size: Int, value: UInt64, cpu: Int = 0) -> Bool {
    if (try? bus.writeValue(value, at: address, size: size)) != nil { return true }
    switch address {
    case MemoryMap.gicdBase..<MemoryMap.gicdBase + MemoryMap.gicdSize:
      state.gic.writeDistributor(offset: address - MemoryMap.gicdBase, size: size, value: value)
    case MemoryMap.gicrBase..<MemoryMap.gicrBase + MemoryMap.gicrSize:
      state.gic.writeRedistributor(offset: address - MemoryMap.gicrBase, size: size, value: value)
    case MemoryMap.highGICRBase..<MemoryMap.highGICRBase + MemoryMap.highGICRSize
    where smp.maxCPUs > MemoryMap.region0Redistributors:
      state.gic.writeRedistributor(
        offset: UInt64(MemoryMap.region0Redistributors) * GICRedistributor.stride + address
          - MemoryMap.highGICRBase,
        size: size, value: value)
    case MemoryMap.uartBase..<MemoryMap.uartBase + PL011.length:
      if state.uart.write(offset: address - MemoryMap.uartBase, size: size, value: value) {
        note(source: "uart", event: "uart.line", cpu: cpu, details: state.uart.lines.last ?? "")
      }
    case MemoryMap.gedBase..<MemoryMap.gedBase + GenericEventDevice.length:
      break
    case MemoryMap.cpuHotplugBase..<MemoryMap.cpuHotplugBase + ACPICPUHotplug.length:
      hotplugWrite(offset: address - MemoryMap.cpuHotplugBase, size: size, value: value)
    default:
      return false
    }
    interruptsChanged()
    return true
  }

  /// A write to the CPU hotplug block; an eject unplugs the vCPU inside the write, as QEMU does.
  func hotplugWrite(offset: UInt64, size: Int, value: UInt64) {
    let action = state.hotplug.write(offset: offset, size: size, value: value)
    drainNotes()
    switch action {
    case .eject(let slot)?:
      switch state.faults.eject {
      case .normal: unplug(slot)
      case .keepEnabled:
        note(
          source: "acpi", event: "cpuhp.eject_ignored", cpu: slot,
          details: "slot \(slot): CEJ0 ignored (firmware fault keep-enabled)")
      case .clearPresent:
        unplug(slot)
        state.hotplug.slots[slot].present = false
        note(
          source: "acpi", event: "cpuhp.clear_present", cpu: slot,
          details: "slot \(slot): CPRS=0 (firmware fault clear-present)")
      }
    case .ost(let slot, let event, let status)?:
      let device = state.vmm.slots[slot].deviceID.map { "\"device\":\"\($0)\"," } ?? ""
      state.qmpEvents.append(
        "{\"event\":\"ACPI_DEVICE_OST\",\"data\":{\"info\":{\(device)\"slot\":\"\(slot)\",\"slot-type\":\"CPU\",\"source\":\(event),\"status\":\(status)}}}"
      )
    case nil:
      break
    }
  }

  // MARK: Trace

  /// Adds a record to the trace at the current time (the guest kernel model reports here too).
  public func record(source: String, event: String, cpu: Int?, details: String) {
    note(source: source, event: event, cpu: cpu, details: details)
  }

  /// Moves the world's clock forward (the Lab runs kernel steps at their event times).
  public func advanceClock(to time: UInt64) {
    state.clock = Swift.max(state.clock, time)
  }

  func note(source: String, event: String, cpu: Int?, details: String) {
    state.trace.append(
      TraceRecord(time: state.clock, source: source, event: event, cpu: cpu, details: details))
  }

  /// Moves what the devices reported into the trace.
  func drainNotes() {
    for n in state.gic.notes { note(source: n.source, event: n.event, cpu: n.cpu, details: n.details) }
    state.gic.notes.removeAll()
    for n in state.hotplug.notes { note(source: n.source, event: n.event, cpu: n.cpu, details: n.details) }
    state.hotplug.notes.removeAll()
  }
}
