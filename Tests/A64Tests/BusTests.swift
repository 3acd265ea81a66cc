import Testing

@testable import A64

final class RecordingDevice: MMIODevice {
  var writes: [(UInt64, Int, UInt64, Int)] = []
  var value: UInt64 = 0x1122_3344_5566_7788

  func mmioRead(offset: UInt64, size: Int, cpu: Int) -> UInt64? { offset >= 0x100 ? nil : value }

  func mmioWrite(offset: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
    writes.append((offset, size, value, cpu))
    return offset < 0x100
  }
}

@Suite struct BusTests {
  @Test func regionsAreValidated() throws {
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
    #expect(throws: BusError.overlap(base: 0x400F_F000, size: 0x2000)) {
      try bus.addRAM(base: 0x400F_F000, size: 0x2000)
    }
    #expect(throws: BusError.badRegion(base: 0x123, size: 0x1000)) {
      try bus.addRAM(base: 0x123, size: 0x1000)
    }
    #expect(throws: BusError.badRegion(base: 0, size: 0)) { try bus.addRAM(base: 0, size: 0) }
    #expect(throws: BusError.unmapped(address: 0x1000, size: 4)) { try bus.write([1, 2, 3, 4], at: 0x1000) }
    #expect(bus.regionName(at: 0x4000_0010) == "RAM")
  }

  @Test func sparseRAMReadsZeroAndKeepsWrites() throws {
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x4000_0000)  // 1 GiB reserved, committed lazily
    #expect(try bus.readValue(0x7FFF_FFF8, size: 8) == 0)
    try bus.writeValue(0x0102_0304_0506_0708, at: 0x6000_0000, size: 8)
    #expect(try bus.read(0x6000_0000, count: 3) == [8, 7, 6])
  }

  @Test func guestAccessesReachMMIOAndAbortOnHoles() throws {
    let bus = SystemBus()
    let dev = RecordingDevice()
    try bus.addMMIO(base: 0x0900_0000, size: 0x1000, name: "pl011", device: dev)
    #expect(bus.regionName(at: 0x0900_0004) == "pl011")
    guard case .ok(let v) = bus.guestRead(0x0900_0000, 2, cpu: 0) else {
      Issue.record("MMIO read failed")
      return
    }
    #expect(v == 0x7788)  // narrowed to the access size
    #expect(bus.guestWrite(0x0900_0008, 4, 0xABCD, cpu: 3))
    #expect(dev.writes.first.map { $0.0 == 8 && $0.1 == 4 && $0.2 == 0xABCD && $0.3 == 3 } == true)
    if case .ok = bus.guestRead(0x0900_0200, 4, cpu: 0) { Issue.record("device refused, expected an abort") }
    if case .ok = bus.guestRead(0x1234_0000, 4, cpu: 0) { Issue.record("hole, expected an abort") }
    #expect(!bus.guestWrite(0x1234_0000, 8, 0, cpu: 0))
  }

  @Test func anotherPEsStoreClearsTheReservationAndSignalsAnEvent() throws {
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
    let a = CPU(bus: bus)
    let b = CPU(bus: bus)
    bus.setReservation(cpu: a.index, address: 0x4000_1008)
    #expect(bus.holdsReservation(cpu: a.index, address: 0x4000_1000))  // same 64-byte granule
    #expect(bus.guestWrite(0x4000_1100, 8, 1, cpu: b.index))  // another granule: kept
    #expect(bus.holdsReservation(cpu: a.index, address: 0x4000_1008))
    #expect(bus.guestWrite(0x4000_1010, 4, 1, cpu: b.index))
    #expect(!bus.holdsReservation(cpu: a.index, address: 0x4000_1008))
    #expect(bus.eventRegisters[a.index])
  }
}
