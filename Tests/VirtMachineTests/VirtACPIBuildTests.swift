import ACPI
import Testing

@testable import VirtMachine

/// An AML host that serves the board's registers: the CPU hotplug block and the GED selector.
struct BoardHost: AMLHost {
  var hotplug: ACPICPUHotplug
  var ged = GenericEventDevice()
  var notifications: [AMLNotification] = []
  var actions: [ACPICPUHotplug.Action] = []

  mutating func regionRead(space: UInt8, address: UInt64, bitWidth: Int) -> UInt64? {
    guard space == AMLRegionSpace.systemMemory else { return nil }
    if address >= ACPICPUHotplug.base && address < ACPICPUHotplug.base + ACPICPUHotplug.length {
      return hotplug.read(offset: address - ACPICPUHotplug.base, size: bitWidth / 8)
    }
    if address == GenericEventDevice.base { return ged.read(offset: 0, size: bitWidth / 8) }
    return 0
  }

  mutating func regionWrite(space: UInt8, address: UInt64, bitWidth: Int, value: UInt64) -> Bool {
    guard space == AMLRegionSpace.systemMemory else { return false }
    if address >= ACPICPUHotplug.base && address < ACPICPUHotplug.base + ACPICPUHotplug.length {
      if let action = hotplug.write(offset: address - ACPICPUHotplug.base, size: bitWidth / 8, value: value) {
        actions.append(action)
        if case .eject(let slot) = action {
          // What the machine does inside the MMIO write: the vCPU leaves the slot.
          hotplug.slots[slot].plugged = false
          hotplug.slots[slot].enabled = false
        }
      }
    }
    return true
  }

  mutating func notify(_ notification: AMLNotification) { notifications.append(notification) }
  mutating func debugOutput(_ value: AMLValue) {}
}

@Suite struct VirtACPIBuildTests {
  func build(_ smp: String = "1,maxcpus=4", _ configure: (inout VirtOptions) -> Void = { _ in }) throws
    -> VirtACPIBuild
  {
    var options = VirtOptions()
    configure(&options)
    return VirtACPIBuild(smp: try SMPConfiguration.parse(smp), options: options)
  }

  func host(_ build: VirtACPIBuild, plugged: [Int]) -> BoardHost {
    var block = ACPICPUHotplug(archIDs: (0..<build.smp.maxCPUs).map { CPUSlotID.affinity(index: $0) })
    for i in plugged {
      block.slots[i].plugged = true
      block.slots[i].enabled = true
    }
    return BoardHost(hotplug: block)
  }

  func interpreter(_ build: VirtACPIBuild, _ host: inout BoardHost) throws -> AMLInterpreter {
    var i = AMLInterpreter()
    try i.load(build.dsdt.encodedBytes, host: &host)
    return i
  }

