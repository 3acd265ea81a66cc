// The exception model at EL1: classes and syndromes (ESR_EL1), vector offsets from VBAR_EL1,
// and what the PE saves on entry and restores on ERET.

/// ESR_ELx.EC values used by this model (names as in Linux `asm/esr.h`).
public enum ExceptionClass: UInt8, Sendable, CaseIterable, CustomStringConvertible {
  case unknown = 0x00  // ESR_ELx_EC_UNKNOWN: Undefined instruction, HVC/SMC without EL2/EL3
  case wfx = 0x01  // ESR_ELx_EC_WFx
  case illegalExecutionState = 0x0E  // ESR_ELx_EC_ILL
  case svc64 = 0x15  // ESR_ELx_EC_SVC64
  case hvc64 = 0x16  // ESR_ELx_EC_HVC64
  case smc64 = 0x17  // ESR_ELx_EC_SMC64
  case sys64 = 0x18  // ESR_ELx_EC_SYS64: trapped MSR/MRS/system instruction
  case instructionAbortLowerEL = 0x20  // ESR_ELx_EC_IABT_LOW
  case instructionAbortSameEL = 0x21  // ESR_ELx_EC_IABT_CUR
  case pcAlignment = 0x22  // ESR_ELx_EC_PC_ALIGN
  case dataAbortLowerEL = 0x24  // ESR_ELx_EC_DABT_LOW
  case dataAbortSameEL = 0x25  // ESR_ELx_EC_DABT_CUR
  case spAlignment = 0x26  // ESR_ELx_EC_SP_ALIGN
  case serror = 0x2F  // ESR_ELx_EC_SERROR
  case brk64 = 0x3C  // ESR_ELx_EC_BRK64

  /// The Linux name (`ESR_ELx_EC_...` without the prefix).
  public var linuxName: String {
    switch self {
    case .unknown: return "UNKNOWN"
    case .wfx: return "WFx"
    case .illegalExecutionState: return "ILL"
    case .svc64: return "SVC64"
    case .hvc64: return "HVC64"
    case .smc64: return "SMC64"
    case .sys64: return "SYS64"
    case .instructionAbortLowerEL: return "IABT_LOW"
    case .instructionAbortSameEL: return "IABT_CUR"
    case .pcAlignment: return "PC_ALIGN"
    case .dataAbortLowerEL: return "DABT_LOW"
    case .dataAbortSameEL: return "DABT_CUR"
    case .spAlignment: return "SP_ALIGN"
    case .serror: return "SERROR"
    case .brk64: return "BRK64"
    }
  }

  /// What the class means, in the Arm ARM's words.
  public var summary: String {
    switch self {
    case .unknown: return "Unknown reason (undefined instruction)"
    case .wfx: return "Trapped WFI or WFE"
    case .illegalExecutionState: return "Illegal Execution state"
    case .svc64: return "SVC instruction execution in AArch64 state"
    case .hvc64: return "HVC instruction execution in AArch64 state"
    case .smc64: return "SMC instruction execution in AArch64 state"
    case .sys64: return "Trapped MSR, MRS or System instruction"
    case .instructionAbortLowerEL: return "Instruction Abort from a lower Exception level"
    case .instructionAbortSameEL: return "Instruction Abort taken without a change in Exception level"
    case .pcAlignment: return "PC alignment fault"
    case .dataAbortLowerEL: return "Data Abort from a lower Exception level"
    case .dataAbortSameEL: return "Data Abort taken without a change in Exception level"
    case .spAlignment: return "SP alignment fault"
    case .serror: return "SError interrupt"
    case .brk64: return "BRK instruction execution in AArch64 state"
    }
  }

  public var description: String { "EC 0x\(String(rawValue, radix: 16)) (\(linuxName))" }
}

/// The kind of exception, which selects the vector entry.
public enum ExceptionType: UInt64, Sendable, CustomStringConvertible {
  case synchronous = 0x000
  case irq = 0x080
  case fiq = 0x100
  case serror = 0x180

  public var description: String {
    switch self {
    case .synchronous: return "Synchronous"
    case .irq: return "IRQ"
    case .fiq: return "FIQ"
    case .serror: return "SError"
    }
  }
}

/// Fault status codes (DFSC/IFSC) used here.
enum FaultStatus: UInt32 {
  case synchronousExternalAbort = 0b010000
  case alignment = 0b100001
}

/// A synchronous exception raised by an instruction, before it is taken.
struct PendingException {
  var exceptionClass: ExceptionClass
  var iss: UInt32
  var far: UInt64?
  /// ELR: the faulting instruction, or the next one for SVC/HVC/SMC.
  var returnAddress: UInt64
}

/// An exception as taken to EL1: what the PE wrote to ELR_EL1, SPSR_EL1, ESR_EL1 and FAR_EL1.
public struct ExceptionRecord: Equatable, Sendable, CustomStringConvertible {
  public var type: ExceptionType
  /// ESR_EL1 (0 for IRQ/FIQ, which do not write it).
  public var esr: UInt64
  /// FAR_EL1 for aborts and alignment faults.
  public var far: UInt64?
  public var elr: UInt64
  public var spsr: UInt64
  /// Where execution continues: VBAR_EL1 + offset.
  public var vector: UInt64
  /// The Exception level the exception was taken from.
  public var fromEL: Int

  public var exceptionClass: ExceptionClass? {
    type == .synchronous || type == .serror ? ExceptionClass(rawValue: UInt8(esr >> 26)) : nil
  }

  public var description: String {
    var s: String
    if let ec = exceptionClass {
      s = "\(type) exception: \(ec.summary), \(ec) ESR_EL1=0x\(String(esr, radix: 16))"
    } else {
      s = "\(type) exception"
    }
    if let far { s += " FAR_EL1=0x\(String(far, radix: 16))" }
    s += " ELR_EL1=0x\(String(elr, radix: 16)) from EL\(fromEL)"
    return s
  }
}

/// ESR_EL1 for a synchronous exception: EC [31:26], IL [25] = 1 (32-bit instruction), ISS [24:0].
func syndrome(_ ec: ExceptionClass, iss: UInt32) -> UInt64 {
  // IL is 1: every instruction here is 32 bits, and IL is RES1 for aborts and EC 0x00.
  return UInt64(ec.rawValue) << 26 | 1 << 25 | UInt64(iss & 0x1FF_FFFF)
}
