// The memory system seen by the vCPUs: sparse RAM regions, MMIO regions served by the board
// model, the global exclusive monitor and the WFE event registers shared by all PEs.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A device mapped into the physical address space (GIC, UART, hotplug registers, ...).
/// Offsets are relative to the region base; `size` is 1, 2, 4 or 8 bytes.
public protocol MMIODevice: AnyObject {
  /// Returns the value read, or nil to signal a synchronous external abort.
  func mmioRead(offset: UInt64, size: Int, cpu: Int) -> UInt64?
  /// Returns false to signal a synchronous external abort.
  func mmioWrite(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool
}

/// An MMIO device built from two closures.
public final class ClosureMMIODevice: MMIODevice {
  let read: (UInt64, Int, Int) -> UInt64?
  let write: (UInt64, Int, UInt64, Int) -> Bool

  public init(
    read: @escaping (_ offset: UInt64, _ size: Int, _ cpu: Int) -> UInt64?,
    write: @escaping (_ offset: UInt64, _ size: Int, _ value: UInt64, _ cpu: Int) -> Bool
  ) {
    self.read = read
    self.write = write
  }

  public func mmioRead(offset: UInt64, size: Int, cpu: Int) -> UInt64? { read(offset, size, cpu) }
  public func mmioWrite(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
    write(offset, size, value, cpu)
  }
}

/// Errors of the host-side bus API.
public enum BusError: Error, Equatable, Sendable, CustomStringConvertible {
  case overlap(base: UInt64, size: UInt64)
  case badRegion(base: UInt64, size: UInt64)
  case outOfMemory(size: UInt64)
  case unmapped(address: UInt64, size: Int)

  public var description: String {
    switch self {
    case .overlap(let b, let s):
      return "region 0x\(String(b, radix: 16)) size 0x\(String(s, radix: 16)) overlaps an existing region"
    case .badRegion(let b, let s):
      return
        "region 0x\(String(b, radix: 16)) size 0x\(String(s, radix: 16)) must be 4 KiB aligned, non-empty and below 2^48"
    case .outOfMemory(let s): return "cannot reserve 0x\(String(s, radix: 16)) bytes of guest RAM"
    case .unmapped(let a, let n): return "\(n) byte(s) at 0x\(String(a, radix: 16)) are not RAM"
    }
  }
}

/// One RAM region: a lazily-committed anonymous mapping (pages the guest never touches cost
/// nothing), plus one flag byte per 4 KiB page for the store slow path.
final class RAMRegion {
  let base: UInt64
  let size: UInt64
  let memory: UnsafeMutableRawPointer
  /// Per page: bit 0 = holds translated code, bit 1 = holds an exclusive reservation.
  let pageFlags: UnsafeMutablePointer<UInt8>
  /// Per page: which 64-byte lines hold translated instructions, so that data stored next to
  /// code on the same page does not throw the translations away.
  let codeLines: UnsafeMutablePointer<UInt64>

  static let codeFlag: UInt8 = 1
  static let reservationFlag: UInt8 = 2
  /// Set on every page until its first store: that store takes the slow path once, which
  /// records the page as written (for snapshots) and clears the flag.
  static let cleanFlag: UInt8 = 4
  /// Pages stored to at least once since the region was created.
  var writtenPages = Set<Int>()

