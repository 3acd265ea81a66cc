// System instructions on the slow path: MRS/MSR, PSTATE fields, hints (WFI/WFE/SEV/SEVL),
// barriers, exception generation (SVC/HVC/SMC/BRK/HLT), ERET, exclusives and atomics.

extension CPU {
  /// Executes the slow-path instruction `w` at `pc`. Returns a stop reason, or nil to go on.
  func executeSlow(_ w: UInt32, remaining: inout Int64) -> StopReason? {
    let here = pc
    let d = Decoder.decode(w)
    guard let op = d.operation else {
      raise(.unknown, iss: 0, far: nil, returnAddress: here)
      return deliverPendingException()
    }
    func complete() {
      pc = here &+ 4
      retire(1)
      remaining -= 1
    }
    func undefined() -> StopReason? {
      raise(.unknown, iss: 0, far: nil, returnAddress: here)
      return deliverPendingException()
    }
    let rt = Int(bits(w, 4, 0))
    switch op {
    case .mrs, .msrReg:
      let reg = SystemRegister(encoding: UInt16(bits(w, 19, 5)))
      let isRead = op == .mrs
      switch systemRegisterAccess(reg, read: isRead) {
      case .undefined: return undefined()
      case .trap:
        // Trapped to EL1 with the MSR/MRS syndrome (EC 0x18).
        let iss =
          UInt32(reg.op0) << 20 | UInt32(reg.op2) << 17 | UInt32(reg.op1) << 14 | UInt32(reg.crn) << 10
          | UInt32(rt) << 5 | UInt32(reg.crm) << 1 | (isRead ? 1 : 0)
        raise(.sys64, iss: iss, far: nil, returnAddress: here)
        return deliverPendingException()
      case .allowed: break
      }
      if isRead {
        guard let v = readSystemRegister(reg) else { return undefined() }
        setX(rt, v)
      } else {
        switch writeSystemRegister(reg, x(rt)) {
        case .undefined: return undefined()
        case .stop(let s): return s
        case .done: break
        }
      }
      complete()
    case .msrImm:
      let op1 = bits(w, 18, 16)
      let op2 = bits(w, 7, 5)
      let imm = UInt32(bits(w, 11, 8))
      if op1 == 0 {  // SPSel
        if pstate.el == 0 { return undefined() }
        setStackSelection(el: pstate.el, spSel: Int(imm & 1))
      } else {
        if pstate.el == 0 && sctlr & (1 << 9) == 0 { return undefined() }  // SCTLR_EL1.UMA
        if op2 == 6 { pstate.daif |= imm } else { pstate.daif &= ~imm }
      }
      complete()
    case .hint:
      switch bits(w, 11, 5) {
      case 2:  // WFE: consume the event register, or wait for an event or interrupt
        complete()
        if bus.consumeEvent(cpu: index) || irqPending || fiqPending { return nil }
        return .waitingForEvent
      case 3:  // WFI: complete at once if an interrupt is signalled (whatever PSTATE.I/F say)
        complete()
        if irqPending || fiqPending { return nil }
        return .waitingForInterrupt
      case 4: bus.sendEventToAll()  // SEV
      case 5: bus.signalEvent(cpu: index)  // SEVL
      default: break  // NOP, YIELD and the other hints execute as NOP
      }
      complete()
    case .clrex:
      bus.clearReservation(cpu: index)
      complete()
    case .dsb, .dmb, .isb:
      // One deterministic world: memory accesses are already sequentially consistent.
      complete()
    case .svc:
      complete()
      raise(.svc64, iss: bits(w, 20, 5), far: nil, returnAddress: here &+ 4)
      return deliverPendingException()
    case .hvc, .smc:
      // HVC/SMC at EL0 are UNDEFINED. At EL1 the firmware in the host may serve the call (PSCI);
      // otherwise, with no EL2/EL3 in this model, the instruction is UNDEFINED (EC 0x00).
      if pstate.el == 0 { return undefined() }
      let call = FirmwareCall(
        conduit: op == .hvc ? .hvc : .smc, immediate: UInt16(bits(w, 20, 5)), x0: x(0), x1: x(1), x2: x(2),
        x3: x(3))
      switch host?.firmwareCall(call, cpu: self) ?? .notHandled {
      case .notHandled: return undefined()
      case .handled: complete()
      case .stop(let s):
        complete()
        return .firmware(s)
      }
    case .brk:
      if policy.stopOnBRK { return .softwareBreakpoint(immediate: UInt16(bits(w, 20, 5))) }
      raise(.brk64, iss: bits(w, 20, 5), far: nil, returnAddress: here)
      return deliverPendingException()
    case .hlt:
      // Halting debug is not enabled in this model, so HLT is UNDEFINED.
      return undefined()
    case .eret:
      if pstate.el == 0 { return undefined() }
      retire(1)
      remaining -= 1
      exceptionReturn()
    case .loadExclusive, .storeExclusive, .loadExclusivePair, .storeExclusivePair, .loadAcquire,
      .storeRelease,
      .atomic, .swap, .cas, .casPair:
      guard executeAtomicOrExclusive(op, w, pc: here) else { return deliverPendingException() }
      complete()
    default:
      return undefined()
    }
    return nil
  }

