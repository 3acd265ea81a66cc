// Translator: a guest basic block (up to 64 instructions, never crossing a 4 KiB page) into
// pre-decoded micro-ops with register slots resolved, immediates and bitmasks computed, ADR/ADRP
// and literal addresses folded, and SUBS/CMP + B.cond fused into one compare-and-branch.

/// Register-file slots: 0...30 = X0...X30, 31 = reads as zero, 32 = discarded writes, 33 = SP.
enum Slot {
  static let zero: UInt8 = 31
  static let sink: UInt8 = 32
  static let sp: UInt8 = 33
  static let count = 34
}

/// Micro-op kinds. The interpreter's `switch` over these compiles to a jump table.
enum Kind: UInt8 {
  // Block ends and control flow (carry chaining links in `imm2`)
  case fallThrough  // continue at imm
  case linkSlot  // data for the not-taken path of the preceding conditional op; block headers
  case b, bl
  case bCond, cbz, cbnz, cbz32, cbnz32, tbz, tbnz
  case subsImmBNE  // SUBS/CMP #imm + B.NE, or B.EQ with the link slots swapped
  case subsImmBCond, subsRegBCond, subsImm32BCond, subsReg32BCond
  case addImmCbz, addImmCbnz  // fused ADD/SUB #imm + CBZ/CBNZ on the result
  case br, blr
  case header  // first arena entry of a block: imm = guest PC, imm2 = instruction count; never run
  case slow  // a system instruction executed by the slow path (imm = word)
  case undefined  // raise an Undefined Instruction exception
  // Data processing
  case movImm, movk
  case addImm, addImm32, addsImm, subsImm, addsImm32, subsImm32
  case add, sub, and, orr, eor, bic, orn, eon, adds, subs, ands, bics
  case addLsl, subLsl, andLsl, orrLsl, eorLsl, bicLsl, ornLsl, eonLsl, addsLsl, subsLsl, andsLsl, bicsLsl
  case addLsr, subLsr, andLsr, orrLsr, eorLsr, addAsr, subAsr
  case aluShifted  // generic shifted-register ALU (any width/shift)
  case addSubExt
  case andImm, orrImm, eorImm, andsImm, logicImm32
  case lslImm, lsrImm, asrImm, bitfield, extr
  case adcSbc, condCompare, condSelect, dataProc2, dataProc1, mulAdd
  // Loads and stores, base + immediate, base not SP
  case ldr64, ldr32, ldr16, ldr8, ldrsw, ldrsh64, ldrsh32, ldrsb64, ldrsb32
  case str64, str32, str16, str8
  case loadStore  // generic single register: any addressing mode, SP base
  case loadStorePair
}

/// One pre-decoded instruction (32 bytes).
///
/// Ops that can end a block (and the link slots after conditional ones) hold a chaining link:
/// `imm` is the guest target, `imm2` the address of the target block's first op and `linkLength`
/// that block's instruction count, or `MicroOp.unlinked` while there is no link. The interpreter
/// follows a link when the budget left covers the whole target block, one compare for both.
struct MicroOp {
  var kind: Kind
  var rd: UInt8 = 0
  var rn: UInt8 = 0
  var rm: UInt8 = 0
  var ra: UInt8 = 0
  var aux: UInt8 = 0
  var aux2: UInt8 = 0
  /// Index of the guest instruction within its block.
  var index: UInt8 = 0
  var imm: UInt64 = 0
  var imm2: UInt64 = 0
  /// Length of the linked block (link ops only); `unlinked` when there is no link.
  var linkLength: Int32 = MicroOp.unlinked
  /// Distance from the block's header op (set when the block enters the arena): the header
  /// holds the block's guest PC and length, which only the slow paths need.
  var fromHeader: UInt16 = 0
  /// The link goes back to the first instruction of its own block (link ops only): the
  /// interpreter then continues at the block it is running without reading `imm2`.
  var selfLink = false
  var spare: UInt8 = 0

  /// Larger than any budget the interpreter runs with (`Interpreter.maxRun`).
  static let unlinked = Int32.max

