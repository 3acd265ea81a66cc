/// Machine options of the modelled virt board where the QEMU versions in the fact sheets differ
/// (`machine virt ... key=value`; `help machine` lists them with their defaults).
public struct VirtOptions: Hashable, Sendable {
  /// GICC flags of CPUs present at boot other than CPU 0 (which is always Enabled).
  public enum ColdPlugFlags: String, Hashable, Sendable, CaseIterable {
    /// Enabled (0x1): RFC-V2/V3, and what Documentation/arch/arm64/cpu-hotplug.rst expects.
    case enabled
    /// Online Capable only (0x8): RFC-V4/V5's table builder.
    case onlineCapable = "online-capable"
  }

  /// How the MADT describes the GICv3 redistributors.
  public enum Redistributors: String, Hashable, Sendable, CaseIterable {
    /// One GICR structure for the always-on region (QEMU; what the kernel docs require).
    case gicr
    /// A GICR base address in each GICC instead, none in a disabled GICC: Linux must treat the
    /// redistributors of online-capable CPUs as inaccessible (`broken_rdists`).
    case perGICC = "per-gicc"
  }

  /// The `CSCN` scan method's version (qemu-virt-hotplug.md §4.4).
  public enum Scan: String, Hashable, Sendable, CaseIterable {
    /// QEMU >= 10.0: Device Checks and Eject Requests queued separately, Device Checks first.
    case upstream
    /// QEMU 9.1 / RFC-V5: Eject Requests sent during the scan, Device Checks after it.
    case rfcV5 = "rfc-v5"
  }

  /// MADT revision 6 with 82-byte GICCs (ACPI 6.5, where GICC Online Capable was defined) by
  /// default; 4 is what QEMU writes (80-byte GICCs).
  public var madtRevision: UInt8 = 6
  public var coldPlugFlags: ColdPlugFlags = .enabled
  public var redistributors: Redistributors = .gicr
  public var scan: Scan = .upstream
  /// The `-cpu` model; `device_add` must name its type.
  public var cpu: CPUModel = .host
  public var cpuType: String { cpu.deviceType }
  public var midr: UInt64 { cpu.midr }
  /// RAM size in bytes (`-m`), at 0x4000_0000.
  public var ramSize: UInt64 = 1 << 30
  /// Deliberately broken GICC entries, by CPU index (none by default).
  public var giccQuirks: [Int: GICCQuirk] = [:]
  /// A GSI the GED's `_CRS` names instead of the one the board wires (41), while the VMM goes on
  /// pulsing its own line: the guest enables the wrong interrupt (`ged-crs-gsi=N`).
  public var gedCRSGSI: UInt32?
  /// A GICD base the MADT gives instead of the distributor's real 0x0800_0000 (`gicd-base=ADDR`).
  public var madtGICDBase: UInt64?

  public init() {}
}