  init(base: UInt64, size: UInt64) throws(BusError) {
    self.base = base
    self.size = size
    let p = mmap(nil, Int(size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
    guard let p, p != MAP_FAILED else { throw .outOfMemory(size: size) }
    memory = p
    let pages = Int(size >> 12)
    pageFlags = .allocate(capacity: pages)
    pageFlags.initialize(repeating: RAMRegion.cleanFlag, count: pages)
    codeLines = .allocate(capacity: pages)
    codeLines.initialize(repeating: 0, count: pages)
  }

  /// Marks `[address, address + length)` as translated code.
  func markCode(_ address: UInt64, _ length: Int) {
    let off = address - base
    let page = Int(off >> 12)
    let first = Int((off & 0xFFF) >> 6)
    let last = Int(((off & 0xFFF) + UInt64(length) - 1) >> 6)
    for line in first...min(last, 63) { codeLines[page] |= 1 << UInt64(line) }
    pageFlags[page] |= RAMRegion.codeFlag
  }

  deinit {
    munmap(memory, Int(size))
    pageFlags.deallocate()
    codeLines.deallocate()
  }

  @inline(__always) func contains(_ address: UInt64, _ n: Int) -> Bool {
    address &- base < size && size - (address &- base) >= UInt64(n)
  }
}

struct MMIORegion {
  var base: UInt64
  var size: UInt64
  var name: String
  var device: MMIODevice
}

/// Result of a guest data access on the slow path.
enum AccessResult {
  case ok(UInt64)
  case externalAbort
}

/// The physical memory system shared by the vCPUs of one machine.
public final class SystemBus {
  var ram: [RAMRegion] = []
  /// The pages of the last RAM snapshot, by region base and page (see `snapshotRAM()`).
  var lastSnapshotPages: [UInt64: [Int: [UInt8]]] = [:]
  var mmio: [MMIORegion] = []
  /// Attached CPUs (weak), indexed by their bus index.
  var cpus: [WeakCPU] = []
  /// Global exclusive monitor: the reserved 64-byte granule of each PE, if any.
  var reservations: [UInt64?] = []
  /// WFE event registers, one per PE.
  public internal(set) var eventRegisters: [Bool] = []

  /// Exclusives Reservation Granule: 64 bytes (IMPLEMENTATION DEFINED, 16...2048).
  static let granuleMask: UInt64 = ~63

  public init() {}

  /// Adds RAM at `base` (both 4 KiB aligned). Memory reads as zero until written.
  public func addRAM(base: UInt64, size: UInt64) throws(BusError) {
    guard size > 0, base & 0xFFF == 0, size & 0xFFF == 0, base < 1 << 48, size <= 1 << 40,
      base + size <= 1 << 48
    else { throw .badRegion(base: base, size: size) }
    guard !overlaps(base, size) else { throw .overlap(base: base, size: size) }
    ram.append(try RAMRegion(base: base, size: size))
  }

  /// Maps a device at `base`.
  public func addMMIO(base: UInt64, size: UInt64, name: String, device: MMIODevice) throws(BusError) {
    guard size > 0, base < 1 << 48, base + size <= 1 << 48 else { throw .badRegion(base: base, size: size) }
    guard !overlaps(base, size) else { throw .overlap(base: base, size: size) }
    mmio.append(MMIORegion(base: base, size: size, name: name, device: device))
  }

  func overlaps(_ base: UInt64, _ size: UInt64) -> Bool {
    ram.contains { base < $0.base + $0.size && $0.base < base + size }
      || mmio.contains { base < $0.base + $0.size && $0.base < base + size }
  }

  /// The name of the region holding `address` (for reports).
  public func regionName(at address: UInt64) -> String? {
    if ram.contains(where: { $0.contains(address, 1) }) { return "RAM" }
    return mmio.first { address &- $0.base < $0.size }?.name
  }

  func attach(_ cpu: CPU) -> Int {
    cpus.append(WeakCPU(cpu))
    reservations.append(nil)
    eventRegisters.append(false)
    return cpus.count - 1
  }

  @inline(__always) func ramRegion(_ address: UInt64, _ n: Int) -> RAMRegion? {
    for r in ram where r.contains(address, n) { return r }
    return nil
  }

  // MARK: Host-side access (loaders, tests, the board model)

  /// Copies bytes into RAM (invalidating translated code there).
  public func write(_ bytes: [UInt8], at address: UInt64) throws(BusError) {
    guard !bytes.isEmpty else { return }
    guard let r = ramRegion(address, bytes.count) else {
      throw .unmapped(address: address, size: bytes.count)
    }
    bytes.withUnsafeBytes { src in
      (r.memory + Int(address - r.base)).copyMemory(from: src.baseAddress!, byteCount: bytes.count)
    }
    noteStore(r, address, bytes.count, by: -1)
  }

  /// Reads bytes from RAM.
  public func read(_ address: UInt64, count: Int) throws(BusError) -> [UInt8] {
    guard count > 0 else { return [] }
    guard let r = ramRegion(address, count) else { throw .unmapped(address: address, size: count) }
    let p = (r.memory + Int(address - r.base)).assumingMemoryBound(to: UInt8.self)
    return Array(UnsafeBufferPointer(start: p, count: count))
  }

  /// Reads a little-endian value of 1, 2, 4 or 8 bytes from RAM.
  public func readValue(_ address: UInt64, size: Int) throws(BusError) -> UInt64 {
    let b = try read(address, count: size)
    var v: UInt64 = 0
    for (i, x) in b.enumerated() { v |= UInt64(x) << UInt64(8 * i) }
    return v
  }

  /// Writes a little-endian value of 1, 2, 4 or 8 bytes to RAM.
  public func writeValue(_ value: UInt64, at address: UInt64, size: Int) throws(BusError) {
    try write((0..<size).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) }, at: address)
  }

  // MARK: Guest access slow path

  /// A guest load that missed the fast path (other RAM region or MMIO). Alignment is checked
  /// by the caller.
  func guestRead(_ address: UInt64, _ size: Int, cpu: Int) -> AccessResult {
    if let r = ramRegion(address, size) {
      return .ok(loadLE(r.memory + Int(address - r.base), size))
    }
    for m in mmio where address &- m.base < m.size && m.size - (address - m.base) >= UInt64(size) {
      if let v = m.device.mmioRead(offset: address - m.base, size: size, cpu: cpu) {
        return .ok(size == 8 ? v : v & ones(size * 8))
      }
      return .externalAbort
    }
    return .externalAbort
  }