  @Test func madtDescribesEveryPossibleCPU() throws {
    let b = try build("2,maxcpus=4")
    let madt = try MADT.decode(b.madt.encodedBytes)
    #expect(madt.header.revision == 6)
    let giccs = madt.structures.compactMap { s -> GICC? in
      if case .gicc(let g) = s { return g } else { return nil }
    }
    #expect(giccs.map(\.flags) == [1, 1, 8, 8])
    #expect(giccs.map(\.mpidr) == [0, 1, 2, 3])
    #expect(giccs.allSatisfy { $0.length == 82 && $0.gicrBaseAddress == 0 })
    #expect(
      madt.structures.contains {
        if case .gicr(let r) = $0 { r.discoveryRangeBase == 0x080A_0000 } else { false }
      })
  }

  @Test func madtOptions() throws {
    let qemu = try build("2,maxcpus=4") {
      $0.madtRevision = 4
      $0.coldPlugFlags = .onlineCapable
      $0.redistributors = .perGICC
    }
    let madt = try MADT.decode(qemu.madt.encodedBytes)
    let giccs = madt.structures.compactMap { s -> GICC? in
      if case .gicc(let g) = s { return g } else { return nil }
    }
    #expect(madt.header.revision == 4)
    #expect(giccs.map(\.flags) == [1, 8, 8, 8])
    #expect(giccs.allSatisfy { $0.length == 80 })
    #expect(giccs.map(\.gicrBaseAddress) == [0x080A_0000, 0, 0, 0])
    #expect(!madt.structures.contains { if case .gicr = $0 { true } else { false } })
  }

  @Test func tablesChecksumAndChain() throws {
    let b = try build()
    let rsdp = try RSDP.decode(b.rsdp.encodedBytes)
    #expect(rsdp.xsdtAddress == VirtACPIBuild.xsdtAddress)
    #expect(
      try XSDT.decode(b.xsdt.encodedBytes).entries == [VirtACPIBuild.fadtAddress, VirtACPIBuild.madtAddress])
    let fadt = try FADT.decode(b.fadt.encodedBytes)
    #expect(fadt.xDSDT == VirtACPIBuild.dsdtAddress)
    #expect(fadt.armBootArch == 3)
    #expect(b.tables.map(\.name) == ["RSDP", "XSDT", "FACP", "APIC", "DSDT"])
  }

  @Test(arguments: [VirtOptions.Scan.upstream, .rfcV5])
  func staForEveryVCPUState(scan: VirtOptions.Scan) throws {
    let b = try build("1,maxcpus=4") { $0.scan = scan }
    var h = host(b, plugged: [0])
    var i = try interpreter(b, &h)
    func sta(_ n: Int) throws -> UInt64? {
      guard case .integer(let v)? = try i.evaluate("\\_SB.CPUS.C00\(n)._STA", host: &h) else { return nil }
      return v
    }
    #expect(try sta(0) == 0xF)
    #expect(try sta(2) == 0xD)  // not plugged
    h.hotplug.slots[2].plugged = true
    h.hotplug.slots[2].enabled = true
    #expect(try sta(2) == 0xF)  // plugged
    h.hotplug.slots[2].removing = true
    #expect(try sta(2) == 0xF)  // eject requested
    _ = try i.evaluate("\\_SB.CPUS.C002._EJ0", arguments: [.integer(1)], host: &h)
    #expect(h.actions.contains(.eject(slot: 2)))
    #expect(try sta(2) == 0xD)  // ejected
  }

  @Test(arguments: [VirtOptions.Scan.upstream, .rfcV5])
  func deviceAddThroughGEDEventToDeviceCheck(scan: VirtOptions.Scan) throws {
    let b = try build("1,maxcpus=4") { $0.scan = scan }
    var h = host(b, plugged: [0])
    var i = try interpreter(b, &h)
    // device_add: the slot is plugged with an insert pending, and the GED raises its CPU event.
    h.hotplug.slots[2].plugged = true
    h.hotplug.slots[2].enabled = true
    h.hotplug.slots[2].inserting = true
    h.ged.raise(.cpuHotplug)
    _ = try i.evaluate("\\_SB.GED._EVT", arguments: [.integer(41)], host: &h)
    #expect(h.notifications.map { "\($0.path) \($0.value)" } == ["\\_SB.CPUS.C002 1"])
    #expect(!h.hotplug.slots[2].inserting)
    #expect(h.ged.selector == 0)
    // _OST(1, 0) after the OS registered the CPU.
    _ = try i.evaluate("\\_SB.CPUS.C002._OST", arguments: [.integer(1), .integer(0), .buffer([])], host: &h)
    #expect(h.actions.last == .ost(slot: 2, event: 1, status: 0))
  }

  @Test(arguments: [VirtOptions.Scan.upstream, .rfcV5])
  func deviceDelThroughEjectRequest(scan: VirtOptions.Scan) throws {
    let b = try build("1,maxcpus=4") { $0.scan = scan }
    var h = host(b, plugged: [0, 1, 3])
    var i = try interpreter(b, &h)
    h.hotplug.slots[3].removing = true
    h.hotplug.slots[1].inserting = true
    h.ged.raise(.cpuHotplug)
    _ = try i.evaluate("\\_SB.GED._EVT", arguments: [.integer(41)], host: &h)
    let order = h.notifications.map { "\($0.path) \($0.value)" }
    // Upstream sends every Device Check before the Eject Requests; RFC-V5 notifies ejects during the scan.
    #expect(
      order
        == (scan == .upstream
          ? ["\\_SB.CPUS.C001 1", "\\_SB.CPUS.C003 3"] : ["\\_SB.CPUS.C003 3", "\\_SB.CPUS.C001 1"]))
    #expect(!h.hotplug.slots[3].removing && !h.hotplug.slots[1].inserting)
    _ = try i.evaluate(
      "\\_SB.CPUS.C003._OST", arguments: [.integer(3), .integer(0x84), .buffer([])], host: &h)
    _ = try i.evaluate("\\_SB.CPUS.C003._EJ0", arguments: [.integer(1)], host: &h)
    #expect(h.actions.suffix(2) == [.ost(slot: 3, event: 3, status: 0x84), .eject(slot: 3)])
  }

  @Test func slotsPastSixteenAreHexNamed() throws {
    let b = try build("1,maxcpus=20")
    var h = host(b, plugged: [0])
    var i = try interpreter(b, &h)
    #expect(try i.evaluate("\\_SB.CPUS.C00A._UID", host: &h) == .integer(10))
    #expect(try i.evaluate("\\_SB.CPUS.C010._UID", host: &h) == .integer(16))
    #expect(VirtACPIBuild.deviceName(511).description == "C1FF")
  }

  @Test func bootCPUHasNoEject() throws {
    let b = try build("2,maxcpus=4")
    var h = host(b, plugged: [0, 1])
    let i = try interpreter(b, &h)
    #expect(i.namespace.lookup(path: "\\_SB.CPUS.C000._EJ0") == nil)
    #expect((1..<4).allSatisfy { i.namespace.lookup(path: "\\_SB.CPUS.C00\($0)._EJ0") != nil })
  }

  /// Every GICC's ACPI Processor UID is the `_UID` of the processor device named after it (`C%03X`).
  @Test func madtMatchesTheDSDT() throws {
    let b = try build("2,maxcpus=20")
    let giccs = b.madt.structures.compactMap { s -> GICC? in
      if case .gicc(let g) = s { return g } else { return nil }
    }
    #expect(giccs.map(\.acpiProcessorUID) == (0..<20).map(UInt32.init))
    var h = host(b, plugged: [0, 1])
    var i = try interpreter(b, &h)
    for gicc in giccs {
      let path = "\\_SB.CPUS.\(VirtACPIBuild.deviceName(Int(gicc.acpiProcessorUID)))._UID"
      #expect(try i.evaluate(path, host: &h) == .integer(UInt64(gicc.acpiProcessorUID)))
    }
  }
}
