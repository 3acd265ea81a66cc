// Data processing (immediate and register): translation into micro-ops and the shared helpers
// the interpreter calls (Arm ARM: ShiftReg, ExtendReg, DecodeBitMasks, AddWithCarry).

extension Translator {
  mutating func translateDataProcessing(_ op: Operation, _ w: UInt32) {
    let is64 = bit(w, 31)
    let rd = bits(w, 4, 0)
    let rn = bits(w, 9, 5)
    let rm = bits(w, 20, 16)
    let width = is64 ? 64 : 32
    var m = MicroOp(.movImm)
    switch op {
    case .adr:
      m.rd = writeSlot(rd)
      m.imm = labelTarget(.adr, w, pc)
    case .adrp:
      m.rd = writeSlot(rd)
      m.imm = labelTarget(.adrp, w, pc)
    case .addSubImm:
      let isSub = bit(w, 30)
      let setFlags = bit(w, 29)
      var imm = UInt64(bits(w, 21, 10))
      if bit(w, 22) { imm <<= 12 }
      m.rn = readSlot(rn, sp: true)
      if setFlags {
        m.kind = is64 ? (isSub ? .subsImm : .addsImm) : (isSub ? .subsImm32 : .addsImm32)
        m.rd = writeSlot(rd)
        m.imm = imm
      } else {
        m.kind = is64 ? .addImm : .addImm32
        m.rd = writeSlot(rd, sp: true)
        m.imm = isSub ? 0 &- imm : imm
      }
    case .logicalImm:
      let opc = bits(w, 30, 29)
      let value =
        logicalImmediate(n: bits(w, 22, 22), immr: bits(w, 21, 16), imms: bits(w, 15, 10), width: width) ?? 0
      m.rd = writeSlot(rd, sp: opc != 3)
      m.rn = readSlot(rn)
      m.imm = value
      if opc == 1 && rn == 31 {
        m.kind = .movImm  // MOV (bitmask immediate)
      } else if is64 {
        m.kind = [Kind.andImm, .orrImm, .eorImm, .andsImm][Int(opc)]
      } else {
        m.kind = .logicImm32
        m.aux = UInt8(opc)
      }
    case .moveWide:
      let opc = bits(w, 30, 29)
      let shift = UInt64(bits(w, 22, 21) * 16)
      let imm = UInt64(bits(w, 20, 5)) << shift
      m.rd = writeSlot(rd)
      switch opc {
      case 0: m.imm = ~imm & ones(width)  // MOVN
      case 2: m.imm = imm  // MOVZ
      default:  // MOVK
        m.kind = .movk
        m.rn = readSlot(rd)
        m.imm = imm
        m.imm2 = ~(UInt64(0xFFFF) << shift) & ones(width)
      }
    case .bitfield:
      let opc = bits(w, 30, 29)
      let immr = bits(w, 21, 16)
      let imms = bits(w, 15, 10)
      let top = UInt32(width - 1)
      m.rd = writeSlot(rd)
      m.rn = readSlot(rn)
      if is64 && opc == 2 && imms != top && imms + 1 == immr {
        m.kind = .lslImm
        m.aux = UInt8(top - imms)
      } else if is64 && opc == 2 && imms == top {
        m.kind = .lsrImm
        m.aux = UInt8(immr)
      } else if is64 && opc == 0 && imms == top {
        m.kind = .asrImm
        m.aux = UInt8(immr)
      } else {
        let masks = decodeBitMasks(n: bits(w, 22, 22), imms: imms, immr: immr, immediate: false, width: width)
        m.kind = .bitfield
        m.rm = readSlot(rd)
        m.aux = UInt8(immr)
        m.ra = UInt8(imms)
        m.aux2 = UInt8(opc) | (is64 ? 0 : 4)
        m.imm = masks?.wmask ?? 0
        m.imm2 = masks?.tmask ?? 0
      }
    case .extr:
      m.kind = .extr
      m.rd = writeSlot(rd)
      m.rn = readSlot(rn)
      m.rm = readSlot(rm)
      m.aux = UInt8(bits(w, 15, 10))
      m.aux2 = is64 ? 0 : 1
    case .logicalShifted, .addSubShifted:
      let alu: UInt8
      if op == .logicalShifted {
        alu = UInt8(bits(w, 30, 29) << 1 | bits(w, 21, 21))  // and bic orr orn eor eon ands bics
      } else {
        alu = 8 + UInt8(bits(w, 30, 29))  // add adds sub subs
      }
      let shiftType = UInt8(bits(w, 23, 22))
      let amount = UInt8(bits(w, 15, 10))
      m.rd = writeSlot(rd)
      m.rn = readSlot(rn)
      m.rm = readSlot(rm)
      m.ra = amount
      let plain: [Kind] = [.and, .bic, .orr, .orn, .eor, .eon, .ands, .bics, .add, .adds, .sub, .subs]
      let lsl: [Kind] = [
        .andLsl, .bicLsl, .orrLsl, .ornLsl, .eorLsl, .eonLsl, .andsLsl, .bicsLsl, .addLsl, .addsLsl, .subLsl,
        .subsLsl,
      ]
      // 64-bit LSR/ASR forms of the common operations have their own ops too.
      let lsr: [UInt8: Kind] = [8: .addLsr, 10: .subLsr, 0: .andLsr, 2: .orrLsr, 4: .eorLsr]
      let asr: [UInt8: Kind] = [8: .addAsr, 10: .subAsr]
      if is64 && shiftType == 0 {
        m.kind = amount == 0 ? plain[Int(alu)] : lsl[Int(alu)]
      } else if is64 && shiftType == 1, let k = lsr[alu] {
        m.kind = k
      } else if is64 && shiftType == 2, let k = asr[alu] {
        m.kind = k
      } else {
        m.kind = .aluShifted
        m.aux = alu
        m.aux2 = shiftType | (is64 ? 0 : 4)
      }
    case .addSubExtended:
      let setFlags = bit(w, 29)
      m.kind = .addSubExt
      m.rd = writeSlot(rd, sp: !setFlags)
      m.rn = readSlot(rn, sp: true)
      m.rm = readSlot(rm)
      m.aux = UInt8(bits(w, 30, 29)) | (is64 ? 0 : 4)
      m.aux2 = UInt8(bits(w, 15, 13))
      m.ra = UInt8(bits(w, 12, 10))
    case .adcSbc:
      m.kind = .adcSbc
      m.rd = writeSlot(rd)
      m.rn = readSlot(rn)
      m.rm = readSlot(rm)
      m.aux = UInt8(bits(w, 30, 29)) | (is64 ? 0 : 4)
    case .condCompare:
      m.kind = .condCompare
      m.rn = readSlot(rn)
      m.rm = readSlot(rm)
      m.imm = UInt64(rm)
      m.aux = UInt8(bits(w, 15, 12))
      m.aux2 = UInt8(bits(w, 30, 30)) | UInt8(bits(w, 11, 11)) << 1 | (is64 ? 0 : 4)
      m.ra = UInt8(bits(w, 3, 0))
    case .condSelect:
      m.kind = .condSelect
      m.rd = writeSlot(rd)
      m.rn = readSlot(rn)
      m.rm = readSlot(rm)
      m.aux = UInt8(bits(w, 15, 12))
      m.aux2 = UInt8(bits(w, 30, 30) << 1 | bits(w, 10, 10)) | (is64 ? 0 : 4)
    case .dataProc2:
      m.kind = .dataProc2
      m.rd = writeSlot(rd)
      m.rn = readSlot(rn)
      m.rm = readSlot(rm)
      m.aux = UInt8(bits(w, 15, 10))
      m.aux2 = is64 ? 0 : 1
    case .dataProc1:
      m.kind = .dataProc1
      m.rd = writeSlot(rd)
      m.rn = readSlot(rn)
      m.aux = UInt8(bits(w, 15, 10))
      m.aux2 = is64 ? 0 : 1
    case .dataProc3:
      m.kind = .mulAdd
      m.rd = writeSlot(rd)
      m.rn = readSlot(rn)
      m.rm = readSlot(rm)
      m.ra = readSlot(bits(w, 14, 10))
      m.aux = UInt8(bits(w, 23, 21) << 1 | bits(w, 15, 15))
      m.aux2 = is64 ? 0 : 1
    default:
      m.kind = .undefined
    }
    emit(m)
  }
}

