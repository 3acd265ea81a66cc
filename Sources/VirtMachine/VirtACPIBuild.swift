import ACPI

/// The board's ACPI tables, as hw/arm/virt-acpi-build.c builds them with the RFC-V5 CPU hotplug
/// AML of hw/acpi/cpu.c and hw/acpi/generic_event_device.c: RSDP, XSDT, FADT, MADT and a DSDT
/// with the GED, the hotplug register block `\_SB.PRES`, the CPU container `\_SB.CPUS` with its
/// helper methods and one `Cnnn` processor device per possible CPU, COM0 and PWRB.
public struct VirtACPIBuild: Sendable {
  public let smp: SMPConfiguration
  public let options: VirtOptions

  /// Where the firmware leaves the tables in guest memory (the top of the 1 GiB RAM, as UEFI
  /// would, well away from the kernel image).
  public static let rsdpAddress: UInt64 = 0x7F00_0000
  public static let xsdtAddress: UInt64 = 0x7F00_1000
  public static let fadtAddress: UInt64 = 0x7F00_2000
  public static let madtAddress: UInt64 = 0x7F00_3000
  public static let dsdtAddress: UInt64 = 0x7F10_0000

  /// The EFI configuration table UEFI leaves for the OS (the `ConfigurationTable` of the EFI
  /// system table, UEFI 2.10 §4.6): the one address the boot loader hands the kernel, which
  /// finds the RSDP in it (`efi_config_parse_tables()`, drivers/firmware/efi/efi.c).
  public static let efiConfigurationTableAddress: UInt64 = 0x7EFF_F000
  /// EFI_ACPI_20_TABLE_GUID, 8868e871-e4f1-11d3-bc22-0080c73c8881, as EFI_GUID stores it
  /// (the first three fields little-endian).
  public static let acpi20TableGUID: [UInt8] = [
    0x71, 0xE8, 0x68, 0x88, 0xF1, 0xE4, 0xD3, 0x11, 0xBC, 0x22, 0x00, 0x80, 0xC7, 0x3C, 0x88, 0x81,
  ]

  /// The configuration table: the number of entries (UINT64, as `NumberOfTableEntries` is a
  /// UINTN), then each EFI_CONFIGURATION_TABLE (VendorGuid, VendorTable); one entry, the RSDP.
  public var efiConfigurationTable: [UInt8] {
    func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    return le64(1) + VirtACPIBuild.acpi20TableGUID + le64(VirtACPIBuild.rsdpAddress)
  }

  public init(smp: SMPConfiguration, options: VirtOptions) {
    self.smp = smp
    self.options = options
  }

  /// The tables by signature, with their guest addresses.
  public var tables: [(name: String, address: UInt64, bytes: [UInt8])] {
    [
      ("RSDP", VirtACPIBuild.rsdpAddress, rsdp.encodedBytes),
      ("XSDT", VirtACPIBuild.xsdtAddress, xsdt.encodedBytes),
      ("FACP", VirtACPIBuild.fadtAddress, fadt.encodedBytes),
      ("APIC", VirtACPIBuild.madtAddress, madt.encodedBytes),
      ("DSDT", VirtACPIBuild.dsdtAddress, dsdt.encodedBytes),
    ]
  }

  public var rsdp: RSDP { RSDP(xsdtAddress: VirtACPIBuild.xsdtAddress) }
  public var xsdt: XSDT { XSDT(entries: [VirtACPIBuild.fadtAddress, VirtACPIBuild.madtAddress]) }
  /// Revision 6 with HW_REDUCED_ACPI and PSCI_COMPLIANT | PSCI_USE_HVC (the HVC conduit).
  public var fadt: FADT { FADT(xDSDT: VirtACPIBuild.dsdtAddress) }

  /// GICC flags of a possible CPU at boot.
  public func giccFlags(_ index: Int) -> UInt32 {
    if index == 0 { return GICC.enabled }
    if index < smp.cpus { return options.coldPlugFlags == .enabled ? GICC.enabled : GICC.onlineCapable }
    return GICC.onlineCapable
  }

