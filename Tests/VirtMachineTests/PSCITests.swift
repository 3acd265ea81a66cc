import Testing

@testable import VirtMachine

@Suite struct PSCITests {
  /// 4 possible CPUs: 0 on, 1 plugged and off, 2 plugged and on, 3 not plugged.
  let env = PSCI.Environment(
    affinities: [0, 1, 2, 3], plugged: [true, true, true, false], power: [.on, .off, .on, .off])

  func call(_ x0: UInt64, _ x1: UInt64 = 0, _ x2: UInt64 = 0, _ x3: UInt64 = 0, env: PSCI.Environment? = nil)
    -> PSCI.Outcome
  {
    PSCI.call(caller: 0, x0: x0, x1: x1, x2: x2, x3: x3, environment: env ?? self.env).outcome
  }

  func code(_ c: PSCI.ReturnCode) -> PSCI.Outcome { .returns(c.register) }

  @Test func versionAndInfo() {
    #expect(call(0x8400_0000) == .returns(0x1_0001))
    #expect(call(0x8400_0006) == .returns(2))
    #expect(call(0x8400_0005) == code(.NOT_SUPPORTED))
    #expect(call(0x8400_0042) == code(.NOT_SUPPORTED))
    #expect(PSCI.ReturnCode.NOT_SUPPORTED.register == 0xFFFF_FFFF_FFFF_FFFF)
    // The function ID is W0: garbage in x0[63:32] is ignored.
    #expect(call(0xDEAD_0000_8400_0000) == .returns(0x1_0001))
  }

  @Test func cpuOnReturnCodesInQEMUsOrder() {
    #expect(call(0xC400_0003, 1, 0x4008_0000, 7) == .startCPU(target: 1, entry: 0x4008_0000, context: 7))
    #expect(call(0x8400_0003, 1, 0x4008_0000, 7) == .startCPU(target: 1, entry: 0x4008_0000, context: 7))
    #expect(call(0xC400_0003, 1, 0x4008_0002) == code(.INVALID_PARAMETERS))  // misaligned entry first
    #expect(call(0xC400_0003, 9, 0x4008_0002) == code(.INVALID_PARAMETERS))
    #expect(call(0xC400_0003, 3, 0x4008_0000) == code(.DENIED))  // possible, not plugged
    #expect(call(0xC400_0003, 9, 0x4008_0000) == code(.INVALID_PARAMETERS))  // not a possible MPIDR
    #expect(call(0xC400_0003, 0x8000_0001, 0x4008_0000) == code(.INVALID_PARAMETERS))  // bit 31 set
    #expect(call(0xC400_0003, 2, 0x4008_0000) == code(.ALREADY_ON))
    #expect(call(0xC400_0003, 0, 0x4008_0000) == code(.ALREADY_ON))  // itself
    var pending = env
    pending.power[1] = .onPending
    #expect(call(0xC400_0003, 1, 0x4008_0000, env: pending) == code(.ON_PENDING))
  }

  @Test func affinityInfo() {
    #expect(call(0xC400_0004, 0, 0) == .returns(0))
    #expect(call(0xC400_0004, 1, 0) == .returns(1))
    var pending = env
    pending.power[1] = .onPending
    #expect(call(0xC400_0004, 1, 0, env: pending) == .returns(2))
    #expect(call(0xC400_0004, 3, 0) == code(.INVALID_PARAMETERS))
    #expect(call(0xC400_0004, 1, 1) == .returns(0))  // level > 0: QEMU answers ON
  }

  @Test func offSuspendSystemAndFeatures() {
    #expect(call(0x8400_0002, 0x1_0000) == .powerOff)
    #expect(call(0xC400_0001, 0) == .standby)
    #expect(call(0xC400_0001, 0x2_0000) == code(.INVALID_PARAMETERS))
    #expect(call(0x8400_0008) == .systemOff)
    #expect(call(0x8400_0009) == .systemReset)
    #expect(call(0x8400_000A, 0xC400_0003) == .returns(0))
    #expect(call(0x8400_000A, 0x8400_0005) == code(.NOT_SUPPORTED))
    #expect(call(0x8400_000A, 0x8000_0000) == code(.NOT_SUPPORTED))  // SMCCC_VERSION: Linux assumes v1.0
  }

  @Test func linuxErrnoMapping() {
    #expect(PSCI.linuxErrno(0) == 0)
    #expect(PSCI.linuxErrno(-1) == -95)
    #expect(PSCI.linuxErrno(-2) == -22)
    #expect(PSCI.linuxErrno(-3) == -1)
    #expect(PSCI.linuxErrno(-4) == -22)
    #expect(PSCI.linuxErrno(-9) == -22)
  }

  @Test func traceDetails() {
    let c = PSCI.call(caller: 0, x0: 0xC400_0003, x1: 3, x2: 0x4008_0000, x3: 0, environment: env)
    #expect(c.traceEvent == "psci.cpu_on")
    #expect(c.details == "target=0x3 entry=0x40080000 context=0x0 -> DENIED")
  }
}