  init(_ kind: Kind) { self.kind = kind }

  /// Ops whose `imm` is the guest target of their link (the fused compare-and-branch ops keep
  /// their targets in the link slots after them).
  var immIsTarget: Bool {
    switch kind {
    case .fallThrough, .linkSlot, .b, .bl, .bCond, .cbz, .cbnz, .cbz32, .cbnz32, .tbz, .tbnz: return true
    default: return false
    }
  }

  /// Ops whose `imm2` is a chaining link.
  var hasLink: Bool {
    switch kind {
    case .fallThrough, .linkSlot, .b, .bl, .bCond, .cbz, .cbnz, .cbz32, .cbnz32, .tbz, .tbnz,
      .subsImmBNE, .subsImmBCond, .subsRegBCond, .subsImm32BCond, .subsReg32BCond, .addImmCbz, .addImmCbnz:
      return true
    default: return false
    }
  }
}

/// Memory-access kind for the generic load/store ops: size log2 in bits 0-1, then flags.
enum MemKind {
  static let load: UInt8 = 4
  static let signed: UInt8 = 8  // sign-extend
  static let to32: UInt8 = 16  // sign-extend into W (zero above bit 31)
  static let prefetch: UInt8 = 32
}

/// Addressing modes for the generic load/store ops.
enum AddrMode: UInt8 {
  case offset = 0  // base + imm
  case preIndex = 1
  case postIndex = 2
  case register = 3  // base + extend(Rm) << shift  (ra = option, aux2 high bits = shift)
  case literal = 4  // absolute imm
}

/// Maps an architectural register number to a slot.
@inline(__always) func readSlot(_ n: UInt32, sp: Bool = false) -> UInt8 {
  n == 31 ? (sp ? Slot.sp : Slot.zero) : UInt8(n)
}

@inline(__always) func writeSlot(_ n: UInt32, sp: Bool = false) -> UInt8 {
  n == 31 ? (sp ? Slot.sp : Slot.sink) : UInt8(n)
}

/// Builds the micro-ops of one block.
struct Translator {
  var ops: [MicroOp] = []
  /// Address of the instruction being translated.
  var pc: UInt64 = 0
  var index: UInt8 = 0
  /// Set when the instruction just translated ends the block.
  var ended = false

  static let maxBlockLength = 64

  mutating func emit(_ op: MicroOp) {
    var o = op
    o.index = index
    ops.append(o)
  }

  /// Translates one decoded instruction at `pc`.
  mutating func translate(_ d: DecodedInstruction) {
    guard let op = d.operation else {
      emit(MicroOp(.undefined))
      ended = true
      return
    }
    let w = d.word
    switch op {
    case .adr, .adrp, .addSubImm, .logicalImm, .moveWide, .bitfield, .extr, .logicalShifted, .addSubShifted,
      .addSubExtended, .adcSbc, .condCompare, .condSelect, .dataProc2, .dataProc1, .dataProc3:
      translateDataProcessing(op, w)
    case .b, .bl, .bCond, .cbz, .cbnz, .tbz, .tbnz, .br, .blr, .ret:
      translateBranch(op, w)
    case .ldstUImm, .ldstUnscaled, .ldstPost, .ldstPre, .ldstUnpriv, .ldstReg, .ldrLiteral, .ldstPair:
      translateLoadStore(op, w)
    case .udf:
      emit(MicroOp(.undefined))
      ended = true
    default:
      // System instructions, exclusives, atomics and exception generation run on the slow path
      // and end the block.
      var m = MicroOp(.slow)
      m.imm = UInt64(w)
      emit(m)
      ended = true
    }
  }

  /// Marks the links that go back to the block's first instruction at `start`.
  mutating func markSelfLinks(start: UInt64) {
    for i in ops.indices where ops[i].immIsTarget && ops[i].imm == start {
      ops[i].selfLink = true
    }
  }

  /// Appends a fall-through terminator continuing at `next`.
  mutating func finish(next: UInt64) {
    var m = MicroOp(.fallThrough)
    m.imm = next
    m.index = index
    ops.append(m)
  }
}
