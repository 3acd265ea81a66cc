// Operand syntax: how each operand kind prints (disassembler) and parses (assembler), side by
// side so the two directions cannot disagree.

let conditionNames = [
  "eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv",
]

func registerName(_ n: UInt32, is64: Bool, sp: Bool) -> String {
  if n == 31 { return sp ? (is64 ? "sp" : "wsp") : (is64 ? "xzr" : "wzr") }
  return (is64 ? "x" : "w") + String(n)
}

func hexImmediate(_ v: Int64) -> String {
  v < 0 ? "-0x" + String(UInt64(bitPattern: 0 &- v), radix: 16) : "0x" + String(v, radix: 16)
}

func hexImmediate(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

private let extendNames = ["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"]
private let shiftNames = ["lsl", "lsr", "asr", "ror"]
private let barrierNames: [Int: String] = [
  15: "sy", 14: "st", 13: "ld", 11: "ish", 10: "ishst", 9: "ishld", 7: "nsh", 6: "nshst", 5: "nshld",
  3: "osh", 2: "oshst", 1: "oshld",
]

private func prefetchName(_ v: UInt32) -> String? {
  let type = v >> 3
  let target = (v >> 1) & 3
  guard type < 3 else { return nil }
  return ["pld", "pli", "pst"][Int(type)] + ["l1", "l2", "l3", "slc"][Int(target)]
    + (v & 1 == 1 ? "strm" : "keep")
}

// MARK: - Formatting

extension Operand {
  /// The width of a register operand in `word`.
  func registerIs64(_ width: RegWidth, _ word: UInt32) -> Bool {
    switch width {
    case .sf: return word >> 31 == 1
    case .w: return false
    case .x: return true
    case .extend: return bits(word, 14, 13) == 3 && word >> 31 == 1
    case .index: return bit(word, 13)
    }
  }

  /// Text of this operand in `word` at `address`; nil when it is omitted (a zero shift), plus an
  /// optional end-of-line comment as llvm-objdump prints it.
  func format(_ word: UInt32, address: UInt64) -> (text: String?, comment: String?) {
    let is64 = word >> 31 == 1
    let width = is64 ? 64 : 32
    func base() -> String { registerName(bits(word, 9, 5), is64: true, sp: true) }
    switch self {
    case .reg(let at, let w, let sp):
      return (registerName(bits(word, at + 4, at), is64: registerIs64(w, word), sp: sp), nil)
    case .reg2(let at, _, let w):
      return (registerName(bits(word, at + 4, at), is64: registerIs64(w, word), sp: false), nil)
    case .pair(let at, let w):
      let r = bits(word, at + 4, at)
      let x = w == .x || (w == .sf && is64) || (w != .w && bit(word, 30))
      return (registerName(r, is64: x, sp: false) + ", " + registerName(r + 1, is64: x, sp: false), nil)
    case .imm(let at, let n, let style):
      let v = bits(word, at + n - 1, at)
      switch style {
      case .hex: return ("#" + hexImmediate(UInt64(v)), nil)
      case .dec: return ("#\(v)", nil)
      case .zeroDec: return (v == 0 ? "#0" : "#" + hexImmediate(UInt64(v)), nil)
      }
    case .addSubImm:
      let imm = UInt64(bits(word, 21, 10))
      if bit(word, 22) {
        return ("#" + hexImmediate(imm) + ", lsl #12", "=" + hexImmediate(imm << 12))
      }
      return ("#" + hexImmediate(imm), nil)
    case .bitmask, .invertedBitmask:
      var v =
        logicalImmediate(
          n: bits(word, 22, 22), immr: bits(word, 21, 16), imms: bits(word, 15, 10), width: width) ?? 0
      if case .invertedBitmask = self { v = ~v & ones(width) }
      return ("#" + hexImmediate(v), nil)
    case .moveWide:
      let hw = bits(word, 22, 21)
      let text = "#" + hexImmediate(UInt64(bits(word, 20, 5)))
      return (hw == 0 ? text : text + ", lsl #\(hw * 16)", nil)
    case .movValueZ, .movValueN, .movValueBitmask:
      let value: UInt64
      if case .movValueBitmask = self {
        value =
          logicalImmediate(
            n: bits(word, 22, 22), immr: bits(word, 21, 16), imms: bits(word, 15, 10), width: width) ?? 0
      } else {
        value = moveWideValue(word)
      }
      let signed = signExtend(value, width)
      return ("#" + hexImmediate(signed), "=\(signed)")
    case .shiftLSL:
      return ("#\(width - 1 - Int(bits(word, 15, 10)))", nil)
    case .bfLsbIZ:
      return ("#\(width - Int(bits(word, 21, 16)))", nil)
    case .bfWidthIZ:
      return ("#\(Int(bits(word, 15, 10)) + 1)", nil)
    case .bfLsbX:
      return ("#\(bits(word, 21, 16))", nil)
    case .bfWidthX:
      return ("#\(Int(bits(word, 15, 10)) - Int(bits(word, 21, 16)) + 1)", nil)
    case .shift:
      let type = Int(bits(word, 23, 22))
      let amount = bits(word, 15, 10)
      if type == 0 && amount == 0 { return (nil, nil) }
      return ("\(shiftNames[type]) #\(amount)", nil)
    case .extend:
      let option = Int(bits(word, 15, 13))
      let amount = bits(word, 12, 10)
      let sForm = bit(word, 29)
      let usesSP = (!sForm && bits(word, 4, 0) == 31) || bits(word, 9, 5) == 31
      if usesSP && option == (is64 ? 3 : 2) {
        return (amount == 0 ? nil : "lsl #\(amount)", nil)
      }
      return (amount == 0 ? extendNames[option] : "\(extendNames[option]) #\(amount)", nil)
    case .cond(let at):
      return (conditionNames[Int(bits(word, at + 3, at))], nil)
    case .invCond:
      return (conditionNames[Int(bits(word, 15, 12) ^ 1)], nil)
    case .label(let kind):
      return ("0x" + String(labelTarget(kind, word, address), radix: 16), nil)
    case .tbzBit:
      return ("#" + hexImmediate(UInt64(bits(word, 31, 31) << 5 | bits(word, 23, 19))), nil)
    case .sysReg(let write):
      return (SystemRegister(encoding: UInt16(bits(word, 19, 5))).printedName(forWrite: write), nil)
    case .pstate:
      let op1 = bits(word, 18, 16)
      let op2 = bits(word, 7, 5)
      return (op1 == 0 ? "SPSel" : (op2 == 6 ? "DAIFSet" : "DAIFClr"), nil)
    case .barrier:
      let crm = Int(bits(word, 11, 8))
      return (barrierNames[crm] ?? "#\(crm)", nil)
    case .prfop:
      let v = bits(word, 4, 0)
      return (prefetchName(v) ?? "#" + hexImmediate(UInt64(v)), nil)
    case .memUImm(let scale):
      let off = UInt64(bits(word, 21, 10)) << UInt64(scale)
      return (off == 0 ? "[\(base())]" : "[\(base()), #\(hexImmediate(off))]", nil)
    case .memSImm9:
      let off = signExtend(UInt64(bits(word, 20, 12)), 9)
      return (off == 0 ? "[\(base())]" : "[\(base()), #\(hexImmediate(off))]", nil)
    case .memPre9:
      return ("[\(base()), #\(hexImmediate(signExtend(UInt64(bits(word, 20, 12)), 9)))]!", nil)
    case .memPost9:
      return ("[\(base())], #\(hexImmediate(signExtend(UInt64(bits(word, 20, 12)), 9)))", nil)
    case .memPair(let scale):
      let off = signExtend(UInt64(bits(word, 21, 15)), 7) << Int64(scale)
      return (off == 0 ? "[\(base())]" : "[\(base()), #\(hexImmediate(off))]", nil)
    case .memPairPre(let scale):
      return (
        "[\(base()), #\(hexImmediate(signExtend(UInt64(bits(word, 21, 15)), 7) << Int64(scale)))]!", nil
      )
    case .memPairPost(let scale):
      return ("[\(base())], #\(hexImmediate(signExtend(UInt64(bits(word, 21, 15)), 7) << Int64(scale)))", nil)
    case .memReg(let scale):
      let option = Int(bits(word, 15, 13))
      let s = bit(word, 12)
      let index = registerName(bits(word, 20, 16), is64: option & 1 == 1, sp: false)
      let ext = option == 3 ? "lsl" : extendNames[option]
      if s { return ("[\(base()), \(index), \(ext) #\(scale)]", nil) }
      return (option == 3 ? "[\(base()), \(index)]" : "[\(base()), \(index), \(ext)]", nil)
    case .memBase:
      return ("[\(base())]", nil)
    case .rprfop:
      let v = bits(word, 15, 15) << 5 | bits(word, 13, 13) << 4 | bits(word, 12, 12) << 3 | bits(word, 2, 0)
      let names: [UInt32: String] = [0: "pldkeep", 1: "pstkeep", 4: "pldstrm", 5: "pststrm"]
      return (
        (names[v] ?? "#" + hexImmediate(UInt64(v))) + ", "
          + registerName(bits(word, 20, 16), is64: true, sp: false) + ", [\(base())]", nil
      )
    case .literal:
      return ("0x" + String(labelTarget(.imm19, word, address), radix: 16), nil)
    }
  }
}

/// The target address of a PC-relative field.
func labelTarget(_ kind: LabelKind, _ word: UInt32, _ address: UInt64) -> UInt64 {
  switch kind {
  case .imm26: return address &+ UInt64(bitPattern: signExtend(UInt64(bits(word, 25, 0)), 26) << 2)
  case .imm19: return address &+ UInt64(bitPattern: signExtend(UInt64(bits(word, 23, 5)), 19) << 2)
  case .imm14: return address &+ UInt64(bitPattern: signExtend(UInt64(bits(word, 18, 5)), 14) << 2)
  case .adr:
    let imm = UInt64(bits(word, 23, 5)) << 2 | UInt64(bits(word, 30, 29))
    return address &+ UInt64(bitPattern: signExtend(imm, 21))
  case .adrp:
    let imm = UInt64(bits(word, 23, 5)) << 2 | UInt64(bits(word, 30, 29))
    return (address & ~0xFFF) &+ UInt64(bitPattern: signExtend(imm, 21) << 12)
  }
}

// MARK: - Encoding (assembler side)

/// One operand token of an assembly line with its column (1-based) for error messages.
struct OperandToken {
  var text: String
  var column: Int
}

/// An assembly error at a column of the current line.
struct OperandError: Error {
  var message: String
  var column: Int
}

/// Mutable state while encoding one line against one candidate row.
struct EncodeState {
  var word: UInt32
  var address: UInt64
  var sf: Bool? = nil
  var index = 0
  var tokens: [OperandToken]
  var evaluate: (String, Int) throws(OperandError) -> Int64
  var lsb: Int = 0
  var rmIs64 = false
  /// Column just past the end of the statement (where a missing operand is reported).
  var endColumn = 1

  var is64: Bool { sf ?? (word >> 31 == 1) }
  var width: Int { is64 ? 64 : 32 }

  mutating func next(_ what: String) throws(OperandError) -> OperandToken {
    guard index < tokens.count else {
      throw OperandError(
        message: "missing operand: expected \(what)",
        column: tokens.last.map { $0.column + $0.text.count } ?? endColumn)
    }
    defer { index += 1 }
    return tokens[index]
  }

  mutating func set(_ value: UInt32, at: Int, bits n: Int) {
    let mask: UInt32 = ((1 << UInt32(n)) - 1) << UInt32(at)
    word = (word & ~mask) | ((value << UInt32(at)) & mask)
  }

  /// Parses `#expr` or `expr`.
  func immediate(_ t: OperandToken) throws(OperandError) -> Int64 {
    var s = Substring(t.text)
    var col = t.column
    if s.hasPrefix("#") {
      s = s.dropFirst()
      col += 1
    }
    return try evaluate(String(s), col)
  }

  mutating func setSF(_ is64: Bool, _ t: OperandToken) throws(OperandError) {
    if let sf, sf != is64 {
      throw OperandError(
        message: "register width mismatch: expected a \(sf ? "64-bit x" : "32-bit w") register",
        column: t.column)
    }
    sf = is64
    set(is64 ? 1 : 0, at: 31, bits: 1)
  }
}

/// Parses a general register name: returns (number, is64, isSP, isZR).
func parseRegister(_ text: String) -> (n: UInt32, is64: Bool, isSP: Bool, isZR: Bool)? {
  let s = text.lowercased()
  switch s {
  case "sp": return (31, true, true, false)
  case "wsp": return (31, false, true, false)
  case "xzr": return (31, true, false, true)
  case "wzr": return (31, false, false, true)
  case "lr": return (30, true, false, false)
  case "fp": return (29, true, false, false)
  default: break
  }
  guard s.count >= 2, let first = s.first, first == "x" || first == "w", let n = UInt32(s.dropFirst()),
    n <= 30,
    String(n) == String(s.dropFirst())
  else { return nil }
  return (n, first == "x", false, false)
}

func parseCondition(_ text: String) -> UInt32? {
  let s = text.lowercased()
  if s == "cs" { return 2 }
  if s == "cc" { return 3 }
  return conditionNames.firstIndex(of: s).map { UInt32($0) }
}

/// Splits `[base, a, b]!` into its parts; returns nil if not a bracketed operand.
private func bracketParts(_ t: OperandToken) -> (parts: [OperandToken], writeback: Bool)? {
  var s = t.text
  var writeback = false
  if s.hasSuffix("!") {
    writeback = true
    s.removeLast()
    while s.last == " " { s.removeLast() }
  }
  guard s.hasPrefix("["), s.hasSuffix("]") else { return nil }
  let inner = s.dropFirst().dropLast()
  var parts: [OperandToken] = []
  var col = t.column + 1
  for piece in inner.split(separator: ",", omittingEmptySubsequences: false) {
    let leading = piece.prefix(while: { $0 == " " }).count
    parts.append(OperandToken(text: piece.trimmingSpaces(), column: col + leading))
    col += piece.count + 1
  }
  return (parts, writeback)
}

extension Substring {
  func trimmingSpaces() -> String {
    var s = self
    while s.first == " " || s.first == "\t" { s.removeFirst() }
    while s.last == " " || s.last == "\t" { s.removeLast() }
    return String(s)
  }
}

extension String {
  func trimmingSpaces() -> String { Substring(self).trimmingSpaces() }
}

extension Operand {
  /// True for operand kinds that may be absent at the end of the operand list.
  var isOptional: Bool {
    switch self {
    case .shift: return true
    default: return false
    }
  }

  func encode(_ st: inout EncodeState) throws(OperandError) {
    switch self {
    case .reg(let at, let w, let sp):
      let t = try st.next("a register")
      guard let r = parseRegister(t.text) else {
        throw OperandError(message: "expected a register, found '\(t.text)'", column: t.column)
      }
      if r.isSP && !sp {
        throw OperandError(
          message: "'\(t.text)' is not allowed here (register 31 is the zero register in this operand)",
          column: t.column)
      }
      if r.isZR && sp {
        throw OperandError(
          message: "'\(t.text)' is not allowed here (register 31 is SP in this operand)", column: t.column)
      }
      switch w {
      case .sf: try st.setSF(r.is64, t)
      case .w: if r.is64 { throw OperandError(message: "expected a 32-bit w register", column: t.column) }
      case .x: if !r.is64 { throw OperandError(message: "expected a 64-bit x register", column: t.column) }
      case .extend, .index: st.rmIs64 = r.is64
      }
      st.set(r.n, at: at, bits: 5)
    case .reg2(let at, let and, _):
      let t = try st.next("a register")
      guard let r = parseRegister(t.text), !r.isSP else {
        throw OperandError(message: "expected a register, found '\(t.text)'", column: t.column)
      }
      try st.setSF(r.is64, t)
      st.set(r.n, at: at, bits: 5)
      st.set(r.n, at: and, bits: 5)
    case .pair(let at, let w):
      let t1 = try st.next("a register pair")
      let t2 = try st.next("the second register of the pair")
      guard let r1 = parseRegister(t1.text), let r2 = parseRegister(t2.text), !r1.isSP, !r2.isSP else {
        throw OperandError(message: "expected a register pair", column: t1.column)
      }
      if r1.n % 2 != 0 || r2.n != r1.n + 1 && !(r1.isZR && r2.isZR) {
        throw OperandError(message: "expected an even/odd register pair such as x0, x1", column: t1.column)
      }
      if (w == .x) != r1.is64 || r1.is64 != r2.is64 {
        throw OperandError(message: "register pair has the wrong width", column: t1.column)
      }
      st.set(r1.n, at: at, bits: 5)
    case .imm(let at, let n, _):
      let t = try st.next("an immediate")
      let v = try st.immediate(t)
      guard v >= 0, v < (1 << Int64(n)) else {
        throw OperandError(message: "immediate \(v) out of range 0...\((1 << n) - 1)", column: t.column)
      }
      st.set(UInt32(v), at: at, bits: n)
    case .addSubImm:
      let t = try st.next("an immediate")
      var v = try st.immediate(t)
      var shift: Int64? = nil
      if st.index < st.tokens.count {
        let s = st.tokens[st.index]
        let lower = s.text.lowercased()
        if lower.hasPrefix("lsl") {
          st.index += 1
          shift = try st.immediate(
            OperandToken(text: String(s.text.dropFirst(3)).trimmingSpaces(), column: s.column + 4))
          guard shift == 0 || shift == 12 else {
            throw OperandError(message: "shift must be lsl #0 or lsl #12", column: s.column)
          }
        }
      }
      if v < 0 && shift == nil {
        // ADD #-n is SUB #n (and CMP #-n is CMN #n), as GNU as and LLVM accept.
        v = -v
        st.word ^= 1 << 30
      }
      if shift == nil {
        if v <= 0xFFF {
          shift = 0
        } else if v & 0xFFF == 0 && (v >> 12) <= 0xFFF {
          shift = 12
          v >>= 12
        } else {
          throw OperandError(
            message: "immediate \(v) does not fit in 12 bits (optionally shifted by 12)", column: t.column)
        }
      }
      guard v >= 0, v <= 0xFFF else {
        throw OperandError(message: "immediate \(v) out of range 0...4095", column: t.column)
      }
      st.set(UInt32(v), at: 10, bits: 12)
      st.set(shift == 12 ? 1 : 0, at: 22, bits: 1)
    case .bitmask, .movValueBitmask, .invertedBitmask:
      let t = try st.next("an immediate")
      let v = UInt64(bitPattern: try st.immediate(t))
      let width = st.width
      if width == 32 && (v >> 32) != 0 && (v >> 32) != 0xFFFF_FFFF {
        throw OperandError(message: "immediate does not fit in 32 bits", column: t.column)
      }
      var mask = v & ones(width)
      if case .invertedBitmask = self { mask = ~v & ones(width) }
      guard let e = encodeLogicalImmediate(mask, width: width) else {
        let what = mask == v & ones(width) ? "" : " (the inverse of \(hexImmediate(v & ones(width))))"
        throw OperandError(
          message: "immediate \(hexImmediate(mask))\(what) is not a valid bitmask immediate",
          column: t.column)
      }
      st.set(e.n, at: 22, bits: 1)
      st.set(e.immr, at: 16, bits: 6)
      st.set(e.imms, at: 10, bits: 6)
    case .moveWide:
      let t = try st.next("an immediate")
      var v = try st.immediate(t)
      var hw: Int64 = 0
      if st.index < st.tokens.count, st.tokens[st.index].text.lowercased().hasPrefix("lsl") {
        let s = st.tokens[st.index]
        st.index += 1
        let amount = try st.immediate(
          OperandToken(text: String(s.text.dropFirst(3)).trimmingSpaces(), column: s.column + 4))
        guard amount % 16 == 0, amount >= 0, amount < Int64(st.width) else {
          throw OperandError(
            message: "shift must be lsl #0, #16\(st.width == 64 ? ", #32 or #48" : "")", column: s.column)
        }
        hw = amount / 16
      } else if v > 0xFFFF {
        while v > 0xFFFF && v & 0xFFFF == 0 && hw < Int64(st.width / 16) - 1 {
          v >>= 16
          hw += 1
        }
      }
      guard v >= 0, v <= 0xFFFF else {
        throw OperandError(message: "immediate \(v) does not fit in 16 bits", column: t.column)
      }
      st.set(UInt32(v), at: 5, bits: 16)
      st.set(UInt32(hw), at: 21, bits: 2)
    case .movValueZ, .movValueN:
      let t = try st.next("an immediate")
      let raw = UInt64(bitPattern: try st.immediate(t))
      let width = st.width
      if width == 32 && (raw >> 32) != 0 && (raw >> 32) != 0xFFFF_FFFF {
        throw OperandError(message: "immediate does not fit in 32 bits", column: t.column)
      }
      var v = raw & ones(width)
      if case .movValueN = self { v = ~v & ones(width) }
      var hw = 0
      while hw < width / 16 && v & ~(UInt64(0xFFFF) << UInt64(hw * 16)) != 0 { hw += 1 }
      guard hw < width / 16 else {
        throw OperandError(message: "immediate cannot be moved with one MOVZ/MOVN", column: t.column)
      }
      st.set(UInt32((v >> UInt64(hw * 16)) & 0xFFFF), at: 5, bits: 16)
      st.set(UInt32(hw), at: 21, bits: 2)
    case .shiftLSL:
      let t = try st.next("a shift amount")
      let k = try st.immediate(t)
      let width = Int64(st.width)
      guard k >= 0, k < width else {
        throw OperandError(message: "shift amount must be 0...\(width - 1)", column: t.column)
      }
      st.set(UInt32((width - k) % width), at: 16, bits: 6)
      st.set(UInt32(width - 1 - k), at: 10, bits: 6)
      st.set(st.is64 ? 1 : 0, at: 22, bits: 1)
    case .bfLsbIZ, .bfLsbX:
      let t = try st.next("an lsb")
      let lsb = try st.immediate(t)
      guard lsb >= 0, lsb < Int64(st.width) else {
        throw OperandError(message: "lsb must be 0...\(st.width - 1)", column: t.column)
      }
      st.lsb = Int(lsb)
      if case .bfLsbIZ = self {
        st.set(UInt32((st.width - Int(lsb)) % st.width), at: 16, bits: 6)
      } else {
        st.set(UInt32(lsb), at: 16, bits: 6)
      }
      st.set(st.is64 ? 1 : 0, at: 22, bits: 1)
    case .bfWidthIZ, .bfWidthX:
      let t = try st.next("a width")
      let w = try st.immediate(t)
      guard w >= 1, Int(w) + st.lsb <= st.width else {
        throw OperandError(message: "width must be 1...\(st.width - st.lsb)", column: t.column)
      }
      if case .bfWidthIZ = self {
        st.set(UInt32(w - 1), at: 10, bits: 6)
      } else {
        st.set(UInt32(st.lsb + Int(w) - 1), at: 10, bits: 6)
      }
    case .shift(let ror):
      guard st.index < st.tokens.count else { return }
      let t = try st.next("a shift")
      let parts = t.text.split(separator: " ", maxSplits: 1)
      guard let name = parts.first?.lowercased(), let type = shiftNames.firstIndex(of: name), ror || type != 3
      else {
        throw OperandError(
          message: "expected a shift (lsl, lsr, asr\(ror ? ", ror" : "")), found '\(t.text)'",
          column: t.column)
      }
      guard parts.count == 2 else { throw OperandError(message: "missing shift amount", column: t.column) }
      let amount = try st.immediate(
        OperandToken(text: parts[1].trimmingSpaces(), column: t.column + name.count + 1))
      guard amount >= 0, amount < Int64(st.width) else {
        throw OperandError(message: "shift amount must be 0...\(st.width - 1)", column: t.column)
      }
      st.set(UInt32(type), at: 22, bits: 2)
      st.set(UInt32(amount), at: 10, bits: 6)
    case .extend:
      var option: Int
      var amount: Int64 = 0
      if st.index < st.tokens.count {
        let t = try st.next("an extend")
        let parts = t.text.split(separator: " ", maxSplits: 1)
        let name = parts.first.map { $0.lowercased() } ?? ""
        if name == "lsl" {
          option = st.is64 ? 3 : 2
        } else if let i = extendNames.firstIndex(of: name) {
          option = i
        } else {
          throw OperandError(
            message: "expected an extend (uxtb...sxtx or lsl), found '\(t.text)'", column: t.column)
        }
        if parts.count == 2 {
          amount = try st.immediate(
            OperandToken(text: parts[1].trimmingSpaces(), column: t.column + name.count + 1))
        }
        guard amount >= 0, amount <= 4 else {
          throw OperandError(message: "extend shift must be 0...4", column: t.column)
        }
        if (option & 3 == 3 && st.is64) != st.rmIs64 {
          throw OperandError(
            message: "the index register width does not match \(extendNames[option])", column: t.column)
        }
      } else {
        guard st.rmIs64 == st.is64 else {
          throw OperandError(
            message: "a 32-bit index register needs an extend (uxtw or sxtw)",
            column: st.tokens.last?.column ?? 0)
        }
        option = st.is64 ? 3 : 2
      }
      st.set(UInt32(option), at: 13, bits: 3)
      st.set(UInt32(amount), at: 10, bits: 3)
    case .cond(let at):
      let t = try st.next("a condition")
      guard let c = parseCondition(t.text) else {
        throw OperandError(message: "expected a condition code, found '\(t.text)'", column: t.column)
      }
      st.set(c, at: at, bits: 4)
    case .invCond:
      let t = try st.next("a condition")
      guard let c = parseCondition(t.text) else {
        throw OperandError(message: "expected a condition code, found '\(t.text)'", column: t.column)
      }
      guard c < 14 else {
        throw OperandError(message: "condition codes al and nv are not allowed here", column: t.column)
      }
      st.set(c ^ 1, at: 12, bits: 4)
    case .label(let kind):
      let t = try st.next("a label")
      let target = UInt64(bitPattern: try st.immediate(t))
      try encodeLabel(kind, target: target, &st, t)
    case .tbzBit:
      let t = try st.next("a bit number")
      let b = try st.immediate(t)
      guard b >= 0, b < 64 else { throw OperandError(message: "bit number must be 0...63", column: t.column) }
      if st.sf == false && b >= 32 {
        throw OperandError(message: "bit number must be 0...31 for a w register", column: t.column)
      }
      st.set(UInt32(b >> 5), at: 31, bits: 1)
      st.set(UInt32(b & 31), at: 19, bits: 5)
    case .sysReg:
      let t = try st.next("a system register")
      guard let r = SystemRegister(name: t.text) else {
        throw OperandError(message: "unknown system register '\(t.text)'", column: t.column)
      }
      st.set(UInt32(r.encoding), at: 5, bits: 15)
    case .pstate:
      let t = try st.next("a PSTATE field")
      switch t.text.lowercased() {
      case "daifset":
        st.set(3, at: 16, bits: 3)
        st.set(6, at: 5, bits: 3)
      case "daifclr":
        st.set(3, at: 16, bits: 3)
        st.set(7, at: 5, bits: 3)
      case "spsel":
        st.set(0, at: 16, bits: 3)
        st.set(5, at: 5, bits: 3)
      default:
        throw OperandError(message: "expected DAIFSet, DAIFClr or SPSel, found '\(t.text)'", column: t.column)
      }
    case .barrier:
      let t = try st.next("a barrier option")
      if let (k, _) = barrierNames.first(where: { $0.value == t.text.lowercased() }) {
        st.set(UInt32(k), at: 8, bits: 4)
      } else {
        let v = try st.immediate(t)
        guard v >= 0, v < 16 else {
          throw OperandError(message: "barrier option must be 0...15", column: t.column)
        }
        st.set(UInt32(v), at: 8, bits: 4)
      }
    case .prfop:
      let t = try st.next("a prefetch operation")
      if let v = (0..<32).first(where: { prefetchName(UInt32($0)) == t.text.lowercased() }) {
        st.set(UInt32(v), at: 0, bits: 5)
      } else {
        let v = try st.immediate(t)
        guard v >= 0, v < 32 else {
          throw OperandError(message: "prefetch operation must be 0...31", column: t.column)
        }
        st.set(UInt32(v), at: 0, bits: 5)
      }
    case .memUImm(let scale):
      let (b, off, _) = try memoryOperand(&st, allowWriteback: false)
      guard off >= 0, off % (1 << Int64(scale)) == 0, off >> Int64(scale) <= 0xFFF else {
        throw OperandError(
          message: "offset \(off) must be a multiple of \(1 << scale) in 0...\(0xFFF << scale)",
          column: b.column)
      }
      st.set(UInt32(off >> Int64(scale)), at: 10, bits: 12)
    case .memSImm9, .memBase:
      let (b, off, _) = try memoryOperand(&st, allowWriteback: false)
      if case .memBase = self {
        guard off == 0 else {
          throw OperandError(message: "only [Xn] or [Xn, #0] is allowed here", column: b.column)
        }
      } else {
        guard off >= -256, off <= 255 else {
          throw OperandError(message: "offset \(off) out of range -256...255", column: b.column)
        }
        st.set(UInt32(truncatingIfNeeded: off), at: 12, bits: 9)
      }
    case .memPre9:
      let (b, off, wb) = try memoryOperand(&st, allowWriteback: true)
      guard wb else { throw OperandError(message: "pre-index form needs '!'", column: b.column) }
      guard off >= -256, off <= 255 else {
        throw OperandError(message: "offset \(off) out of range -256...255", column: b.column)
      }
      st.set(UInt32(truncatingIfNeeded: off), at: 12, bits: 9)
    case .memPost9:
      let (b, off, _) = try memoryOperand(&st, allowWriteback: false)
      guard off == 0 else { throw OperandError(message: "post-index form is [Xn], #imm", column: b.column) }
      let t = try st.next("a post-index offset")
      let v = try st.immediate(t)
      guard v >= -256, v <= 255 else {
        throw OperandError(message: "offset \(v) out of range -256...255", column: t.column)
      }
      st.set(UInt32(truncatingIfNeeded: v), at: 12, bits: 9)
    case .memPair(let scale), .memPairPre(let scale), .memPairPost(let scale):
      let (b, off, wb) = try memoryOperand(&st, allowWriteback: true)
      var value = off
      switch self {
      case .memPairPre:
        guard wb else { throw OperandError(message: "pre-index form needs '!'", column: b.column) }
      case .memPairPost:
        guard off == 0, !wb else {
          throw OperandError(message: "post-index form is [Xn], #imm", column: b.column)
        }
        let t = try st.next("a post-index offset")
        value = try st.immediate(t)
      default:
        guard !wb else { throw OperandError(message: "unexpected '!'", column: b.column) }
      }
      let unit = Int64(1) << Int64(scale)
      guard value % unit == 0, value / unit >= -64, value / unit <= 63 else {
        throw OperandError(
          message: "offset \(value) must be a multiple of \(unit) in \(-64 * unit)...\(63 * unit)",
          column: b.column)
      }
      st.set(UInt32(truncatingIfNeeded: value / unit), at: 15, bits: 7)
    case .memReg(let scale):
      let t = try st.next("a memory operand")
      guard let (parts, wb) = bracketParts(t), !wb, parts.count == 2 || parts.count == 3 else {
        throw OperandError(message: "expected [Xn, Xm{, extend #amount}]", column: t.column)
      }
      try encodeBase(parts[0], &st)
      guard let index = parseRegister(parts[1].text), !index.isSP else {
        throw OperandError(message: "expected an index register", column: parts[1].column)
      }
      st.set(index.n, at: 16, bits: 5)
      var option = 3
      var s: UInt32 = 0
      if parts.count == 3 {
        let words = parts[2].text.split(separator: " ", maxSplits: 1)
        let name = words.first.map { $0.lowercased() } ?? ""
        switch name {
        case "lsl": option = 3
        case "uxtw": option = 2
        case "sxtw": option = 6
        case "sxtx": option = 7
        default: throw OperandError(message: "expected lsl, uxtw, sxtw or sxtx", column: parts[2].column)
        }
        if words.count == 2 {
          let amount = try st.immediate(
            OperandToken(text: words[1].trimmingSpaces(), column: parts[2].column + name.count + 1))
          guard amount == 0 || amount == Int64(scale) else {
            throw OperandError(message: "shift amount must be #0 or #\(scale)", column: parts[2].column)
          }
          s = (scale == 0 || amount != 0) ? 1 : 0
        } else if name == "lsl" {
          throw OperandError(message: "missing shift amount", column: parts[2].column)
        }
      }
      guard (option & 1 == 1) == index.is64 else {
        throw OperandError(message: "index register width does not match the extend", column: parts[1].column)
      }
      st.set(UInt32(option), at: 13, bits: 3)
      st.set(s, at: 12, bits: 1)
    case .literal:
      let t = try st.next("a label")
      let target = UInt64(bitPattern: try st.immediate(t))
      try encodeLabel(.imm19, target: target, &st, t)
    case .rprfop:
      throw OperandError(
        message: "RPRFM is not supported by the assembler", column: st.tokens.first?.column ?? 0)
    }
  }

  private func encodeBase(_ t: OperandToken, _ st: inout EncodeState) throws(OperandError) {
    guard let r = parseRegister(t.text), r.is64, !r.isZR else {
      throw OperandError(message: "expected a 64-bit base register (x0...x30 or sp)", column: t.column)
    }
    st.set(r.n, at: 5, bits: 5)
  }

  /// Parses `[Xn]`, `[Xn, #imm]` or `[Xn, #imm]!`, returning the offset.
  private func memoryOperand(_ st: inout EncodeState, allowWriteback: Bool) throws(OperandError) -> (
    OperandToken, Int64, Bool
  ) {
    let t = try st.next("a memory operand")
    guard let (parts, wb) = bracketParts(t), parts.count == 1 || parts.count == 2 else {
      throw OperandError(message: "expected a memory operand [Xn{, #imm}]", column: t.column)
    }
    if wb && !allowWriteback { throw OperandError(message: "unexpected '!'", column: t.column) }
    try encodeBase(parts[0], &st)
    var off: Int64 = 0
    if parts.count == 2 {
      if parseRegister(parts[1].text) != nil {
        throw OperandError(message: "register offset is not allowed in this form", column: parts[1].column)
      }
      off = try st.immediate(parts[1])
    }
    return (t, off, wb)
  }

  private func encodeLabel(_ kind: LabelKind, target: UInt64, _ st: inout EncodeState, _ t: OperandToken)
    throws(OperandError)
  {
    let delta = Int64(bitPattern: target &- st.address)
    switch kind {
    case .adr:
      guard delta >= -(1 << 20), delta < (1 << 20) else {
        throw OperandError(message: "target out of range for adr (±1 MiB)", column: t.column)
      }
      st.set(UInt32(truncatingIfNeeded: delta) & 3, at: 29, bits: 2)
      st.set(UInt32(truncatingIfNeeded: delta >> 2), at: 5, bits: 19)
    case .adrp:
      let pages = Int64(bitPattern: (target & ~0xFFF) &- (st.address & ~0xFFF)) >> 12
      guard pages >= -(1 << 20), pages < (1 << 20) else {
        throw OperandError(message: "target out of range for adrp (±4 GiB)", column: t.column)
      }
      st.set(UInt32(truncatingIfNeeded: pages) & 3, at: 29, bits: 2)
      st.set(UInt32(truncatingIfNeeded: pages >> 2), at: 5, bits: 19)
    case .imm26, .imm19, .imm14:
      guard delta & 3 == 0 else {
        throw OperandError(message: "branch target is not 4-byte aligned", column: t.column)
      }
      let n = kind == .imm26 ? 26 : (kind == .imm19 ? 19 : 14)
      let q = delta >> 2
      guard q >= -(1 << Int64(n - 1)), q < (1 << Int64(n - 1)) else {
        throw OperandError(message: "branch target out of range (±\(1 << (n + 1)) bytes)", column: t.column)
      }
      st.set(UInt32(truncatingIfNeeded: q), at: kind == .imm26 ? 0 : 5, bits: n)
    }
  }
}
