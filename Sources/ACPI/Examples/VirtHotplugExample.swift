/// A worked example of the builders: the tables of an arm64 "virt" machine with QEMU's CPU
/// hotplug AML (the RFC-V5 layout: GED at 0x09080000 with `_EVT`, the 12-byte CPU hotplug
/// register block `\_SB.PRES` at 0x090C0000, `\_SB.CPUS` helpers and one `Cnnn` device per
/// possible CPU). Used by the tests, the cross-checks and the benchmark; the board builds its own
/// tables the same way.
public struct VirtHotplugExample: Sendable {
  public var bootCPUs: Int
  public var possibleCPUs: Int

  public static let gedBase: UInt32 = 0x0908_0000
  public static let cpuHotplugBase: UInt32 = 0x090C_0000
  public static let gedInterrupt: UInt32 = 41

  public init(bootCPUs: Int, possibleCPUs: Int) {
    self.bootCPUs = bootCPUs
    self.possibleCPUs = possibleCPUs
  }

  /// `C000`, `C001`, … `C00A`, … `C1FF`: "C" and three upper-case hex digits.
  public static func deviceName(_ index: Int) -> AMLNameString {
    AMLNameString(segments: [AMLNameSeg("C" + hex(UInt64(index), 3))!])
  }

  static let pres: AMLNameString = "\\_SB.PRES"
  static func presField(_ name: String) -> AMLTerm { .nameRef(AMLNameString(parsing: "\\_SB.PRES." + name)!) }

  public var dsdt: DefinitionBlock {
    DefinitionBlock(terms: [.scope("\\_SB", [ged, pres, cpus])])
  }

  var ged: AMLTerm {
    .device(
      "GED",
      [
        .name("_HID", .string("ACPI0013")),
        .name("_UID", .string("GED")),
        .name(
          "_CRS",
          .resourceTemplate([
            .extendedInterrupt(edge: true, activeLow: false, shared: false, interrupts: [Self.gedInterrupt])
          ])),
        .opRegion("EREG", space: AMLRegionSpace.systemMemory, offset: UInt64(Self.gedBase), length: 4),
        .field(
          region: "EREG", flags: AMLFieldFlags(accessType: .dword, updateRule: .writeAsZeros),
          elements: [.named(AMLNameSeg("ESEL")!, bits: 32)]),
        .method(
          "_EVT", args: 1, serialized: true,
          [
            .store(.ref("ESEL"), .local(0)),
            .ifThen(.lEqual(.and(.local(0), .integer(8)), .integer(8)), [.call("\\_SB.CPUS.CSCN", [])]),
          ]),
      ])
  }

  var pres: AMLTerm {
    .device(
      "PRES",
      [
        .name("_HID", .eisaID("PNP0A06")!),
        .name("_UID", .string("CPU Hotplug resources")),
        .mutex("CPLK", syncLevel: 0),
        .name(
          "_CRS", .resourceTemplate([.memory32Fixed(readWrite: true, base: Self.cpuHotplugBase, length: 12)])),
        .opRegion(
          "PRST", space: AMLRegionSpace.systemMemory, offset: UInt64(Self.cpuHotplugBase), length: 12),
        .field(
          region: "PRST", flags: AMLFieldFlags(accessType: .byte, updateRule: .writeAsZeros),
          elements: [
            .reserved(bits: 32), .named(AMLNameSeg("CPEN")!, bits: 1), .named(AMLNameSeg("CINS")!, bits: 1),
            .named(AMLNameSeg("CRMV")!, bits: 1), .named(AMLNameSeg("CEJ0")!, bits: 1),
            .named(AMLNameSeg("CEJF")!, bits: 1), .named(AMLNameSeg("CPRS")!, bits: 1), .reserved(bits: 2),
            .named(AMLNameSeg("CCMD")!, bits: 8),
          ]),
        .field(
          region: "PRST", flags: AMLFieldFlags(accessType: .dword, updateRule: .preserve),
          elements: [
            .named(AMLNameSeg("CSEL")!, bits: 32), .reserved(bits: 32), .named(AMLNameSeg("CDAT")!, bits: 32),
          ]),
      ])
  }