  enum SystemRegisterAccess {
    case allowed, undefined, trap
  }

  enum SystemRegisterWrite {
    case done, undefined
    case stop(StopReason)
  }

  /// EL0 access rules for the registers EL0 may reach; everything else needs EL1.
  func systemRegisterAccess(_ r: SystemRegister, read: Bool) -> SystemRegisterAccess {
    guard pstate.el == 0 else { return .allowed }
    switch r {
    case .nzcv, .tpidrEL0: return .allowed
    case .tpidrroEL0: return read ? .allowed : .undefined
    case .daif: return sctlr & (1 << 9) != 0 ? .allowed : .trap  // SCTLR_EL1.UMA
    case .cntvct: return read ? (cntkctl & 2 != 0 ? .allowed : .trap) : .undefined  // CNTKCTL_EL1.EL0VCTEN
    case .cntfrq: return read ? (cntkctl & 3 != 0 ? .allowed : .trap) : .undefined
    case SystemRegister(op0: 3, op1: 3, crn: 0, crm: 0, op2: 1):
      return read ? (sctlr & (1 << 15) != 0 ? .allowed : .trap) : .undefined
    default: return .undefined
    }
  }

  /// Reads a system register (access rights already checked); nil if it does not exist.
  public func readSystemRegister(_ r: SystemRegister) -> UInt64? {
    switch r {
    case .midr: return midr
    case .mpidr: return mpidr
    case SystemRegister(op0: 3, op1: 0, crn: 0, crm: 0, op2: 6): return 0  // REVIDR_EL1
    // ID_AA64PFR0_EL1: EL0 and EL1 AArch64 only, no EL2/EL3, FP and AdvSIMD not implemented
    // (0xF), GIC system register interface (GIC = 1).
    case SystemRegister(op0: 3, op1: 0, crn: 0, crm: 4, op2: 0): return 0x01FF_0011
    // ID_AA64ISAR0_EL1: Atomic = 2 (LSE).
    case SystemRegister(op0: 3, op1: 0, crn: 0, crm: 6, op2: 0): return 0x20_0000
    // ID_AA64MMFR0_EL1: PARange 40 bits, 4 KiB and 16 KiB granules, no 64 KiB granule.
    case SystemRegister(op0: 3, op1: 0, crn: 0, crm: 7, op2: 0): return 0x0F10_0002
    case SystemRegister(op0: 3, op1: 3, crn: 0, crm: 0, op2: 1): return 0x8444_C004  // CTR_EL0
    case SystemRegister(op0: 3, op1: 3, crn: 0, crm: 0, op2: 7): return 0x14  // DCZID_EL0: DC ZVA prohibited
    case .sctlr: return sctlr
    case .vbar: return vbar
    case .elr: return elr
    case .spsr: return spsr
    case .esr: return esr
    case .far: return far
    case .currentEL: return UInt64(pstate.el) << 2
    case .daif: return UInt64(pstate.daif) << 6
    case .nzcv: return UInt64(nzcv) << 28
    case .spSel: return UInt64(pstate.spSel)
    case .spEL0:
      // SP_EL0 is accessible by MRS/MSR only while SP_EL1 is the current stack pointer.
      return usesSPEL1 ? otherSP : nil
    case .cntkctl: return cntkctl
    case .cntfrq: return counterFrequency
    case .cntvct: return host?.virtualCount(cpu: self) ?? instructionsRetired
    default:
      if CPU.plainRegisters.contains(r) { return storage[r.encoding] ?? 0 }
      if pstate.el == 1, let v = host?.readSystemRegister(r, cpu: self) { return v }
      return nil
    }
  }