// MARK: - Semantics shared by the interpreter

/// `ShiftReg`: LSL, LSR, ASR, ROR by `amount` within `width` bits.
@inline(__always)
func shiftValue(_ v: UInt64, _ type: UInt8, _ amount: UInt64, is32: Bool) -> UInt64 {
  if is32 {
    let x = UInt32(truncatingIfNeeded: v)
    let a = UInt32(amount & 31)
    switch type {
    case 0: return UInt64(x << a)
    case 1: return UInt64(x >> a)
    case 2: return UInt64(UInt32(bitPattern: Int32(bitPattern: x) >> Int32(a)))
    default: return UInt64(a == 0 ? x : (x >> a) | (x << (32 - a)))
    }
  }
  let a = amount & 63
  switch type {
  case 0: return v << a
  case 1: return v >> a
  case 2: return UInt64(bitPattern: Int64(bitPattern: v) >> Int64(a))
  default: return a == 0 ? v : (v >> a) | (v << (64 - a))
  }
}

/// `ExtendReg`: UXTB...SXTX of `v`, then shifted left by `shift`.
@inline(__always)
func extendValue(_ v: UInt64, option: UInt8, shift: UInt8) -> UInt64 {
  let x: UInt64
  switch option {
  case 0: x = v & 0xFF
  case 1: x = v & 0xFFFF
  case 2: x = v & 0xFFFF_FFFF
  case 3: x = v
  case 4: x = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: v)))
  case 5: x = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: v)))
  case 6: x = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v)))
  default: x = v
  }
  return x << UInt64(shift)
}

