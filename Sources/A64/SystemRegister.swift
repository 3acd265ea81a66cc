// System register encodings (op0, op1, CRn, CRm, op2) and their architectural names.

/// A system register operand of MRS/MSR, packed as in the instruction: `o0:op1:CRn:CRm:op2`
/// (bits [20:5] of the word, with op0 = 2 + o0).
public struct SystemRegister: Hashable, Sendable, CustomStringConvertible {
  /// The 16-bit field `op0<0>:op1:CRn:CRm:op2` (op0 is 2 or 3).
  public var encoding: UInt16

  public init(encoding: UInt16) { self.encoding = encoding }

  public init(op0: UInt16, op1: UInt16, crn: UInt16, crm: UInt16, op2: UInt16) {
    encoding = ((op0 - 2) & 1) << 14 | (op1 & 7) << 11 | (crn & 15) << 7 | (crm & 15) << 3 | (op2 & 7)
  }

  public var op0: UInt16 { 2 + (encoding >> 14) & 1 }
  public var op1: UInt16 { (encoding >> 11) & 7 }
  public var crn: UInt16 { (encoding >> 7) & 15 }
  public var crm: UInt16 { (encoding >> 3) & 15 }
  public var op2: UInt16 { encoding & 7 }

  /// The architectural name if known (e.g. `MPIDR_EL1`), else nil.
  public var name: String? { SystemRegister.info[encoding]?.name }

  /// The generic `S<op0>_<op1>_C<n>_C<m>_<op2>` spelling.
  public var genericName: String { "S\(op0)_\(op1)_C\(crn)_C\(crm)_\(op2)" }

  /// The name as `llvm-objdump` prints it for a read (MRS) or a write (MSR): read-only registers
  /// are printed generically in an MSR and write-only ones in an MRS.
  public func printedName(forWrite: Bool) -> String {
    if let info = SystemRegister.info[encoding], forWrite ? info.writable : info.readable {
      return info.name
    }
    return genericName
  }

  public var description: String { name ?? genericName }

  /// Looks a register up by name (case-insensitive), accepting the generic spelling too.
  public init?(name: String) {
    let upper = name.uppercased()
    if let e = SystemRegister.byName[upper] {
      self.init(encoding: e)
      return
    }
    // S<op0>_<op1>_C<n>_C<m>_<op2>
    let parts = upper.split(separator: "_")
    guard parts.count == 5, parts[0].hasPrefix("S"), parts[2].hasPrefix("C"), parts[3].hasPrefix("C"),
      let op0 = UInt16(parts[0].dropFirst()), let op1 = UInt16(parts[1]),
      let crn = UInt16(parts[2].dropFirst()), let crm = UInt16(parts[3].dropFirst()),
      let op2 = UInt16(parts[4]), op0 == 2 || op0 == 3, op1 < 8, crn < 16, crm < 16, op2 < 8
    else { return nil }
    self.init(op0: op0, op1: op1, crn: crn, crm: crm, op2: op2)
  }

  struct Info {
    var name: String
    var readable: Bool
    var writable: Bool
  }

