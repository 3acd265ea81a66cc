// The single A64 encoding table shared by the decoder, the disassembler and the assembler.
//
// Each row is one instruction form: its fixed bits, its mnemonic, the operand syntax and the
// semantic operation the interpreter executes. Alias rows (MOV, CMP, LSL, CSET, ...) specialise a
// canonical row and carry the condition under which llvm-objdump prefers them.

/// The semantic operation of a canonical encoding (the interpreter reads the details from the word).
enum Operation: UInt8, Sendable {
  case udf
  // Data processing — immediate
  case adr, adrp, addSubImm, logicalImm, moveWide, bitfield, extr
  // Branches, exception generation, system
  case b, bl, bCond, cbz, cbnz, tbz, tbnz, br, blr, ret, eret
  case svc, hvc, smc, brk, hlt
  case mrs, msrReg, msrImm, hint, clrex, dsb, dmb, isb
  // Loads and stores
  case ldstUImm, ldstUnscaled, ldstPost, ldstPre, ldstUnpriv, ldstReg, ldrLiteral
  case ldstPair, loadExclusive, storeExclusive, loadExclusivePair, storeExclusivePair
  case loadAcquire, storeRelease, atomic, swap, cas, casPair
  // Data processing — register
  case logicalShifted, addSubShifted, addSubExtended, adcSbc, condCompare, condSelect
  case dataProc2, dataProc1, dataProc3
}

/// Register width of a register operand.
enum RegWidth: Sendable {
  case sf  // W or X from bit 31
  case w
  case x
  case extend  // extended-register Rm: X for UXTX/SXTX (option<1:0> = 11), else W
  case index  // register-offset Rm: X when option<0> = 1, else W
}

/// Formatting of a plain immediate field.
enum ImmStyle: Sendable {
  case hex  // #0x1f
  case dec  // #31
  case zeroDec  // #0 for zero, else hex (exception-generating instructions)
}

/// Branch/literal target encodings.
enum LabelKind: Sendable {
  case imm26, imm19, imm14, adr, adrp
}

/// Operand syntax, each kind knowing its bit fields (see Operand+Syntax.swift).
enum Operand: Sendable {
  case reg(at: Int, RegWidth, sp: Bool)
  /// One register written into two fields (ROR alias: Rn = Rm; CINC: Rn = Rm).
  case reg2(at: Int, and: Int, RegWidth)
  /// An even/odd register pair (CASP): `x0, x1`.
  case pair(at: Int, RegWidth)
  case imm(at: Int, bits: Int, ImmStyle)
  case addSubImm  // imm12 at 10, shift at 22
  case bitmask  // N:immr:imms, width from sf
  case invertedBitmask  // BIC/BICS #imm (GNU as): the bitmask immediate is the inverted value
  case moveWide  // imm16 at 5, hw at 21
  case movValueZ, movValueN, movValueBitmask  // MOV aliases: the resulting value
  case shiftLSL  // bitfield LSL alias amount (immr/imms)
  case bfLsbIZ, bfWidthIZ  // SBFIZ/UBFIZ/BFI lsb and width
  case bfLsbX, bfWidthX  // SBFX/UBFX/BFXIL lsb and width
  case shift(ror: Bool)  // optional shifted-register suffix
  case extend  // extended-register suffix
  case cond(at: Int)
  case invCond  // CSET/CINC family: the printed condition is the inverse of bits [15:12]
  case label(LabelKind)
  case tbzBit
  case sysReg(write: Bool)
  case pstate
  case barrier
  case prfop
  case memUImm(scale: Int)
  case memSImm9
  case memPre9
  case memPost9
  case memPair(scale: Int)
  case memPairPre(scale: Int)
  case memPairPost(scale: Int)
  case memReg(scale: Int)
  case memBase
  case literal
  /// RPRFM's range-prefetch operation, register and base (llvm-objdump's view of PRFM with
  /// Rt<4:3> = 11 in the register-offset form; it executes as a prefetch hint here).
  case rprfop
}

/// One row of the table.
struct EncodingForm: Sendable {
  let mnemonic: String
  let mask: UInt32
  let bits: UInt32
  let operation: Operation
  let operands: [Operand]
  let isAlias: Bool
  /// The mnemonic takes a condition suffix (`b.eq`) from bits [3:0].
  let conditionSuffix: Bool
  /// Extra condition on the word: reserved encodings for canonical rows, preference for aliases.
  let when: (@Sendable (UInt32) -> Bool)?
  /// Printed by the disassembler but not accepted by the assembler (hint names outside the subset).
  let disassemblyOnly: Bool
  /// Accepted by the assembler but never printed (BFC, which llvm-objdump shows as BFI).
  var assemblyOnly = false

  func matches(_ word: UInt32) -> Bool {
    word & mask == bits && (when?(word) ?? true)
  }
}

/// Parses a 32-character bit pattern: `0`/`1` fixed, anything else variable; spaces ignored.
private func pattern(_ text: String) -> (mask: UInt32, bits: UInt32) {
  var mask: UInt32 = 0
  var value: UInt32 = 0
  var count = 0
  for ch in text where ch != " " {
    mask <<= 1
    value <<= 1
    if ch == "0" {
      mask |= 1
    } else if ch == "1" {
      mask |= 1
      value |= 1
    }
    count += 1
  }
  precondition(count == 32, "bad pattern \(text)")
  return (mask, value)
}

// Field readers used by the table's conditions.
@inline(__always) private func rd(_ w: UInt32) -> UInt32 { w & 31 }
@inline(__always) private func rn(_ w: UInt32) -> UInt32 { (w >> 5) & 31 }
@inline(__always) private func rm(_ w: UInt32) -> UInt32 { (w >> 16) & 31 }
@inline(__always) private func sf(_ w: UInt32) -> Bool { w >> 31 == 1 }
@inline(__always) private func immr(_ w: UInt32) -> UInt32 { (w >> 16) & 63 }
@inline(__always) private func imms(_ w: UInt32) -> UInt32 { (w >> 10) & 63 }
@inline(__always) private func nbit(_ w: UInt32) -> UInt32 { (w >> 22) & 1 }

