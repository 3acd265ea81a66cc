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

/// What the interpreter loop keeps in memory rather than in host registers: the lazy flags
/// and the RAM fast path, behind one pointer per vCPU. Only the op pointer, the register file
/// and the budget stay in registers, so the loop's hot values are never spilled.
struct LoopState {
  /// Lazy NZCV (FlagKind): the kind and the operands of the last flag-setting op.
  var fk: UInt8 = FlagKind.materialized
  var fa: UInt64 = 0
  var fb: UInt64 = 0
  // RAM fast path: the first RAM region.
  var ramBase: UInt64 = 0
  var ramSize: UInt64 = 0
  var limit8: UInt64 = 0
  var limit4: UInt64 = 0
  var mem = UnsafeMutableRawPointer(bitPattern: 8)!
  var pageFlags = UnsafeMutablePointer<UInt8>(bitPattern: 8)!
  var spCheck = false
  var chaining = false
  /// Set by slow memory paths (MMIO, code-page store) so the interpreter leaves the block.
  var exitAfterAccess = false
  // For the loop's cold paths, which load them from here so that the loop itself keeps no
  // register for the CPU object or the cache.
  var owner: Unmanaged<CPU>? = nil
  var ops = UnsafeMutablePointer<MicroOp>(bitPattern: 8)!
  var jumpCache = UnsafeMutablePointer<UInt64>(bitPattern: 8)!
  // How the loop ended, written at the exit only (no loop register holds it).
  var exitKind = LoopState.exitChained
  var exitPC: UInt64 = 0
  var exitWord: UInt32 = 0
  /// The link slot to patch when the next block is known (a chained exit).
  var exitSlot: UnsafePointer<MicroOp>? = nil

  static let exitChained: UInt8 = 0
  static let exitSlow: UInt8 = 1
  static let exitException: UInt8 = 2

  /// Room for one `LoopState` after the register file, in UInt64 words.
  static let words = (MemoryLayout<LoopState>.stride + 7) / 8
}

extension CPU {
  /// The most instructions one `interpret` call runs (the budget is split into runs of at most
  /// this): smaller than `MicroOp.unlinked`, so an unlinked slot always fails the budget test.
  static let maxRun: Int64 = 1 << 30

