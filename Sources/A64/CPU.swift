// One A64 processing element (vCPU): architectural state, the exception model at EL1, and the
// run/step API. Execution translates blocks once (TranslationCache) and runs them in the
// interpreter loop (Interpreter.swift); system instructions take the slow path (Execute+System).

/// Which firmware conduit an HVC or SMC used.
public enum Conduit: String, Sendable {
  case hvc = "HVC"
  case smc = "SMC"
}

/// An HVC/SMC call delivered to the host (SMC Calling Convention registers).
public struct FirmwareCall: Sendable, Equatable {
  public var conduit: Conduit
  /// The instruction's imm16 (0 for SMCCC calls).
  public var immediate: UInt16
  /// W0: the SMCCC function identifier.
  public var functionID: UInt32 { UInt32(truncatingIfNeeded: x0) }
  public var x0: UInt64
  public var x1: UInt64
  public var x2: UInt64
  public var x3: UInt64
}

/// Why the firmware stopped the calling vCPU.
public enum FirmwareStop: Sendable, Equatable, CustomStringConvertible {
  case systemOff
  case systemReset
  case cpuOff
  case other(String)

  public var description: String {
    switch self {
    case .systemOff: return "PSCI SYSTEM_OFF"
    case .systemReset: return "PSCI SYSTEM_RESET"
    case .cpuOff: return "PSCI CPU_OFF"
    case .other(let s): return s
    }
  }
}

/// What the host did with an HVC/SMC.
public enum FirmwareOutcome: Sendable, Equatable {
  /// The call was handled (results already written to X0...); execution continues after it.
  case handled
  /// Nobody serves this conduit: the instruction is UNDEFINED (no EL2/EL3 in this model).
  case notHandled
  /// Handled, and the vCPU stops (SYSTEM_OFF, CPU_OFF, ...); PC is after the call.
  case stop(FirmwareStop)
}

/// The services a vCPU needs from the machine around it. All methods have defaults.
public protocol CPUHost: AnyObject {
  /// HVC/SMC executed at EL1 (the PSCI firmware).
  func firmwareCall(_ call: FirmwareCall, cpu: CPU) -> FirmwareOutcome
  /// System registers the CPU does not implement itself (the GIC's ICC_*_EL1, timers):
  /// return nil if the register does not exist (the access is UNDEFINED).
  func readSystemRegister(_ register: SystemRegister, cpu: CPU) -> UInt64?
  /// Returns false if the register does not exist or is not writable.
  func writeSystemRegister(_ register: SystemRegister, value: UInt64, cpu: CPU) -> Bool
  /// CNTVCT_EL0: the virtual count from the world's clock.
  func virtualCount(cpu: CPU) -> UInt64
}

extension CPUHost {
  public func firmwareCall(_ call: FirmwareCall, cpu: CPU) -> FirmwareOutcome { .notHandled }
  public func readSystemRegister(_ register: SystemRegister, cpu: CPU) -> UInt64? { nil }
  public func writeSystemRegister(_ register: SystemRegister, value: UInt64, cpu: CPU) -> Bool { false }
  public func virtualCount(cpu: CPU) -> UInt64 { cpu.instructionsRetired }
}

/// Why `run` returned.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
  /// The instruction budget is used up.
  case budgetExhausted
  /// WFI with no interrupt signalled; PC is the next instruction.
  case waitingForInterrupt
  /// WFE with the event register clear and no interrupt signalled; PC is the next instruction.
  case waitingForEvent
  /// PC reached a host breakpoint address (the instruction there has not executed).
  case breakpoint(UInt64)
  /// BRK executed while `ExecutionPolicy.stopOnBRK` is set; PC is the BRK.
  case softwareBreakpoint(immediate: UInt16)
  /// The firmware stopped this vCPU.
  case firmware(FirmwareStop)
  /// An exception the policy does not deliver (no vector table installed); the record says
  /// what ESR_EL1/ELR_EL1/FAR_EL1 would hold. The state is left at the faulting instruction.
  case unhandledException(ExceptionRecord)
  /// The guest asked for something this model does not implement (e.g. turning the MMU on).
  case unsupported(String)

  public var description: String {
    switch self {
    case .budgetExhausted: return "instruction budget exhausted"
    case .waitingForInterrupt: return "WFI: waiting for an interrupt"
    case .waitingForEvent: return "WFE: waiting for an event"
    case .breakpoint(let a): return "breakpoint at 0x\(String(a, radix: 16))"
    case .softwareBreakpoint(let i): return "BRK #0x\(String(i, radix: 16))"
    case .firmware(let s): return s.description
    case .unhandledException(let e): return "unhandled exception: \(e)"
    case .unsupported(let s): return "unsupported: \(s)"
    }
  }
}

