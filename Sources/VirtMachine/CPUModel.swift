/// The `-cpu` model and the accelerator it implies. `host` is a KVM CPU (hotplug in the RFC is
/// for KVM): the vCPU is the host's CPU, here an Arm Neoverse-N1 r3p1 (an Ampere Altra or AWS
/// Graviton2 host), and the firmware is KVM's PSCI, which implements SMCCC_VERSION (1.1).
/// `cortex-a57` is QEMU's TCG model, the one the real-Linux captures used: TCG's PSCI does not
/// implement SMCCC_VERSION, so Linux reports SMCCC v1.0. Each has its own `device_add` type.
/// (`max` is not offered: its ID registers change with every QEMU release.)
public enum CPUModel: String, Sendable, CaseIterable, Hashable {
  case host
  case cortexA57 = "cortex-a57"

  /// The QOM type `device_add` must name (`<model>-arm-cpu`).
  public var deviceType: String { "\(rawValue)-arm-cpu" }

  public var accelerator: String { self == .host ? "kvm" : "tcg" }

  /// MIDR_EL1: Neoverse-N1 r3p1 (implementer 0x41, variant 3, part 0xd0c, revision 1), or
  /// QEMU's cortex-a57 (r1p0).
  public var midr: UInt64 { self == .host ? 0x413F_D0C1 : 0x411F_D070 }

  /// The ID registers Linux derives its hwcaps from (arch/arm64/kernel/cpufeature.c), with the
  /// values QEMU gives its neoverse-n1 and cortex-a57 models.
  public var idAA64PFR0: UInt64 { self == .host ? 0x1100_0000_1011_1112 : 0x0000_0000_0000_2222 }
  public var idAA64PFR1: UInt64 { self == .host ? 0x20 : 0 }
  public var idAA64ISAR0: UInt64 { self == .host ? 0x0000_1000_1021_1120 : 0x0000_0000_0001_1120 }
  public var idAA64ISAR1: UInt64 { self == .host ? 0x0010_0001 : 0 }

  /// What SMCCC_VERSION returns, or nil when the firmware does not implement it (PSCI_FEATURES
  /// answers NOT_SUPPORTED): KVM answers ARM_SMCCC_VERSION_1_1.
  public var smcccVersion: UInt32? { self == .host ? 0x1_0001 : nil }

  /// How `help machine` describes it.
  public var summary: String {
    switch self {
    case .host: "KVM: the host's CPU, a Neoverse-N1 r3p1 (MIDR 0x413fd0c1); KVM's PSCI with SMCCC 1.1"
    case .cortexA57: "TCG: QEMU's Cortex-A57 r1p0 (MIDR 0x411fd070); TCG's PSCI, no SMCCC_VERSION"
    }
  }
}