  /// Runs from the block `start` (the caller checked `remaining >= its length`).
  func interpret(block start: BlockLink, remaining: inout Int64) -> InterpretExit {
    let r = regs
    let ls = CPU.loopState(r)
    let jumpMask = UInt64(TranslationCache.jumpEntries - 1)
    ls.pointee.owner = Unmanaged.passUnretained(self)
    ls.pointee.ops = cache.ops
    ls.pointee.jumpCache = cache.jumpCache
    ls.pointee.chaining = breakpoints.isEmpty
    if let region = bus.ram.first {
      ls.pointee.ramBase = region.base
      ls.pointee.ramSize = region.size
      ls.pointee.mem = region.memory
      ls.pointee.pageFlags = region.pageFlags
    } else {
      ls.pointee.ramBase = 0
      ls.pointee.ramSize = 0
    }
    let ramSize = ls.pointee.ramSize
    ls.pointee.limit8 = ramSize >= 8 ? ramSize - 7 : 0
    ls.pointee.limit4 = ramSize >= 4 ? ramSize - 3 : 0
    ls.pointee.spCheck = spAlignmentCheckEnabled
    ls.pointee.fk = FlagKind.materialized
    ls.pointee.fa = UInt64(nzcv)
    ls.pointee.fb = 0
    var op = UnsafePointer(cache.firstOp(start))
    // The first op of the block being run: a link back to the same block (a loop) continues
    // here without loading the link (see `followLink`).
    var block = op
    let run = min(remaining, CPU.maxRun)
    var left = run - Int64(start >> 32)
    ls.pointee.exitAfterAccess = false
    ls.pointee.exitKind = LoopState.exitChained
    ls.pointee.exitSlot = nil

    loop: while true {
      switch op.pointee.kind {
      // MARK: Control flow
      case .fallThrough, .b, .bl:
        if op.pointee.kind == .bl { r[30] = guestPC(op) &+ 4 }
        left &-= Int64(op.pointee.linkLength)
        if left >= 0 {
          op = followLink(op, &block)
          continue loop
        }
        left &+= Int64(op.pointee.linkLength)
        ls.pointee.exitPC = op.pointee.imm
        ls.pointee.exitSlot = op
        break loop
      case .bCond, .cbz, .cbnz, .cbz32, .cbnz32, .tbz, .tbnz:
        let taken: Bool
        switch op.pointee.kind {
        case .bCond: taken = lazyCondition(op.pointee.aux, ls.pointee.fk, ls.pointee.fa, ls.pointee.fb)
        case .cbz: taken = r[Int(op.pointee.rn)] == 0
        case .cbnz: taken = r[Int(op.pointee.rn)] != 0
        case .cbz32: taken = r[Int(op.pointee.rn)] & 0xFFFF_FFFF == 0
        case .cbnz32: taken = r[Int(op.pointee.rn)] & 0xFFFF_FFFF != 0
        case .tbz: taken = (r[Int(op.pointee.rn)] &>> UInt64(op.pointee.aux)) & 1 == 0
        default: taken = (r[Int(op.pointee.rn)] &>> UInt64(op.pointee.aux)) & 1 != 0
        }
        let slot = linkSlot(taken, op, op + 1)
        left &-= Int64(slot.pointee.linkLength)
        if left >= 0 {
          op = followLink(slot, &block)
          continue loop
        }
        left &+= Int64(slot.pointee.linkLength)
        ls.pointee.exitPC = slot.pointee.imm
        ls.pointee.exitSlot = slot
        break loop
      case .subsImmBNE:
        // The usual loop end (SUBS/CMP #imm + B.NE or B.EQ): no condition to decode.
        let a = r[Int(op.pointee.rn)]
        let b = op.pointee.imm
        let res = a &- b
        r[Int(op.pointee.rd)] = res
        ls.pointee.fk = FlagKind.sub64
        ls.pointee.fa = a
        ls.pointee.fb = b
        let slot = linkSlot(res != 0, op + 1, op + 2)
        left &-= Int64(slot.pointee.linkLength)
        if left >= 0 {
          op = followLink(slot, &block)
          continue loop
        }
        left &+= Int64(slot.pointee.linkLength)
        ls.pointee.exitPC = slot.pointee.imm
        ls.pointee.exitSlot = slot
        break loop
      case .subsImmBCond:
        // Fused SUBS/CMP + B.cond: the flags stay lazy. NE (and EQ, translated as NE with the
        // slots swapped) tests the result; other conditions compare the operands out of line.
        let a = r[Int(op.pointee.rn)]
        let b = op.pointee.imm
        let res = a &- b
        r[Int(op.pointee.rd)] = res
        ls.pointee.fk = FlagKind.sub64
        ls.pointee.fa = a
        ls.pointee.fb = b
        let holds = op.pointee.aux == 1 ? res != 0 : conditionAfterSub64Cold(op.pointee.aux, a, b)
        let slot = linkSlot(holds, op + 1, op + 2)
        left &-= Int64(slot.pointee.linkLength)
        if left >= 0 {
          op = followLink(slot, &block)
          continue loop
        }
        left &+= Int64(slot.pointee.linkLength)
        ls.pointee.exitPC = slot.pointee.imm
        ls.pointee.exitSlot = slot
        break loop
      case .subsRegBCond:
        let a = r[Int(op.pointee.rn)]
        let b = r[Int(op.pointee.rm)]
        let res = a &- b
        r[Int(op.pointee.rd)] = res
        ls.pointee.fk = FlagKind.sub64
        ls.pointee.fa = a
        ls.pointee.fb = b
        let holds = op.pointee.aux == 1 ? res != 0 : conditionAfterSub64Cold(op.pointee.aux, a, b)
        let slot = linkSlot(holds, op + 1, op + 2)
        left &-= Int64(slot.pointee.linkLength)
        if left >= 0 {
          op = followLink(slot, &block)
          continue loop
        }
        left &+= Int64(slot.pointee.linkLength)
        ls.pointee.exitPC = slot.pointee.imm
        ls.pointee.exitSlot = slot
        break loop
      case .subsImm32BCond, .subsReg32BCond:
        let x = r[Int(op.pointee.rn)] & 0xFFFF_FFFF
        let b = op.pointee.kind == .subsImm32BCond ? op.pointee.imm : r[Int(op.pointee.rm)] & 0xFFFF_FFFF
        let res = (x &- b) & 0xFFFF_FFFF
        r[Int(op.pointee.rd)] = res
        ls.pointee.fk = FlagKind.sub32
        ls.pointee.fa = x
        ls.pointee.fb = b
        let holds = op.pointee.aux == 1 ? res != 0 : conditionAfterSub32Cold(op.pointee.aux, x, b)
        let slot = linkSlot(holds, op + 1, op + 2)
        left &-= Int64(slot.pointee.linkLength)
        if left >= 0 {
          op = followLink(slot, &block)
          continue loop
        }
        left &+= Int64(slot.pointee.linkLength)
        ls.pointee.exitPC = slot.pointee.imm
        ls.pointee.exitSlot = slot
        break loop
      case .addImmCbz, .addImmCbnz:
        let v = r[Int(op.pointee.rn)] &+ op.pointee.imm
        r[Int(op.pointee.rd)] = v
        let taken = (v == 0) == (op.pointee.kind == .addImmCbz)
        let slot = linkSlot(taken, op + 1, op + 2)
        left &-= Int64(slot.pointee.linkLength)
        if left >= 0 {
          op = followLink(slot, &block)
          continue loop
        }
        left &+= Int64(slot.pointee.linkLength)
        ls.pointee.exitPC = slot.pointee.imm
        ls.pointee.exitSlot = slot
        break loop
      case .br, .blr:
        let target = r[Int(op.pointee.rn)]
        if op.pointee.kind == .blr { r[30] = guestPC(op) &+ 4 }
        if ls.pointee.chaining {
          let j = Int(truncatingIfNeeded: (target &>> 2) & jumpMask) &* 2
          let jc = ls.pointee.jumpCache
          if jc[j] == target && jc[j &+ 1] != 0 && left >= Int64(jc[j &+ 1] >> 32) {
            let link = jc[j &+ 1]
            left &-= Int64(link >> 32)
            op = UnsafePointer(ls.pointee.ops + Int(truncatingIfNeeded: link & 0xFFFF_FFFF))
            block = op
            continue loop
          }
        }
        ls.pointee.exitPC = target
        break loop
      case .linkSlot, .header:
        // Never executed: data of the preceding conditional branch, or a block's header.
        break loop
      case .slow:
        ls.pointee.exitPC = guestPC(op)
        left &+= notRun(op)
        ls.pointee.exitKind = LoopState.exitSlow
        ls.pointee.exitWord = UInt32(truncatingIfNeeded: op.pointee.imm)
        break loop
      case .undefined:
        ls.pointee.exitPC = guestPC(op)
        left &+= notRun(op)
        CPU.raiseUndefined(ls, at: ls.pointee.exitPC)
        ls.pointee.exitKind = LoopState.exitException
        break loop

      // MARK: Data processing
      case .movImm:
        r[Int(op.pointee.rd)] = op.pointee.imm
      case .movk:
        r[Int(op.pointee.rd)] = (r[Int(op.pointee.rn)] & op.pointee.imm2) | op.pointee.imm
      case .addImm:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &+ op.pointee.imm
      case .addImm32:
        r[Int(op.pointee.rd)] = (r[Int(op.pointee.rn)] &+ op.pointee.imm) & 0xFFFF_FFFF
      case .addsImm:
        let a = r[Int(op.pointee.rn)]
        r[Int(op.pointee.rd)] = a &+ op.pointee.imm
        ls.pointee.fk = FlagKind.add64
        ls.pointee.fa = a
        ls.pointee.fb = op.pointee.imm
      case .subsImm:
        let a = r[Int(op.pointee.rn)]
        r[Int(op.pointee.rd)] = a &- op.pointee.imm
        ls.pointee.fk = FlagKind.sub64
        ls.pointee.fa = a
        ls.pointee.fb = op.pointee.imm
      case .addsImm32:
        let a = r[Int(op.pointee.rn)] & 0xFFFF_FFFF
        r[Int(op.pointee.rd)] = (a &+ op.pointee.imm) & 0xFFFF_FFFF
        ls.pointee.fk = FlagKind.add32
        ls.pointee.fa = a
        ls.pointee.fb = op.pointee.imm
      case .subsImm32:
        let a = r[Int(op.pointee.rn)] & 0xFFFF_FFFF
        r[Int(op.pointee.rd)] = (a &- op.pointee.imm) & 0xFFFF_FFFF
        ls.pointee.fk = FlagKind.sub32
        ls.pointee.fa = a
        ls.pointee.fb = op.pointee.imm
      case .add: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &+ r[Int(op.pointee.rm)]
      case .sub: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &- r[Int(op.pointee.rm)]
      case .and: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] & r[Int(op.pointee.rm)]
      case .orr: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] | r[Int(op.pointee.rm)]
      case .eor: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] ^ r[Int(op.pointee.rm)]
      case .bic: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] & ~r[Int(op.pointee.rm)]
      case .orn: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] | ~r[Int(op.pointee.rm)]
      case .eon: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] ^ ~r[Int(op.pointee.rm)]
      case .adds:
        let a = r[Int(op.pointee.rn)]
        let b = r[Int(op.pointee.rm)]
        r[Int(op.pointee.rd)] = a &+ b
        ls.pointee.fk = FlagKind.add64
        ls.pointee.fa = a
        ls.pointee.fb = b
      case .subs:
        let a = r[Int(op.pointee.rn)]
        let b = r[Int(op.pointee.rm)]
        r[Int(op.pointee.rd)] = a &- b
        ls.pointee.fk = FlagKind.sub64
        ls.pointee.fa = a
        ls.pointee.fb = b
      case .ands:
        let v = r[Int(op.pointee.rn)] & r[Int(op.pointee.rm)]
        r[Int(op.pointee.rd)] = v
        ls.pointee.fk = FlagKind.logic64
        ls.pointee.fa = v
      case .bics:
        let v = r[Int(op.pointee.rn)] & ~r[Int(op.pointee.rm)]
        r[Int(op.pointee.rd)] = v
        ls.pointee.fk = FlagKind.logic64
        ls.pointee.fa = v
      case .addLsl:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &+ (r[Int(op.pointee.rm)] &<< UInt64(op.pointee.ra))
      case .subLsl:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &- (r[Int(op.pointee.rm)] &<< UInt64(op.pointee.ra))
      case .andLsl:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] & (r[Int(op.pointee.rm)] &<< UInt64(op.pointee.ra))
      case .orrLsl:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] | (r[Int(op.pointee.rm)] &<< UInt64(op.pointee.ra))
      case .eorLsl:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] ^ (r[Int(op.pointee.rm)] &<< UInt64(op.pointee.ra))
      case .bicLsl:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] & ~(r[Int(op.pointee.rm)] &<< UInt64(op.pointee.ra))
      case .ornLsl:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] | ~(r[Int(op.pointee.rm)] &<< UInt64(op.pointee.ra))
      case .eonLsl:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] ^ ~(r[Int(op.pointee.rm)] &<< UInt64(op.pointee.ra))
      case .addLsr:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &+ (r[Int(op.pointee.rm)] &>> UInt64(op.pointee.ra))
      case .subLsr:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &- (r[Int(op.pointee.rm)] &>> UInt64(op.pointee.ra))
      case .andLsr:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] & (r[Int(op.pointee.rm)] &>> UInt64(op.pointee.ra))
      case .orrLsr:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] | (r[Int(op.pointee.rm)] &>> UInt64(op.pointee.ra))
      case .eorLsr:
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] ^ (r[Int(op.pointee.rm)] &>> UInt64(op.pointee.ra))
      case .addAsr:
        let b = UInt64(bitPattern: Int64(bitPattern: r[Int(op.pointee.rm)]) &>> Int64(op.pointee.ra))
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &+ b
      case .subAsr:
        let b = UInt64(bitPattern: Int64(bitPattern: r[Int(op.pointee.rm)]) &>> Int64(op.pointee.ra))
        r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &- b
      case .addsLsl, .subsLsl:
        let a = r[Int(op.pointee.rn)]
        let b = r[Int(op.pointee.rm)] &<< UInt64(op.pointee.ra)
        let sub = op.pointee.kind == .subsLsl
        r[Int(op.pointee.rd)] = sub ? a &- b : a &+ b
        ls.pointee.fk = sub ? FlagKind.sub64 : FlagKind.add64
        ls.pointee.fa = a
        ls.pointee.fb = b
      case .andsLsl, .bicsLsl:
        let b = r[Int(op.pointee.rm)] &<< UInt64(op.pointee.ra)
        let v = r[Int(op.pointee.rn)] & (op.pointee.kind == .bicsLsl ? ~b : b)
        r[Int(op.pointee.rd)] = v
        ls.pointee.fk = FlagKind.logic64
        ls.pointee.fa = v
      case .aluShifted:
        let is32 = op.pointee.aux2 & 4 != 0
        let a = is32 ? r[Int(op.pointee.rn)] & 0xFFFF_FFFF : r[Int(op.pointee.rn)]
        let b = shiftValue(r[Int(op.pointee.rm)], op.pointee.aux2 & 3, UInt64(op.pointee.ra), is32: is32)
        let v = aluResult(op.pointee.aux, a, b, is32: is32)
        r[Int(op.pointee.rd)] = v
        switch op.pointee.aux {
        case 6, 7:
          ls.pointee.fk = is32 ? FlagKind.logic32 : FlagKind.logic64
          ls.pointee.fa = v
        case 9:
          ls.pointee.fk = is32 ? FlagKind.add32 : FlagKind.add64
          ls.pointee.fa = a
          ls.pointee.fb = b
        case 11:
          ls.pointee.fk = is32 ? FlagKind.sub32 : FlagKind.sub64
          ls.pointee.fa = a
          ls.pointee.fb = b
        default: break
        }
      case .addSubExt:
        let is32 = op.pointee.aux & 4 != 0
        let a = is32 ? r[Int(op.pointee.rn)] & 0xFFFF_FFFF : r[Int(op.pointee.rn)]
        var b = extendValue(r[Int(op.pointee.rm)], option: op.pointee.aux2, shift: op.pointee.ra)
        if is32 { b &= 0xFFFF_FFFF }
        let sub = op.pointee.aux & 2 != 0
        var v = sub ? a &- b : a &+ b
        if is32 { v &= 0xFFFF_FFFF }
        r[Int(op.pointee.rd)] = v
        if op.pointee.aux & 1 != 0 {
          ls.pointee.fk =
            is32 ? (sub ? FlagKind.sub32 : FlagKind.add32) : (sub ? FlagKind.sub64 : FlagKind.add64)
          ls.pointee.fa = a
          ls.pointee.fb = b
        }
      case .andImm: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] & op.pointee.imm
      case .orrImm: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] | op.pointee.imm
      case .eorImm: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] ^ op.pointee.imm
      case .andsImm:
        let v = r[Int(op.pointee.rn)] & op.pointee.imm
        r[Int(op.pointee.rd)] = v
        ls.pointee.fk = FlagKind.logic64
        ls.pointee.fa = v
      case .logicImm32:
        let a = r[Int(op.pointee.rn)] & 0xFFFF_FFFF
        let v: UInt64
        switch op.pointee.aux {
        case 0, 3: v = a & op.pointee.imm
        case 1: v = a | op.pointee.imm
        default: v = a ^ op.pointee.imm
        }
        r[Int(op.pointee.rd)] = v
        if op.pointee.aux == 3 {
          ls.pointee.fk = FlagKind.logic32
          ls.pointee.fa = v
        }
      case .lslImm: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &<< UInt64(op.pointee.aux)
      case .lsrImm: r[Int(op.pointee.rd)] = r[Int(op.pointee.rn)] &>> UInt64(op.pointee.aux)
      case .asrImm:
        r[Int(op.pointee.rd)] = UInt64(
          bitPattern: Int64(bitPattern: r[Int(op.pointee.rn)]) &>> Int64(op.pointee.aux))
      case .bitfield:
        r[Int(op.pointee.rd)] = bitfieldResult(
          opc: op.pointee.aux2 & 3, src: r[Int(op.pointee.rn)], dst: r[Int(op.pointee.rm)],
          r: Int(op.pointee.aux), s: Int(op.pointee.ra), wmask: op.pointee.imm,
          tmask: op.pointee.imm2, is32: op.pointee.aux2 & 4 != 0)
      case .extr:
        r[Int(op.pointee.rd)] = extractResult(
          r[Int(op.pointee.rn)], r[Int(op.pointee.rm)], lsb: Int(op.pointee.aux), is32: op.pointee.aux2 != 0)
      case .adcSbc:
        let is32 = op.pointee.aux & 4 != 0
        let carry = UInt64((materializeFlags(ls.pointee.fk, ls.pointee.fa, ls.pointee.fb) >> 1) & 1)
        let b = op.pointee.aux & 2 != 0 ? ~r[Int(op.pointee.rm)] : r[Int(op.pointee.rm)]
        let (v, flags) = addWithCarry(
          r[Int(op.pointee.rn)], is32 ? b & 0xFFFF_FFFF : b, carry: carry, is64: !is32)
        r[Int(op.pointee.rd)] = v
        if op.pointee.aux & 1 != 0 {
          ls.pointee.fk = FlagKind.materialized
          ls.pointee.fa = UInt64(flags)
        }
      case .condCompare:
        let is32 = op.pointee.aux2 & 4 != 0
        if lazyCondition(op.pointee.aux, ls.pointee.fk, ls.pointee.fa, ls.pointee.fb) {
          let a = r[Int(op.pointee.rn)]
          let b = op.pointee.aux2 & 2 != 0 ? op.pointee.imm : r[Int(op.pointee.rm)]
          let isCCMP = op.pointee.aux2 & 1 != 0
          let y = isCCMP ? ~b : b
          let (_, flags) = addWithCarry(
            is32 ? a & 0xFFFF_FFFF : a, is32 ? y & 0xFFFF_FFFF : y, carry: isCCMP ? 1 : 0, is64: !is32)
          ls.pointee.fa = UInt64(flags)
        } else {
          ls.pointee.fa = UInt64(op.pointee.ra)
        }
        ls.pointee.fk = FlagKind.materialized
      case .condSelect:
        let is32 = op.pointee.aux2 & 4 != 0
        var v: UInt64
        if lazyCondition(op.pointee.aux, ls.pointee.fk, ls.pointee.fa, ls.pointee.fb) {
          v = r[Int(op.pointee.rn)]
        } else {
          let m = r[Int(op.pointee.rm)]
          switch op.pointee.aux2 & 3 {
          case 0: v = m
          case 1: v = m &+ 1
          case 2: v = ~m
          default: v = 0 &- m
          }
        }
        if is32 { v &= 0xFFFF_FFFF }
        r[Int(op.pointee.rd)] = v
      case .dataProc2:
        r[Int(op.pointee.rd)] = dataProc2Result(
          op.pointee.aux, r[Int(op.pointee.rn)], r[Int(op.pointee.rm)], is32: op.pointee.aux2 != 0)
      case .dataProc1:
        r[Int(op.pointee.rd)] = dataProc1Result(
          op.pointee.aux, r[Int(op.pointee.rn)], is32: op.pointee.aux2 != 0)
      case .mulAdd:
        r[Int(op.pointee.rd)] = mulAddResult(
          op.pointee.aux, r[Int(op.pointee.rn)], r[Int(op.pointee.rm)], r[Int(op.pointee.ra)],
          is32: op.pointee.aux2 != 0)

      // MARK: Loads and stores, base + immediate (fast path: first RAM region, aligned)
      case .ldr64:
        let addr = r[Int(op.pointee.rn)] &+ op.pointee.imm
        let off = addr &- ls.pointee.ramBase
        if off < ls.pointee.limit8 && addr & 7 == 0 {
          r[Int(op.pointee.rd)] = UInt64(
            littleEndian: ls.pointee.mem.load(fromByteOffset: Int(off), as: UInt64.self))
        } else {
          guard let v = CPU.slowLoad(ls, addr, 8, pc: guestPC(op)) else {
            left &+= notRun(op)
            ls.pointee.exitKind = LoopState.exitException
            break loop
          }
          r[Int(op.pointee.rd)] = v
          if ls.pointee.exitAfterAccess {
            ls.pointee.exitPC = guestPC(op) &+ 4
            left &+= notRun(op) &- 1
            break loop
          }
        }
      case .ldr32:
        let addr = r[Int(op.pointee.rn)] &+ op.pointee.imm
        let off = addr &- ls.pointee.ramBase
        if off < ls.pointee.limit4 && addr & 3 == 0 {
          r[Int(op.pointee.rd)] = UInt64(
            UInt32(littleEndian: ls.pointee.mem.load(fromByteOffset: Int(off), as: UInt32.self)))
        } else {
          guard let v = CPU.slowLoad(ls, addr, 4, pc: guestPC(op)) else {
            left &+= notRun(op)
            ls.pointee.exitKind = LoopState.exitException
            break loop
          }
          r[Int(op.pointee.rd)] = v
          if ls.pointee.exitAfterAccess {
            ls.pointee.exitPC = guestPC(op) &+ 4
            left &+= notRun(op) &- 1
            break loop
          }
        }
      case .ldr8:
        let addr = r[Int(op.pointee.rn)] &+ op.pointee.imm
        let off = addr &- ls.pointee.ramBase
        if off < ls.pointee.ramSize {
          r[Int(op.pointee.rd)] = UInt64(ls.pointee.mem.load(fromByteOffset: Int(off), as: UInt8.self))
        } else {
          guard let v = CPU.slowLoad(ls, addr, 1, pc: guestPC(op)) else {
            left &+= notRun(op)
            ls.pointee.exitKind = LoopState.exitException
            break loop
          }
          r[Int(op.pointee.rd)] = v
          if ls.pointee.exitAfterAccess {
            ls.pointee.exitPC = guestPC(op) &+ 4
            left &+= notRun(op) &- 1
            break loop
          }
        }
      case .ldr16, .ldrsw, .ldrsh64, .ldrsh32, .ldrsb64, .ldrsb32:
        let addr = r[Int(op.pointee.rn)] &+ op.pointee.imm
        let off = addr &- ls.pointee.ramBase
        let size: Int
        let mk: UInt8
        switch op.pointee.kind {
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
        if off < ls.pointee.ramSize &- UInt64(size - 1) && addr & UInt64(size - 1) == 0
          && ls.pointee.ramSize >= UInt64(size)
        {
          r[Int(op.pointee.rd)] = extendLoaded(loadLE(ls.pointee.mem + Int(off), size), mk)
        } else {
          guard let v = CPU.slowLoad(ls, addr, size, pc: guestPC(op)) else {
            left &+= notRun(op)
            ls.pointee.exitKind = LoopState.exitException
            break loop
          }
          r[Int(op.pointee.rd)] = extendLoaded(v, mk)
          if ls.pointee.exitAfterAccess {
            ls.pointee.exitPC = guestPC(op) &+ 4
            left &+= notRun(op) &- 1
            break loop
          }
        }
      case .str64:
        let addr = r[Int(op.pointee.rn)] &+ op.pointee.imm
        let off = addr &- ls.pointee.ramBase
        let v = r[Int(op.pointee.rd)]
        let size =
          op.pointee.kind == .str64
          ? 8 : (op.pointee.kind == .str32 ? 4 : (op.pointee.kind == .str16 ? 2 : 1))
        if off < ls.pointee.ramSize &- UInt64(size - 1) && addr & UInt64(size - 1) == 0
          && ls.pointee.ramSize >= UInt64(size)
          && ls.pointee.pageFlags[Int(off >> 12)] == 0
        {
          storeLE(ls.pointee.mem + Int(off), size, v)
        } else {
          guard CPU.slowStore(ls, addr, size, v, pc: guestPC(op)) else {
            left &+= notRun(op)
            ls.pointee.exitKind = LoopState.exitException
            break loop
          }
          if ls.pointee.exitAfterAccess {
            ls.pointee.exitPC = guestPC(op) &+ 4
            left &+= notRun(op) &- 1
            break loop
          }
        }

      case .str32:
        let addr = r[Int(op.pointee.rn)] &+ op.pointee.imm
        let off = addr &- ls.pointee.ramBase
        let v = r[Int(op.pointee.rd)]
        let size =
          op.pointee.kind == .str64
          ? 8 : (op.pointee.kind == .str32 ? 4 : (op.pointee.kind == .str16 ? 2 : 1))
        if off < ls.pointee.ramSize &- UInt64(size - 1) && addr & UInt64(size - 1) == 0
          && ls.pointee.ramSize >= UInt64(size)
          && ls.pointee.pageFlags[Int(off >> 12)] == 0
        {
          storeLE(ls.pointee.mem + Int(off), size, v)
        } else {
          guard CPU.slowStore(ls, addr, size, v, pc: guestPC(op)) else {
            left &+= notRun(op)
            ls.pointee.exitKind = LoopState.exitException
            break loop
          }
          if ls.pointee.exitAfterAccess {
            ls.pointee.exitPC = guestPC(op) &+ 4
            left &+= notRun(op) &- 1
            break loop
          }
        }

      case .str16:
        let addr = r[Int(op.pointee.rn)] &+ op.pointee.imm
        let off = addr &- ls.pointee.ramBase
        let v = r[Int(op.pointee.rd)]
        let size =
          op.pointee.kind == .str64
          ? 8 : (op.pointee.kind == .str32 ? 4 : (op.pointee.kind == .str16 ? 2 : 1))
        if off < ls.pointee.ramSize &- UInt64(size - 1) && addr & UInt64(size - 1) == 0
          && ls.pointee.ramSize >= UInt64(size)
          && ls.pointee.pageFlags[Int(off >> 12)] == 0
        {
          storeLE(ls.pointee.mem + Int(off), size, v)
        } else {
          guard CPU.slowStore(ls, addr, size, v, pc: guestPC(op)) else {
            left &+= notRun(op)
            ls.pointee.exitKind = LoopState.exitException
            break loop
          }
          if ls.pointee.exitAfterAccess {
            ls.pointee.exitPC = guestPC(op) &+ 4
            left &+= notRun(op) &- 1
            break loop
          }
        }

      case .str8:
        let addr = r[Int(op.pointee.rn)] &+ op.pointee.imm
        let off = addr &- ls.pointee.ramBase
        let v = r[Int(op.pointee.rd)]
        let size =
          op.pointee.kind == .str64
          ? 8 : (op.pointee.kind == .str32 ? 4 : (op.pointee.kind == .str16 ? 2 : 1))
        if off < ls.pointee.ramSize &- UInt64(size - 1) && addr & UInt64(size - 1) == 0
          && ls.pointee.ramSize >= UInt64(size)
          && ls.pointee.pageFlags[Int(off >> 12)] == 0
        {
          storeLE(ls.pointee.mem + Int(off), size, v)
        } else {
          guard CPU.slowStore(ls, addr, size, v, pc: guestPC(op)) else {
            left &+= notRun(op)
            ls.pointee.exitKind = LoopState.exitException
            break loop
          }
          if ls.pointee.exitAfterAccess {
            ls.pointee.exitPC = guestPC(op) &+ 4
            left &+= notRun(op) &- 1
            break loop
          }
        }

      // MARK: Loads and stores, every other form (and any SP-based access)
      case .loadStore, .loadStorePair:
        // Inline fast path: RAM, aligned, no SP-alignment fault, store not to a flagged page.
        let mode = op.pointee.aux2 & 7
        let kind = op.pointee.aux
        let rn = Int(op.pointee.rn)
        if !(rn == Int(Slot.sp) && ls.pointee.spCheck && r[rn] & 15 != 0) {
          let base = r[rn]
          var addr: UInt64
          switch mode {
          case AddrMode.postIndex.rawValue: addr = base
          case AddrMode.register.rawValue:
            addr =
              base &+ extendValue(r[Int(op.pointee.rm)], option: op.pointee.ra, shift: op.pointee.aux2 &>> 3)
          case AddrMode.literal.rawValue: addr = op.pointee.imm
          default: addr = base &+ op.pointee.imm
          }
          let size = UInt64(1) &<< UInt64(kind & 3)
          let span = op.pointee.kind == .loadStorePair ? size &<< 1 : size
          let off = addr &- ls.pointee.ramBase
          if off < ls.pointee.ramSize && ls.pointee.ramSize &- off >= span && addr & (size &- 1) == 0
            && (kind & MemKind.load != 0 || ls.pointee.pageFlags[Int(off &>> 12)] == 0)
          {
            let p = ls.pointee.mem + Int(off)
            if kind & MemKind.load != 0 {
              r[Int(op.pointee.rd)] = extendLoaded(loadLE(p, Int(size)), kind)
              if op.pointee.kind == .loadStorePair {
                r[Int(op.pointee.rm)] = extendLoaded(loadLE(p + Int(size), Int(size)), kind)
              }
            } else {
              storeLE(p, Int(size), r[Int(op.pointee.rd)])
              if op.pointee.kind == .loadStorePair {
                storeLE(p + Int(size), Int(size), r[Int(op.pointee.rm)])
              }
            }
            if mode == AddrMode.preIndex.rawValue {
              r[rn] = addr
            } else if mode == AddrMode.postIndex.rawValue {
              r[rn] = addr &+ op.pointee.imm
            }
            op += 1
            continue loop
          }
        }
        let pcHere = guestPC(op)
        if !CPU.genericLoadStore(ls, op, pc: pcHere) {
          left &+= notRun(op)
          ls.pointee.exitKind = LoopState.exitException
          break loop
        }
        if ls.pointee.exitAfterAccess {
          ls.pointee.exitPC = pcHere &+ 4
          left &+= notRun(op) &- 1
          break loop
        }
      }
      op += 1
    }
    pc = ls.pointee.exitPC
    if let slot = ls.pointee.exitSlot, ls.pointee.chaining {
      cache.patchSlot = UnsafeMutablePointer(mutating: slot) - cache.ops
      cache.patchTarget = slot.pointee.imm
    }
    let result: InterpretExit
    switch ls.pointee.exitKind {
    case LoopState.exitSlow: result = .slow(ls.pointee.exitWord, pc)
    case LoopState.exitException: result = .exception
    default: result = .chained
    }
    if case .exception = result, let p = pendingException { pc = p.returnAddress }
    nzcv = materializeFlags(ls.pointee.fk, ls.pointee.fa, ls.pointee.fb)
    retire(run - left)
    remaining -= run - left
    return result
  }

  // Cold paths of the loop: the CPU comes from the loop state, not from a register.

  @inline(never)
  static func slowLoad(_ ls: UnsafeMutablePointer<LoopState>, _ addr: UInt64, _ size: Int, pc: UInt64)
    -> UInt64?
  {
    ls.pointee.owner.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.slowLoad(addr, size, pc: pc) }
  }

  @inline(never)
  static func slowStore(
    _ ls: UnsafeMutablePointer<LoopState>, _ addr: UInt64, _ size: Int, _ value: UInt64, pc: UInt64
  ) -> Bool {
    ls.pointee.owner.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.slowStore(addr, size, value, pc: pc) }
  }

  @inline(never)
  static func genericLoadStore(
    _ ls: UnsafeMutablePointer<LoopState>, _ op: UnsafePointer<MicroOp>, pc: UInt64
  )
    -> Bool
  {
    let spCheck = ls.pointee.spCheck
    return ls.pointee.owner.unsafelyUnwrapped._withUnsafeGuaranteedRef {
      $0.executeGenericLoadStore(op.pointee, pc: pc, spCheck: spCheck)
    }
  }

  @inline(never)
  static func raiseUndefined(_ ls: UnsafeMutablePointer<LoopState>, at pc: UInt64) {
    ls.pointee.owner.unsafelyUnwrapped._withUnsafeGuaranteedRef {
      $0.raise(.unknown, iss: 0, far: nil, returnAddress: pc)
    }
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
    case AddrMode.register.rawValue:
      addr = base &+ extendValue(r[Int(op.rm)], option: op.ra, shift: op.aux2 >> 3)
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
        guard let v1 = fastOrSlowLoad(addr, size, pc: pcHere),
          let v2 = fastOrSlowLoad(second, size, pc: pcHere)
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
    if bus.mmio.contains(where: { addr &- $0.base < $0.size && $0.size - (addr &- $0.base) >= UInt64(size) })
    {
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
      raise(
        dataAbortClass, iss: dataAbortISS(.synchronousExternalAbort, write: false), far: addr,
        returnAddress: pc)
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
    raise(
      dataAbortClass, iss: dataAbortISS(.synchronousExternalAbort, write: true), far: addr, returnAddress: pc)
    return false
  }
}