/// What the vCPU does on events the host may want to see.
public struct ExecutionPolicy: Sendable, Equatable {
  /// Stop at BRK instead of taking the Breakpoint Instruction exception (EC 0x3C).
  public var stopOnBRK = false
  /// Stop at a synchronous exception while VBAR_EL1 has never been written (no vector table),
  /// instead of vectoring to an address that holds no handler.
  public var stopOnExceptionWithoutVectors = true
  /// Stop at every synchronous exception, vectors or not.
  public var stopOnAllExceptions = false

  public init(
    stopOnBRK: Bool = false, stopOnExceptionWithoutVectors: Bool = true, stopOnAllExceptions: Bool = false
  ) {
    self.stopOnBRK = stopOnBRK
    self.stopOnExceptionWithoutVectors = stopOnExceptionWithoutVectors
    self.stopOnAllExceptions = stopOnAllExceptions
  }
}

/// PSTATE fields this model keeps (besides NZCV).
public struct ProcessorState: Sendable, Equatable {
  /// Current Exception level: 0 or 1.
  public var el: Int = 1
  /// SPSel: 1 selects SP_EL1 at EL1 (EL1h), 0 selects SP_EL0 (EL1t).
  public var spSel: Int = 1
  /// D, A, I, F mask bits as in DAIF[9:6] >> 6 (bit 3 = D ... bit 0 = F).
  public var daif: UInt32 = 0xF
  /// PSTATE.IL: set by an illegal exception return; the next instruction then takes an
  /// Illegal Execution state exception (EC 0x0E).
  public var illegalExecutionState = false
}

/// A vCPU.
public final class CPU {
  public let bus: SystemBus
  /// This PE's index on the bus (event register, exclusive monitor).
  public private(set) var index: Int = 0
  public weak var host: CPUHost?
  public var policy = ExecutionPolicy()

  // The architectural state saved by `saveState()` is `@exclusivity(unchecked)`, as the
  // interpreter's hot state already avoids the checks: a vCPU is used by one thread at a time,
  // and the machine's snapshots (one before every Lab command) read each of these fields of
  // every vCPU, where a checked access costs more than the comparison itself.

  /// Register file slots (see `Slot`): X0...X30, zero, sink, current SP.
  let regs: UnsafeMutablePointer<UInt64>
  /// The SP of the other stack-pointer selection (SP_EL0 when SP_EL1 is current and vice versa).
  @exclusivity(unchecked) var otherSP: UInt64 = 0
  @exclusivity(unchecked) public var pc: UInt64 = 0
  /// NZCV in bits [3:0].
  @exclusivity(unchecked) public var nzcv: UInt32 = 0
  /// EL, SPSel, DAIF and IL; change them with `setProcessorState` (which banks SP correctly).
  @exclusivity(unchecked) public internal(set) var pstate = ProcessorState()

  // System registers implemented here.
  @exclusivity(unchecked) public var mpidr: UInt64
  @exclusivity(unchecked) public var midr: UInt64
  @exclusivity(unchecked) var sctlr: UInt64 = CPU.sctlrResetValue
  @exclusivity(unchecked) var vbar: UInt64 = 0
  @exclusivity(unchecked) var vbarWritten = false
  @exclusivity(unchecked) var elr: UInt64 = 0
  @exclusivity(unchecked) var spsr: UInt64 = 0
  @exclusivity(unchecked) var esr: UInt64 = 0
  @exclusivity(unchecked) var far: UInt64 = 0
  @exclusivity(unchecked) var cntkctl: UInt64 = 0
  /// Registers with plain read/write storage and no side effects here.
  @exclusivity(unchecked) var storage: [UInt16: UInt64] = [:]
  public var counterFrequency: UInt64 = 62_500_000

  /// Interrupt lines driven by the GIC model.
  @exclusivity(unchecked) public var irqPending = false
  @exclusivity(unchecked) public var fiqPending = false

