/// How one operand of an operator is encoded.
public enum AMLOperandKind: Sendable {
  /// Any expression (TermArg).
  case termArg
  /// A name, local, arg, Debug or a reference-producing expression (SuperName).
  case superName
  /// A SuperName or NullName (0x00) = no target.
  case target
  /// A name, local or arg (SimpleName).
  case simpleName
  case byteData
  case wordData
  case dwordData
}

/// The expression and statement opcodes whose operands are a fixed list (everything except
/// named-object definitions, control flow and data literals).
public enum AMLOperator: UInt16, Sendable, CaseIterable {
  case store = 0x70
  case refOf = 0x71
  case add = 0x72
  case concatenate = 0x73
  case subtract = 0x74
  case increment = 0x75
  case decrement = 0x76
  case multiply = 0x77
  case divide = 0x78
  case shiftLeft = 0x79
  case shiftRight = 0x7A
  case and = 0x7B
  case nand = 0x7C
  case or = 0x7D
  case nor = 0x7E
  case xor = 0x7F
  case not = 0x80
  case findSetLeftBit = 0x81
  case findSetRightBit = 0x82
  case derefOf = 0x83
  case concatenateResTemplate = 0x84
  case mod = 0x85
  case notify = 0x86
  case sizeOf = 0x87
  case index = 0x88
  case match = 0x89
  case objectType = 0x8E
  case lAnd = 0x90
  case lOr = 0x91
  case lNot = 0x92
  case lEqual = 0x93
  case lGreater = 0x94
  case lLess = 0x95
  case toBuffer = 0x96
  case toDecimalString = 0x97
  case toHexString = 0x98
  case toInteger = 0x99
  case toString = 0x9C
  case copyObject = 0x9D
  case mid = 0x9E
  case condRefOf = 0x5B12
  case acquire = 0x5B23
  case signal = 0x5B24
  case wait = 0x5B25
  case reset = 0x5B26
  case release = 0x5B27
  case sleep = 0x5B22
  case stall = 0x5B21
  case fatal = 0x5B32

  public var operands: [AMLOperandKind] {
    switch self {
    case .store: [.termArg, .superName]
    case .copyObject: [.termArg, .simpleName]
    case .refOf, .increment, .decrement, .sizeOf, .objectType, .release, .reset, .signal: [.superName]
    case .derefOf, .lNot, .sleep, .stall: [.termArg]
    case .add, .concatenate, .subtract, .multiply, .shiftLeft, .shiftRight, .and, .nand, .or, .nor, .xor,
      .mod,
      .concatenateResTemplate, .index, .toString:
      [.termArg, .termArg, .target]
    case .divide: [.termArg, .termArg, .target, .target]
    case .not, .findSetLeftBit, .findSetRightBit, .toBuffer, .toDecimalString, .toHexString, .toInteger:
      [.termArg, .target]
    case .mid: [.termArg, .termArg, .termArg, .target]
    case .notify, .wait: [.superName, .termArg]
    case .match: [.termArg, .byteData, .termArg, .byteData, .termArg, .termArg]
    case .lAnd, .lOr, .lEqual, .lGreater, .lLess: [.termArg, .termArg]
    case .condRefOf: [.superName, .target]
    case .acquire: [.superName, .wordData]
    case .fatal: [.byteData, .dwordData, .termArg]
    }
  }

  /// `operands.count` without building the list: the interpreter checks it on every operator it
  /// evaluates (ACPICA's `AcpiGbl_AmlOpInfo` table holds the same count as data).
  public var operandCount: Int {
    switch self {
    case .refOf, .increment, .decrement, .sizeOf, .objectType, .release, .reset, .signal: 1
    case .derefOf, .lNot, .sleep, .stall: 1
    case .store, .copyObject, .notify, .wait, .lAnd, .lOr, .lEqual, .lGreater, .lLess, .condRefOf: 2
    case .acquire: 2
    case .not, .findSetLeftBit, .findSetRightBit, .toBuffer, .toDecimalString, .toHexString, .toInteger: 2
    case .add, .concatenate, .subtract, .multiply, .shiftLeft, .shiftRight, .and, .nand, .or, .nor, .xor,
      .mod, .concatenateResTemplate, .index, .toString, .fatal:
      3
    case .divide, .mid: 4
    case .match: 6
    }
  }

  /// The opcode bytes: one byte, or the 0x5B ExtOp prefix and a second byte.
  public var opcodeBytes: [UInt8] {
    rawValue > 0xFF ? [0x5B, UInt8(rawValue & 0xFF)] : [UInt8(rawValue)]
  }

  /// The ASL keyword (`iasl -d` prints these in the non-ASL+ form).
  public var aslName: String {
    switch self {
    case .store: "Store"
    case .refOf: "RefOf"
    case .add: "Add"
    case .concatenate: "Concatenate"
    case .subtract: "Subtract"
    case .increment: "Increment"
    case .decrement: "Decrement"
    case .multiply: "Multiply"
    case .divide: "Divide"
    case .shiftLeft: "ShiftLeft"
    case .shiftRight: "ShiftRight"
    case .and: "And"
    case .nand: "NAnd"
    case .or: "Or"
    case .nor: "NOr"
    case .xor: "Xor"
    case .not: "Not"
    case .findSetLeftBit: "FindSetLeftBit"
    case .findSetRightBit: "FindSetRightBit"
    case .derefOf: "DerefOf"
    case .concatenateResTemplate: "ConcatenateResTemplate"
    case .mod: "Mod"
    case .notify: "Notify"
    case .sizeOf: "SizeOf"
    case .index: "Index"
    case .match: "Match"
    case .objectType: "ObjectType"
    case .lAnd: "LAnd"
    case .lOr: "LOr"
    case .lNot: "LNot"
    case .lEqual: "LEqual"
    case .lGreater: "LGreater"
    case .lLess: "LLess"
    case .toBuffer: "ToBuffer"
    case .toDecimalString: "ToDecimalString"
    case .toHexString: "ToHexString"
    case .toInteger: "ToInteger"
    case .toString: "ToString"
    case .copyObject: "CopyObject"
    case .mid: "Mid"
    case .condRefOf: "CondRefOf"
    case .acquire: "Acquire"
    case .signal: "Signal"
    case .wait: "Wait"
    case .reset: "Reset"
    case .release: "Release"
    case .sleep: "Sleep"
    case .stall: "Stall"
    case .fatal: "Fatal"
    }
  }

  static let byOpcode: [UInt16: AMLOperator] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
}