  // swift-format-ignore
  private static let table: [(String, UInt16, UInt16, UInt16, UInt16, UInt16, String)] = [
    ("MIDR_EL1", 3, 0, 0, 0, 0, "r"), ("MPIDR_EL1", 3, 0, 0, 0, 5, "r"), ("REVIDR_EL1", 3, 0, 0, 0, 6, "r"),
    ("ID_AA64PFR0_EL1", 3, 0, 0, 4, 0, "r"), ("ID_AA64PFR1_EL1", 3, 0, 0, 4, 1, "r"),
    ("ID_AA64DFR0_EL1", 3, 0, 0, 5, 0, "r"), ("ID_AA64ISAR0_EL1", 3, 0, 0, 6, 0, "r"),
    ("ID_AA64ISAR1_EL1", 3, 0, 0, 6, 1, "r"), ("ID_AA64MMFR0_EL1", 3, 0, 0, 7, 0, "r"),
    ("ID_AA64MMFR1_EL1", 3, 0, 0, 7, 1, "r"), ("ID_AA64MMFR2_EL1", 3, 0, 0, 7, 2, "r"),
    ("CCSIDR_EL1", 3, 1, 0, 0, 0, "r"), ("CLIDR_EL1", 3, 1, 0, 0, 1, "r"), ("CSSELR_EL1", 3, 2, 0, 0, 0, "rw"),
    ("CTR_EL0", 3, 3, 0, 0, 1, "r"), ("DCZID_EL0", 3, 3, 0, 0, 7, "r"),
    ("SCTLR_EL1", 3, 0, 1, 0, 0, "rw"), ("ACTLR_EL1", 3, 0, 1, 0, 1, "rw"), ("CPACR_EL1", 3, 0, 1, 0, 2, "rw"),
    ("TTBR0_EL1", 3, 0, 2, 0, 0, "rw"), ("TTBR1_EL1", 3, 0, 2, 0, 1, "rw"), ("TCR_EL1", 3, 0, 2, 0, 2, "rw"),
    ("SPSR_EL1", 3, 0, 4, 0, 0, "rw"), ("ELR_EL1", 3, 0, 4, 0, 1, "rw"), ("SP_EL0", 3, 0, 4, 1, 0, "rw"),
    ("SPSel", 3, 0, 4, 2, 0, "rw"), ("CurrentEL", 3, 0, 4, 2, 2, "r"), ("NZCV", 3, 3, 4, 2, 0, "rw"),
    ("DAIF", 3, 3, 4, 2, 1, "rw"), ("SP_EL1", 3, 4, 4, 1, 0, "rw"), ("ICC_PMR_EL1", 3, 0, 4, 6, 0, "rw"),
    ("AFSR0_EL1", 3, 0, 5, 1, 0, "rw"), ("AFSR1_EL1", 3, 0, 5, 1, 1, "rw"), ("ESR_EL1", 3, 0, 5, 2, 0, "rw"),
    ("FAR_EL1", 3, 0, 6, 0, 0, "rw"), ("PAR_EL1", 3, 0, 7, 4, 0, "rw"),
    ("MAIR_EL1", 3, 0, 10, 2, 0, "rw"), ("AMAIR_EL1", 3, 0, 10, 3, 0, "rw"),
    ("VBAR_EL1", 3, 0, 12, 0, 0, "rw"), ("ISR_EL1", 3, 0, 12, 1, 0, "r"),
    ("ICC_IAR0_EL1", 3, 0, 12, 8, 0, "r"), ("ICC_EOIR0_EL1", 3, 0, 12, 8, 1, "w"),
    ("ICC_HPPIR0_EL1", 3, 0, 12, 8, 2, "r"), ("ICC_BPR0_EL1", 3, 0, 12, 8, 3, "rw"),
    ("ICC_AP0R0_EL1", 3, 0, 12, 8, 4, "rw"), ("ICC_AP0R1_EL1", 3, 0, 12, 8, 5, "rw"),
    ("ICC_AP0R2_EL1", 3, 0, 12, 8, 6, "rw"), ("ICC_AP0R3_EL1", 3, 0, 12, 8, 7, "rw"),
    ("ICC_AP1R0_EL1", 3, 0, 12, 9, 0, "rw"), ("ICC_AP1R1_EL1", 3, 0, 12, 9, 1, "rw"),
    ("ICC_AP1R2_EL1", 3, 0, 12, 9, 2, "rw"), ("ICC_AP1R3_EL1", 3, 0, 12, 9, 3, "rw"),
    ("ICC_DIR_EL1", 3, 0, 12, 11, 1, "w"), ("ICC_RPR_EL1", 3, 0, 12, 11, 3, "r"),
    ("ICC_SGI1R_EL1", 3, 0, 12, 11, 5, "w"), ("ICC_ASGI1R_EL1", 3, 0, 12, 11, 6, "w"),
    ("ICC_SGI0R_EL1", 3, 0, 12, 11, 7, "w"), ("ICC_IAR1_EL1", 3, 0, 12, 12, 0, "r"),
    ("ICC_EOIR1_EL1", 3, 0, 12, 12, 1, "w"), ("ICC_HPPIR1_EL1", 3, 0, 12, 12, 2, "r"),
    ("ICC_BPR1_EL1", 3, 0, 12, 12, 3, "rw"), ("ICC_CTLR_EL1", 3, 0, 12, 12, 4, "rw"),
    ("ICC_SRE_EL1", 3, 0, 12, 12, 5, "rw"), ("ICC_IGRPEN0_EL1", 3, 0, 12, 12, 6, "rw"),
    ("ICC_IGRPEN1_EL1", 3, 0, 12, 12, 7, "rw"),
    ("CONTEXTIDR_EL1", 3, 0, 13, 0, 1, "rw"), ("TPIDR_EL1", 3, 0, 13, 0, 4, "rw"),
    ("TPIDR_EL0", 3, 3, 13, 0, 2, "rw"), ("TPIDRRO_EL0", 3, 3, 13, 0, 3, "rw"),
    ("CNTKCTL_EL1", 3, 0, 14, 1, 0, "rw"), ("CNTFRQ_EL0", 3, 3, 14, 0, 0, "rw"),
    ("CNTPCT_EL0", 3, 3, 14, 0, 1, "r"), ("CNTVCT_EL0", 3, 3, 14, 0, 2, "r"),
    ("CNTP_TVAL_EL0", 3, 3, 14, 2, 0, "rw"), ("CNTP_CTL_EL0", 3, 3, 14, 2, 1, "rw"),
    ("CNTP_CVAL_EL0", 3, 3, 14, 2, 2, "rw"), ("CNTV_TVAL_EL0", 3, 3, 14, 3, 0, "rw"),
    ("CNTV_CTL_EL0", 3, 3, 14, 3, 1, "rw"), ("CNTV_CVAL_EL0", 3, 3, 14, 3, 2, "rw"),
    ("MDSCR_EL1", 2, 0, 0, 2, 2, "rw"), ("OSLAR_EL1", 2, 0, 1, 0, 4, "w"), ("OSDLR_EL1", 2, 0, 1, 3, 4, "rw"),
  ]