  /// Host breakpoint addresses.
  public var breakpoints: Set<UInt64> = [] { didSet { cache.flush() } }
  /// Set when resuming from a breakpoint so that the instruction there executes once.
  var skipBreakpointAt: UInt64? = nil

  @exclusivity(unchecked) public internal(set) var instructionsRetired: UInt64 = 0
  /// The last exception taken (or reported as unhandled).
  @exclusivity(unchecked) public internal(set) var lastException: ExceptionRecord?

  let cache = TranslationCache()
  /// The interpreter loop's state that lives in memory (lazy flags, RAM fast path), stored
  /// right after the register file in the same allocation (`CPU.loopState(_:)`).
  var loopState: UnsafeMutablePointer<LoopState> { CPU.loopState(regs) }
  var pendingException: PendingException? = nil
  /// Set by slow memory paths (MMIO, code-page store) so the interpreter leaves the block.
  var exitAfterAccess: Bool {
    get { loopState.pointee.exitAfterAccess }
    set { loopState.pointee.exitAfterAccess = newValue }
  }

  static let sctlrResetValue: UInt64 = 0x30D0_0818  // RES1 bits, SA0, SA; M = C = I = 0

  /// Creates a vCPU on `bus` in its reset state (EL1h, DAIF masked, MMU off).
  public init(bus: SystemBus, mpidr: UInt64 = 0x8000_0000, midr: UInt64 = 0x411F_D070) {
    self.bus = bus
    self.mpidr = mpidr
    self.midr = midr
    regs = .allocate(capacity: Slot.count + LoopState.words)
    regs.initialize(repeating: 0, count: Slot.count)
    UnsafeMutableRawPointer(regs + Slot.count).initializeMemory(as: LoopState.self, to: LoopState())
    index = bus.attach(self)
  }

  deinit { regs.deallocate() }

  /// The loop state behind a register file: one base register in the interpreter addresses both.
  @inline(__always)
  static func loopState(_ regs: UnsafeMutablePointer<UInt64>) -> UnsafeMutablePointer<LoopState> {
    UnsafeMutableRawPointer(regs + Slot.count).assumingMemoryBound(to: LoopState.self)
  }

  /// Architectural reset: registers zero, EL1h, DAIF = 0b1111, MMU off, PC = `entry`.
  public func reset(entry: UInt64) {
    for i in 0..<Slot.count { regs[i] = 0 }
    otherSP = 0
    pc = entry
    nzcv = 0
    pstate = ProcessorState()
    sctlr = CPU.sctlrResetValue
    vbar = 0
    vbarWritten = false
    elr = 0
    spsr = 0
    esr = 0
    far = 0
    cntkctl = 0
    storage = [:]
    pendingException = nil
    lastException = nil
    bus.clearReservation(cpu: index)
    cache.flush()
  }

  // MARK: Host-side access

  /// Sets a system register as the host (firmware, board, tests) would: no EL checks and no
  /// trap; VBAR_EL1 written this way counts as an installed vector table. Returns false for a
  /// register this CPU does not hold itself.
  @discardableResult
  public func setSystemRegister(_ r: SystemRegister, _ value: UInt64) -> Bool {
    let savedEL = pstate.el
    pstate.el = 1
    defer { pstate.el = savedEL }
    if r == .sctlr {
      sctlr = value & ~1
      return true
    }
    if case .done = writeSystemRegister(r, value) { return true }
    return false
  }

  /// Sets EL, SPSel and DAIF together (as a PSCI CPU_ON entry or a test does), swapping the
  /// banked stack pointer as needed.
  public func setProcessorState(el newEL: Int, spSel newSel: Int, daif: UInt32) {
    setStackSelection(el: newEL == 0 ? 0 : 1, spSel: newEL == 0 ? 0 : newSel & 1)
    pstate.daif = daif & 0xF
  }

  // MARK: Registers

  /// Xn (n = 0...30); 31 reads as zero (XZR).
  public func x(_ n: Int) -> UInt64 { n >= 0 && n < 31 ? regs[n] : 0 }

  /// Sets Xn (n = 0...30); writes to 31 (XZR) are discarded.
  public func setX(_ n: Int, _ value: UInt64) {
    if n >= 0 && n < 31 { regs[n] = value }
  }