/// The generic shifted-register ALU: 0 AND, 1 BIC, 2 ORR, 3 ORN, 4 EOR, 5 EON, 6 ANDS, 7 BICS,
/// 8 ADD, 9 ADDS, 10 SUB, 11 SUBS. Returns the result and the lazy-flag record if flags are set.
@inline(__always)
func aluResult(_ alu: UInt8, _ a: UInt64, _ b: UInt64, is32: Bool) -> UInt64 {
  let r: UInt64
  switch alu {
  case 0, 6: r = a & b
  case 1, 7: r = a & ~b
  case 2: r = a | b
  case 3: r = a | ~b
  case 4: r = a ^ b
  case 5: r = a ^ ~b
  case 8, 9: r = a &+ b
  default: r = a &- b
  }
  return is32 ? r & 0xFFFF_FFFF : r
}

/// Lazy flags: how the last flag-setting instruction's NZCV is to be computed.
enum FlagKind {
  static let materialized: UInt8 = 0  // a holds NZCV in bits [3:0]
  static let sub64: UInt8 = 1
  static let add64: UInt8 = 2
  static let sub32: UInt8 = 3
  static let add32: UInt8 = 4
  static let logic64: UInt8 = 5  // a holds the result
  static let logic32: UInt8 = 6
}

/// NZCV (bits [3:0]) from a lazy-flag record.
@inline(__always)
func materializeFlags(_ kind: UInt8, _ a: UInt64, _ b: UInt64) -> UInt32 {
  switch kind {
  case FlagKind.sub64:
    let r = a &- b
    let n = UInt32(r >> 63)
    let z: UInt32 = r == 0 ? 1 : 0
    let c: UInt32 = a >= b ? 1 : 0
    let v = UInt32(((a ^ b) & (a ^ r)) >> 63)
    return n << 3 | z << 2 | c << 1 | v
  case FlagKind.add64:
    let r = a &+ b
    let n = UInt32(r >> 63)
    let z: UInt32 = r == 0 ? 1 : 0
    let c: UInt32 = r < a ? 1 : 0
    let v = UInt32((~(a ^ b) & (a ^ r)) >> 63)
    return n << 3 | z << 2 | c << 1 | v
  case FlagKind.sub32:
    return addWithCarry(a, ~b & 0xFFFF_FFFF, carry: 1, is64: false).1
  case FlagKind.add32:
    return addWithCarry(a, b, carry: 0, is64: false).1
  case FlagKind.logic64:
    return UInt32(a >> 63) << 3 | (a == 0 ? 4 : 0)
  case FlagKind.logic32:
    return UInt32((a >> 31) & 1) << 3 | (a & 0xFFFF_FFFF == 0 ? 4 : 0)
  default:
    return UInt32(a & 0xF)
  }
}

