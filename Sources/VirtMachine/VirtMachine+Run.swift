import A64

/// Running the vCPUs: PSCI via HVC, the ICC system registers, interrupt lines, and the slices.
extension VirtMachine: CPUHost {
  /// The A64 vCPU of a slot, created (in reset state) the first time it is needed.
  public func vcpu(_ slot: Int) -> CPU {
    touch(slot)
    if let cpu = vcpus[slot] { return cpu }
    let cpu = CPU(bus: bus, mpidr: CPUSlotID.affinity(index: slot) | 0x8000_0000, midr: options.midr)
    cpu.counterFrequency = VirtMachine.counterFrequency
    cpu.host = self
    vcpus[slot] = cpu
    slotsByBusIndex[cpu.index] = slot
    return cpu
  }

  /// Whether a slot's vCPU object exists (it has been started at least once).
  public func hasVCPU(_ slot: Int) -> Bool { vcpus[slot] != nil }

  /// Marks a vCPU as possibly changed for the next snapshot.
  @inline(__always) func touch(_ slot: Int) {
    touchedVCPUs[slot] = true
  }

  // MARK: CPUHost

  public func firmwareCall(_ call: FirmwareCall, cpu: CPU) -> FirmwareOutcome {
    let slot = slot(ofBusIndex: cpu.index)
    guard call.conduit == .hvc else { return .notHandled }  // the FADT says PSCI_USE_HVC
    let result = psci(caller: slot, x0: call.x0, x1: call.x1, x2: call.x2, x3: call.x3)
    switch result {
    case .returns(let x0):
      cpu.setX(0, x0)
      return .handled
    case .poweredOff:
      return .stop(.cpuOff)
    case .standby:
      cpu.setX(0, 0)
      return .stop(.other("PSCI CPU_SUSPEND (standby)"))
    case .systemOff(let reason):
      return .stop(reason == "SYSTEM_OFF" ? .systemOff : .systemReset)
    }
  }

  public func readSystemRegister(_ register: SystemRegister, cpu: CPU) -> UInt64? {
    guard
      let icc = GICCPUInterface.Register(
        op0: Int(register.op0), op1: Int(register.op1), crn: Int(register.crn), crm: Int(register.crm),
        op2: Int(register.op2))
    else { return nil }
    let slot = slot(ofBusIndex: cpu.index)
    let value = state.gic.readSystemRegister(icc, cpu: slot)
    if icc == .IAR1 { interruptsChanged() }
    return value
  }

  public func writeSystemRegister(_ register: SystemRegister, value: UInt64, cpu: CPU) -> Bool {
    guard
      let icc = GICCPUInterface.Register(
        op0: Int(register.op0), op1: Int(register.op1), crn: Int(register.crn), crm: Int(register.crm),
        op2: Int(register.op2))
    else { return false }
    state.gic.writeSystemRegister(icc, cpu: slot(ofBusIndex: cpu.index), value: value)
    interruptsChanged()
    return true
  }

  public func virtualCount(cpu: CPU) -> UInt64 {
    state.clock / (1_000_000_000 / VirtMachine.counterFrequency)
  }

  // MARK: PSCI

  /// What a PSCI call did, as the caller experiences it.
  public enum PSCIResult: Hashable, Sendable {
    case returns(UInt64)
    case poweredOff
    case standby
    case systemOff(String)
  }

  /// A PSCI call through HVC #0 by `caller`: the A64 vCPUs' HVCs and the modelled kernel's
  /// `invoke_psci_fn` both come here.
  public func psci(caller: Int, x0: UInt64, x1: UInt64 = 0, x2: UInt64 = 0, x3: UInt64 = 0) -> PSCIResult {
    var environment = PSCI.Environment(
      affinities: state.gic.affinities, plugged: state.hotplug.slots.map(\.plugged), power: state.power)
    environment.forcedCPUOn = state.faults.cpuOn
    environment.smcccVersion = options.cpu.smcccVersion
    let call = PSCI.call(caller: caller, x0: x0, x1: x1, x2: x2, x3: x3, environment: environment)
    note(source: "psci", event: call.traceEvent, cpu: caller, details: call.details)
    switch call.outcome {
    case .returns(let value):
      return .returns(value)
    case .startCPU(let target, let entry, let context):
      state.power[target] = .onPending
      state.queue.schedule(
        at: state.clock + VirtMachine.cpuOnLatency, .start(cpu: target, entry: entry, context: context))
      return .returns(PSCI.ReturnCode.SUCCESS.register)
    case .powerOff:
      powerOff(caller)
      return .poweredOff
    case .standby:
      return .standby
    case .systemOff:
      state.systemOff = "SYSTEM_OFF"
      return .systemOff("SYSTEM_OFF")
    case .systemReset:
      state.systemOff = "SYSTEM_RESET"
      return .systemOff("SYSTEM_RESET")
    }
  }

