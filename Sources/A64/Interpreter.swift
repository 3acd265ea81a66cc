// The interpreter loop: runs translated blocks, following chaining links from block to block
// until the budget runs out, an unlinked branch needs a lookup, or an instruction needs the slow
// path. Hot state lives in locals and behind unsafe pointers: no ARC, no exclusivity checks,
// no existentials and no allocation inside the loop. NZCV is kept lazily (FlagKind).

enum InterpretExit {
  /// Stopped at a block boundary; `pc` is the next block.
  case chained
  /// A slow-path instruction (`word` at `pc`) is next.
  case slow(UInt32, UInt64)
  /// `pendingException` holds a synchronous exception; `pc` is its return address.
  case exception
}

extension CPU {
  /// Runs from the block `start` (the caller checked `remaining >= its length`).
  func interpret(block start: BlockLink, remaining: inout Int64) -> InterpretExit {
    let ops = cache.ops
    let r = regs
    let jc = cache.jumpCache
    let jumpMask = UInt64(TranslationCache.jumpEntries - 1)
    let chaining = breakpoints.isEmpty
    // RAM fast path: the first RAM region.
    var ramBase: UInt64 = 0
    var ramSize: UInt64 = 0
    var mem = UnsafeMutableRawPointer(bitPattern: 8)!
    var pageFlags = UnsafeMutablePointer<UInt8>(bitPattern: 8)!
    if let region = bus.ram.first {
      ramBase = region.base
      ramSize = region.size
      mem = region.memory
      pageFlags = region.pageFlags
    }
    let limit8 = ramSize >= 8 ? ramSize - 7 : 0
    let limit4 = ramSize >= 4 ? ramSize - 3 : 0
    let spCheck = spAlignmentCheckEnabled
    var fk = FlagKind.materialized
    var fa = UInt64(nzcv)
    var fb: UInt64 = 0
    var ip = Int(truncatingIfNeeded: start & 0xFFFF_FFFF)
    var blockLen = Int64(start >> 32)
    var blockPC = pc
    var left = remaining - blockLen
    let before = remaining
    var result = InterpretExit.chained
    exitAfterAccess = false

    @inline(__always) func evalCond(_ cond: UInt8) -> Bool {
      switch fk {
      case FlagKind.sub64: return conditionAfterSub64(cond, fa, fb)
      case FlagKind.sub32: return conditionAfterSub32(cond, fa, fb)
      default: return conditionHolds(UInt32(cond), nzcv: materializeFlags(fk, fa, fb))
      }
    }

    loop: while true {
      let op = ops[ip]
      switch op.kind {
      // MARK: Control flow
      case .fallThrough, .b, .bl:
        if op.kind == .bl { r[30] = blockPC &+ UInt64(op.index + 1) << 2 }
        let link = op.imm2
        if link != 0 && left >= Int64(link >> 32) {
          blockLen = Int64(link >> 32)
          left -= blockLen
          ip = Int(truncatingIfNeeded: link & 0xFFFF_FFFF)
          blockPC = op.imm
          continue loop
        }
        pc = op.imm
        if chaining {
          cache.patchSlot = ip
          cache.patchTarget = op.imm
        }
        break loop
      case .bCond, .cbz, .cbnz, .cbz32, .cbnz32, .tbz, .tbnz:
        let taken: Bool
        switch op.kind {
        case .bCond: taken = evalCond(op.aux)
        case .cbz: taken = r[Int(op.rn)] == 0
        case .cbnz: taken = r[Int(op.rn)] != 0
        case .cbz32: taken = r[Int(op.rn)] & 0xFFFF_FFFF == 0
        case .cbnz32: taken = r[Int(op.rn)] & 0xFFFF_FFFF != 0
        case .tbz: taken = (r[Int(op.rn)] >> UInt64(op.aux)) & 1 == 0
        default: taken = (r[Int(op.rn)] >> UInt64(op.aux)) & 1 != 0
        }
        let slot = taken ? ip : ip + 1
        let target = ops[slot].imm
        let link = ops[slot].imm2
        if link != 0 && left >= Int64(link >> 32) {
          blockLen = Int64(link >> 32)
          left -= blockLen
          ip = Int(truncatingIfNeeded: link & 0xFFFF_FFFF)
          blockPC = target
          continue loop
        }
        pc = target
        if chaining {
          cache.patchSlot = slot
          cache.patchTarget = target
        }
        break loop
      case .subsImmBCond, .subsRegBCond, .subsImm32BCond, .subsReg32BCond:
        // Fused SUBS/CMP + B.cond: the flags stay lazy, the condition is evaluated directly.
        let a = r[Int(op.rn)]
        let taken: Bool
        switch op.kind {
        case .subsImmBCond:
          let b = op.imm
          r[Int(op.rd)] = a &- b
          fk = FlagKind.sub64
          fa = a
          fb = b
          taken = conditionAfterSub64(op.aux, a, b)
        case .subsRegBCond:
          let b = r[Int(op.rm)]
          r[Int(op.rd)] = a &- b
          fk = FlagKind.sub64
          fa = a
          fb = b
          taken = conditionAfterSub64(op.aux, a, b)
        case .subsImm32BCond:
          let x = a & 0xFFFF_FFFF
          let b = op.imm
          r[Int(op.rd)] = (x &- b) & 0xFFFF_FFFF
          fk = FlagKind.sub32
          fa = x
          fb = b
          taken = conditionAfterSub32(op.aux, x, b)
        default:
          let x = a & 0xFFFF_FFFF
          let b = r[Int(op.rm)] & 0xFFFF_FFFF
          r[Int(op.rd)] = (x &- b) & 0xFFFF_FFFF
          fk = FlagKind.sub32
          fa = x
          fb = b
          taken = conditionAfterSub32(op.aux, x, b)
        }
        let slot = taken ? ip + 1 : ip + 2
        let target = ops[slot].imm
        let link = ops[slot].imm2
        if link != 0 && left >= Int64(link >> 32) {
          blockLen = Int64(link >> 32)
          left -= blockLen
          ip = Int(truncatingIfNeeded: link & 0xFFFF_FFFF)
          blockPC = target
          continue loop
        }
        pc = target
        if chaining {
          cache.patchSlot = slot
          cache.patchTarget = target
        }
        break loop
      case .br, .blr:
        let target = r[Int(op.rn)]
        if op.kind == .blr { r[30] = blockPC &+ UInt64(op.index + 1) << 2 }
        if chaining {
          let j = Int((target >> 2) & jumpMask) * 2
          if jc[j] == target && jc[j + 1] != 0 && left >= Int64(jc[j + 1] >> 32) {
            let link = jc[j + 1]
            blockLen = Int64(link >> 32)
            left -= blockLen
            ip = Int(truncatingIfNeeded: link & 0xFFFF_FFFF)
            blockPC = target
            continue loop
          }
        }
        pc = target
        break loop
      case .linkSlot:
        // Never executed: data of the preceding conditional branch.
        break loop
      case .slow:
        pc = blockPC &+ UInt64(op.index) << 2
        left += blockLen - Int64(op.index)
        result = .slow(UInt32(truncatingIfNeeded: op.imm), pc)
        break loop
      case .undefined:
        pc = blockPC &+ UInt64(op.index) << 2
        left += blockLen - Int64(op.index)
        raise(.unknown, iss: 0, far: nil, returnAddress: pc)
        result = .exception
        break loop

      // MARK: Data processing
      case .movImm:
        r[Int(op.rd)] = op.imm
      case .movk:
        r[Int(op.rd)] = (r[Int(op.rn)] & op.imm2) | op.imm
      case .addImm:
        r[Int(op.rd)] = r[Int(op.rn)] &+ op.imm
      case .addImm32:
        r[Int(op.rd)] = (r[Int(op.rn)] &+ op.imm) & 0xFFFF_FFFF
      case .addsImm:
        let a = r[Int(op.rn)]
        r[Int(op.rd)] = a &+ op.imm
        fk = FlagKind.add64
        fa = a
        fb = op.imm
      case .subsImm:
        let a = r[Int(op.rn)]
        r[Int(op.rd)] = a &- op.imm
        fk = FlagKind.sub64
        fa = a
        fb = op.imm
      case .addsImm32:
        let a = r[Int(op.rn)] & 0xFFFF_FFFF
        r[Int(op.rd)] = (a &+ op.imm) & 0xFFFF_FFFF
        fk = FlagKind.add32
        fa = a
        fb = op.imm
      case .subsImm32:
        let a = r[Int(op.rn)] & 0xFFFF_FFFF
        r[Int(op.rd)] = (a &- op.imm) & 0xFFFF_FFFF
        fk = FlagKind.sub32
        fa = a
        fb = op.imm
      case .add: r[Int(op.rd)] = r[Int(op.rn)] &+ r[Int(op.rm)]
      case .sub: r[Int(op.rd)] = r[Int(op.rn)] &- r[Int(op.rm)]
      case .and: r[Int(op.rd)] = r[Int(op.rn)] & r[Int(op.rm)]
      case .orr: r[Int(op.rd)] = r[Int(op.rn)] | r[Int(op.rm)]
      case .eor: r[Int(op.rd)] = r[Int(op.rn)] ^ r[Int(op.rm)]
      case .bic: r[Int(op.rd)] = r[Int(op.rn)] & ~r[Int(op.rm)]
      case .orn: r[Int(op.rd)] = r[Int(op.rn)] | ~r[Int(op.rm)]
      case .eon: r[Int(op.rd)] = r[Int(op.rn)] ^ ~r[Int(op.rm)]
      case .adds:
        let a = r[Int(op.rn)]
        let b = r[Int(op.rm)]
        r[Int(op.rd)] = a &+ b
        fk = FlagKind.add64
        fa = a
        fb = b
      case .subs:
        let a = r[Int(op.rn)]
        let b = r[Int(op.rm)]
        r[Int(op.rd)] = a &- b
        fk = FlagKind.sub64
        fa = a
        fb = b
      case .ands:
        let v = r[Int(op.rn)] & r[Int(op.rm)]
        r[Int(op.rd)] = v
        fk = FlagKind.logic64
        fa = v
      case .bics:
        let v = r[Int(op.rn)] & ~r[Int(op.rm)]
        r[Int(op.rd)] = v
        fk = FlagKind.logic64
        fa = v
      case .addLsl: r[Int(op.rd)] = r[Int(op.rn)] &+ (r[Int(op.rm)] << UInt64(op.ra))
      case .subLsl: r[Int(op.rd)] = r[Int(op.rn)] &- (r[Int(op.rm)] << UInt64(op.ra))
      case .andLsl: r[Int(op.rd)] = r[Int(op.rn)] & (r[Int(op.rm)] << UInt64(op.ra))
      case .orrLsl: r[Int(op.rd)] = r[Int(op.rn)] | (r[Int(op.rm)] << UInt64(op.ra))
      case .eorLsl: r[Int(op.rd)] = r[Int(op.rn)] ^ (r[Int(op.rm)] << UInt64(op.ra))
      case .bicLsl: r[Int(op.rd)] = r[Int(op.rn)] & ~(r[Int(op.rm)] << UInt64(op.ra))
      case .ornLsl: r[Int(op.rd)] = r[Int(op.rn)] | ~(r[Int(op.rm)] << UInt64(op.ra))
      case .eonLsl: r[Int(op.rd)] = r[Int(op.rn)] ^ ~(r[Int(op.rm)] << UInt64(op.ra))
      case .addsLsl, .subsLsl:
        let a = r[Int(op.rn)]
        let b = r[Int(op.rm)] << UInt64(op.ra)
        let sub = op.kind == .subsLsl
        r[Int(op.rd)] = sub ? a &- b : a &+ b
        fk = sub ? FlagKind.sub64 : FlagKind.add64
        fa = a
        fb = b
      case .andsLsl, .bicsLsl:
        let b = r[Int(op.rm)] << UInt64(op.ra)
        let v = r[Int(op.rn)] & (op.kind == .bicsLsl ? ~b : b)
        r[Int(op.rd)] = v
        fk = FlagKind.logic64
        fa = v
      case .aluShifted:
        let is32 = op.aux2 & 4 != 0
        let a = is32 ? r[Int(op.rn)] & 0xFFFF_FFFF : r[Int(op.rn)]
        let b = shiftValue(r[Int(op.rm)], op.aux2 & 3, UInt64(op.ra), is32: is32)
        let v = aluResult(op.aux, a, b, is32: is32)
        r[Int(op.rd)] = v
        switch op.aux {
        case 6, 7:
          fk = is32 ? FlagKind.logic32 : FlagKind.logic64
          fa = v
        case 9:
          fk = is32 ? FlagKind.add32 : FlagKind.add64
          fa = a
          fb = b
        case 11:
          fk = is32 ? FlagKind.sub32 : FlagKind.sub64
          fa = a
          fb = b
        default: break
        }
      case .addSubExt:
        let is32 = op.aux & 4 != 0
        let a = is32 ? r[Int(op.rn)] & 0xFFFF_FFFF : r[Int(op.rn)]
        var b = extendValue(r[Int(op.rm)], option: op.aux2, shift: op.ra)
        if is32 { b &= 0xFFFF_FFFF }
        let sub = op.aux & 2 != 0
        var v = sub ? a &- b : a &+ b
        if is32 { v &= 0xFFFF_FFFF }
        r[Int(op.rd)] = v
        if op.aux & 1 != 0 {
          fk = is32 ? (sub ? FlagKind.sub32 : FlagKind.add32) : (sub ? FlagKind.sub64 : FlagKind.add64)
          fa = a
          fb = b
        }
      case .andImm: r[Int(op.rd)] = r[Int(op.rn)] & op.imm
      case .orrImm: r[Int(op.rd)] = r[Int(op.rn)] | op.imm
      case .eorImm: r[Int(op.rd)] = r[Int(op.rn)] ^ op.imm
      case .andsImm:
        let v = r[Int(op.rn)] & op.imm
        r[Int(op.rd)] = v
        fk = FlagKind.logic64
        fa = v
      case .logicImm32:
        let a = r[Int(op.rn)] & 0xFFFF_FFFF
        let v: UInt64
        switch op.aux {
        case 0, 3: v = a & op.imm
        case 1: v = a | op.imm
        default: v = a ^ op.imm
        }
        r[Int(op.rd)] = v
        if op.aux == 3 {
          fk = FlagKind.logic32
          fa = v
        }
      case .lslImm: r[Int(op.rd)] = r[Int(op.rn)] << UInt64(op.aux)
      case .lsrImm: r[Int(op.rd)] = r[Int(op.rn)] >> UInt64(op.aux)
      case .asrImm: r[Int(op.rd)] = UInt64(bitPattern: Int64(bitPattern: r[Int(op.rn)]) >> Int64(op.aux))
      case .bitfield:
        r[Int(op.rd)] = bitfieldResult(
          opc: op.aux2 & 3, src: r[Int(op.rn)], dst: r[Int(op.rm)], r: Int(op.aux), s: Int(op.ra), wmask: op.imm,
          tmask: op.imm2, is32: op.aux2 & 4 != 0)
      case .extr:
        r[Int(op.rd)] = extractResult(r[Int(op.rn)], r[Int(op.rm)], lsb: Int(op.aux), is32: op.aux2 != 0)
      case .adcSbc:
        let is32 = op.aux & 4 != 0
        let carry = UInt64((materializeFlags(fk, fa, fb) >> 1) & 1)
        let b = op.aux & 2 != 0 ? ~r[Int(op.rm)] : r[Int(op.rm)]
        let (v, flags) = addWithCarry(r[Int(op.rn)], is32 ? b & 0xFFFF_FFFF : b, carry: carry, is64: !is32)
        r[Int(op.rd)] = v
        if op.aux & 1 != 0 {
          fk = FlagKind.materialized
          fa = UInt64(flags)
        }
      case .condCompare:
        let is32 = op.aux2 & 4 != 0
        if evalCond(op.aux) {
          let a = r[Int(op.rn)]
          let b = op.aux2 & 2 != 0 ? op.imm : r[Int(op.rm)]
          let isCCMP = op.aux2 & 1 != 0
          let y = isCCMP ? ~b : b
          let (_, flags) = addWithCarry(
            is32 ? a & 0xFFFF_FFFF : a, is32 ? y & 0xFFFF_FFFF : y, carry: isCCMP ? 1 : 0, is64: !is32)
          fa = UInt64(flags)
        } else {
          fa = UInt64(op.ra)
        }
        fk = FlagKind.materialized
      case .condSelect:
        let is32 = op.aux2 & 4 != 0
        var v: UInt64
        if evalCond(op.aux) {
          v = r[Int(op.rn)]
        } else {
          let m = r[Int(op.rm)]
          switch op.aux2 & 3 {
          case 0: v = m
          case 1: v = m &+ 1
          case 2: v = ~m
          default: v = 0 &- m
          }
        }
        if is32 { v &= 0xFFFF_FFFF }
        r[Int(op.rd)] = v
      case .dataProc2:
        r[Int(op.rd)] = dataProc2Result(op.aux, r[Int(op.rn)], r[Int(op.rm)], is32: op.aux2 != 0)
      case .dataProc1:
        r[Int(op.rd)] = dataProc1Result(op.aux, r[Int(op.rn)], is32: op.aux2 != 0)
      case .mulAdd:
        r[Int(op.rd)] = mulAddResult(op.aux, r[Int(op.rn)], r[Int(op.rm)], r[Int(op.ra)], is32: op.aux2 != 0)

      // MARK: Loads and stores, base + immediate (fast path: first RAM region, aligned)
      case .ldr64:
        let addr = r[Int(op.rn)] &+ op.imm
        let off = addr &- ramBase
        if off < limit8 && addr & 7 == 0 {
          r[Int(op.rd)] = UInt64(littleEndian: mem.load(fromByteOffset: Int(off), as: UInt64.self))
        } else {
          guard let v = slowLoad(addr, 8, pc: blockPC &+ UInt64(op.index) << 2) else {
            left += blockLen - Int64(op.index)
            result = .exception
            break loop
          }
          r[Int(op.rd)] = v
          if exitAfterAccess {
            pc = blockPC &+ UInt64(op.index + 1) << 2
            left += blockLen - Int64(op.index) - 1
            break loop
          }
        }
      case .ldr32:
        let addr = r[Int(op.rn)] &+ op.imm
        let off = addr &- ramBase
        if off < limit4 && addr & 3 == 0 {
          r[Int(op.rd)] = UInt64(UInt32(littleEndian: mem.load(fromByteOffset: Int(off), as: UInt32.self)))
        } else {
          guard let v = slowLoad(addr, 4, pc: blockPC &+ UInt64(op.index) << 2) else {
            left += blockLen - Int64(op.index)
            result = .exception
            break loop
          }
          r[Int(op.rd)] = v
          if exitAfterAccess {
            pc = blockPC &+ UInt64(op.index + 1) << 2
            left += blockLen - Int64(op.index) - 1
            break loop
          }
        }
      case .ldr8:
        let addr = r[Int(op.rn)] &+ op.imm
        let off = addr &- ramBase
        if off < ramSize {
          r[Int(op.rd)] = UInt64(mem.load(fromByteOffset: Int(off), as: UInt8.self))
        } else {
          guard let v = slowLoad(addr, 1, pc: blockPC &+ UInt64(op.index) << 2) else {
            left += blockLen - Int64(op.index)
            result = .exception
            break loop
          }
          r[Int(op.rd)] = v
          if exitAfterAccess {
            pc = blockPC &+ UInt64(op.index + 1) << 2
            left += blockLen - Int64(op.index) - 1
            break loop
          }
        }
      case .ldr16, .ldrsw, .ldrsh64, .ldrsh32, .ldrsb64, .ldrsb32:
        let addr = r[Int(op.rn)] &+ op.imm
        let off = addr &- ramBase
        let size: Int
        let mk: UInt8
        switch op.kind {
        case .ldr16:
          size = 2
          mk = 1 | MemKind.load
        case .ldrsw:
          size = 4
          mk = 2 | MemKind.load | MemKind.signed
        case .ldrsh64:
          size = 2
          mk = 1 | MemKind.load | MemKind.signed
        case .ldrsh32:
          size = 2
          mk = 1 | MemKind.load | MemKind.signed | MemKind.to32
        case .ldrsb64:
          size = 1
          mk = MemKind.load | MemKind.signed
        default:
          size = 1
          mk = MemKind.load | MemKind.signed | MemKind.to32
        }
        if off < ramSize &- UInt64(size - 1) && addr & UInt64(size - 1) == 0 && ramSize >= UInt64(size) {
          r[Int(op.rd)] = extendLoaded(loadLE(mem + Int(off), size), mk)
        } else {
          guard let v = slowLoad(addr, size, pc: blockPC &+ UInt64(op.index) << 2) else {
            left += blockLen - Int64(op.index)
            result = .exception
            break loop
          }
          r[Int(op.rd)] = extendLoaded(v, mk)
          if exitAfterAccess {
            pc = blockPC &+ UInt64(op.index + 1) << 2
            left += blockLen - Int64(op.index) - 1
            break loop
          }
        }
      case .str64, .str32, .str16, .str8:
        let addr = r[Int(op.rn)] &+ op.imm
        let off = addr &- ramBase
        let v = r[Int(op.rd)]
        let size = op.kind == .str64 ? 8 : (op.kind == .str32 ? 4 : (op.kind == .str16 ? 2 : 1))
        if off < ramSize &- UInt64(size - 1) && addr & UInt64(size - 1) == 0 && ramSize >= UInt64(size)
          && pageFlags[Int(off >> 12)] == 0
        {
          storeLE(mem + Int(off), size, v)
        } else {
          guard slowStore(addr, size, v, pc: blockPC &+ UInt64(op.index) << 2) else {
            left += blockLen - Int64(op.index)
            result = .exception
            break loop
          }
          if exitAfterAccess {
            pc = blockPC &+ UInt64(op.index + 1) << 2
            left += blockLen - Int64(op.index) - 1
            break loop
          }
        }

      // MARK: Loads and stores, every other form (and any SP-based access)
      case .loadStore, .loadStorePair:
        let pcHere = blockPC &+ UInt64(op.index) << 2
        if !executeGenericLoadStore(op, pc: pcHere, spCheck: spCheck) {
          left += blockLen - Int64(op.index)
          result = .exception
          break loop
        }
        if exitAfterAccess {
          pc = pcHere &+ 4
          left += blockLen - Int64(op.index) - 1
          break loop
        }
      }
      ip += 1
    }
    if case .exception = result, let p = pendingException { pc = p.returnAddress }
    nzcv = materializeFlags(fk, fa, fb)
    retire(before - left)
    remaining = left
    return result
  }