  /// The current stack pointer (SP_EL0 or SP_EL1 per EL and SPSel).
  public var sp: UInt64 {
    get { regs[Int(Slot.sp)] }
    set { regs[Int(Slot.sp)] = newValue }
  }

  var usesSPEL1: Bool { pstate.el == 1 && pstate.spSel == 1 }

  public var spEL0: UInt64 {
    get { usesSPEL1 ? otherSP : sp }
    set { if usesSPEL1 { otherSP = newValue } else { sp = newValue } }
  }

  public var spEL1: UInt64 {
    get { usesSPEL1 ? sp : otherSP }
    set { if usesSPEL1 { sp = newValue } else { otherSP = newValue } }
  }

  var el: Int { pstate.el }

  /// Changes EL/SPSel, swapping the banked stack pointer.
  func setStackSelection(el newEL: Int, spSel newSel: Int) {
    let before = usesSPEL1
    pstate.el = newEL
    pstate.spSel = newSel
    if before != usesSPEL1 { swap(&regs[Int(Slot.sp)], &otherSP) }
  }

  /// PSTATE as SPSR_EL1 saves it: NZCV [31:28], DAIF [9:6], M [3:0] (EL0t 0b0000, EL1t 0b0100,
  /// EL1h 0b0101).
  public var spsrValue: UInt64 {
    let m: UInt64 = pstate.el == 0 ? 0 : (pstate.spSel == 1 ? 5 : 4)
    let il: UInt64 = pstate.illegalExecutionState ? 1 << 20 : 0
    return UInt64(nzcv) << 28 | il | UInt64(pstate.daif) << 6 | m
  }

  /// SCTLR_EL1.SA (EL1) / SA0 (EL0): SP alignment checking.
  var spAlignmentCheckEnabled: Bool { sctlr & (pstate.el == 0 ? 0x10 : 0x8) != 0 }

  var dataAbortClass: ExceptionClass { pstate.el == 0 ? .dataAbortLowerEL : .dataAbortSameEL }

  // MARK: Running

  /// Runs at most `maxInstructions` instructions, or until an event (see `StopReason`). Each
  /// exception or interrupt entry also consumes one unit of the budget, so a guest caught in a
  /// fault loop still returns.
  public func run(maxInstructions: UInt64) -> StopReason {
    var remaining = Int64(clamping: maxInstructions)
    while true {
      // Interrupts are taken between blocks when unmasked (PSTATE.I / PSTATE.F).
      if remaining <= 0 { return .budgetExhausted }
      if fiqPending && pstate.daif & 1 == 0 {
        takeInterrupt(.fiq)
        remaining -= 1
        continue
      } else if irqPending && pstate.daif & 2 == 0 {
        takeInterrupt(.irq)
        remaining -= 1
        continue
      }
      if pstate.illegalExecutionState {
        raise(.illegalExecutionState, iss: 0, far: nil, returnAddress: pc)
        if let stop = deliverPendingException() { return stop }
        remaining -= 1
        continue
      }
      if !breakpoints.isEmpty && breakpoints.contains(pc) {
        if skipBreakpointAt == pc {
          skipBreakpointAt = nil
        } else {
          skipBreakpointAt = pc
          return .breakpoint(pc)
        }
      }
      if pc & 3 != 0 {
        // PC alignment fault: ELR and FAR hold the misaligned PC.
        raise(.pcAlignment, iss: 0, far: pc, returnAddress: pc)
        if let stop = deliverPendingException() { return stop }
        remaining -= 1
        continue
      }
      guard let block = cache.block(at: pc, cpu: self, maxLength: Int(min(remaining, 64))) else {
        // Instruction fetch from memory that is not RAM: Instruction Abort.
        let ec: ExceptionClass = pstate.el == 0 ? .instructionAbortLowerEL : .instructionAbortSameEL
        raise(ec, iss: FaultStatus.synchronousExternalAbort.rawValue, far: pc, returnAddress: pc)
        if let stop = deliverPendingException() { return stop }
        remaining -= 1
        continue
      }
      let exit = interpret(block: block, remaining: &remaining)
      switch exit {
      case .chained:
        continue
      case .slow(let word, let at):
        pc = at
        let before = remaining
        if let stop = executeSlow(word, remaining: &remaining) { return stop }
        // An instruction that raised an exception retires nothing, but its entry into the
        // vector consumes budget, so that a fault loop (a vector full of UDF) still returns.
        if remaining == before { remaining -= 1 }
      case .exception:
        if let stop = deliverPendingException() { return stop }
        remaining -= 1
      }
    }
  }