  static let info: [UInt16: Info] = {
    var d: [UInt16: Info] = [:]
    for (name, op0, op1, crn, crm, op2, access) in table {
      let r = SystemRegister(op0: op0, op1: op1, crn: crn, crm: crm, op2: op2)
      d[r.encoding] = Info(name: name, readable: access.contains("r"), writable: access.contains("w"))
    }
    return d
  }()

  static let byName: [String: UInt16] = {
    var d: [String: UInt16] = [:]
    for (k, v) in info { d[v.name.uppercased()] = k }
    return d
  }()

  // The registers the CPU model implements itself (the rest go to the host hook).
  public static let midr = SystemRegister(op0: 3, op1: 0, crn: 0, crm: 0, op2: 0)
  public static let mpidr = SystemRegister(op0: 3, op1: 0, crn: 0, crm: 0, op2: 5)
  public static let sctlr = SystemRegister(op0: 3, op1: 0, crn: 1, crm: 0, op2: 0)
  public static let cpacr = SystemRegister(op0: 3, op1: 0, crn: 1, crm: 0, op2: 2)
  public static let ttbr0 = SystemRegister(op0: 3, op1: 0, crn: 2, crm: 0, op2: 0)
  public static let ttbr1 = SystemRegister(op0: 3, op1: 0, crn: 2, crm: 0, op2: 1)
  public static let tcr = SystemRegister(op0: 3, op1: 0, crn: 2, crm: 0, op2: 2)
  public static let spsr = SystemRegister(op0: 3, op1: 0, crn: 4, crm: 0, op2: 0)
  public static let elr = SystemRegister(op0: 3, op1: 0, crn: 4, crm: 0, op2: 1)
  public static let spEL0 = SystemRegister(op0: 3, op1: 0, crn: 4, crm: 1, op2: 0)
  public static let spSel = SystemRegister(op0: 3, op1: 0, crn: 4, crm: 2, op2: 0)
  public static let currentEL = SystemRegister(op0: 3, op1: 0, crn: 4, crm: 2, op2: 2)
  public static let nzcv = SystemRegister(op0: 3, op1: 3, crn: 4, crm: 2, op2: 0)
  public static let daif = SystemRegister(op0: 3, op1: 3, crn: 4, crm: 2, op2: 1)
  public static let esr = SystemRegister(op0: 3, op1: 0, crn: 5, crm: 2, op2: 0)
  public static let far = SystemRegister(op0: 3, op1: 0, crn: 6, crm: 0, op2: 0)
  public static let mair = SystemRegister(op0: 3, op1: 0, crn: 10, crm: 2, op2: 0)
  public static let vbar = SystemRegister(op0: 3, op1: 0, crn: 12, crm: 0, op2: 0)
  public static let contextidr = SystemRegister(op0: 3, op1: 0, crn: 13, crm: 0, op2: 1)
  public static let tpidrEL1 = SystemRegister(op0: 3, op1: 0, crn: 13, crm: 0, op2: 4)
  public static let tpidrEL0 = SystemRegister(op0: 3, op1: 3, crn: 13, crm: 0, op2: 2)
  public static let tpidrroEL0 = SystemRegister(op0: 3, op1: 3, crn: 13, crm: 0, op2: 3)
  public static let cntkctl = SystemRegister(op0: 3, op1: 0, crn: 14, crm: 1, op2: 0)
  public static let cntfrq = SystemRegister(op0: 3, op1: 3, crn: 14, crm: 0, op2: 0)
  public static let cntvct = SystemRegister(op0: 3, op1: 3, crn: 14, crm: 0, op2: 2)

  /// True for the GIC CPU interface registers ICC_*_EL1 (served by the GIC model).
  public var isGICCPUInterface: Bool {
    op0 == 3 && op1 == 0 && ((crn == 12 && crm >= 8) || (crn == 4 && crm == 6 && op2 == 0))
  }
}