/// `ConditionHolds` after `SUBS a, b` (64-bit), without materialising NZCV.
@inline(__always)
func conditionAfterSub64(_ cond: UInt8, _ a: UInt64, _ b: UInt64) -> Bool {
  switch cond {
  case 0: return a == b
  case 1: return a != b
  case 2: return a >= b
  case 3: return a < b
  case 8: return a > b
  case 9: return a <= b
  case 10: return Int64(bitPattern: a) >= Int64(bitPattern: b)
  case 11: return Int64(bitPattern: a) < Int64(bitPattern: b)
  case 12: return Int64(bitPattern: a) > Int64(bitPattern: b)
  case 13: return Int64(bitPattern: a) <= Int64(bitPattern: b)
  default: return conditionHolds(UInt32(cond), nzcv: materializeFlags(FlagKind.sub64, a, b))
  }
}

/// `ConditionHolds` after `SUBS a, b` (32-bit).
@inline(__always)
func conditionAfterSub32(_ cond: UInt8, _ a: UInt64, _ b: UInt64) -> Bool {
  let x = UInt32(truncatingIfNeeded: a)
  let y = UInt32(truncatingIfNeeded: b)
  switch cond {
  case 0: return x == y
  case 1: return x != y
  case 2: return x >= y
  case 3: return x < y
  case 8: return x > y
  case 9: return x <= y
  case 10: return Int32(bitPattern: x) >= Int32(bitPattern: y)
  case 11: return Int32(bitPattern: x) < Int32(bitPattern: y)
  case 12: return Int32(bitPattern: x) > Int32(bitPattern: y)
  case 13: return Int32(bitPattern: x) <= Int32(bitPattern: y)
  default: return conditionHolds(UInt32(cond), nzcv: materializeFlags(FlagKind.sub32, a, b))
  }
}

/// SBFM/BFM/UBFM with precomputed masks (Arm ARM pseudocode of the bitfield instructions).
@inline(__always)
func bitfieldResult(
  opc: UInt8, src: UInt64, dst: UInt64, r: Int, s: Int, wmask: UInt64, tmask: UInt64, is32: Bool
)
  -> UInt64
{
  let width = is32 ? 32 : 64
  let rot = rotateRight(src, r, width: width)
  switch opc {
  case 0:  // SBFM
    let top: UInt64 = (src >> UInt64(s)) & 1 == 1 ? ones(width) : 0
    return (top & ~tmask | (rot & wmask) & tmask) & ones(width)
  case 1:  // BFM
    let bot = (dst & ~wmask) | (rot & wmask)
    return ((dst & ~tmask) | (bot & tmask)) & ones(width)
  default:  // UBFM
    return rot & wmask & tmask
  }
}

/// EXTR: bits [lsb + width - 1 : lsb] of Rn:Rm.
@inline(__always)
func extractResult(_ n: UInt64, _ m: UInt64, lsb: Int, is32: Bool) -> UInt64 {
  if is32 {
    let concat = (n & 0xFFFF_FFFF) << 32 | (m & 0xFFFF_FFFF)
    return (concat >> UInt64(lsb)) & 0xFFFF_FFFF
  }
  return lsb == 0 ? m : (m >> UInt64(lsb)) | (n << UInt64(64 - lsb))
}

