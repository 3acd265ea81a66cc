import A64

/// The CPU features user space sees (arch/arm64/kernel/cpufeature.c): `setup_elf_hwcaps()`
/// turns ID register fields into KERNEL_HWCAP_* bits, which `/proc/cpuinfo` names and every CPU
/// uevent's MODALIAS lists (`print_cpu_modalias()` in drivers/base/cpu.c).
extension Kernel {
  /// One `arm64_elf_hwcaps[]` entry: a field of an ID register at or above a value.
  struct HwcapRule {
    let hwcap: Int
    let register: SystemRegister
    let shift: UInt64
    let minimum: UInt64
    /// FP and AdvSIMD are signed fields: 0xF means "not implemented".
    var signed = false
  }

  /// The KERNEL_HWCAP_* numbers (arch/arm64/include/uapi/asm/hwcap.h) of the features the lab's
  /// CPU models can have, with the fields that grant them.
  static let hwcapRules: [HwcapRule] = [
    HwcapRule(hwcap: 0, register: .ID_AA64PFR0_EL1, shift: 16, minimum: 0, signed: true),  // FP
    HwcapRule(hwcap: 9, register: .ID_AA64PFR0_EL1, shift: 16, minimum: 1, signed: true),  // FPHP
    HwcapRule(hwcap: 1, register: .ID_AA64PFR0_EL1, shift: 20, minimum: 0, signed: true),  // ASIMD
    HwcapRule(hwcap: 10, register: .ID_AA64PFR0_EL1, shift: 20, minimum: 1, signed: true),  // ASIMDHP
    HwcapRule(hwcap: 3, register: .ID_AA64ISAR0_EL1, shift: 4, minimum: 1),  // AES
    HwcapRule(hwcap: 4, register: .ID_AA64ISAR0_EL1, shift: 4, minimum: 2),  // PMULL
    HwcapRule(hwcap: 5, register: .ID_AA64ISAR0_EL1, shift: 8, minimum: 1),  // SHA1
    HwcapRule(hwcap: 6, register: .ID_AA64ISAR0_EL1, shift: 12, minimum: 1),  // SHA2
    HwcapRule(hwcap: 21, register: .ID_AA64ISAR0_EL1, shift: 12, minimum: 2),  // SHA512
    HwcapRule(hwcap: 7, register: .ID_AA64ISAR0_EL1, shift: 16, minimum: 1),  // CRC32
    HwcapRule(hwcap: 8, register: .ID_AA64ISAR0_EL1, shift: 20, minimum: 2),  // ATOMICS
    HwcapRule(hwcap: 12, register: .ID_AA64ISAR0_EL1, shift: 28, minimum: 1),  // ASIMDRDM
    HwcapRule(hwcap: 20, register: .ID_AA64ISAR0_EL1, shift: 44, minimum: 1),  // ASIMDDP
    HwcapRule(hwcap: 16, register: .ID_AA64ISAR1_EL1, shift: 0, minimum: 1),  // DCPOP
    HwcapRule(hwcap: 15, register: .ID_AA64ISAR1_EL1, shift: 20, minimum: 1),  // LRCPC
    HwcapRule(hwcap: 26, register: .ID_AA64ISAR1_EL1, shift: 20, minimum: 2),  // ILRCPC
    HwcapRule(hwcap: 24, register: .ID_AA64PFR0_EL1, shift: 48, minimum: 1),  // DIT
    HwcapRule(hwcap: 28, register: .ID_AA64PFR1_EL1, shift: 4, minimum: 2),  // SSBS
  ]

  /// KERNEL_HWCAP_EVTSTRM (the arch timer's event stream) and KERNEL_HWCAP_CPUID (MRS
  /// emulation of the ID registers) come from the kernel itself, not from an ID field.
  static let kernelHwcaps = [2, 11]

  /// `setup_elf_hwcaps()` on the boot CPU's ID registers (the system-wide safe values, as every
  /// vCPU of a VM is the same model): the hwcap numbers, ascending.
  mutating func setupELFHwcaps(_ c: KContext) -> [Int] {
    var registers: [SystemRegister: UInt64] = [:]
    var caps = Set(Kernel.kernelHwcaps)
    for rule in Kernel.hwcapRules {
      if registers[rule.register] == nil { registers[rule.register] = readSysreg(rule.register, c) }
      let field = (registers[rule.register]! >> rule.shift) & 0xF
      if rule.signed {
        if field != 0xF && field >= rule.minimum { caps.insert(rule.hwcap) }
      } else if field >= rule.minimum {
        caps.insert(rule.hwcap)
      }
    }
    return caps.sorted()
  }

  /// The MODALIAS every CPU uevent carries, and the property lists built from it once, shared by
  /// every event that has them (a hotplug cycle at 512 vCPUs records hundreds of thousands).
  struct UEventProperties: Sendable {
    let modalias: [(String, String)]
    let processorDriver: [(String, String)]

    init(hwcaps: [Int]) {
      let text =
        "cpu:type:aarch64:feature:"
        + hwcaps.map {
          let digits = String($0, radix: 16, uppercase: true)
          return "," + String(repeating: "0", count: 4 - digits.count) + digits
        }.joined()
      modalias = [("MODALIAS", text)]
      processorDriver = [("DRIVER", "processor"), ("MODALIAS", text)]
    }
  }
}