  /// Loads and stores in any addressing mode, pairs included (not on the fastest path).
  /// Returns false if an exception was raised.
  @inline(never)
  func executeGenericLoadStore(_ op: MicroOp, pc pcHere: UInt64, spCheck: Bool) -> Bool {
    let r = regs
    let mode = op.aux2 & 7
    if mode != AddrMode.literal.rawValue && op.rn == Slot.sp && spCheck && r[Int(Slot.sp)] & 15 != 0 {
      raise(.spAlignment, iss: 0, far: nil, returnAddress: pcHere)
      return false
    }
    let base = r[Int(op.rn)]
    let addr: UInt64
    switch mode {
    case AddrMode.offset.rawValue, AddrMode.preIndex.rawValue: addr = base &+ op.imm
    case AddrMode.postIndex.rawValue: addr = base
    case AddrMode.register.rawValue: addr = base &+ extendValue(r[Int(op.rm)], option: op.ra, shift: op.aux2 >> 3)
    default: addr = op.imm
    }
    let kind = op.aux
    let size = 1 << Int(kind & 3)
    if op.kind == .loadStore {
      if kind & MemKind.load != 0 {
        guard let v = fastOrSlowLoad(addr, size, pc: pcHere) else { return false }
        r[Int(op.rd)] = extendLoaded(v, kind)
      } else {
        guard fastOrSlowStore(addr, size, r[Int(op.rd)], pc: pcHere) else { return false }
      }
    } else {
      let second = addr &+ UInt64(size)
      if kind & MemKind.load != 0 {
        guard let v1 = fastOrSlowLoad(addr, size, pc: pcHere), let v2 = fastOrSlowLoad(second, size, pc: pcHere)
        else { return false }
        r[Int(op.rd)] = extendLoaded(v1, kind)
        r[Int(op.rm)] = extendLoaded(v2, kind)
      } else {
        // Both elements are checked before either is written (no partial pair).
        if let fault = accessFault(addr, size, write: true) ?? accessFault(second, size, write: true) {
          raise(dataAbortClass, iss: fault.iss, far: fault.far, returnAddress: pcHere)
          return false
        }
        guard fastOrSlowStore(addr, size, r[Int(op.rd)], pc: pcHere),
          fastOrSlowStore(second, size, r[Int(op.rm)], pc: pcHere)
        else { return false }
      }
    }
    if mode == AddrMode.preIndex.rawValue {
      r[Int(op.rn)] = addr
    } else if mode == AddrMode.postIndex.rawValue {
      r[Int(op.rn)] = addr &+ op.imm
    }
    return true
  }

