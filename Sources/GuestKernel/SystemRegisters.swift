import A64

/// The system registers the kernel model reads and writes on the boot CPU, by their
/// architectural names (arch/arm64/include/asm/sysreg.h, and the GICv3 CPU interface of
/// include/linux/irqchip/arm-gic-v3.h, which `gic_cpu_sys_reg_init()` programs).
extension SystemRegister {
  static let MIDR_EL1 = SystemRegister.midr
  static let MPIDR_EL1 = SystemRegister.mpidr
  public static let ID_AA64PFR0_EL1 = SystemRegister(op0: 3, op1: 0, crn: 0, crm: 4, op2: 0)
  public static let ID_AA64PFR1_EL1 = SystemRegister(op0: 3, op1: 0, crn: 0, crm: 4, op2: 1)
  public static let ID_AA64ISAR0_EL1 = SystemRegister(op0: 3, op1: 0, crn: 0, crm: 6, op2: 0)
  public static let ID_AA64ISAR1_EL1 = SystemRegister(op0: 3, op1: 0, crn: 0, crm: 6, op2: 1)
  static let ICC_PMR_EL1 = SystemRegister(op0: 3, op1: 0, crn: 4, crm: 6, op2: 0)
  static let ICC_IAR1_EL1 = SystemRegister(op0: 3, op1: 0, crn: 12, crm: 12, op2: 0)
  static let ICC_EOIR1_EL1 = SystemRegister(op0: 3, op1: 0, crn: 12, crm: 12, op2: 1)
  static let ICC_BPR1_EL1 = SystemRegister(op0: 3, op1: 0, crn: 12, crm: 12, op2: 3)
  static let ICC_CTLR_EL1 = SystemRegister(op0: 3, op1: 0, crn: 12, crm: 12, op2: 4)
  static let ICC_SRE_EL1 = SystemRegister(op0: 3, op1: 0, crn: 12, crm: 12, op2: 5)
  static let ICC_IGRPEN1_EL1 = SystemRegister(op0: 3, op1: 0, crn: 12, crm: 12, op2: 7)
  static let ICC_SGI1R_EL1 = SystemRegister(op0: 3, op1: 0, crn: 12, crm: 11, op2: 5)
}

extension Kernel {
  /// `read_sysreg_s()`: MRS on the CPU `c` runs on. A register the CPU lacks is an UNDEFINED
  /// instruction: `do_el1_undef()` → `die("Oops - Undefined instruction")` (reads 0).
  mutating func readSysreg(_ register: SystemRegister, _ c: KContext) -> UInt64 {
    if let value = c.platform.readSystemRegister(register, cpu: c.cpu) { return value }
    oops("Oops - Undefined instruction", esr: 0x0200_0000, c)
    return 0
  }

  /// `write_sysreg_s()`: MSR on the CPU `c` runs on.
  mutating func writeSysreg(_ register: SystemRegister, _ value: UInt64, _ c: KContext) {
    if !c.platform.writeSystemRegister(register, value: value, cpu: c.cpu) {
      oops("Oops - Undefined instruction", esr: 0x0200_0000, c)
    }
  }
}