/// The link slot a conditional op continues with, chosen by a branch and not a select: the host
/// predicts the branch, so the loads of the next op need not wait for the compare. (As a select,
/// the slot address depended on the guest result, which serialised every loop iteration: the flag
/// loop ran 35 % slower with 30 % fewer host instructions.)
@inline(__always)
func linkSlot(_ holds: Bool, _ taken: UnsafePointer<MicroOp>, _ notTaken: UnsafePointer<MicroOp>)
  -> UnsafePointer<MicroOp>
{
  if _fastPath(holds) { return taken }
  return notTaken
}

/// The first op of the block a taken link leads to. A link back to the block being run (a
/// one-block loop, marked `selfLink` when translated) continues at `block`, which is already in
/// a host register: the next op's address then does not wait for a load from the link slot, so
/// the host can start the next iteration's loads and stores before this one's are done. (Loading
/// the link put a load on the path from every iteration to the next: the flag loop ran ~20 %
/// slower.)
@inline(__always)
func followLink(_ slot: UnsafePointer<MicroOp>, _ block: inout UnsafePointer<MicroOp>) -> UnsafePointer<
  MicroOp
> {
  if slot.pointee.selfLink { return block }
  let target = UnsafePointer<MicroOp>(bitPattern: UInt(slot.pointee.imm2)).unsafelyUnwrapped
  block = target
  return target
}

