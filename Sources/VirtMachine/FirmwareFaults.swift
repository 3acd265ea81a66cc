/// Deliberate firmware and VMM misbehaviour for the failure paths the kernel must survive
/// (linux-vcpu-hotplug.md §12 vectors 9-12): set with the `firmware` command, kept in the
/// machine state so snapshots and undo cover them.
public struct FirmwareFaults: Hashable, Sendable {
  /// What the VMM does when the guest's `_EJ0` writes the eject bit (CEJ0).
  public enum Eject: String, Hashable, Sendable, CaseIterable {
    /// QEMU: the vCPU is unplugged, `_STA` becomes 0xD.
    case normal
    /// The write is ignored: `_STA` stays 0xF ("Eject incomplete - status 0xf").
    case keepEnabled = "keep-enabled"
    /// The vCPU is unplugged and the slot loses Present too: `_STA` reads 0 (what x86 does,
    /// and what arm64's `arch_unregister_cpu()` refuses: "Changing CPU present bit...").
    case clearPresent = "clear-present"
  }

  public var eject: Eject = .normal
  /// CPU_ON answers forced for a target slot (a VMM policy refusing a plugged vCPU: DENIED, or
  /// a firmware that does not know it: INVALID_PARAMETERS), whatever the slot's state.
  public var cpuOn: [Int: PSCI.ReturnCode] = [:]

  public init() {}

  public var isEmpty: Bool { eject == .normal && cpuOn.isEmpty }
}

/// A change to one GICC entry of the MADT the board builds, for boot-time failure paths
/// (`machine virt ... gicc-omit=LIST gicc-bad-mpidr=LIST gicc-no-flags=LIST`).
public enum GICCQuirk: String, Hashable, Sendable, CaseIterable {
  /// No GICC for the CPU at all; its `Device (Cnnn)` stays in the DSDT.
  case omitted = "omit"
  /// MPIDR with a bit outside MPIDR_HWID_BITMASK (0xff00ffffff): bit 40 set.
  case invalidMPIDR = "bad-mpidr"
  /// Flags 0: neither Enabled nor Online Capable.
  case noFlags = "no-flags"
  /// With `redistributors=per-gicc`, no GICR base address in this (Enabled) GICC: the table
  /// error patch 13 stopped failing the whole GIC probe for.
  case noGICRAddress = "no-gicr"

  /// The MPIDR written for a CPU with the invalidMPIDR quirk.
  public static func invalidMPIDR(for affinity: UInt64) -> UInt64 { affinity | 1 << 40 }
}
