/// The GICv3 distributor (GICD), 64 KiB at 0x0800_0000 on virt: SPI configuration and routing.
/// With affinity routing enabled, the registers for INTIDs 0-31 are RAZ/WI here (private
/// interrupts live in the redistributors).
public struct GICDistributor: Hashable, Sendable {
  /// GICD_CTLR: EnableGrp1 [0], EnableGrp1A [1], ARE_NS [4], DS [6] (fixed 1); RWP [31] reads 0.
  public var control: UInt32 = 1 << 6
  var group = IRQBits(count: GICv3.numberOfIRQs)
  var enabled = IRQBits(count: GICv3.numberOfIRQs)
  var pending = IRQBits(count: GICv3.numberOfIRQs)
  var active = IRQBits(count: GICv3.numberOfIRQs)
  /// Input line levels of level-sensitive SPIs.
  var level = IRQBits(count: GICv3.numberOfIRQs)
  /// GICD_ICFGR: 2 bits per INTID, bit 1 = edge-triggered.
  var config = [UInt32](repeating: 0, count: GICv3.numberOfIRQs / 16)
  var priority = [UInt8](repeating: 0, count: GICv3.numberOfIRQs)
  /// GICD_IROUTER<n>: Aff0 [7:0], Aff1 [15:8], Aff2 [23:16], IRM [31], Aff3 [39:32].
  var router = [UInt64](repeating: 0, count: GICv3.numberOfIRQs)

  /// Offsets (Linux include/linux/irqchip/arm-gic-v3.h).
  public enum Register {
    static let CTLR: UInt64 = 0x0000
    static let TYPER: UInt64 = 0x0004
    static let IIDR: UInt64 = 0x0008
    static let IGROUPR: UInt64 = 0x0080
    static let ISENABLER: UInt64 = 0x0100
    static let ICENABLER: UInt64 = 0x0180
    static let ISPENDR: UInt64 = 0x0200
    static let ICPENDR: UInt64 = 0x0280
    static let ISACTIVER: UInt64 = 0x0300
    static let ICACTIVER: UInt64 = 0x0380
    static let IPRIORITYR: UInt64 = 0x0400
    static let ICFGR: UInt64 = 0x0C00
    static let IROUTER: UInt64 = 0x6000
    static let PIDR2: UInt64 = 0xFFE8
  }

  var groupEnable1: Bool { control & 0b11 != 0 }
  var affinityRouting: Bool { control & (1 << 4) != 0 }

  func isEdge(_ intid: Int) -> Bool { config[intid / 16] & (2 << UInt32((intid % 16) * 2)) != 0 }

  /// GICD_TYPER: ITLinesNumber = 256/32 - 1 = 7, IDbits = 15 (16-bit INTIDs), LPIS [17]: the
  /// board has an ITS, so LPIs are supported (QEMU sets it when its GIC has `has-lpi`).
  static let typer: UInt32 = UInt32(GICv3.numberOfIRQs / 32 - 1) | (15 << 19) | (1 << 17)

  mutating func read(offset: UInt64, size: Int) -> UInt64 {
    if size == 8 { return UInt64(read32(offset)) | UInt64(read32(offset + 4)) << 32 }
    let aligned = offset & ~3
    let word = UInt64(read32(aligned))
    let shift = (offset & 3) * 8
    let mask: UInt64 = size >= 4 ? 0xFFFF_FFFF : (1 << UInt64(size * 8)) - 1
    return (word >> shift) & mask
  }

  mutating func write(offset: UInt64, size: Int, value: UInt64) {
    if size == 8 {
      write32(offset, UInt32(truncatingIfNeeded: value))
      write32(offset + 4, UInt32(truncatingIfNeeded: value >> 32))
      return
    }
    if size < 4 {
      // Only the priority registers are byte-accessible.
      guard (Register.IPRIORITYR..<Register.IPRIORITYR + UInt64(GICv3.numberOfIRQs)).contains(offset) else {
        return
      }
      for byte in 0..<size {
        let intid = Int(offset - Register.IPRIORITYR) + byte
        if intid >= 32 {
          priority[intid] = UInt8(truncatingIfNeeded: value >> UInt64(byte * 8)) & GICv3.priorityMask
        }
      }
      return
    }
    write32(offset & ~3, UInt32(truncatingIfNeeded: value))
  }

  private func bitsRead(_ bits: IRQBits, _ offset: UInt64, _ base: UInt64) -> UInt32 {
    let index = Int((offset - base) / 4)
    return index == 0 || index >= bits.words.count ? 0 : bits.words[index]
  }