  @inline(__always)
  func fastOrSlowLoad(_ addr: UInt64, _ size: Int, pc: UInt64) -> UInt64? {
    if let region = bus.ram.first, addr & UInt64(size - 1) == 0, region.contains(addr, size) {
      return loadLE(region.memory + Int(addr - region.base), size)
    }
    return slowLoad(addr, size, pc: pc)
  }

  @inline(__always)
  func fastOrSlowStore(_ addr: UInt64, _ size: Int, _ value: UInt64, pc: UInt64) -> Bool {
    if let region = bus.ram.first, addr & UInt64(size - 1) == 0, region.contains(addr, size),
      region.pageFlags[Int((addr - region.base) >> 12)] == 0
    {
      storeLE(region.memory + Int(addr - region.base), size, value)
      return true
    }
    return slowStore(addr, size, value, pc: pc)
  }

  /// The fault a data access would take, if any: alignment (Device memory with the MMU off)
  /// or a synchronous external abort (nothing mapped there).
  func accessFault(_ addr: UInt64, _ size: Int, write: Bool) -> (iss: UInt32, far: UInt64)? {
    if addr & UInt64(size - 1) != 0 { return (dataAbortISS(.alignment, write: write), addr) }
    if bus.ramRegion(addr, size) != nil { return nil }
    if bus.mmio.contains(where: { addr &- $0.base < $0.size && $0.size - (addr &- $0.base) >= UInt64(size) }) {
      return nil
    }
    return (dataAbortISS(.synchronousExternalAbort, write: write), addr)
  }

