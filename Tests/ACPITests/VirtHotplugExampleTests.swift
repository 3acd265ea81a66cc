import Testing

@testable import ACPI

/// The QEMU CPU hotplug register block and GED selector as a host (qemu-virt-hotplug fact
/// sheet §3): selector at 0, flags at 4 (bit0 enabled, bit1 inserting, bit2 removing, bit5
/// present; writes act on the first set bit of 1/2/3), command at 5, data at 8; ESEL reads clear.
struct CPUHotplugRegisters: AMLHost {
  struct Slot {
    var enabled: Bool
    var inserting = false
    var removing = false
  }

  var slots: [Slot]
  var selector: UInt32 = 0
  var command: UInt8 = 0
  var gedEvents: UInt32 = 0
  var notifications: [AMLNotification] = []
  var ost: [(event: UInt32, status: UInt32)] = []
  var lastOSTEvent: UInt32 = 0

  let block = UInt64(VirtHotplugExample.cpuHotplugBase)
  let ged = UInt64(VirtHotplugExample.gedBase)

  mutating func regionRead(space: UInt8, address: UInt64, bitWidth: Int) -> UInt64? {
    if address == ged {
      defer { gedEvents = 0 }
      return UInt64(gedEvents)
    }
    let slot = Int(selector) < slots.count ? slots[Int(selector)] : nil
    switch address - block {
    case 0: return 0
    case 4:
      guard let slot else { return 0 }
      return (slot.enabled ? 1 : 0) | (slot.inserting ? 2 : 0) | (slot.removing ? 4 : 0) | 0x20
    case 8: return command == 0 ? UInt64(selector) : 0
    default: return 0
    }
  }

  mutating func regionWrite(space: UInt8, address: UInt64, bitWidth: Int, value: UInt64) -> Bool {
    let index = Int(selector)
    switch address - block {
    case 0: selector = UInt32(truncatingIfNeeded: value)
    case 4:
      guard index < slots.count else { return true }
      if value & 2 != 0 {
        slots[index].inserting = false
      } else if value & 4 != 0 {
        slots[index].removing = false
      } else if value & 8 != 0 {
        slots[index].enabled = false
      }
    case 5:
      command = UInt8(truncatingIfNeeded: value)
      if command == 0 {
        for step in 0..<slots.count {
          let candidate = (index + step) % slots.count
          if slots[candidate].inserting || slots[candidate].removing {
            selector = UInt32(candidate)
            break
          }
        }
      }
    case 8:
      if command == 1 { lastOSTEvent = UInt32(truncatingIfNeeded: value) }
      if command == 2 { ost.append((lastOSTEvent, UInt32(truncatingIfNeeded: value))) }
    default: break
    }
    return true
  }

  mutating func notify(_ notification: AMLNotification) { notifications.append(notification) }
  mutating func debugOutput(_ value: AMLValue) {}
}

@Suite struct VirtHotplugExampleTests {
  let example = VirtHotplugExample(bootCPUs: 2, possibleCPUs: 4)

  func machine() throws -> (AMLInterpreter, CPUHotplugRegisters) {
    var interpreter = AMLInterpreter()
    try interpreter.load(example.dsdt.encodedBytes)
    let host = CPUHotplugRegisters(slots: (0..<4).map { .init(enabled: $0 < 2) })
    return (interpreter, host)
  }

  @Test func staReadsTheRegisterBlock() throws {
    var (interpreter, host) = try machine()
    #expect(try interpreter.evaluate("\\_SB.CPUS.C000._STA", host: &host) == .integer(0x0F))
    #expect(try interpreter.evaluate("\\_SB.CPUS.C003._STA", host: &host) == .integer(0x0D))
  }

  @Test func hotAddRunsTheScanAndNotifiesDeviceCheck() throws {
    var (interpreter, host) = try machine()
    host.slots[2].enabled = true
    host.slots[2].inserting = true
    host.gedEvents = 0x8
    _ = try interpreter.evaluate("\\_SB.GED._EVT", arguments: [.integer(41)], host: &host)
    #expect(host.notifications.map(\.path) == ["\\_SB.CPUS.C002"])
    #expect(host.notifications.map(\.value) == [1])
    #expect(!host.slots[2].inserting)
    #expect(try interpreter.evaluate("\\_SB.CPUS.C002._STA", host: &host) == .integer(0x0F))
    _ = try interpreter.evaluate(
      "\\_SB.CPUS.C002._OST", arguments: [.integer(1), .integer(0), .buffer([])], host: &host)
    #expect(host.ost.map(\.event) == [1] && host.ost.map(\.status) == [0])
  }

  @Test func ejectRequestThenEject() throws {
    var (interpreter, host) = try machine()
    host.slots[1].removing = true
    host.gedEvents = 0x8
    _ = try interpreter.evaluate("\\_SB.GED._EVT", arguments: [.integer(41)], host: &host)
    #expect(host.notifications.map(\.value) == [3])
    #expect(host.notifications.first?.path == "\\_SB.CPUS.C001")
    _ = try interpreter.evaluate("\\_SB.CPUS.C001._EJ0", arguments: [.integer(1)], host: &host)
    #expect(try interpreter.evaluate("\\_SB.CPUS.C001._STA", host: &host) == .integer(0x0D))
  }

  @Test func bootCPUHasNoEject() throws {
    let (interpreter, _) = try machine()
    #expect(interpreter.namespace.lookup(path: "\\_SB.CPUS.C000._EJ0") == nil)
    #expect(interpreter.namespace.lookup(path: "\\_SB.CPUS.C001._EJ0") != nil)
  }

  @Test func madtMatchesTheDSDT() throws {
    let madt = example.madt
    let giccs = madt.structures.compactMap { structure -> GICC? in
      if case .gicc(let gicc) = structure { return gicc }
      return nil
    }
    #expect(giccs.map(\.acpiProcessorUID) == [0, 1, 2, 3])
    #expect(giccs.map(\.flags) == [GICC.enabled, GICC.enabled, GICC.onlineCapable, GICC.onlineCapable])
    #expect(giccs.allSatisfy { $0.gicrBaseAddress == 0 })
    var interpreter = AMLInterpreter()
    try interpreter.load(example.dsdt.encodedBytes)
    for gicc in giccs {
      let path = "\\_SB.CPUS.C" + hex(UInt64(gicc.acpiProcessorUID), 3) + "._UID"
      var host = AMLSimulatedHost()
      #expect(try interpreter.evaluate(path, host: &host) == .integer(UInt64(gicc.acpiProcessorUID)))
    }
  }

  @Test func deviceNamesAreThreeHexDigits() {
    #expect(VirtHotplugExample.deviceName(10).description == "C00A")
    #expect(VirtHotplugExample.deviceName(511).description == "C1FF")
  }
}