/// UDIV/SDIV/LSLV/LSRV/ASRV/RORV (division by zero gives 0; INT_MIN / -1 gives INT_MIN).
@inline(__always)
func dataProc2Result(_ opcode: UInt8, _ a: UInt64, _ b: UInt64, is32: Bool) -> UInt64 {
  switch opcode {
  case 2:  // UDIV
    if is32 {
      let y = UInt32(truncatingIfNeeded: b)
      return y == 0 ? 0 : UInt64(UInt32(truncatingIfNeeded: a) / y)
    }
    return b == 0 ? 0 : a / b
  case 3:  // SDIV
    if is32 {
      let x = Int32(truncatingIfNeeded: a)
      let y = Int32(truncatingIfNeeded: b)
      if y == 0 { return 0 }
      return UInt64(UInt32(bitPattern: x.dividedReportingOverflow(by: y).partialValue))
    }
    let x = Int64(bitPattern: a)
    let y = Int64(bitPattern: b)
    if y == 0 { return 0 }
    return UInt64(bitPattern: x.dividedReportingOverflow(by: y).partialValue)
  case 8, 9, 10, 11:
    return shiftValue(a, opcode - 8, b, is32: is32)
  default:
    return 0
  }
}

/// RBIT/REV16/REV32/REV/CLZ/CLS.
@inline(__always)
func dataProc1Result(_ opcode: UInt8, _ a: UInt64, is32: Bool) -> UInt64 {
  if is32 {
    let x = UInt32(truncatingIfNeeded: a)
    switch opcode {
    case 0: return UInt64(reverseBits32(x))
    case 1: return UInt64(((x & 0x00FF_00FF) << 8) | ((x >> 8) & 0x00FF_00FF))
    case 2: return UInt64(x.byteSwapped)
    case 4: return UInt64(x.leadingZeroBitCount)
    case 5:
      let y = x ^ UInt32(bitPattern: Int32(bitPattern: x) >> 31)
      return UInt64(y.leadingZeroBitCount - 1)
    default: return 0
    }
  }
  switch opcode {
  case 0:
    return UInt64(reverseBits32(UInt32(truncatingIfNeeded: a))) << 32
      | UInt64(reverseBits32(UInt32(truncatingIfNeeded: a >> 32)))
  case 1: return ((a & 0x00FF_00FF_00FF_00FF) << 8) | ((a >> 8) & 0x00FF_00FF_00FF_00FF)
  case 2:
    let lo = UInt32(truncatingIfNeeded: a).byteSwapped
    let hi = UInt32(truncatingIfNeeded: a >> 32).byteSwapped
    return UInt64(hi) << 32 | UInt64(lo)
  case 3: return a.byteSwapped
  case 4: return UInt64(a.leadingZeroBitCount)
  case 5:
    let y = a ^ UInt64(bitPattern: Int64(bitPattern: a) >> 63)
    return UInt64(y.leadingZeroBitCount - 1)
  default: return 0
  }
}

@inline(__always)
func reverseBits32(_ v: UInt32) -> UInt32 {
  var x = v
  x = ((x >> 1) & 0x5555_5555) | ((x & 0x5555_5555) << 1)
  x = ((x >> 2) & 0x3333_3333) | ((x & 0x3333_3333) << 2)
  x = ((x >> 4) & 0x0F0F_0F0F) | ((x & 0x0F0F_0F0F) << 4)
  return x.byteSwapped
}

/// MADD/MSUB/SMADDL/SMSUBL/SMULH/UMADDL/UMSUBL/UMULH; `sel` = op31 << 1 | o0.
@inline(__always)
func mulAddResult(_ sel: UInt8, _ n: UInt64, _ m: UInt64, _ a: UInt64, is32: Bool) -> UInt64 {
  switch sel {
  case 0: return is32 ? (a &+ n &* m) & 0xFFFF_FFFF : a &+ n &* m
  case 1: return is32 ? (a &- n &* m) & 0xFFFF_FFFF : a &- n &* m
  case 2, 3:
    let p = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: n)) &* Int64(Int32(truncatingIfNeeded: m)))
    return sel == 2 ? a &+ p : a &- p
  case 4:
    return UInt64(bitPattern: Int64(bitPattern: n).multipliedFullWidth(by: Int64(bitPattern: m)).high)
  case 10, 11:
    let p = (n & 0xFFFF_FFFF) &* (m & 0xFFFF_FFFF)
    return sel == 10 ? a &+ p : a &- p
  case 12:
    return n.multipliedFullWidth(by: m).high
  default:
    return 0
  }
}