  /// One GICC per possible CPU, the GICD, the GICR range (or per-GICC addresses) and the ITS.
  public var madt: MADT {
    var structures: [MADTStructure] = [
      .gicd(GICD(baseAddress: options.madtGICDBase ?? MemoryMap.gicdBase, version: 3))
    ]
    for index in 0..<smp.maxCPUs {
      let quirk = options.giccQuirks[index]
      if quirk == .omitted { continue }
      let affinity = CPUSlotID.affinity(index: index)
      var gicc = GICC(
        acpiProcessorUID: UInt32(index),
        mpidr: quirk == .invalidMPIDR ? GICCQuirk.invalidMPIDR(for: affinity) : affinity,
        flags: quirk == .noFlags ? 0 : giccFlags(index))
      gicc.cpuInterfaceNumber = UInt32(index)
      gicc.performanceInterrupt = 23
      if options.madtRevision < 6 { gicc.trbeInterrupt = nil }
      if options.redistributors == .perGICC && giccFlags(index) & GICC.enabled != 0 && quirk != .noGICRAddress
      {
        gicc.gicrBaseAddress = MemoryMap.redistributorBase(of: index)
      }
      structures.append(.gicc(gicc))
    }
    if options.redistributors == .gicr {
      structures.append(
        .gicr(GICR(discoveryRangeBase: MemoryMap.gicrBase, discoveryRangeLength: UInt32(MemoryMap.gicrSize))))
      // More CPUs than region 0 holds: the high region (QEMU's highmem-redists).
      if smp.maxCPUs > MemoryMap.region0Redistributors {
        structures.append(
          .gicr(
            GICR(
              discoveryRangeBase: MemoryMap.highGICRBase, discoveryRangeLength: UInt32(MemoryMap.highGICRSize)
            )))
      }
    }
    structures.append(.its(GICITS(baseAddress: MemoryMap.itsBase)))
    return MADT(structures: structures, revision: options.madtRevision)
  }

  // MARK: DSDT

  public var dsdt: DefinitionBlock {
    DefinitionBlock(terms: [.scope("\\_SB", [ged, pres, cpus, com0, pwrb])])
  }

  static func seg(_ s: String) -> AMLNameSeg { AMLNameSeg(s)! }
  static func path(_ s: String) -> AMLNameString { AMLNameString(parsing: s)! }
  /// A field of `\_SB.PRES`.
  static func pres(_ name: String) -> AMLTerm { .nameRef(path("\\_SB.PRES." + name)) }

  /// `\_SB.GED`: ACPI0013 with its edge interrupt 41, the event selector and `_EVT`.
  var ged: AMLTerm {
    .device(
      "GED",
      [
        .name("_HID", .string("ACPI0013")),
        .name("_UID", .string("GED")),
        .name(
          "_CRS",
          .resourceTemplate([
            .extendedInterrupt(
              edge: true, activeLow: false, shared: false,
              interrupts: [options.gedCRSGSI ?? UInt32(GenericEventDevice.gsiv)])
          ])),
        .opRegion("EREG", space: AMLRegionSpace.systemMemory, offset: GenericEventDevice.base, length: 4),
        .field(
          region: "EREG", flags: AMLFieldFlags(accessType: .dword, updateRule: .writeAsZeros),
          elements: [.named(Self.seg("ESEL"), bits: 32)]),
        .method(
          "_EVT", args: 1, serialized: true,
          [
            .store(.ref("ESEL"), .local(0)),
            .ifThen(
              .lEqual(.and(.local(0), .integer(2)), .integer(2)),
              [.notify(.nameRef(Self.path("\\_SB.PWRB")), .integer(0x80))]),
            .ifThen(.lEqual(.and(.local(0), .integer(8)), .integer(8)), [.call("\\_SB.GED.CSCN", [])]),
          ]),
        // The GED's CPU hotplug hook.
        .method("CSCN", [.call("\\_SB.CPUS.CSCN", [])]),
      ])
  }

