// Loads and stores: translation into micro-ops (fast ops for base + immediate, a generic op for
// every other addressing mode), and the slow path for exclusives, acquire/release and LSE atomics.

extension Translator {
  mutating func translateLoadStore(_ op: Operation, _ w: UInt32) {
    let rt = bits(w, 4, 0)
    let rn = bits(w, 9, 5)
    var m = MicroOp(.loadStore)
    switch op {
    case .ldrLiteral:
      let opc = bits(w, 31, 30)
      if opc == 3 { return }  // PRFM (literal): a hint, nothing to do
      m.aux = opc == 0 ? 2 | MemKind.load : (opc == 1 ? 3 | MemKind.load : 2 | MemKind.load | MemKind.signed)
      m.aux2 = AddrMode.literal.rawValue
      m.rd = writeSlot(rt)
      m.imm = labelTarget(.imm19, w, pc)
      emit(m)
    case .ldstPair:
      let opc = bits(w, 31, 30)
      let load = bit(w, 22)
      let size: UInt8 = opc == 2 ? 3 : 2
      m.kind = .loadStorePair
      m.aux = size | (load ? MemKind.load : 0) | (opc == 1 ? MemKind.signed : 0)
      switch bits(w, 24, 23) {
      case 1: m.aux2 = AddrMode.postIndex.rawValue
      case 3: m.aux2 = AddrMode.preIndex.rawValue
      default: m.aux2 = AddrMode.offset.rawValue
      }
      m.rd = load ? writeSlot(rt) : readSlot(rt)
      m.rm = load ? writeSlot(bits(w, 14, 10)) : readSlot(bits(w, 14, 10))
      m.rn = readSlot(rn, sp: true)
      m.imm = UInt64(bitPattern: signExtend(UInt64(bits(w, 21, 15)), 7) << Int64(size))
      emit(m)
    default:
      let size = UInt8(bits(w, 31, 30))
      let opc = bits(w, 23, 22)
      var kind: UInt8 = size
      switch opc {
      case 0: break
      case 1: kind |= MemKind.load
      case 2: kind |= size == 3 ? MemKind.prefetch : MemKind.load | MemKind.signed
      default: kind |= MemKind.load | MemKind.signed | MemKind.to32
      }
      if kind & MemKind.prefetch != 0 { return }  // PRFM/PRFUM: a hint
      let load = kind & MemKind.load != 0
      m.aux = kind
      m.rd = load ? writeSlot(rt) : readSlot(rt)
      m.rn = readSlot(rn, sp: true)
      switch op {
      case .ldstUImm:
        m.imm = UInt64(bits(w, 21, 10)) << UInt64(size)
        m.aux2 = AddrMode.offset.rawValue
      case .ldstUnscaled, .ldstUnpriv:
        m.imm = UInt64(bitPattern: signExtend(UInt64(bits(w, 20, 12)), 9))
        m.aux2 = AddrMode.offset.rawValue
      case .ldstPre:
        m.imm = UInt64(bitPattern: signExtend(UInt64(bits(w, 20, 12)), 9))
        m.aux2 = AddrMode.preIndex.rawValue
      case .ldstPost:
        m.imm = UInt64(bitPattern: signExtend(UInt64(bits(w, 20, 12)), 9))
        m.aux2 = AddrMode.postIndex.rawValue
      default:  // register offset
        m.rm = readSlot(bits(w, 20, 16))
        m.ra = UInt8(bits(w, 15, 13))
        m.aux2 = AddrMode.register.rawValue | (bit(w, 12) ? size << 3 : 0)
      }
      // Base + immediate with a general-purpose base register: a specialised fast op.
      if m.aux2 == AddrMode.offset.rawValue && rn != 31 {
        let fast: Kind?
        switch kind {
        case 3 | MemKind.load: fast = .ldr64
        case 2 | MemKind.load: fast = .ldr32
        case 1 | MemKind.load: fast = .ldr16
        case 0 | MemKind.load: fast = .ldr8
        case 2 | MemKind.load | MemKind.signed: fast = .ldrsw
        case 1 | MemKind.load | MemKind.signed: fast = .ldrsh64
        case 1 | MemKind.load | MemKind.signed | MemKind.to32: fast = .ldrsh32
        case 0 | MemKind.load | MemKind.signed: fast = .ldrsb64
        case 0 | MemKind.load | MemKind.signed | MemKind.to32: fast = .ldrsb32
        case 3: fast = .str64
        case 2: fast = .str32
        case 1: fast = .str16
        case 0: fast = .str8
        default: fast = nil
        }
        if let fast { m.kind = fast }
      }
      emit(m)
    }
  }
}

/// Sign/zero extension of a loaded value per `MemKind`.
@inline(__always)
func extendLoaded(_ v: UInt64, _ kind: UInt8) -> UInt64 {
  if kind & MemKind.signed == 0 { return v }
  let bitsCount = 8 << Int(kind & 3)
  let s = UInt64(bitPattern: signExtend(v, bitsCount))
  return kind & MemKind.to32 != 0 ? s & 0xFFFF_FFFF : s
}

// MARK: - Slow path: exclusives, acquire/release, atomics

