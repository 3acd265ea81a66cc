/// One GICv3 redistributor (GICR): the RD_base frame (control, GICR_TYPER, the GICR_WAKER
/// power handshake) and the SGI_base frame 64 KiB above it (SGI and PPI configuration). virt
/// places one per *possible* CPU, 0x20000 apart, from 0x080A_0000: a hot-added CPU's
/// redistributor is there from boot.
public struct GICRedistributor: Hashable, Sendable {
  public static let stride: UInt64 = 0x20000
  static let sgiBase: UInt64 = 0x10000

  public let cpu: Int
  /// GICR_WAKER: ProcessorSleep [1], ChildrenAsleep [2]. Reset 0x6 (asleep), as in QEMU.
  public var waker: UInt32 = 0x6
  var control: UInt32 = 0
  var group: UInt32 = 0
  var enabled: UInt32 = 0
  var pending: UInt32 = 0
  var active: UInt32 = 0
  /// GICR_ICFGR1: PPI edge/level bits (SGIs are always edge).
  var ppiConfig: UInt32 = 0
  var priority = [UInt8](repeating: 0, count: 32)
  /// GICR_PROPBASER and GICR_PENDBASER: where the LPI configuration and this redistributor's
  /// pending table are in guest memory (`its_cpu_init_lpis()` writes them once per CPU).
  public internal(set) var propbaser: UInt64 = 0
  public internal(set) var pendbaser: UInt64 = 0

  init(cpu: Int) { self.cpu = cpu }

  /// The redistributor forwards interrupts only while the processor is not asleep.
  public var awake: Bool { waker & 0b10 == 0 }

  public enum Register {
    static let CTLR: UInt64 = 0x0000
    static let IIDR: UInt64 = 0x0004
    static let TYPER: UInt64 = 0x0008
    static let STATUSR: UInt64 = 0x0010
    static let WAKER: UInt64 = 0x0014
    static let PROPBASER: UInt64 = 0x0070
    static let PENDBASER: UInt64 = 0x0078
    static let PIDR2: UInt64 = 0xFFE8
    // SGI_base frame offsets (from SGI_base).
    static let IGROUPR0: UInt64 = 0x0080
    static let ISENABLER0: UInt64 = 0x0100
    static let ICENABLER0: UInt64 = 0x0180
    static let ISPENDR0: UInt64 = 0x0200
    static let ICPENDR0: UInt64 = 0x0280
    static let ISACTIVER0: UInt64 = 0x0300
    static let ICACTIVER0: UInt64 = 0x0380
    static let IPRIORITYR: UInt64 = 0x0400
    static let ICFGR0: UInt64 = 0x0C00
    static let ICFGR1: UInt64 = 0x0C04
  }

  /// GICR_TYPER: Affinity_Value [63:32] = Aff3:Aff2:Aff1:Aff0, Processor_Number [23:8] = the CPU
  /// index, CommonLPIAff [25:24] = 1, Last [4] on the final redistributor of the region, PLPIS
  /// [0]: physical LPIs, as QEMU's redistributors have when the board has an ITS.
  static func typer(cpu: Int, affinity: UInt64, last: Bool) -> UInt64 {
    let aff = (affinity & 0xFF_FFFF) | ((affinity >> 32) & 0xFF) << 24
    return aff << 32 | UInt64(cpu & 0xFFFF) << 8 | 1 << 24 | (last ? 1 << 4 : 0) | 1
  }

  mutating func read(offset: UInt64, size: Int, affinity: UInt64, last: Bool) -> UInt64 {
    if offset == Register.TYPER && size == 8 {
      return GICRedistributor.typer(cpu: cpu, affinity: affinity, last: last)
    }
    if size == 8 {
      return UInt64(read32(offset, affinity: affinity, last: last))
        | UInt64(read32(offset + 4, affinity: affinity, last: last)) << 32
    }
    let word = UInt64(read32(offset & ~3, affinity: affinity, last: last))
    let mask: UInt64 = size >= 4 ? 0xFFFF_FFFF : (1 << UInt64(size * 8)) - 1
    return (word >> ((offset & 3) * 8)) & mask
  }