  /// `\_SB.PRES`: the 12-byte CPU hotplug register block and its fields.
  var pres: AMLTerm {
    .device(
      "PRES",
      [
        .name("_HID", .eisaID("PNP0A06")!),
        .name("_UID", .string("CPU Hotplug resources")),
        .mutex("CPLK", syncLevel: 0),
        .name(
          "_CRS",
          .resourceTemplate([
            .memory32Fixed(
              readWrite: true, base: UInt32(ACPICPUHotplug.base), length: UInt32(ACPICPUHotplug.length))
          ])),
        .opRegion(
          "PRST", space: AMLRegionSpace.systemMemory, offset: ACPICPUHotplug.base,
          length: ACPICPUHotplug.length),
        .field(
          region: "PRST", flags: AMLFieldFlags(accessType: .byte, updateRule: .writeAsZeros),
          elements: [.reserved(bits: 32)]
            + ["CPEN", "CINS", "CRMV", "CEJ0", "CEJF", "CPRS"].map { .named(Self.seg($0), bits: 1) }
            + [.reserved(bits: 2), .named(Self.seg("CCMD"), bits: 8)]),
        .field(
          region: "PRST", flags: AMLFieldFlags(accessType: .dword, updateRule: .preserve),
          elements: [
            .named(Self.seg("CSEL"), bits: 32), .reserved(bits: 32), .named(Self.seg("CDAT"), bits: 32),
          ]),
      ])
  }

  /// Lock, select a slot, do something, unlock: the shape of QEMU's CSTA/CEJ0/COST.
  static func locked(_ body: [AMLTerm]) -> [AMLTerm] {
    [.acquire(pres("CPLK")), .store(.arg(0), pres("CSEL"))] + body + [.release(pres("CPLK"))]
  }

  /// `\_SB.CPUS`: ACPI0010 with CTFY, CSTA, CEJ0, COST, CSCN and the processor devices.
  var cpus: AMLTerm {
    let n = smp.maxCPUs
    var terms: [AMLTerm] = [
      .name("_HID", .string("ACPI0010")),
      .name("_CID", .eisaID("PNP0A05")!),
      // CTFY(uid, event): one test per possible CPU, no loop.
      .method(
        "CTFY", args: 2,
        (0..<n).map {
          .ifThen(.lEqual(.arg(0), .integer(UInt64($0))), [.notify(.nameRef(Self.deviceName($0)), .arg(1))])
        }),
      // CSTA(uid): RFC-V5 — present (CPRS) and enabled (CPEN) give 0xF, present only 0xD.
      .method(
        "CSTA", args: 1, serialized: true,
        Self.locked([
          .store(.zero, .local(0)),
          .ifThen(
            .lEqual(Self.pres("CPRS"), .one),
            [
              .ifThen(
                .lEqual(Self.pres("CPEN"), .one), [.store(.integer(0x0F), .local(0))],
                else: [.store(.integer(0x0D), .local(0))])
            ]),
        ]) + [.returning(.local(0))]),
      .method("CEJ0", args: 1, serialized: true, Self.locked([.store(.one, Self.pres("CEJ0"))])),
      .method(
        "COST", args: 4, serialized: true,
        Self.locked([
          .store(.one, Self.pres("CCMD")), .store(.arg(1), Self.pres("CDAT")),
          .store(.integer(2), Self.pres("CCMD")), .store(.arg(2), Self.pres("CDAT")),
        ])),
      cscn,
    ]
    for index in 0..<n {
      var device: [AMLTerm] = [
        .name("_HID", .string("ACPI0007")),
        .name("_UID", .integer(UInt64(index))),
        .method("_STA", serialized: true, [.returning(.call("CSTA", [.integer(UInt64(index))]))]),
      ]
      // QEMU gives every slot but the boot CPU's an _EJ0.
      if index != 0 { device.append(.method("_EJ0", args: 1, [.call("CEJ0", [.integer(UInt64(index))])])) }
      device.append(
        .method(
          "_OST", args: 3, serialized: true,
          [.call("COST", [.integer(UInt64(index)), .arg(0), .arg(1), .arg(2)])]))
      terms.append(.device(Self.deviceName(index), device))
    }
    return .device("CPUS", terms)
  }

  /// `C000`, `C00A`, `C1FF`: "C" and the index in three upper-case hex digits.
  static func deviceName(_ index: Int) -> AMLNameString {
    AMLNameString(segments: [seg(CPUSlotID.deviceName(index: index))])
  }