extension CPU {
  /// Executes an exclusive, acquire/release, CAS or LSE atomic instruction. Returns false if an
  /// exception was raised (stored in `pendingException`).
  func executeAtomicOrExclusive(_ op: Operation, _ w: UInt32, pc: UInt64) -> Bool {
    let rt = Int(bits(w, 4, 0))
    let rn = Int(bits(w, 9, 5))
    let rs = Int(bits(w, 20, 16))
    let rt2 = Int(bits(w, 14, 10))
    let sizeLog = Int(bits(w, 31, 30))
    let address = rn == 31 ? sp : x(rn)
    let pairs = op == .loadExclusivePair || op == .storeExclusivePair
    let casp = op == .casPair
    let elemSize = casp ? (bit(w, 30) ? 8 : 4) : (pairs ? (sizeLog == 3 ? 8 : 4) : 1 << sizeLog)
    let total = (pairs || casp) ? elemSize * 2 : elemSize
    let isStore = op == .storeExclusive || op == .storeExclusivePair || op == .storeRelease
    // Exclusives, ordered accesses and atomics must be naturally aligned (to the total size for
    // pairs), and SP-based accesses obey SCTLR_EL1.SA.
    if rn == 31 && spAlignmentCheckEnabled && sp & 15 != 0 {
      raise(.spAlignment, iss: 0, far: nil, returnAddress: pc)
      return false
    }
    if address & UInt64(total - 1) != 0 {
      raise(dataAbortClass, iss: dataAbortISS(.alignment, write: isStore), far: address, returnAddress: pc)
      return false
    }
    func load(_ a: UInt64, _ n: Int) -> UInt64? {
      switch bus.guestRead(a, n, cpu: index) {
      case .ok(let v): return v
      case .externalAbort:
        raise(
          dataAbortClass, iss: dataAbortISS(.synchronousExternalAbort, write: false), far: a,
          returnAddress: pc)
        return nil
      }
    }
    func store(_ a: UInt64, _ n: Int, _ v: UInt64) -> Bool {
      if bus.guestWrite(a, n, v, cpu: index) { return true }
      raise(
        dataAbortClass, iss: dataAbortISS(.synchronousExternalAbort, write: true), far: a, returnAddress: pc)
      return false
    }
    let mask = ones(elemSize * 8)
    switch op {
    case .loadExclusive, .loadAcquire:
      guard let v = load(address, elemSize) else { return false }
      if op == .loadExclusive { bus.setReservation(cpu: index, address: address) }
      setX(rt, v)
    case .loadExclusivePair:
      guard let lo = load(address, elemSize), let hi = load(address + UInt64(elemSize), elemSize) else {
        return false
      }
      bus.setReservation(cpu: index, address: address)
      setX(rt, lo)
      setX(rt2, hi)
    case .storeExclusive, .storeExclusivePair:
      // STXR: status 0 when the monitor still holds the reservation, else 1; the monitor is
      // cleared either way.
      let ok = bus.holdsReservation(cpu: index, address: address)
      bus.clearReservation(cpu: index)
      if ok {
        if op == .storeExclusive {
          guard store(address, elemSize, x(rt) & mask) else { return false }
        } else {
          guard store(address, elemSize, x(rt) & mask),
            store(address + UInt64(elemSize), elemSize, x(rt2) & mask)
          else { return false }
        }
      }
      setX(rs, ok ? 0 : 1)
    case .storeRelease:
      guard store(address, elemSize, x(rt) & mask) else { return false }
    case .cas:
      guard let old = load(address, elemSize) else { return false }
      if old == x(rs) & mask {
        guard store(address, elemSize, x(rt) & mask) else { return false }
      }
      setX(rs, old)
    case .casPair:
      guard let lo = load(address, elemSize), let hi = load(address + UInt64(elemSize), elemSize) else {
        return false
      }
      if lo == x(rs) & mask && hi == x(rs + 1) & mask {
        guard store(address, elemSize, x(rt) & mask),
          store(address + UInt64(elemSize), elemSize, x(rt + 1) & mask)
        else { return false }
      }
      setX(rs, lo)
      setX(rs + 1, hi)
    case .atomic, .swap:
      guard let old = load(address, elemSize) else { return false }
      let operand = x(rs) & mask
      let new: UInt64
      if op == .swap {
        new = operand
      } else {
        let bitsN = elemSize * 8
        switch bits(w, 14, 12) {
        case 0: new = (old &+ operand) & mask  // LDADD
        case 1: new = old & ~operand  // LDCLR
        case 2: new = old ^ operand  // LDEOR
        case 3: new = old | operand  // LDSET
        case 4: new = signExtend(old, bitsN) >= signExtend(operand, bitsN) ? old : operand  // LDSMAX
        case 5: new = signExtend(old, bitsN) <= signExtend(operand, bitsN) ? old : operand  // LDSMIN
        case 6: new = max(old, operand)  // LDUMAX
        default: new = min(old, operand)  // LDUMIN
        }
      }
      guard store(address, elemSize, new) else { return false }
      setX(rt, old)
    default:
      break
    }
    return true
  }
}
