/// The identity of a possible-CPU slot on virt: its index, topology ids and MPIDR
/// (hw/arm/virt.c `virt_cpu_mp_affinity`, `virt_possible_cpu_arch_ids`).
public struct CPUSlotID: Hashable, Sendable {
  /// `cpu_index` = ACPI Processor UID = GICC CPU interface number = `C%03X` suffix.
  public let index: Int
  public let socket: Int
  public let cluster: Int
  public let core: Int
  public let thread: Int
  /// The MPIDR affinity fields QEMU assigns (no bit 31: the MADT and PSCI use this form).
  public let mpidr: UInt64

  /// GICv3 target lists reach 16 CPUs per Aff1 group, so QEMU clusters CPUs by 16.
  public static let gicv3ClusterSize = 16

  public init(index: Int, smp: SMPConfiguration) {
    self.index = index
    let perSocket = smp.clusters * smp.cores * smp.threads
    socket = index / perSocket
    cluster = (index / (smp.cores * smp.threads)) % smp.clusters
    core = (index / smp.threads) % smp.cores
    thread = index % smp.threads
    mpidr = CPUSlotID.affinity(index: index)
  }

  /// Aff0 = index mod 16, Aff1 = index / 16 (TCG with GICv3).
  public static func affinity(index: Int) -> UInt64 {
    UInt64(index / gicv3ClusterSize) << 8 | UInt64(index % gicv3ClusterSize)
  }

  /// What `MRS x0, MPIDR_EL1` reads: the affinity with RES1 bit 31 set.
  public var mpidrRegister: UInt64 { mpidr | 0x8000_0000 }

  /// The slot a `device_add` with these ids names (RFC-V5 `virt_cpu_pre_plug`).
  public static func index(socket: Int, cluster: Int, core: Int, thread: Int, smp: SMPConfiguration) -> Int {
    socket * (smp.clusters * smp.cores * smp.threads) + cluster * (smp.cores * smp.threads) + core
      * smp.threads
      + thread
  }

  /// `0:0:2:0`, as QEMU prints slots in errors.
  public var idsText: String { "\(socket):\(cluster):\(core):\(thread)" }

  /// The AML processor device name: "C" and the index in three upper-case hex digits.
  public var deviceName: String { CPUSlotID.deviceName(index: index) }

  public static func deviceName(index: Int) -> String {
    let hex = String(index, radix: 16, uppercase: true)
    return "C" + String(repeating: "0", count: Swift.max(0, 3 - hex.count)) + hex
  }
}