  /// Executes exactly one instruction (or stops before it for a breakpoint or exception policy).
  public func step() -> StopReason { run(maxInstructions: 1) }

  func retire(_ n: Int64) { instructionsRetired &+= UInt64(n) }

  // MARK: Exceptions

  /// Records a synchronous exception raised by the instruction at `returnAddress` (or before it).
  func raise(_ ec: ExceptionClass, iss: UInt32, far: UInt64?, returnAddress: UInt64) {
    pendingException = PendingException(exceptionClass: ec, iss: iss, far: far, returnAddress: returnAddress)
  }

  /// ISS of a data abort: WnR [6], DFSC [5:0] (ISV = 0, as for aborts reported in ESR_EL1).
  func dataAbortISS(_ status: FaultStatus, write: Bool) -> UInt32 {
    (write ? 1 << 6 : 0) | status.rawValue
  }

  /// Takes (or, per policy, reports) the pending synchronous exception.
  func deliverPendingException() -> StopReason? {
    guard let p = pendingException else { return nil }
    pendingException = nil
    let esrValue = syndrome(p.exceptionClass, iss: p.iss)
    let record = ExceptionRecord(
      type: .synchronous, esr: esrValue, far: p.far, elr: p.returnAddress, spsr: spsrValue,
      vector: vectorAddress(.synchronous), fromEL: pstate.el)
    if policy.stopOnAllExceptions || (policy.stopOnExceptionWithoutVectors && !vbarWritten) {
      lastException = record
      pc = p.returnAddress
      return .unhandledException(record)
    }
    enterException(record, esrValue: esrValue)
    return nil
  }

  /// VBAR_EL1 + the offset for `type` from the current EL and SP selection.
  func vectorAddress(_ type: ExceptionType) -> UInt64 {
    let base: UInt64
    if pstate.el == 0 {
      base = 0x400  // lower EL, AArch64
    } else {
      base = pstate.spSel == 1 ? 0x200 : 0x000
    }
    return (vbar & ~0x7FF) &+ base &+ type.rawValue
  }

  /// Exception entry to EL1: SPSR_EL1 ← PSTATE, ELR_EL1 ← return address, ESR/FAR, then EL1h
  /// with DAIF masked, PC ← vector.
  func enterException(_ record: ExceptionRecord, esrValue: UInt64?) {
    spsr = record.spsr
    elr = record.elr
    if let esrValue { esr = esrValue }
    if let f = record.far { far = f }
    setStackSelection(el: 1, spSel: 1)
    pstate.daif = 0xF
    pstate.illegalExecutionState = false
    pc = record.vector
    lastException = record
  }

  func takeInterrupt(_ type: ExceptionType) {
    let record = ExceptionRecord(
      type: type, esr: 0, far: nil, elr: pc, spsr: spsrValue, vector: vectorAddress(type), fromEL: pstate.el)
    enterException(record, esrValue: nil)
  }

  /// ERET: PC ← ELR_EL1, PSTATE ← SPSR_EL1; clears the local exclusive monitor. A return to a
  /// mode this PE does not have (EL2/EL3, AArch32, or a reserved M value) is an illegal exception
  /// return: EL and SP selection stay, PSTATE.IL is set, NZCV and DAIF are still restored.
  func exceptionReturn() {
    let s = spsr
    nzcv = UInt32((s >> 28) & 0xF)
    pstate.daif = UInt32((s >> 6) & 0xF)
    switch s & 0x1F {
    case 0:
      setStackSelection(el: 0, spSel: 0)
      pstate.illegalExecutionState = s & (1 << 20) != 0
    case 4:
      setStackSelection(el: 1, spSel: 0)
      pstate.illegalExecutionState = s & (1 << 20) != 0
    case 5:
      setStackSelection(el: 1, spSel: 1)
      pstate.illegalExecutionState = s & (1 << 20) != 0
    default:
      pstate.illegalExecutionState = true
    }
    pc = elr
    bus.clearReservation(cpu: index)
  }

  /// Invalidates translated code of the 4 KiB page at `page` (a store hit it).
  func invalidateTranslations(page: UInt64) {
    cache.invalidate(page: page)
    exitAfterAccess = true
  }
}