  /// `CSCN`: walk the slots with CCMD = 0 (get next CPU with an event), collect Device Checks in
  /// CNEW (and, upstream, Eject Requests in CEJL), then notify.
  var cscn: AMLTerm {
    let uid = AMLTerm.local(3)
    let found = AMLTerm.local(0)
    let inserts = AMLTerm.local(1)
    let more = AMLTerm.local(4)
    let ejects = AMLTerm.local(5)
    let upstream = options.scan == .upstream
    var removal: [AMLTerm]
    if upstream {
      removal = [
        .ifThen(
          .lEqual(Self.pres("CRMV"), .one),
          [.store(uid, .index(.ref("CEJL"), ejects)), .increment(ejects), .store(.one, found)])
      ]
    } else {
      removal = [
        .ifThen(
          .lEqual(Self.pres("CRMV"), .one),
          [.call("CTFY", [uid, .integer(3)]), .store(.one, Self.pres("CRMV")), .store(.one, found)])
      ]
    }
    let insertion: AMLTerm = .ifThen(
      .lEqual(Self.pres("CINS"), .one),
      [.store(uid, .index(.ref("CNEW"), inserts)), .increment(inserts), .store(.one, found)],
      else: upstream ? nil : removal)
    let full: AMLTerm =
      upstream
      ? .ifThen(
        .lOr(.lEqual(inserts, .integer(255)), .lEqual(ejects, .integer(255))),
        [.store(.one, more), .breakLoop])
      : .ifThen(.lEqual(inserts, .integer(255)), [.store(.one, more), .breakLoop])
    var scanBody: [AMLTerm] = [
      .store(.zero, found),
      .store(uid, Self.pres("CSEL")),
      .store(.zero, Self.pres("CCMD")),
      .ifThen(.lLess(Self.pres("CDAT"), uid), [.breakLoop]),
      full,
      .store(Self.pres("CDAT"), uid),
      insertion,
    ]
    if upstream { scanBody += removal }
    scanBody.append(.increment(uid))
    var outer: [AMLTerm] = [.store(.zero, more), .store(.one, found), .store(.zero, inserts)]
    if upstream { outer.append(.store(.zero, ejects)) }
    outer.append(
      .whileLoop(.lAnd(.lEqual(found, .one), .lLess(uid, .integer(UInt64(smp.maxCPUs)))), scanBody))
    // Device Checks for the inserted slots, then (upstream) Eject Requests.
    outer += [
      .store(.zero, .local(2)),
      .whileLoop(
        .lLess(.local(2), inserts),
        [
          .store(.derefOf(.index(.ref("CNEW"), .local(2))), uid),
          .call("CTFY", [uid, .one]),
          .store(uid, .debug),
          .store(uid, Self.pres("CSEL")),
          .store(.one, Self.pres("CINS")),
          .increment(.local(2)),
        ]),
    ]
    if upstream {
      outer += [
        .store(.zero, .local(2)),
        .whileLoop(
          .lLess(.local(2), ejects),
          [
            .store(.derefOf(.index(.ref("CEJL"), .local(2))), uid),
            .call("CTFY", [uid, .integer(3)]),
            .store(uid, Self.pres("CSEL")),
            .store(.one, Self.pres("CRMV")),
            .increment(.local(2)),
          ]),
      ]
    }
    var body: [AMLTerm] = [.acquire(Self.pres("CPLK")), .name("CNEW", .package(count: 255, elements: []))]
    if upstream { body.append(.name("CEJL", .package(count: 255, elements: []))) }
    body += [
      .store(.zero, uid), .store(.one, more), .whileLoop(.lEqual(more, .one), outer),
      .release(Self.pres("CPLK")),
    ]
    return .method("CSCN", serialized: true, body)
  }

  /// `\_SB.COM0`: the PL011 (ARMH0011) at 0x0900_0000, interrupt 33.
  var com0: AMLTerm {
    .device(
      "COM0",
      [
        .name("_HID", .string("ARMH0011")),
        .name("_UID", .zero),
        .name(
          "_CRS",
          .resourceTemplate([
            .memory32Fixed(readWrite: true, base: UInt32(PL011.base), length: UInt32(PL011.length)),
            .extendedInterrupt(edge: false, activeLow: false, shared: false, interrupts: [33]),
          ])),
      ])
  }

  /// `\_SB.PWRB`: the power button the GED notifies.
  var pwrb: AMLTerm {
    .device("PWRB", [.name("_HID", .eisaID("PNP0C0C")!), .name("_UID", .zero)])
  }
}