  /// Registers with read/write storage and no behaviour in this model.
  static let plainRegisters: Set<SystemRegister> = [
    SystemRegister(op0: 3, op1: 0, crn: 1, crm: 0, op2: 1),  // ACTLR_EL1
    .cpacr, .ttbr0, .ttbr1, .tcr, .mair,
    SystemRegister(op0: 3, op1: 0, crn: 10, crm: 3, op2: 0),  // AMAIR_EL1
    .contextidr, .tpidrEL1, .tpidrEL0, .tpidrroEL0,
    SystemRegister(op0: 3, op1: 0, crn: 5, crm: 1, op2: 0),  // AFSR0_EL1
    SystemRegister(op0: 3, op1: 0, crn: 5, crm: 1, op2: 1),  // AFSR1_EL1
    SystemRegister(op0: 3, op1: 0, crn: 7, crm: 4, op2: 0),  // PAR_EL1
    SystemRegister(op0: 3, op1: 2, crn: 0, crm: 0, op2: 0),  // CSSELR_EL1
    SystemRegister(op0: 2, op1: 0, crn: 0, crm: 2, op2: 2),  // MDSCR_EL1
    SystemRegister(op0: 2, op1: 0, crn: 1, crm: 3, op2: 4),  // OSDLR_EL1
  ]

  func writeSystemRegister(_ r: SystemRegister, _ v: UInt64) -> SystemRegisterWrite {
    switch r {
    case .sctlr:
      if v & 1 != 0 {
        return .stop(
          .unsupported("SCTLR_EL1.M = 1: this model runs with the MMU off (no stage 1 translation)"))
      }
      sctlr = v
    case .vbar:
      vbar = v & ~0x7FF
      vbarWritten = true
    case .elr: elr = v
    case .spsr: spsr = v & 0xF010_03DF  // NZCV, IL, DAIF, M[4:0]
    case .esr: esr = v & 0xFFFF_FFFF
    case .far: far = v
    case .daif: pstate.daif = UInt32((v >> 6) & 0xF)
    case .nzcv: nzcv = UInt32((v >> 28) & 0xF)
    case .spSel: setStackSelection(el: pstate.el, spSel: Int(v & 1))
    case .spEL0:
      guard usesSPEL1 else { return .undefined }
      otherSP = v
    case .cntkctl: cntkctl = v
    case .cntfrq: counterFrequency = v & 0xFFFF_FFFF
    case SystemRegister(op0: 2, op1: 0, crn: 1, crm: 0, op2: 4): break  // OSLAR_EL1: OS lock not modelled
    default:
      if CPU.plainRegisters.contains(r) {
        if r == .tpidrroEL0 && pstate.el == 0 { return .undefined }
        storage[r.encoding] = v
      } else if pstate.el == 1, host?.writeSystemRegister(r, value: v, cpu: self) == true {
        return .done
      } else {
        return .undefined
      }
    }
    return .done
  }
}