  /// A load that missed the fast path: alignment check, then any RAM region or MMIO.
  @inline(never)
  func slowLoad(_ addr: UInt64, _ size: Int, pc: UInt64) -> UInt64? {
    if addr & UInt64(size - 1) != 0 {
      raise(dataAbortClass, iss: dataAbortISS(.alignment, write: false), far: addr, returnAddress: pc)
      return nil
    }
    if bus.ramRegion(addr, size) == nil { exitAfterAccess = true }  // MMIO: leave the block after it
    switch bus.guestRead(addr, size, cpu: index) {
    case .ok(let v): return v
    case .externalAbort:
      raise(dataAbortClass, iss: dataAbortISS(.synchronousExternalAbort, write: false), far: addr, returnAddress: pc)
      return nil
    }
  }

  /// A store that missed the fast path (alignment, other region, MMIO, code page, reservation).
  @inline(never)
  func slowStore(_ addr: UInt64, _ size: Int, _ value: UInt64, pc: UInt64) -> Bool {
    if addr & UInt64(size - 1) != 0 {
      raise(dataAbortClass, iss: dataAbortISS(.alignment, write: true), far: addr, returnAddress: pc)
      return false
    }
    if bus.ramRegion(addr, size) == nil { exitAfterAccess = true }
    if bus.guestWrite(addr, size, size == 8 ? value : value & ones(size * 8), cpu: index) { return true }
    raise(dataAbortClass, iss: dataAbortISS(.synchronousExternalAbort, write: true), far: addr, returnAddress: pc)
    return false
  }
}