@Suite struct ACPICPUHotplugTests {
  func block() -> ACPICPUHotplug {
    var b = ACPICPUHotplug(archIDs: [0, 1, 2, 3])
    b.slots[0].plugged = true
    b.slots[0].enabled = true
    return b
  }

  @Test func flagsOfAnEmptyAndAPluggedSlot() {
    var b = block()
    _ = b.write(offset: 0, size: 4, value: 2)
    #expect(b.read(offset: 4, size: 1) == 0x20)  // CPRS only: present, not enabled
    _ = b.write(offset: 0, size: 4, value: 0)
    #expect(b.read(offset: 4, size: 1) == 0x21)
  }

  @Test func insertScanAndClear() {
    var b = block()
    b.slots[2].plugged = true
    b.slots[2].enabled = true
    b.slots[2].inserting = true
    _ = b.write(offset: 0, size: 4, value: 0)  // CSEL = 0
    _ = b.write(offset: 5, size: 1, value: 0)  // CCMD = GET_NEXT_CPU_WITH_EVENT
    #expect(b.read(offset: 8, size: 4) == 2)
    #expect(b.read(offset: 4, size: 1) == 0x23)
    _ = b.write(offset: 4, size: 1, value: 0x02)
    #expect(b.read(offset: 4, size: 1) == 0x21)
    // Nothing pending any more: the selector stays.
    _ = b.write(offset: 5, size: 1, value: 0)
    #expect(b.read(offset: 8, size: 4) == 2)
  }

  @Test func scanWrapsAround() {
    var b = block()
    b.slots[1].removing = true
    _ = b.write(offset: 0, size: 4, value: 3)
    _ = b.write(offset: 5, size: 1, value: 0)
    #expect(b.read(offset: 8, size: 4) == 1)
  }

  @Test func onlyTheFirstFlagBitActs() {
    var b = block()
    b.slots[1].plugged = true
    b.slots[1].inserting = true
    b.slots[1].removing = true
    _ = b.write(offset: 0, size: 4, value: 1)
    #expect(b.write(offset: 4, size: 1, value: 0x0E) == nil)  // clears insert only
    #expect(!b.slots[1].inserting && b.slots[1].removing)
    #expect(b.write(offset: 4, size: 1, value: 0x0C) == nil)  // clears remove only
    #expect(!b.slots[1].removing)
    #expect(b.write(offset: 4, size: 1, value: 0x08) == .eject(slot: 1))
  }

  @Test func ejectIsIgnoredForTheBootCPUAndEmptySlots() {
    var b = block()
    _ = b.write(offset: 0, size: 4, value: 0)
    #expect(b.write(offset: 4, size: 1, value: 0x08) == nil)
    _ = b.write(offset: 0, size: 4, value: 3)
    #expect(b.write(offset: 4, size: 1, value: 0x08) == nil)
    #expect(
      b.notes.map(\.details) == ["slot 0: CEJ0 ignored (boot CPU)", "slot 3: CEJ0 ignored (empty slot)"])
  }

  @Test func ostAndCPUIDCommands() {
    var b = ACPICPUHotplug(archIDs: [0, 0x1_0000_0101])
    _ = b.write(offset: 0, size: 4, value: 1)
    _ = b.write(offset: 5, size: 1, value: 1)
    _ = b.write(offset: 8, size: 4, value: 3)
    _ = b.write(offset: 5, size: 1, value: 2)
    #expect(b.write(offset: 8, size: 4, value: 0x84) == .ost(slot: 1, event: 3, status: 0x84))
    _ = b.write(offset: 5, size: 1, value: 3)
    #expect(b.read(offset: 8, size: 4) == 0x101)
    #expect(b.read(offset: 0, size: 4) == 1)
    _ = b.write(offset: 5, size: 1, value: 9)  // ignored
    #expect(b.command == 3)
  }

  @Test func outOfRangeSelector() {
    var b = block()
    _ = b.write(offset: 0, size: 4, value: 4)
    #expect(b.read(offset: 4, size: 1) == 0)
    #expect(b.read(offset: 8, size: 4) == 0)
    #expect(b.write(offset: 4, size: 1, value: 8) == nil)
  }
}

@Suite struct GenericEventDeviceTests {
  @Test func selectorIsReadToClearAndOnlyFourByteReadsWork() {
    var ged = GenericEventDevice()
    ged.raise(.cpuHotplug)
    ged.raise(.powerDown)
    ged.raise(.memoryHotplug)  // not enabled on this board
    #expect(ged.read(offset: 0, size: 1) == 0)
    #expect(ged.read(offset: 0, size: 4) == 0xA)
    #expect(ged.read(offset: 0, size: 4) == 0)
  }
}

@Suite struct PL011Tests {
  @Test func collectsLines() {
    var uart = PL011()
    for byte in "hi\r\nthere\n".utf8 { uart.write(offset: 0, size: 1, value: UInt64(byte)) }
    #expect(uart.lines == ["hi", "there"])
    #expect(uart.read(offset: 0x18, size: 4) & 0x20 == 0)  // TXFF clear: never full
  }
}