/// The guest address of the instruction `op` belongs to (slow paths only: it reads the block's
/// header op).
@inline(__always)
func guestPC(_ op: UnsafePointer<MicroOp>) -> UInt64 {
  let header = op - Int(op.pointee.fromHeader)
  return header.pointee.imm &+ UInt64(op.pointee.index) &<< 2
}

/// Instructions of `op`'s block from `op` on (they were charged to the budget on entry).
@inline(__always)
func notRun(_ op: UnsafePointer<MicroOp>) -> Int64 {
  let header = op - Int(op.pointee.fromHeader)
  return Int64(header.pointee.imm2) &- Int64(op.pointee.index)
}

/// `conditionAfterSub64` out of line: the fused compare-and-branch tests EQ/NE inline and
/// leaves the other conditions to this call, so the hot path has no jump table.
@inline(never)
func conditionAfterSub64Cold(_ cond: UInt8, _ a: UInt64, _ b: UInt64) -> Bool {
  conditionAfterSub64(cond, a, b)
}

@inline(never)
func conditionAfterSub32Cold(_ cond: UInt8, _ a: UInt64, _ b: UInt64) -> Bool {
  conditionAfterSub32(cond, a, b)
}

/// `ConditionHolds` from a lazy-flag record, without materialising NZCV after a compare.
@inline(__always)
func lazyCondition(_ cond: UInt8, _ fk: UInt8, _ fa: UInt64, _ fb: UInt64) -> Bool {
  switch fk {
  case FlagKind.sub64: return conditionAfterSub64(cond, fa, fb)
  case FlagKind.sub32: return conditionAfterSub32(cond, fa, fb)
  default: return conditionHolds(UInt32(cond), nzcv: materializeFlags(fk, fa, fb))
  }
}