  func read32(_ offset: UInt64) -> UInt32 {
    switch offset {
    case Register.CTLR: return control
    case Register.TYPER: return GICDistributor.typer
    case Register.IIDR: return 0x43B  // Arm, r0p0 (QEMU's value)
    case Register.IGROUPR..<Register.IGROUPR + 0x80: return bitsRead(group, offset, Register.IGROUPR)
    case Register.ISENABLER..<Register.ISENABLER + 0x80, Register.ICENABLER..<Register.ICENABLER + 0x80:
      return bitsRead(enabled, offset, offset < Register.ICENABLER ? Register.ISENABLER : Register.ICENABLER)
    case Register.ISPENDR..<Register.ISPENDR + 0x80, Register.ICPENDR..<Register.ICPENDR + 0x80:
      let base = offset < Register.ICPENDR ? Register.ISPENDR : Register.ICPENDR
      let index = Int((offset - base) / 4)
      guard index > 0 && index < pending.words.count else { return 0 }
      var word = pending.words[index]
      for bit in 0..<32 where level.test(index * 32 + bit) && !isEdge(index * 32 + bit) {
        word |= 1 << UInt32(bit)
      }
      return word
    case Register.ISACTIVER..<Register.ISACTIVER + 0x80, Register.ICACTIVER..<Register.ICACTIVER + 0x80:
      return bitsRead(active, offset, offset < Register.ICACTIVER ? Register.ISACTIVER : Register.ICACTIVER)
    case Register.IPRIORITYR..<Register.IPRIORITYR + UInt64(GICv3.numberOfIRQs):
      let first = Int(offset - Register.IPRIORITYR)
      guard first >= 32 else { return 0 }
      return (0..<4).reduce(0) { $0 | UInt32(priority[first + $1]) << UInt32($1 * 8) }
    case Register.ICFGR..<Register.ICFGR + UInt64(GICv3.numberOfIRQs / 4):
      let index = Int((offset - Register.ICFGR) / 4)
      return index < 2 ? (index == 0 ? 0xAAAA_AAAA : 0) : config[index]
    case Register.IROUTER + 32 * 8..<Register.IROUTER + UInt64(GICv3.numberOfIRQs) * 8:
      let intid = Int((offset - Register.IROUTER) / 8)
      let route = router[intid]
      return (offset - Register.IROUTER) % 8 == 0
        ? UInt32(truncatingIfNeeded: route) : UInt32(truncatingIfNeeded: route >> 32)
    case Register.PIDR2: return 0x3B  // ArchRev 3 = GICv3
    default: return 0
    }
  }

  mutating func write32(_ offset: UInt64, _ value: UInt32) {
    func apply(_ base: UInt64, _ body: (inout IRQBits, Int, UInt32) -> Void, _ bits: inout IRQBits) {
      let index = Int((offset - base) / 4)
      guard index > 0 && index < bits.words.count else { return }  // INTIDs 0-31: RAZ/WI with ARE
      body(&bits, index, value)
    }
    switch offset {
    case Register.CTLR:
      // RWP reads 0 at once; DS stays 1.
      control = (value & 0b1_0011) | (1 << 6)
    case Register.IGROUPR..<Register.IGROUPR + 0x80:
      apply(Register.IGROUPR, { b, i, v in b.words[i] = v }, &group)
    case Register.ISENABLER..<Register.ISENABLER + 0x80:
      apply(Register.ISENABLER, { b, i, v in b.words[i] |= v }, &enabled)
    case Register.ICENABLER..<Register.ICENABLER + 0x80:
      apply(Register.ICENABLER, { b, i, v in b.words[i] &= ~v }, &enabled)
    case Register.ISPENDR..<Register.ISPENDR + 0x80:
      apply(Register.ISPENDR, { b, i, v in b.words[i] |= v }, &pending)
    case Register.ICPENDR..<Register.ICPENDR + 0x80:
      apply(Register.ICPENDR, { b, i, v in b.words[i] &= ~v }, &pending)
    case Register.ISACTIVER..<Register.ISACTIVER + 0x80:
      apply(Register.ISACTIVER, { b, i, v in b.words[i] |= v }, &active)
    case Register.ICACTIVER..<Register.ICACTIVER + 0x80:
      apply(Register.ICACTIVER, { b, i, v in b.words[i] &= ~v }, &active)
    case Register.IPRIORITYR..<Register.IPRIORITYR + UInt64(GICv3.numberOfIRQs):
      let first = Int(offset - Register.IPRIORITYR)
      guard first >= 32 else { return }
      for byte in 0..<4 {
        priority[first + byte] = UInt8(truncatingIfNeeded: value >> UInt32(byte * 8)) & GICv3.priorityMask
      }
    case Register.ICFGR..<Register.ICFGR + UInt64(GICv3.numberOfIRQs / 4):
      let index = Int((offset - Register.ICFGR) / 4)
      // Only the edge/level bit (odd bits) is writable.
      if index >= 2 { config[index] = value & 0xAAAA_AAAA }
    case Register.IROUTER + 32 * 8..<Register.IROUTER + UInt64(GICv3.numberOfIRQs) * 8:
      let intid = Int((offset - Register.IROUTER) / 8)
      // Writable: Aff0-2 [23:0], IRM [31], Aff3 [39:32].
      if (offset - Register.IROUTER) % 8 == 0 {
        router[intid] = (router[intid] & ~0xFFFF_FFFF) | UInt64(value & 0x80FF_FFFF)
      } else {
        router[intid] = (router[intid] & 0xFFFF_FFFF) | UInt64(value & 0xFF) << 32
      }
    default:
      break  // RAZ/WI
    }
  }
}