/// LLVM's `isMOVZMovAlias`.
func isMOVZMovAlias(_ value: UInt64, shift: Int, width: Int) -> Bool {
  if value == 0 && shift != 0 { return false }
  return value & ~(UInt64(0xFFFF) << UInt64(shift)) == 0
}

/// LLVM's `isMOVNMovAlias`.
func isMOVNMovAlias(_ value: UInt64, shift: Int, width: Int) -> Bool {
  if isAnyMOVZMovAlias(value, width: width) { return false }
  var v = ~value
  if width == 32 { v &= 0xFFFF_FFFF }
  return isMOVZMovAlias(v, shift: shift, width: width)
}

/// LLVM's `isAnyMOVZMovAlias`: some single MOVZ produces the value.
func isAnyMOVZMovAlias(_ value: UInt64, width: Int) -> Bool {
  var s = 0
  while s <= width - 16 {
    if value & ~(UInt64(0xFFFF) << UInt64(s)) == 0 { return true }
    s += 16
  }
  return false
}

/// LLVM's `isAnyMOVWMovAlias`: the value is reachable with a single MOVZ or MOVN.
func isAnyMOVWMovAlias(_ value: UInt64, width: Int) -> Bool {
  func anyZ(_ v: UInt64) -> Bool {
    var s = 0
    while s <= width - 16 {
      if v & ~(UInt64(0xFFFF) << UInt64(s)) == 0 { return true }
      s += 16
    }
    return false
  }
  if anyZ(value) { return true }
  var v = ~value
  if width == 32 { v &= 0xFFFF_FFFF }
  return anyZ(v)
}

/// The value a MOVZ/MOVN word produces (truncated to the register width).
func moveWideValue(_ w: UInt32) -> UInt64 {
  let imm = UInt64(bits(w, 20, 5)) << UInt64(bits(w, 22, 21) * 16)
  let isN = bits(w, 30, 29) == 0
  var v = isN ? ~imm : imm
  if !sf(w) { v &= 0xFFFF_FFFF }
  return v
}

enum EncodingTable {
  static let forms: [EncodingForm] = build()

  /// Canonical rows grouped by op0 (bits [28:25]) for decoding.
  static let canonicalByGroup: [[Int]] = {
    var groups = Array(repeating: [Int](), count: 16)
    for (i, f) in forms.enumerated() where !f.isAlias {
      // A row belongs to every group its fixed bits [28:25] allow.
      for g in 0..<16 {
        let gw = UInt32(g) << 25
        if (gw ^ f.bits) & f.mask & (0xF << 25) == 0 { groups[g].append(i) }
      }
    }
    return groups
  }()

  /// For each canonical row, the alias rows that may print it, in preference order.
  static let aliasesOf: [[Int]] = {
    var result = Array(repeating: [Int](), count: forms.count)
    for (i, f) in forms.enumerated() where !f.isAlias {
      for (j, a) in forms.enumerated() where a.isAlias && !a.assemblyOnly && a.operation == f.operation {
        // The alias pattern must specialise the canonical one.
        if a.mask & f.mask == f.mask && a.bits & f.mask == f.bits { result[i].append(j) }
      }
    }
    return result
  }()

  /// Rows by mnemonic for the assembler (canonical and alias, table order).
  static let byMnemonic: [String: [Int]] = {
    var d: [String: [Int]] = [:]
    for (i, f) in forms.enumerated() where !f.disassemblyOnly {
      d[f.conditionSuffix ? "b." : f.mnemonic, default: []].append(i)
    }
    return d
  }()

  /// Words drawn from the table: a random row (canonical or alias) with random variable bits.
  /// Used by the sweeps and cross-checks to reach every form often.
  static func sampleWords<G: RandomNumberGenerator>(count: Int, using rng: inout G) -> [UInt32] {
    (0..<count).map { _ in
      let f = forms[Int.random(in: 0..<forms.count, using: &rng)]
      return f.bits | (UInt32.random(in: 0...UInt32.max, using: &rng) & ~f.mask)
    }
  }

  // MARK: - Building the table