  func guestWrite(_ address: UInt64, _ size: Int, _ value: UInt64, cpu: Int) -> Bool {
    if let r = ramRegion(address, size) {
      storeLE(r.memory + Int(address - r.base), size, value)
      noteStore(r, address, size, by: cpu)
      return true
    }
    for m in mmio where address &- m.base < m.size && m.size - (address - m.base) >= UInt64(size) {
      return m.device.mmioWrite(
        offset: address - m.base, size: size, value: size == 8 ? value : value & ones(size * 8), cpu: cpu)
    }
    return false
  }

  /// After a store to RAM: invalidate translated code on the page and clear other PEs'
  /// reservations on the granule (which also signals a WFE event to them).
  func noteStore(_ r: RAMRegion, _ address: UInt64, _ size: Int, by cpu: Int) {
    let firstPage = Int((address - r.base) >> 12)
    let lastPage = Int((address - r.base + UInt64(size) - 1) >> 12)
    for page in firstPage...lastPage {
      let flags = r.pageFlags[page]
      if flags == 0 { continue }
      if flags & RAMRegion.cleanFlag != 0 {
        r.pageFlags[page] &= ~RAMRegion.cleanFlag
        r.writtenPages.insert(page)
      }
      if flags & RAMRegion.codeFlag != 0 {
        let pageStart = UInt64(page) << 12
        let lo = max(address - r.base, pageStart) - pageStart
        let hi = min(address - r.base + UInt64(size), pageStart + 4096) - 1 - pageStart
        var touched: UInt64 = 0
        for line in Int(lo >> 6)...Int(hi >> 6) { touched |= 1 << UInt64(line) }
        if r.codeLines[page] & touched != 0 {
          r.pageFlags[page] &= ~RAMRegion.codeFlag
          r.codeLines[page] = 0
          let pageAddress = r.base + pageStart
          for c in cpus { c.cpu?.invalidateTranslations(page: pageAddress) }
        }
      }
      if flags & RAMRegion.reservationFlag != 0 {
        let lo = address & SystemBus.granuleMask
        let hi = (address + UInt64(size) - 1) & SystemBus.granuleMask
        for i in reservations.indices where i != cpu {
          if let g = reservations[i], g >= lo && g <= hi {
            reservations[i] = nil
            eventRegisters[i] = true
          }
        }
        refreshReservationFlag(r, page)
      }
    }
  }

  func refreshReservationFlag(_ r: RAMRegion, _ page: Int) {
    let lo = r.base + UInt64(page) << 12
    let held = reservations.contains { $0.map { $0 >= lo && $0 < lo + 4096 } ?? false }
    if held {
      r.pageFlags[page] |= RAMRegion.reservationFlag
    } else {
      r.pageFlags[page] &= ~RAMRegion.reservationFlag
    }
  }

  // MARK: Exclusive monitor

  func setReservation(cpu: Int, address: UInt64) {
    clearReservation(cpu: cpu)
    let g = address & SystemBus.granuleMask
    reservations[cpu] = g
    if let r = ramRegion(g, 1) { r.pageFlags[Int((g - r.base) >> 12)] |= RAMRegion.reservationFlag }
  }

  func clearReservation(cpu: Int) {
    guard let g = reservations[cpu] else { return }
    reservations[cpu] = nil
    if let r = ramRegion(g, 1) { refreshReservationFlag(r, Int((g - r.base) >> 12)) }
  }

  func holdsReservation(cpu: Int, address: UInt64) -> Bool {
    reservations[cpu] == address & SystemBus.granuleMask
  }

  // MARK: Events (WFE/SEV)

  /// SEV: signal an event to every PE (each PE's event register is set).
  public func sendEventToAll() {
    for i in eventRegisters.indices { eventRegisters[i] = true }
  }

  /// Sets one PE's event register (SEVL, or a wake-up event from the board).
  public func signalEvent(cpu: Int) {
    if cpu >= 0 && cpu < eventRegisters.count { eventRegisters[cpu] = true }
  }

  func consumeEvent(cpu: Int) -> Bool {
    if eventRegisters[cpu] {
      eventRegisters[cpu] = false
      return true
    }
    return false
  }
}

final class WeakCPU {
  weak var cpu: CPU?
  init(_ cpu: CPU) { self.cpu = cpu }
}

@inline(__always) func loadLE(_ p: UnsafeMutableRawPointer, _ size: Int) -> UInt64 {
  switch size {
  case 1: return UInt64(p.load(as: UInt8.self))
  case 2: return UInt64(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self)))
  case 4: return UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
  default: return UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
  }
}

@inline(__always) func storeLE(_ p: UnsafeMutableRawPointer, _ size: Int, _ v: UInt64) {
  switch size {
  case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
  case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, as: UInt16.self)
  case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian, as: UInt32.self)
  default: p.storeBytes(of: v.littleEndian, as: UInt64.self)
  }
}