  var cpus: AMLTerm {
    var terms: [AMLTerm] = [
      .name("_HID", .string("ACPI0010")),
      .name("_CID", .eisaID("PNP0A05")!),
      .method(
        "CTFY", args: 2,
        (0..<possibleCPUs).map { index in
          .ifThen(
            .lEqual(.arg(0), .integer(UInt64(index))), [.notify(.nameRef(Self.deviceName(index)), .arg(1))])
        }),
      .method(
        "CSTA", args: 1, serialized: true,
        [
          .acquire(Self.presField("CPLK")),
          .store(.arg(0), Self.presField("CSEL")),
          .store(.zero, .local(0)),
          .ifThen(
            .lEqual(Self.presField("CPRS"), .one),
            [
              .ifThen(
                .lEqual(Self.presField("CPEN"), .one), [.store(.integer(0x0F), .local(0))],
                else: [.store(.integer(0x0D), .local(0))])
            ]),
          .release(Self.presField("CPLK")),
          .returning(.local(0)),
        ]),
      .method(
        "CEJ0", args: 1, serialized: true,
        [
          .acquire(Self.presField("CPLK")),
          .store(.arg(0), Self.presField("CSEL")),
          .store(.one, Self.presField("CEJ0")),
          .release(Self.presField("CPLK")),
        ]),
      .method(
        "COST", args: 4, serialized: true,
        [
          .acquire(Self.presField("CPLK")),
          .store(.arg(0), Self.presField("CSEL")),
          .store(.one, Self.presField("CCMD")),
          .store(.arg(1), Self.presField("CDAT")),
          .store(.integer(2), Self.presField("CCMD")),
          .store(.arg(2), Self.presField("CDAT")),
          .release(Self.presField("CPLK")),
        ]),
      cscn,
    ]
    for index in 0..<possibleCPUs {
      var device: [AMLTerm] = [
        .name("_HID", .string("ACPI0007")),
        .name("_UID", .integer(UInt64(index))),
        .method("_STA", serialized: true, [.returning(.call("CSTA", [.integer(UInt64(index))]))]),
      ]
      if index != 0 {
        device.append(.method("_EJ0", args: 1, [.call("CEJ0", [.integer(UInt64(index))])]))
      }
      device.append(
        .method(
          "_OST", args: 3, serialized: true,
          [.call("COST", [.integer(UInt64(index)), .arg(0), .arg(1), .arg(2)])]))
      terms.append(.device(Self.deviceName(index), device))
    }
    return .device("CPUS", terms)
  }

  /// CSCN as QEMU UP-9.1/RFC-V5 writes it: Device Checks collected in CNEW and sent after the
  /// scan, Eject Requests sent during it.
  var cscn: AMLTerm {
    let uid = AMLTerm.local(3)
    return .method(
      "CSCN", serialized: true,
      [
        .acquire(Self.presField("CPLK")),
        .name("CNEW", .package(count: 255, elements: [])),
        .store(.zero, uid),
        .store(.one, .local(4)),
        .whileLoop(
          .lEqual(.local(4), .one),
          [
            .store(.zero, .local(4)),
            .store(.one, .local(0)),
            .store(.zero, .local(1)),
            .whileLoop(
              .lAnd(.lEqual(.local(0), .one), .lLess(uid, .integer(UInt64(possibleCPUs)))),
              [
                .store(.zero, .local(0)),
                .store(uid, Self.presField("CSEL")),
                .store(.zero, Self.presField("CCMD")),
                .ifThen(.lLess(Self.presField("CDAT"), uid), [.breakLoop]),
                .ifThen(.lEqual(.local(1), .integer(255)), [.store(.one, .local(4)), .breakLoop]),
                .store(Self.presField("CDAT"), uid),
                .ifThen(
                  .lEqual(Self.presField("CINS"), .one),
                  [
                    .store(uid, .index(.ref("CNEW"), .local(1))), .increment(.local(1)),
                    .store(.one, .local(0)),
                  ],
                  else: [
                    .ifThen(
                      .lEqual(Self.presField("CRMV"), .one),
                      [
                        .call("CTFY", [uid, .integer(3)]), .store(.one, Self.presField("CRMV")),
                        .store(.one, .local(0)),
                      ])
                  ]),
                .increment(uid),
              ]),
            .store(.zero, .local(2)),
            .whileLoop(
              .lLess(.local(2), .local(1)),
              [
                .store(.derefOf(.index(.ref("CNEW"), .local(2))), uid),
                .call("CTFY", [uid, .one]),
                .store(uid, .debug),
                .store(uid, Self.presField("CSEL")),
                .store(.one, Self.presField("CINS")),
                .increment(.local(2)),
              ]),
          ]),
        .release(Self.presField("CPLK")),
      ])
  }

  public var madt: MADT {
    var structures: [MADTStructure] = [.gicd(GICD(baseAddress: 0x0800_0000, version: 3))]
    for index in 0..<possibleCPUs {
      var gicc = GICC(
        acpiProcessorUID: UInt32(index), mpidr: UInt64(index % 16) | UInt64(index / 16) << 8,
        flags: index < bootCPUs ? GICC.enabled : GICC.onlineCapable)
      gicc.performanceInterrupt = 23
      gicc.vgicMaintenanceInterrupt = 25
      structures.append(.gicc(gicc))
    }
    structures.append(.gicr(GICR(discoveryRangeBase: 0x080A_0000, discoveryRangeLength: 0x00F6_0000)))
    structures.append(.its(GICITS(baseAddress: 0x0808_0000)))
    return MADT(structures: structures)
  }

  public static let dsdtAddress: UInt64 = 0x4000_0000
  public static let fadtAddress: UInt64 = 0x4001_0000
  public static let madtAddress: UInt64 = 0x4001_1000
  public static let xsdtAddress: UInt64 = 0x4001_2000

  public var fadt: FADT { FADT(xDSDT: Self.dsdtAddress) }
  public var xsdt: XSDT { XSDT(entries: [Self.fadtAddress, Self.madtAddress]) }
  public var rsdp: RSDP { RSDP(xsdtAddress: Self.xsdtAddress) }
}