  private static func build() -> [EncodingForm] {
    var t: [EncodingForm] = []
    func row(
      _ m: String, _ p: String, _ op: Operation, _ ops: [Operand], alias: Bool = false,
      cond: Bool = false, disasmOnly: Bool = false, when: (@Sendable (UInt32) -> Bool)? = nil
    ) {
      let (mask, bits) = pattern(p)
      t.append(
        EncodingForm(
          mnemonic: m, mask: mask, bits: bits, operation: op, operands: ops, isAlias: alias,
          conditionSuffix: cond, when: when, disassemblyOnly: disasmOnly))
    }
    func alias(
      _ m: String, _ p: String, _ op: Operation, _ ops: [Operand], when: (@Sendable (UInt32) -> Bool)? = nil
    ) {
      row(m, p, op, ops, alias: true, when: when)
    }
    let Rd = Operand.reg(at: 0, .sf, sp: false)
    let RdSP = Operand.reg(at: 0, .sf, sp: true)
    let Rn = Operand.reg(at: 5, .sf, sp: false)
    let RnSP = Operand.reg(at: 5, .sf, sp: true)
    let Rm = Operand.reg(at: 16, .sf, sp: false)
    let Ra = Operand.reg(at: 10, .sf, sp: false)
    let Xd = Operand.reg(at: 0, .x, sp: false)
    let Xn = Operand.reg(at: 5, .x, sp: false)
    let Wd = Operand.reg(at: 0, .w, sp: false)
    let Wn = Operand.reg(at: 5, .w, sp: false)
    let Wm = Operand.reg(at: 16, .w, sp: false)
    let Xa = Operand.reg(at: 10, .x, sp: false)

    // MARK: Data processing — immediate
    row("adr", "0 ii 10000 iiiiiiiiiiiiiiiiiii ddddd", .adr, [Xd, .label(.adr)])
    row("adrp", "1 ii 10000 iiiiiiiiiiiiiiiiiii ddddd", .adrp, [Xd, .label(.adrp)])

    alias("mov", "s 0 0 100010 0 000000000000 nnnnn ddddd", .addSubImm, [RdSP, RnSP]) {
      rd($0) == 31 || rn($0) == 31
    }
    row("add", "s 0 0 100010 h iiiiiiiiiiii nnnnn ddddd", .addSubImm, [RdSP, RnSP, .addSubImm])
    alias("cmn", "s 0 1 100010 h iiiiiiiiiiii nnnnn 11111", .addSubImm, [RnSP, .addSubImm])
    row("adds", "s 0 1 100010 h iiiiiiiiiiii nnnnn ddddd", .addSubImm, [Rd, RnSP, .addSubImm])
    row("sub", "s 1 0 100010 h iiiiiiiiiiii nnnnn ddddd", .addSubImm, [RdSP, RnSP, .addSubImm])
    alias("cmp", "s 1 1 100010 h iiiiiiiiiiii nnnnn 11111", .addSubImm, [RnSP, .addSubImm])
    row("subs", "s 1 1 100010 h iiiiiiiiiiii nnnnn ddddd", .addSubImm, [Rd, RnSP, .addSubImm])

    let logicalValid: @Sendable (UInt32) -> Bool = { w in
      logicalImmediate(n: nbit(w), immr: immr(w), imms: imms(w), width: sf(w) ? 64 : 32) != nil
    }
    row(
      "and", "s 00 100100 N rrrrrr ssssss nnnnn ddddd", .logicalImm, [RdSP, Rn, .bitmask], when: logicalValid)
    alias("mov", "s 01 100100 N rrrrrr ssssss 11111 ddddd", .logicalImm, [RdSP, .movValueBitmask]) { w in
      guard let v = logicalImmediate(n: nbit(w), immr: immr(w), imms: imms(w), width: sf(w) ? 64 : 32)
      else { return false }
      return !isAnyMOVWMovAlias(v, width: sf(w) ? 64 : 32)
    }
    row(
      "orr", "s 01 100100 N rrrrrr ssssss nnnnn ddddd", .logicalImm, [RdSP, Rn, .bitmask], when: logicalValid)
    row(
      "eor", "s 10 100100 N rrrrrr ssssss nnnnn ddddd", .logicalImm, [RdSP, Rn, .bitmask], when: logicalValid)
    alias("tst", "s 11 100100 N rrrrrr ssssss nnnnn 11111", .logicalImm, [Rn, .bitmask])
    row(
      "ands", "s 11 100100 N rrrrrr ssssss nnnnn ddddd", .logicalImm, [Rd, Rn, .bitmask], when: logicalValid)
    // GNU as aliases: BIC/BICS with an immediate are AND/ANDS with the inverted bitmask (llvm-objdump
    // prints AND/ANDS, so the disassembler never uses these rows).
    row(
      "bic", "s 00 100100 N rrrrrr ssssss nnnnn ddddd", .logicalImm, [RdSP, Rn, .invertedBitmask], alias: true
    )
    t[t.count - 1].assemblyOnly = true
    row(
      "bics", "s 11 100100 N rrrrrr ssssss nnnnn ddddd", .logicalImm, [Rd, Rn, .invertedBitmask], alias: true)
    t[t.count - 1].assemblyOnly = true

    let moveWideValid: @Sendable (UInt32) -> Bool = { w in sf(w) || bits(w, 22, 21) < 2 }
    alias("mov", "s 00 100101 hh iiiiiiiiiiiiiiii ddddd", .moveWide, [Rd, .movValueN]) { w in
      isMOVNMovAlias(moveWideValue(w), shift: Int(bits(w, 22, 21)) * 16, width: sf(w) ? 64 : 32)
    }
    row("movn", "s 00 100101 hh iiiiiiiiiiiiiiii ddddd", .moveWide, [Rd, .moveWide], when: moveWideValid)
    alias("mov", "s 10 100101 hh iiiiiiiiiiiiiiii ddddd", .moveWide, [Rd, .movValueZ]) { w in
      isMOVZMovAlias(moveWideValue(w), shift: Int(bits(w, 22, 21)) * 16, width: sf(w) ? 64 : 32)
    }
    row("movz", "s 10 100101 hh iiiiiiiiiiiiiiii ddddd", .moveWide, [Rd, .moveWide], when: moveWideValid)
    row("movk", "s 11 100101 hh iiiiiiiiiiiiiiii ddddd", .moveWide, [Rd, .moveWide], when: moveWideValid)

    let bitfieldValid: @Sendable (UInt32) -> Bool = { w in
      sf(w) ? nbit(w) == 1 : (nbit(w) == 0 && immr(w) < 32 && imms(w) < 32)
    }
    // SBFM and its aliases, in llvm-objdump's order of preference.
    alias("sxtb", "0 00 100110 0 000000 000111 nnnnn ddddd", .bitfield, [Wd, Wn])
    alias("sxtb", "1 00 100110 1 000000 000111 nnnnn ddddd", .bitfield, [Xd, Wn])
    alias("sxth", "0 00 100110 0 000000 001111 nnnnn ddddd", .bitfield, [Wd, Wn])
    alias("sxth", "1 00 100110 1 000000 001111 nnnnn ddddd", .bitfield, [Xd, Wn])
    alias("sxtw", "1 00 100110 1 000000 011111 nnnnn ddddd", .bitfield, [Xd, Wn])
    alias("asr", "0 00 100110 0 0rrrrr 011111 nnnnn ddddd", .bitfield, [Wd, Wn, .imm(at: 16, bits: 6, .dec)])
    alias("asr", "1 00 100110 1 rrrrrr 111111 nnnnn ddddd", .bitfield, [Xd, Xn, .imm(at: 16, bits: 6, .dec)])
    alias("sbfiz", "s 00 100110 N rrrrrr ssssss nnnnn ddddd", .bitfield, [Rd, Rn, .bfLsbIZ, .bfWidthIZ]) {
      imms($0) < immr($0)
    }
    alias("sbfx", "s 00 100110 N rrrrrr ssssss nnnnn ddddd", .bitfield, [Rd, Rn, .bfLsbX, .bfWidthX]) {
      imms($0) >= immr($0)
    }
    row(
      "sbfm", "s 00 100110 N rrrrrr ssssss nnnnn ddddd", .bitfield,
      [Rd, Rn, .imm(at: 16, bits: 6, .dec), .imm(at: 10, bits: 6, .dec)], when: bitfieldValid)
    row("bfc", "s 01 100110 N rrrrrr ssssss 11111 ddddd", .bitfield, [Rd, .bfLsbIZ, .bfWidthIZ], alias: true)
    t[t.count - 1].assemblyOnly = true
    alias("bfi", "s 01 100110 N rrrrrr ssssss nnnnn ddddd", .bitfield, [Rd, Rn, .bfLsbIZ, .bfWidthIZ]) {
      imms($0) < immr($0)
    }
    alias("bfxil", "s 01 100110 N rrrrrr ssssss nnnnn ddddd", .bitfield, [Rd, Rn, .bfLsbX, .bfWidthX]) {
      imms($0) >= immr($0)
    }
    row(
      "bfm", "s 01 100110 N rrrrrr ssssss nnnnn ddddd", .bitfield,
      [Rd, Rn, .imm(at: 16, bits: 6, .dec), .imm(at: 10, bits: 6, .dec)], when: bitfieldValid)
    alias("uxtb", "0 10 100110 0 000000 000111 nnnnn ddddd", .bitfield, [Wd, Wn])
    alias("uxth", "0 10 100110 0 000000 001111 nnnnn ddddd", .bitfield, [Wd, Wn])
    alias("lsl", "s 10 100110 N rrrrrr ssssss nnnnn ddddd", .bitfield, [Rd, Rn, .shiftLSL]) { w in
      let top: UInt32 = sf(w) ? 63 : 31
      return imms(w) != top && imms(w) + 1 == immr(w)
    }
    alias("lsr", "0 10 100110 0 0rrrrr 011111 nnnnn ddddd", .bitfield, [Wd, Wn, .imm(at: 16, bits: 6, .dec)])
    alias("lsr", "1 10 100110 1 rrrrrr 111111 nnnnn ddddd", .bitfield, [Xd, Xn, .imm(at: 16, bits: 6, .dec)])
    alias("ubfiz", "s 10 100110 N rrrrrr ssssss nnnnn ddddd", .bitfield, [Rd, Rn, .bfLsbIZ, .bfWidthIZ]) {
      imms($0) < immr($0)
    }
    alias("ubfx", "s 10 100110 N rrrrrr ssssss nnnnn ddddd", .bitfield, [Rd, Rn, .bfLsbX, .bfWidthX]) {
      imms($0) >= immr($0)
    }
    row(
      "ubfm", "s 10 100110 N rrrrrr ssssss nnnnn ddddd", .bitfield,
      [Rd, Rn, .imm(at: 16, bits: 6, .dec), .imm(at: 10, bits: 6, .dec)], when: bitfieldValid)

    alias(
      "ror", "s 00 100111 N 0 mmmmm ssssss nnnnn ddddd", .extr,
      [Rd, .reg2(at: 5, and: 16, .sf), .imm(at: 10, bits: 6, .hex)]
    ) { rn($0) == rm($0) }
    row("extr", "s 00 100111 N 0 mmmmm ssssss nnnnn ddddd", .extr, [Rd, Rn, Rm, .imm(at: 10, bits: 6, .hex)])
    { w in
      sf(w) ? nbit(w) == 1 : (nbit(w) == 0 && imms(w) < 32)
    }

    // MARK: Branches, exception generation and system
    row("b", "0 00101 iiiiiiiiiiiiiiiiiiiiiiiiii", .b, [.label(.imm26)])
    row("bl", "1 00101 iiiiiiiiiiiiiiiiiiiiiiiiii", .bl, [.label(.imm26)])
    row("b.", "0101010 0 iiiiiiiiiiiiiiiiiii 0 cccc", .bCond, [.label(.imm19)], cond: true)
    row("cbz", "s 011010 0 iiiiiiiiiiiiiiiiiii ttttt", .cbz, [Rd, .label(.imm19)])
    row("cbnz", "s 011010 1 iiiiiiiiiiiiiiiiiii ttttt", .cbnz, [Rd, .label(.imm19)])
    row("tbz", "b 011011 0 bbbbb iiiiiiiiiiiiii ttttt", .tbz, [Rd, .tbzBit, .label(.imm14)])
    row("tbnz", "b 011011 1 bbbbb iiiiiiiiiiiiii ttttt", .tbnz, [Rd, .tbzBit, .label(.imm14)])
    let imm16 = Operand.imm(at: 5, bits: 16, .zeroDec)
    row("svc", "11010100 000 iiiiiiiiiiiiiiii 000 01", .svc, [imm16])
    row("hvc", "11010100 000 iiiiiiiiiiiiiiii 000 10", .hvc, [imm16])
    row("smc", "11010100 000 iiiiiiiiiiiiiiii 000 11", .smc, [imm16])
    row("brk", "11010100 001 iiiiiiiiiiiiiiii 000 00", .brk, [imm16])
    row("hlt", "11010100 010 iiiiiiiiiiiiiiii 000 00", .hlt, [imm16])
    row("udf", "0000000000000000 iiiiiiiiiiiiiiii", .udf, [.imm(at: 0, bits: 16, .hex)])
    row("br", "1101011 0000 11111 000000 nnnnn 00000", .br, [Xn])
    row("blr", "1101011 0001 11111 000000 nnnnn 00000", .blr, [Xn])
    alias("ret", "1101011 0010 11111 000000 11110 00000", .ret, [])
    row("ret", "1101011 0010 11111 000000 nnnnn 00000", .ret, [Xn])
    row("eret", "1101011 0100 11111 000000 11111 00000", .eret, [])

    row("mrs", "1101010100 1 1 o ppp nnnn mmmm qqq ttttt", .mrs, [Xd, .sysReg(write: false)])
    row("msr", "1101010100 0 1 o ppp nnnn mmmm qqq ttttt", .msrReg, [.sysReg(write: true), Xd])
    row("msr", "1101010100 0 00 ppp 0100 mmmm qqq 11111", .msrImm, [.pstate, .imm(at: 8, bits: 4, .hex)]) {
      w in
      let op1 = bits(w, 18, 16)
      let op2 = bits(w, 7, 5)
      return (op1 == 3 && (op2 == 6 || op2 == 7)) || (op1 == 0 && op2 == 5)
    }
    // Hints: the named ones first (llvm-objdump's names; all execute as NOP on this CPU except the
    // WFE/WFI/SEV/SEVL/YIELD group).
    let hintNames: [(Int, String)] = [
      (0, "nop"), (1, "yield"), (2, "wfe"), (3, "wfi"), (4, "sev"), (5, "sevl"), (6, "dgh"), (7, "xpaclri"),
      (8, "pacia1716"), (10, "pacib1716"), (12, "autia1716"), (14, "autib1716"), (16, "esb"),
      (17, "psb csync"), (18, "tsb csync"), (19, "gcsb dsync"), (20, "csdb"), (22, "clrbhb"),
      (24, "paciaz"), (25, "paciasp"), (26, "pacibz"), (27, "pacibsp"), (28, "autiaz"), (29, "autiasp"),
      (30, "autibz"), (31, "autibsp"), (32, "bti"), (34, "bti c"), (36, "bti j"), (38, "bti jc"),
      (39, "pacm"), (40, "chkfeat x16"),
    ]
    for (n, name) in hintNames {
      var p = "1101010100 0 00 011 0010 "
      for i in stride(from: 6, through: 0, by: -1) { p += (n >> i) & 1 == 1 ? "1" : "0" }
      p += " 11111"
      row(name, p, .hint, [], alias: true, disasmOnly: n > 5)
    }
    row("hint", "1101010100 0 00 011 0010 mmmm ooo 11111", .hint, [.imm(at: 5, bits: 7, .hex)])
    alias("clrex", "1101010100 0 00 011 0011 1111 010 11111", .clrex, [])
    row("clrex", "1101010100 0 00 011 0011 mmmm 010 11111", .clrex, [.imm(at: 8, bits: 4, .hex)])
    alias("ssbb", "1101010100 0 00 011 0011 0000 100 11111", .dsb, [])
    alias("pssbb", "1101010100 0 00 011 0011 0100 100 11111", .dsb, [])
    row("dfb", "1101010100 0 00 011 0011 1100 100 11111", .dsb, [], alias: true, disasmOnly: true)
    row("dsb", "1101010100 0 00 011 0011 mmmm 100 11111", .dsb, [.barrier])
    row("dmb", "1101010100 0 00 011 0011 mmmm 101 11111", .dmb, [.barrier])
    alias("isb", "1101010100 0 00 011 0011 1111 110 11111", .isb, [])
    row("isb", "1101010100 0 00 011 0011 mmmm 110 11111", .isb, [.imm(at: 8, bits: 4, .dec)])

    // MARK: Loads and stores
    // (size, opc, ldst-name, unscaled-name, unpriv-name, width, scale)
    let singles: [(String, String, String, String, String, RegWidth)] = [
      ("00", "00", "strb", "sturb", "sttrb", .w), ("00", "01", "ldrb", "ldurb", "ldtrb", .w),
      ("00", "10", "ldrsb", "ldursb", "ldtrsb", .x), ("00", "11", "ldrsb", "ldursb", "ldtrsb", .w),
      ("01", "00", "strh", "sturh", "sttrh", .w), ("01", "01", "ldrh", "ldurh", "ldtrh", .w),
      ("01", "10", "ldrsh", "ldursh", "ldtrsh", .x), ("01", "11", "ldrsh", "ldursh", "ldtrsh", .w),
      ("10", "00", "str", "stur", "sttr", .w), ("10", "01", "ldr", "ldur", "ldtr", .w),
      ("10", "10", "ldrsw", "ldursw", "ldtrsw", .x),
      ("11", "00", "str", "stur", "sttr", .x), ("11", "01", "ldr", "ldur", "ldtr", .x),
    ]
    for (size, opc, name, uname, tname, width) in singles {
      let scale = Int(size, radix: 2)!
      let rt = Operand.reg(at: 0, width, sp: false)
      row(name, "\(size) 111 0 01 \(opc) iiiiiiiiiiii nnnnn ttttt", .ldstUImm, [rt, .memUImm(scale: scale)])
      row(uname, "\(size) 111 0 00 \(opc) 0 iiiiiiiii 00 nnnnn ttttt", .ldstUnscaled, [rt, .memSImm9])
      row(name, "\(size) 111 0 00 \(opc) 0 iiiiiiiii 01 nnnnn ttttt", .ldstPost, [rt, .memPost9])
      row(tname, "\(size) 111 0 00 \(opc) 0 iiiiiiiii 10 nnnnn ttttt", .ldstUnpriv, [rt, .memSImm9])
      row(name, "\(size) 111 0 00 \(opc) 0 iiiiiiiii 11 nnnnn ttttt", .ldstPre, [rt, .memPre9])
      row(
        name, "\(size) 111 0 00 \(opc) 1 mmmmm ooo s 10 nnnnn ttttt", .ldstReg, [rt, .memReg(scale: scale)]
      ) {
        bits($0, 14, 14) == 1
      }
    }
    row("prfm", "11 111 0 01 10 iiiiiiiiiiii nnnnn ttttt", .ldstUImm, [.prfop, .memUImm(scale: 3)])
    row("prfum", "11 111 0 00 10 0 iiiiiiiii 00 nnnnn ttttt", .ldstUnscaled, [.prfop, .memSImm9])
    row(
      "rprfm", "11 111 0 00 10 1 mmmmm ooo s 10 nnnnn 11ttt", .ldstReg, [.rprfop], alias: true,
      disasmOnly: true
    ) {
      bits($0, 14, 14) == 1
    }
    row("prfm", "11 111 0 00 10 1 mmmmm ooo s 10 nnnnn ttttt", .ldstReg, [.prfop, .memReg(scale: 3)]) {
      bits($0, 14, 14) == 1
    }
    row("ldr", "00 011 0 00 iiiiiiiiiiiiiiiiiii ttttt", .ldrLiteral, [Wd, .literal])
    row("ldr", "01 011 0 00 iiiiiiiiiiiiiiiiiii ttttt", .ldrLiteral, [Xd, .literal])
    row("ldrsw", "10 011 0 00 iiiiiiiiiiiiiiiiiii ttttt", .ldrLiteral, [Xd, .literal])
    row("prfm", "11 011 0 00 iiiiiiiiiiiiiiiiiii ttttt", .ldrLiteral, [.prfop, .literal])

    // Pairs: (opc, width, scale)
    for (opc, width, scale) in [("00", RegWidth.w, 2), ("10", RegWidth.x, 3)] {
      let rt = Operand.reg(at: 0, width, sp: false)
      let rt2 = Operand.reg(at: 10, width, sp: false)
      for (l, name, nname) in [("0", "stp", "stnp"), ("1", "ldp", "ldnp")] {
        row(
          nname, "\(opc) 101 0 0 00 \(l) iiiiiii uuuuu nnnnn ttttt", .ldstPair,
          [rt, rt2, .memPair(scale: scale)])
        row(
          name, "\(opc) 101 0 0 01 \(l) iiiiiii uuuuu nnnnn ttttt", .ldstPair,
          [rt, rt2, .memPairPost(scale: scale)])
        row(
          name, "\(opc) 101 0 0 10 \(l) iiiiiii uuuuu nnnnn ttttt", .ldstPair,
          [rt, rt2, .memPair(scale: scale)])
        row(
          name, "\(opc) 101 0 0 11 \(l) iiiiiii uuuuu nnnnn ttttt", .ldstPair,
          [rt, rt2, .memPairPre(scale: scale)])
      }
    }
    let Xt = Operand.reg(at: 0, .x, sp: false)
    let Xt2 = Operand.reg(at: 10, .x, sp: false)
    row("ldpsw", "01 101 0 0 01 1 iiiiiii uuuuu nnnnn ttttt", .ldstPair, [Xt, Xt2, .memPairPost(scale: 2)])
    row("ldpsw", "01 101 0 0 10 1 iiiiiii uuuuu nnnnn ttttt", .ldstPair, [Xt, Xt2, .memPair(scale: 2)])
    row("ldpsw", "01 101 0 0 11 1 iiiiiii uuuuu nnnnn ttttt", .ldstPair, [Xt, Xt2, .memPairPre(scale: 2)])

    // Exclusives and acquire/release: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt
    for (size, suffix, width) in [("00", "b", RegWidth.w), ("01", "h", .w), ("10", "", .w), ("11", "", .x)] {
      let rt = Operand.reg(at: 0, width, sp: false)
      let ws = Operand.reg(at: 16, .w, sp: false)
      let rs = Operand.reg(at: 16, width, sp: false)
      row(
        "stxr" + suffix, "\(size) 001000 0 0 0 sssss 0 11111 nnnnn ttttt", .storeExclusive,
        [ws, rt, .memBase])
      row(
        "stlxr" + suffix, "\(size) 001000 0 0 0 sssss 1 11111 nnnnn ttttt", .storeExclusive,
        [ws, rt, .memBase])
      row("ldxr" + suffix, "\(size) 001000 0 1 0 11111 0 11111 nnnnn ttttt", .loadExclusive, [rt, .memBase])
      row("ldaxr" + suffix, "\(size) 001000 0 1 0 11111 1 11111 nnnnn ttttt", .loadExclusive, [rt, .memBase])
      row("stlr" + suffix, "\(size) 001000 1 0 0 11111 1 11111 nnnnn ttttt", .storeRelease, [rt, .memBase])
      row("ldar" + suffix, "\(size) 001000 1 1 0 11111 1 11111 nnnnn ttttt", .loadAcquire, [rt, .memBase])
      for (l, o0, a) in [("0", "0", ""), ("1", "0", "a"), ("0", "1", "l"), ("1", "1", "al")] {
        row(
          "cas" + a + suffix, "\(size) 001000 1 \(l) 1 sssss \(o0) 11111 nnnnn ttttt", .cas,
          [rs, rt, .memBase])
      }
      if size.hasPrefix("1") {
        let rt2 = Operand.reg(at: 10, width, sp: false)
        row(
          "stxp", "\(size) 001000 0 0 1 sssss 0 uuuuu nnnnn ttttt", .storeExclusivePair,
          [ws, rt, rt2, .memBase])
        row(
          "stlxp", "\(size) 001000 0 0 1 sssss 1 uuuuu nnnnn ttttt", .storeExclusivePair,
          [ws, rt, rt2, .memBase])
        row(
          "ldxp", "\(size) 001000 0 1 1 11111 0 uuuuu nnnnn ttttt", .loadExclusivePair, [rt, rt2, .memBase])
        row(
          "ldaxp", "\(size) 001000 0 1 1 11111 1 uuuuu nnnnn ttttt", .loadExclusivePair, [rt, rt2, .memBase])
      }
    }
    for (sz, width) in [("0", RegWidth.w), ("1", .x)] {
      for (l, o0, a) in [("0", "0", ""), ("1", "0", "a"), ("0", "1", "l"), ("1", "1", "al")] {
        row(
          "casp" + a, "0 \(sz) 001000 0 \(l) 1 sssss \(o0) 11111 nnnnn ttttt", .casPair,
          [.pair(at: 16, width), .pair(at: 0, width), .memBase]
        ) { w in
          (w >> 16) & 1 == 0 && w & 1 == 0
        }
      }
    }
    // LSE atomics: size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt
    let atomicOps = ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"]
    for (size, suffix, width) in [("00", "b", RegWidth.w), ("01", "h", .w), ("10", "", .w), ("11", "", .x)] {
      let rs = Operand.reg(at: 16, width, sp: false)
      let rt = Operand.reg(at: 0, width, sp: false)
      for (i, name) in atomicOps.enumerated() {
        let binary = String(i, radix: 2)
        let opcBits = String(repeating: "0", count: 3 - binary.count) + binary
        for (a, r, ord) in [("0", "0", ""), ("1", "0", "a"), ("0", "1", "l"), ("1", "1", "al")] {
          if a == "0" {
            alias(
              "st" + name + ord + suffix, "\(size) 111 0 00 0 \(r) 1 sssss 0 \(opcBits) 00 nnnnn 11111",
              .atomic, [rs, .memBase])
          }
          row(
            "ld" + name + ord + suffix, "\(size) 111 0 00 \(a) \(r) 1 sssss 0 \(opcBits) 00 nnnnn ttttt",
            .atomic, [rs, rt, .memBase])
        }
      }
      for (a, r, ord) in [("0", "0", ""), ("1", "0", "a"), ("0", "1", "l"), ("1", "1", "al")] {
        row(
          "swp" + ord + suffix, "\(size) 111 0 00 \(a) \(r) 1 sssss 1 000 00 nnnnn ttttt", .swap,
          [rs, rt, .memBase])
      }
    }

    // MARK: Data processing — register
    alias("mov", "s 01 01010 00 0 mmmmm 000000 11111 ddddd", .logicalShifted, [Rd, Rm])
    alias("mvn", "s 01 01010 hh 1 mmmmm iiiiii 11111 ddddd", .logicalShifted, [Rd, Rm, .shift(ror: true)])
    alias("tst", "s 11 01010 hh 0 mmmmm iiiiii nnnnn 11111", .logicalShifted, [Rn, Rm, .shift(ror: true)])
    let shiftedValid: @Sendable (UInt32) -> Bool = { w in sf(w) || bits(w, 15, 15) == 0 }
    for (opc, n, name) in [
      ("00", "0", "and"), ("00", "1", "bic"), ("01", "0", "orr"), ("01", "1", "orn"),
      ("10", "0", "eor"), ("10", "1", "eon"), ("11", "0", "ands"), ("11", "1", "bics"),
    ] {
      row(
        name, "s \(opc) 01010 hh \(n) mmmmm iiiiii nnnnn ddddd", .logicalShifted,
        [Rd, Rn, Rm, .shift(ror: true)],
        when: shiftedValid)
    }
    let addShiftValid: @Sendable (UInt32) -> Bool = { w in
      bits(w, 23, 22) != 3 && (sf(w) || bits(w, 15, 15) == 0)
    }
    alias("cmn", "s 0 1 01011 hh 0 mmmmm iiiiii nnnnn 11111", .addSubShifted, [Rn, Rm, .shift(ror: false)])
    alias("cmp", "s 1 1 01011 hh 0 mmmmm iiiiii nnnnn 11111", .addSubShifted, [Rn, Rm, .shift(ror: false)])
    alias("neg", "s 1 0 01011 hh 0 mmmmm iiiiii 11111 ddddd", .addSubShifted, [Rd, Rm, .shift(ror: false)])
    alias("negs", "s 1 1 01011 hh 0 mmmmm iiiiii 11111 ddddd", .addSubShifted, [Rd, Rm, .shift(ror: false)])
    for (op, s, name) in [("0", "0", "add"), ("0", "1", "adds"), ("1", "0", "sub"), ("1", "1", "subs")] {
      row(
        name, "s \(op) \(s) 01011 hh 0 mmmmm iiiiii nnnnn ddddd", .addSubShifted,
        [Rd, Rn, Rm, .shift(ror: false)],
        when: addShiftValid)
    }
    let extValid: @Sendable (UInt32) -> Bool = { w in bits(w, 12, 10) <= 4 }
    let RmExt = Operand.reg(at: 16, .extend, sp: false)
    alias("cmn", "s 0 1 01011 00 1 mmmmm ooo iii nnnnn 11111", .addSubExtended, [RnSP, RmExt, .extend])
    alias("cmp", "s 1 1 01011 00 1 mmmmm ooo iii nnnnn 11111", .addSubExtended, [RnSP, RmExt, .extend])
    for (op, s, name) in [("0", "0", "add"), ("0", "1", "adds"), ("1", "0", "sub"), ("1", "1", "subs")] {
      row(
        name, "s \(op) \(s) 01011 00 1 mmmmm ooo iii nnnnn ddddd", .addSubExtended,
        [s == "1" ? Rd : RdSP, RnSP, RmExt, .extend], when: extValid)
    }
    alias("ngc", "s 1 0 11010000 mmmmm 000000 11111 ddddd", .adcSbc, [Rd, Rm])
    alias("ngcs", "s 1 1 11010000 mmmmm 000000 11111 ddddd", .adcSbc, [Rd, Rm])
    for (op, s, name) in [("0", "0", "adc"), ("0", "1", "adcs"), ("1", "0", "sbc"), ("1", "1", "sbcs")] {
      row(name, "s \(op) \(s) 11010000 mmmmm 000000 nnnnn ddddd", .adcSbc, [Rd, Rn, Rm])
    }
    let nzcv = Operand.imm(at: 0, bits: 4, .hex)
    for (op, name) in [("0", "ccmn"), ("1", "ccmp")] {
      row(
        name, "s \(op) 1 11010010 mmmmm cccc 0 0 nnnnn 0 vvvv", .condCompare, [Rn, Rm, nzcv, .cond(at: 12)])
      row(
        name, "s \(op) 1 11010010 iiiii cccc 1 0 nnnnn 0 vvvv", .condCompare,
        [Rn, .imm(at: 16, bits: 5, .hex), nzcv, .cond(at: 12)])
    }
    let notALNV: @Sendable (UInt32) -> Bool = { w in bits(w, 15, 13) != 7 }
    row("csel", "s 0 0 11010100 mmmmm cccc 00 nnnnn ddddd", .condSelect, [Rd, Rn, Rm, .cond(at: 12)])
    alias("cset", "s 0 0 11010100 11111 cccc 01 11111 ddddd", .condSelect, [Rd, .invCond], when: notALNV)
    alias(
      "cinc", "s 0 0 11010100 mmmmm cccc 01 nnnnn ddddd", .condSelect,
      [Rd, .reg2(at: 5, and: 16, .sf), .invCond]
    ) { w in notALNV(w) && rn(w) == rm(w) }
    row("csinc", "s 0 0 11010100 mmmmm cccc 01 nnnnn ddddd", .condSelect, [Rd, Rn, Rm, .cond(at: 12)])
    alias("csetm", "s 1 0 11010100 11111 cccc 00 11111 ddddd", .condSelect, [Rd, .invCond], when: notALNV)
    alias(
      "cinv", "s 1 0 11010100 mmmmm cccc 00 nnnnn ddddd", .condSelect,
      [Rd, .reg2(at: 5, and: 16, .sf), .invCond]
    ) { w in notALNV(w) && rn(w) == rm(w) }
    row("csinv", "s 1 0 11010100 mmmmm cccc 00 nnnnn ddddd", .condSelect, [Rd, Rn, Rm, .cond(at: 12)])
    alias(
      "cneg", "s 1 0 11010100 mmmmm cccc 01 nnnnn ddddd", .condSelect,
      [Rd, .reg2(at: 5, and: 16, .sf), .invCond]
    ) { w in notALNV(w) && rn(w) == rm(w) }
    row("csneg", "s 1 0 11010100 mmmmm cccc 01 nnnnn ddddd", .condSelect, [Rd, Rn, Rm, .cond(at: 12)])

    for (opc, name, aliasName) in [
      ("000010", "udiv", ""), ("000011", "sdiv", ""), ("001000", "lslv", "lsl"), ("001001", "lsrv", "lsr"),
      ("001010", "asrv", "asr"), ("001011", "rorv", "ror"),
    ] {
      if !aliasName.isEmpty {
        alias(aliasName, "s 0 0 11010110 mmmmm \(opc) nnnnn ddddd", .dataProc2, [Rd, Rn, Rm])
      }
      row(name, "s 0 0 11010110 mmmmm \(opc) nnnnn ddddd", .dataProc2, [Rd, Rn, Rm])
    }
    row("rbit", "s 1 0 11010110 00000 000000 nnnnn ddddd", .dataProc1, [Rd, Rn])
    row("rev16", "s 1 0 11010110 00000 000001 nnnnn ddddd", .dataProc1, [Rd, Rn])
    row("rev", "0 1 0 11010110 00000 000010 nnnnn ddddd", .dataProc1, [Wd, Wn])
    row("rev32", "1 1 0 11010110 00000 000010 nnnnn ddddd", .dataProc1, [Xd, Xn])
    row("rev", "1 1 0 11010110 00000 000011 nnnnn ddddd", .dataProc1, [Xd, Xn])
    row("clz", "s 1 0 11010110 00000 000100 nnnnn ddddd", .dataProc1, [Rd, Rn])
    row("cls", "s 1 0 11010110 00000 000101 nnnnn ddddd", .dataProc1, [Rd, Rn])

    alias("mul", "s 00 11011 000 mmmmm 0 11111 nnnnn ddddd", .dataProc3, [Rd, Rn, Rm])
    row("madd", "s 00 11011 000 mmmmm 0 aaaaa nnnnn ddddd", .dataProc3, [Rd, Rn, Rm, Ra])
    alias("mneg", "s 00 11011 000 mmmmm 1 11111 nnnnn ddddd", .dataProc3, [Rd, Rn, Rm])
    row("msub", "s 00 11011 000 mmmmm 1 aaaaa nnnnn ddddd", .dataProc3, [Rd, Rn, Rm, Ra])
    for (op31, o0, name, aliasName) in [
      ("001", "0", "smaddl", "smull"), ("001", "1", "smsubl", "smnegl"),
      ("101", "0", "umaddl", "umull"), ("101", "1", "umsubl", "umnegl"),
    ] {
      alias(aliasName, "1 00 11011 \(op31) mmmmm \(o0) 11111 nnnnn ddddd", .dataProc3, [Xd, Wn, Wm])
      row(name, "1 00 11011 \(op31) mmmmm \(o0) aaaaa nnnnn ddddd", .dataProc3, [Xd, Wn, Wm, Xa])
    }
    row(
      "smulh", "1 00 11011 010 mmmmm 0 11111 nnnnn ddddd", .dataProc3, [Xd, Xn, .reg(at: 16, .x, sp: false)])
    row(
      "umulh", "1 00 11011 110 mmmmm 0 11111 nnnnn ddddd", .dataProc3, [Xd, Xn, .reg(at: 16, .x, sp: false)])
    return t
  }
}