  /// The vCPU stops executing and its PSCI state becomes OFF.
  func powerOff(_ slot: Int) {
    state.power[slot] = .off
    unpark(slot)
    state.stopped[slot] = nil
    state.queue.removeAll { event in
      switch event {
      case .run(let cpu), .start(let cpu, _, _): cpu == slot
      }
    }
  }

  // MARK: Interrupts

  /// Re-evaluates every powered vCPU's IRQ line after a GIC change; a parked vCPU whose line is
  /// up wakes (WFI completes on an asserted line even with PSTATE.I set).
  public func interruptsChanged() {
    drainNotes()
    for slot in 0..<smp.maxCPUs where state.power[slot] == .on {
      let asserted = state.gic.irqAsserted(cpu: slot)
      if let cpu = vcpus[slot], cpu.irqPending != asserted {
        cpu.irqPending = asserted
        touch(slot)
      }
      if asserted && state.parked.contains(slot) {
        unpark(slot)
        state.queue.schedule(at: state.clock, .run(cpu: slot))
        note(source: "cpu", event: "cpu.wake", cpu: slot, details: "IRQ line asserted")
      }
    }
  }

  /// An ICC system register read by `cpu` (the modelled kernel uses CPU 0's interface).
  public func readICC(_ register: GICCPUInterface.Register, cpu: Int) -> UInt64 {
    let value = state.gic.readSystemRegister(register, cpu: cpu)
    interruptsChanged()
    return value
  }

  /// An ICC system register write by `cpu`.
  public func writeICC(_ register: GICCPUInterface.Register, cpu: Int, value: UInt64) {
    state.gic.writeSystemRegister(register, cpu: cpu, value: value)
    interruptsChanged()
  }

  /// Whether a CPU's IRQ line is asserted (the modelled kernel checks CPU 0's).
  public func irqAsserted(cpu: Int) -> Bool { state.gic.irqAsserted(cpu: cpu) }

  // MARK: Running

  /// Starts CPU 0 (or another) running guest code at `entry` now: bare-metal programs.
  public func powerOn(cpu slot: Int, entry: UInt64, context: UInt64 = 0) {
    state.queue.schedule(at: state.clock, .start(cpu: slot, entry: entry, context: context))
    state.power[slot] = .onPending
  }

  /// The time of the next machine event, if any.
  public var nextEventTime: UInt64? { state.queue.nextTime }

  /// Runs the next event. Returns false when there is none.
  @discardableResult
  public func step() -> Bool {
    guard state.systemOff == nil, let entry = state.queue.pop() else { return false }
    state.clock = Swift.max(state.clock, entry.time)
    switch entry.payload {
    case .start(let slot, let entryPoint, let context):
      guard state.hotplug.slots[slot].plugged else { return true }
      if hostExecutes(slot) {
        // The host's code for this vCPU (the modelled kernel on CPU 0) takes the entry.
        state.power[slot] = .on
        note(
          source: "cpu", event: "cpu.start", cpu: slot,
          details: "entry=0x\(String(entryPoint, radix: 16)) (driven by the modelled kernel)")
        onHostCPUStart?(slot, entryPoint, context)
        return true
      }
      let cpu = vcpu(slot)
      cpu.reset(entry: entryPoint)
      cpu.setX(0, context)
      state.power[slot] = .on
      state.stopped[slot] = nil
      note(
        source: "cpu", event: "cpu.start", cpu: slot,
        details:
          "entry=0x\(String(entryPoint, radix: 16)) x0=0x\(String(context, radix: 16)) (EL1h, MMU off, DAIF masked)"
      )
      state.queue.schedule(at: state.clock, .run(cpu: slot))
    case .run(let slot):
      runSlice(slot)
      wakeOnEvents()
    }
    interruptsChanged()
    return true
  }