  func read32(_ offset: UInt64, affinity: UInt64, last: Bool) -> UInt32 {
    let typer = GICRedistributor.typer(cpu: cpu, affinity: affinity, last: last)
    switch offset {
    case Register.CTLR: return control
    case Register.IIDR: return 0x43B
    case Register.TYPER: return UInt32(truncatingIfNeeded: typer)
    case Register.TYPER + 4: return UInt32(truncatingIfNeeded: typer >> 32)
    case Register.WAKER: return waker
    case Register.PROPBASER: return UInt32(truncatingIfNeeded: propbaser)
    case Register.PROPBASER + 4: return UInt32(truncatingIfNeeded: propbaser >> 32)
    case Register.PENDBASER: return UInt32(truncatingIfNeeded: pendbaser)
    case Register.PENDBASER + 4: return UInt32(truncatingIfNeeded: pendbaser >> 32)
    case Register.PIDR2: return 0x3B
    case GICRedistributor.sgiBase + Register.IGROUPR0: return group
    case GICRedistributor.sgiBase + Register.ISENABLER0, GICRedistributor.sgiBase + Register.ICENABLER0:
      return enabled
    case GICRedistributor.sgiBase + Register.ISPENDR0, GICRedistributor.sgiBase + Register.ICPENDR0:
      return pending
    case GICRedistributor.sgiBase + Register.ISACTIVER0, GICRedistributor.sgiBase + Register.ICACTIVER0:
      return active
    case GICRedistributor.sgiBase + Register.IPRIORITYR..<GICRedistributor.sgiBase + Register.IPRIORITYR + 32:
      let first = Int(offset - GICRedistributor.sgiBase - Register.IPRIORITYR)
      return (0..<4).reduce(0) { $0 | UInt32(priority[first + $1]) << UInt32($1 * 8) }
    case GICRedistributor.sgiBase + Register.ICFGR0: return 0xAAAA_AAAA  // SGIs: edge, read-only
    case GICRedistributor.sgiBase + Register.ICFGR1: return ppiConfig
    default: return 0
    }
  }

  mutating func write(offset: UInt64, size: Int, value: UInt64) {
    if size == 8 {
      write32(offset, UInt32(truncatingIfNeeded: value))
      write32(offset + 4, UInt32(truncatingIfNeeded: value >> 32))
      return
    }
    let base = GICRedistributor.sgiBase + Register.IPRIORITYR
    if size < 4 {
      guard (base..<base + 32).contains(offset) else { return }
      for byte in 0..<size where Int(offset - base) + byte < 32 {
        priority[Int(offset - base) + byte] =
          UInt8(truncatingIfNeeded: value >> UInt64(byte * 8)) & GICv3.priorityMask
      }
      return
    }
    write32(offset & ~3, UInt32(truncatingIfNeeded: value))
  }

  mutating func write32(_ offset: UInt64, _ value: UInt32) {
    switch offset {
    case Register.CTLR:
      control = value & 0x1  // EnableLPIs; RWP reads 0
    case Register.WAKER:
      // QEMU completes the handshake at once: only ProcessorSleep is kept, and
      // ChildrenAsleep follows it.
      let sleep = value & 0b10
      waker = sleep | (sleep << 1)
    case Register.PROPBASER: propbaser = propbaser & ~0xFFFF_FFFF | UInt64(value)
    case Register.PROPBASER + 4: propbaser = propbaser & 0xFFFF_FFFF | UInt64(value) << 32
    // PENDBASER.PTZ [62] only tells the GIC the table is zeroed: it reads as 0.
    case Register.PENDBASER: pendbaser = pendbaser & ~0xFFFF_FFFF | UInt64(value)
    case Register.PENDBASER + 4: pendbaser = pendbaser & 0xFFFF_FFFF | UInt64(value & ~(1 << 30)) << 32
    case GICRedistributor.sgiBase + Register.IGROUPR0: group = value
    case GICRedistributor.sgiBase + Register.ISENABLER0: enabled |= value
    case GICRedistributor.sgiBase + Register.ICENABLER0: enabled &= ~value
    case GICRedistributor.sgiBase + Register.ISPENDR0: pending |= value
    case GICRedistributor.sgiBase + Register.ICPENDR0: pending &= ~value
    case GICRedistributor.sgiBase + Register.ISACTIVER0: active |= value
    case GICRedistributor.sgiBase + Register.ICACTIVER0: active &= ~value
    case GICRedistributor.sgiBase + Register.IPRIORITYR..<GICRedistributor.sgiBase + Register.IPRIORITYR + 32:
      let first = Int(offset - GICRedistributor.sgiBase - Register.IPRIORITYR)
      for byte in 0..<4 {
        priority[first + byte] = UInt8(truncatingIfNeeded: value >> UInt32(byte * 8)) & GICv3.priorityMask
      }
    case GICRedistributor.sgiBase + Register.ICFGR1: ppiConfig = value & 0xAAAA_AAAA
    default: break
    }
  }
}