  func runSlice(_ slot: Int) {
    guard state.power[slot] == .on, !hostExecutes(slot), let cpu = vcpus[slot] else { return }
    touch(slot)
    cpu.irqPending = state.gic.irqAsserted(cpu: slot)
    let before = cpu.instructionsRetired
    let reason = cpu.run(maxInstructions: VirtMachine.quantum)
    let executed = Swift.max(cpu.instructionsRetired - before, 1)
    let next = state.clock + executed
    switch reason {
    case .budgetExhausted:
      state.queue.schedule(at: next, .run(cpu: slot))
    case .waitingForInterrupt, .waitingForEvent, .firmware(.other):
      if state.gic.irqAsserted(cpu: slot) || (reason == .waitingForEvent && bus.eventRegisters[cpu.index]) {
        state.queue.schedule(at: next, .run(cpu: slot))
      } else {
        state.parked.insert(slot)
        if reason == .waitingForEvent { state.parkedInWFE.insert(slot) }
        note(
          source: "cpu", event: "cpu.wfi", cpu: slot,
          details: "\(reason) at pc=0x\(String(cpu.pc, radix: 16))")
      }
    case .firmware(.cpuOff):
      note(source: "cpu", event: "cpu.off", cpu: slot, details: "powered off by PSCI CPU_OFF")
    case .firmware(.systemOff), .firmware(.systemReset):
      note(source: "cpu", event: "cpu.system_off", cpu: slot, details: reason.description)
    default:
      state.stopped[slot] = reason.description
      note(source: "cpu", event: "cpu.stop", cpu: slot, details: reason.description)
    }
  }

  /// Runs events until none is left or `limit` events have run; returns how many ran.
  @discardableResult
  public func run(limit: Int = 1_000_000) -> Int {
    var count = 0
    while count < limit, step() { count += 1 }
    return count
  }

  /// Wakes the vCPUs parked in WFE whose event register is set (another vCPU's SEV, or a store
  /// that cleared their exclusive reservation); the register stays set, as on hardware. A vCPU
  /// in WFI does not wake on an event.
  func wakeOnEvents() {
    for slot in state.parkedInWFE.sorted() {
      guard let cpu = vcpus[slot], bus.eventRegisters[cpu.index] else { continue }
      unpark(slot)
      state.queue.schedule(at: state.clock, .run(cpu: slot))
      note(source: "cpu", event: "cpu.wake", cpu: slot, details: "event register set")
    }
  }

  /// A parked vCPU leaves WFI/WFE (woken, or powered off).
  func unpark(_ slot: Int) {
    state.parked.remove(slot)
    state.parkedInWFE.remove(slot)
  }

  // MARK: Snapshots

  public func snapshot() -> MachineSnapshot {
    // A vCPU that has not changed since the previous snapshot keeps that snapshot's state, so
    // taking one before every command (for `undo`) does not rebuild hundreds of parked vCPUs.
    // vCPUs are never removed from their slots, so the table has exactly the started ones.
    var cpus = savedCPUs
    for (slot, cpu) in vcpus.enumerated() {
      guard let cpu else { continue }
      if touchedVCPUs[slot] {
        touchedVCPUs[slot] = false
        if let saved = cpus[slot], cpu.isInState(saved) { continue }
      } else if let saved = cpus[slot], cpu.busStateMatches(saved) {
        continue
      }
      cpus[slot] = cpu.saveState()
    }
    savedCPUs = cpus
    return MachineSnapshot(state: state, cpus: cpus, ram: bus.snapshotRAM())
  }

  public func restore(_ snapshot: MachineSnapshot) {
    state = snapshot.state
    touchedVCPUs = Array(repeating: true, count: vcpus.count)
    for (slot, cpu) in vcpus.enumerated() {
      guard let cpu else { continue }
      if let saved = snapshot.cpus[slot] {
        cpu.restoreState(saved)
      } else {
        cpu.reset(entry: 0)
      }
    }
    bus.restoreRAM(snapshot.ram)
  }
}
