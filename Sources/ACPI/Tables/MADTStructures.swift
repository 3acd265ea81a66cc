/// One interrupt controller structure of the MADT.
public enum MADTStructure: ACPIEncodable, Equatable, Sendable {
  case gicc(GICC)
  case gicd(GICD)
  case gicr(GICR)
  case its(GICITS)
  /// A structure type this model does not interpret, kept byte for byte.
  case other(type: UInt8, bytes: [UInt8])

  public func encode(into sink: inout ByteSink) {
    switch self {
    case .gicc(let value): value.encode(into: &sink)
    case .gicd(let value): value.encode(into: &sink)
    case .gicr(let value): value.encode(into: &sink)
    case .its(let value): value.encode(into: &sink)
    case .other(_, let bytes): sink.append(bytes)
    }
  }

  static func decode(_ bytes: [UInt8], tableOffset: Int) throws(ACPITableError) -> MADTStructure {
    let reader = ByteReader(bytes: bytes, table: "APIC")
    func expect(_ lengths: [Int], _ name: String) throws(ACPITableError) {
      guard lengths.contains(bytes.count) else {
        throw ACPITableError(
          table: "APIC", offset: tableOffset + 1,
          reason:
            "\(name) Length is \(bytes.count), expected \(lengths.map(String.init).joined(separator: " or "))"
        )
      }
    }
    switch bytes[0] {
    case GICC.type:
      try expect([80, 82], "GICC")
      var gicc = GICC(
        acpiProcessorUID: try reader.u32(8, "Processor UID"), mpidr: try reader.u64(68, "ARM MPIDR"),
        flags: try reader.u32(12, "Flags"))
      gicc.cpuInterfaceNumber = try reader.u32(4, "CPU Interface Number")
      gicc.parkingProtocolVersion = try reader.u32(16, "Parking Protocol Version")
      gicc.performanceInterrupt = try reader.u32(20, "Performance Interrupt")
      gicc.parkedAddress = try reader.u64(24, "Parked Address")
      gicc.physicalBaseAddress = try reader.u64(32, "Base Address")
      gicc.gicv = try reader.u64(40, "Virtual GIC Base Address")
      gicc.gich = try reader.u64(48, "Hypervisor GIC Base Address")
      gicc.vgicMaintenanceInterrupt = try reader.u32(56, "Virtual GIC Interrupt")
      gicc.gicrBaseAddress = try reader.u64(60, "Redistributor Base Address")
      gicc.efficiencyClass = try reader.u8(76, "Efficiency Class")
      gicc.speOverflowInterrupt = try reader.u16(78, "SPE Overflow Interrupt")
      gicc.trbeInterrupt = bytes.count == 82 ? try reader.u16(80, "TRBE Interrupt") : nil
      return .gicc(gicc)
    case GICD.type:
      try expect([24], "GICD")
      return .gicd(
        GICD(
          gicID: try reader.u32(4, "Local GIC Hardware ID"), baseAddress: try reader.u64(8, "Base Address"),
          systemVectorBase: try reader.u32(16, "Interrupt Base"), version: try reader.u8(20, "Version")))
    case GICR.type:
      try expect([16], "GICR")
      return .gicr(
        GICR(
          discoveryRangeBase: try reader.u64(4, "Base Address"),
          discoveryRangeLength: try reader.u32(12, "Length")))
    case GICITS.type:
      try expect([20], "GIC ITS")
      return .its(
        GICITS(itsID: try reader.u32(4, "Translation ID"), baseAddress: try reader.u64(8, "Base Address")))
    default:
      return .other(type: bytes[0], bytes: bytes)
    }
  }

  func rows(at offset: Int) -> [ACPIFieldRow] {
    switch self {
    case .gicc(let value): value.rows(at: offset)
    case .gicd(let value): value.rows(at: offset)
    case .gicr(let value): value.rows(at: offset)
    case .its(let value): value.rows(at: offset)
    case .other(let type, let bytes):
      [
        ACPIFieldRow(offset, 1, "Subtable Type", hex(UInt64(type), 2), "not decoded by this model"),
        ACPIFieldRow(offset + 1, 1, "Length", hex(UInt64(bytes.count), 2), "\(bytes.count) bytes"),
      ]
    }
  }
}

/// GIC CPU Interface structure (type 0x0B): 80 bytes (ACPI 6.0-6.4) or 82 with the TRBE
/// interrupt (ACPI 6.5, MADT revision 6).
public struct GICC: ACPIEncodable, Equatable, Sendable {
  public static let type: UInt8 = 0x0B

  /// Flags bit 0: the processor is usable at boot.
  public static let enabled: UInt32 = 1 << 0
  /// Flags bit 1: performance interrupt is edge-triggered.
  public static let performanceInterruptModeEdge: UInt32 = 1 << 1
  /// Flags bit 2: VGIC maintenance interrupt is edge-triggered.
  public static let vgicMaintenanceInterruptModeEdge: UInt32 = 1 << 2
  /// Flags bit 3 (ACPI 6.5): with Enabled clear, the platform can enable this CPU at runtime.
  public static let onlineCapable: UInt32 = 1 << 3

  public var cpuInterfaceNumber: UInt32 = 0
  /// Must equal the `_UID` of the matching ACPI0007 processor device.
  public var acpiProcessorUID: UInt32
  public var flags: UInt32
  public var parkingProtocolVersion: UInt32 = 0
  public var performanceInterrupt: UInt32 = 0
  public var parkedAddress: UInt64 = 0
  public var physicalBaseAddress: UInt64 = 0
  public var gicv: UInt64 = 0
  public var gich: UInt64 = 0
  public var vgicMaintenanceInterrupt: UInt32 = 0
  /// 0 when GICR structures describe the redistributors.
  public var gicrBaseAddress: UInt64 = 0
  /// Affinity fields only (Aff3 at 39:32, Aff2..Aff0 at 23:0).
  public var mpidr: UInt64
  public var efficiencyClass: UInt8 = 0
  public var speOverflowInterrupt: UInt16 = 0
  /// Present (and the structure 82 bytes long) for a revision-6 MADT; nil gives the 80-byte form.
  public var trbeInterrupt: UInt16? = 0

  public init(acpiProcessorUID: UInt32, mpidr: UInt64, flags: UInt32) {
    self.acpiProcessorUID = acpiProcessorUID
    self.mpidr = mpidr  // as written: a decoder shows a bad table as it is
    self.flags = flags
  }

  public var length: Int { trbeInterrupt == nil ? 80 : 82 }

  public func encode(into sink: inout ByteSink) {
    sink.byte(Self.type)
    sink.byte(UInt8(length))
    sink.u16(0)
    sink.u32(cpuInterfaceNumber)
    sink.u32(acpiProcessorUID)
    sink.u32(flags)
    sink.u32(parkingProtocolVersion)
    sink.u32(performanceInterrupt)
    sink.u64(parkedAddress)
    sink.u64(physicalBaseAddress)
    sink.u64(gicv)
    sink.u64(gich)
    sink.u32(vgicMaintenanceInterrupt)
    sink.u64(gicrBaseAddress)
    sink.u64(mpidr)
    sink.byte(efficiencyClass)
    sink.byte(0)
    sink.u16(speOverflowInterrupt)
    if let trbeInterrupt { sink.u16(trbeInterrupt) }
  }

  static let flagBits: [(Int, String)] = [
    (0, "Enabled"), (1, "Performance Interrupt Mode"), (2, "VGIC Maintenance Interrupt Mode"),
    (3, "Online Capable"), (4, "GICR non-coherent"),
  ]

  func rows(at offset: Int) -> [ACPIFieldRow] {
    var rows = [
      ACPIFieldRow(offset, 1, "Subtable Type", "0B", "GIC CPU Interface (GICC)"),
      ACPIFieldRow(offset + 1, 1, "Length", hex(UInt64(length), 2), "\(length) bytes"),
      ACPIFieldRow(offset + 4, 4, "CPU Interface Number", hex(UInt64(cpuInterfaceNumber), 8), ""),
      ACPIFieldRow(
        offset + 8, 4, "ACPI Processor UID", hex(UInt64(acpiProcessorUID), 8),
        "matches _UID \(acpiProcessorUID)"),
      ACPIFieldRow(offset + 12, 4, "Flags", hex(UInt64(flags), 8), flagNames(UInt64(flags), Self.flagBits)),
      ACPIFieldRow(offset + 16, 4, "Parking Protocol Version", hex(UInt64(parkingProtocolVersion), 8), ""),
      ACPIFieldRow(offset + 20, 4, "Performance Interrupt GSIV", hex(UInt64(performanceInterrupt), 8), ""),
      ACPIFieldRow(offset + 24, 8, "Parked Address", hex(parkedAddress, 16), ""),
      ACPIFieldRow(offset + 32, 8, "Physical Base Address", hex(physicalBaseAddress, 16), ""),
      ACPIFieldRow(offset + 40, 8, "GICV", hex(gicv, 16), ""),
      ACPIFieldRow(offset + 48, 8, "GICH", hex(gich, 16), ""),
      ACPIFieldRow(
        offset + 56, 4, "VGIC Maintenance Interrupt", hex(UInt64(vgicMaintenanceInterrupt), 8), ""),
      ACPIFieldRow(
        offset + 60, 8, "GICR Base Address", hex(gicrBaseAddress, 16),
        gicrBaseAddress == 0 ? "redistributors described by GICR structures" : ""),
      ACPIFieldRow(offset + 68, 8, "MPIDR", hex(mpidr, 16), mpidrMeaning),
      ACPIFieldRow(offset + 76, 1, "Processor Power Efficiency Class", hex(UInt64(efficiencyClass), 2), ""),
      ACPIFieldRow(offset + 78, 2, "SPE Overflow Interrupt", hex(UInt64(speOverflowInterrupt), 4), ""),
    ]
    if let trbeInterrupt {
      rows.append(ACPIFieldRow(offset + 80, 2, "TRBE Interrupt", hex(UInt64(trbeInterrupt), 4), "ACPI 6.5"))
    }
    return rows
  }

  private var mpidrMeaning: String {
    let affinity =
      "Aff3=\(mpidr >> 32 & 0xFF) Aff2=\(mpidr >> 16 & 0xFF) Aff1=\(mpidr >> 8 & 0xFF) Aff0=\(mpidr & 0xFF)"
    // Linux skips an entry with bits outside MPIDR_HWID_BITMASK (0xff00ffffff).
    return mpidr & ~0xFF_00FF_FFFF != 0 ? affinity + "; bits outside MPIDR_HWID_BITMASK" : affinity
  }
}

/// GIC Distributor structure (type 0x0C, 24 bytes).
public struct GICD: ACPIEncodable, Equatable, Sendable {
  public static let type: UInt8 = 0x0C
  public var gicID: UInt32
  public var baseAddress: UInt64
  public var systemVectorBase: UInt32
  /// 0 unspecified, 1 GICv1, 2 GICv2, 3 GICv3, 4 GICv4.
  public var version: UInt8

  public init(gicID: UInt32 = 0, baseAddress: UInt64, systemVectorBase: UInt32 = 0, version: UInt8 = 3) {
    self.gicID = gicID
    self.baseAddress = baseAddress
    self.systemVectorBase = systemVectorBase
    self.version = version
  }

  public func encode(into sink: inout ByteSink) {
    sink.byte(Self.type)
    sink.byte(24)
    sink.u16(0)
    sink.u32(gicID)
    sink.u64(baseAddress)
    sink.u32(systemVectorBase)
    sink.byte(version)
    sink.append([0, 0, 0])
  }

  func rows(at offset: Int) -> [ACPIFieldRow] {
    [
      ACPIFieldRow(offset, 1, "Subtable Type", "0C", "GIC Distributor (GICD)"),
      ACPIFieldRow(offset + 1, 1, "Length", "18", "24 bytes"),
      ACPIFieldRow(offset + 4, 4, "GIC ID", hex(UInt64(gicID), 8), ""),
      ACPIFieldRow(offset + 8, 8, "Physical Base Address", hex(baseAddress, 16), ""),
      ACPIFieldRow(offset + 16, 4, "System Vector Base", hex(UInt64(systemVectorBase), 8), ""),
      ACPIFieldRow(
        offset + 20, 1, "GIC Version", hex(UInt64(version), 2),
        version == 0 ? "unspecified" : "GICv\(version)"),
    ]
  }
}

/// GIC Redistributor discovery range (type 0x0E, 16 bytes), for always-on redistributors.
public struct GICR: ACPIEncodable, Equatable, Sendable {
  public static let type: UInt8 = 0x0E
  public var discoveryRangeBase: UInt64
  public var discoveryRangeLength: UInt32

  public init(discoveryRangeBase: UInt64, discoveryRangeLength: UInt32) {
    self.discoveryRangeBase = discoveryRangeBase
    self.discoveryRangeLength = discoveryRangeLength
  }

  public func encode(into sink: inout ByteSink) {
    sink.byte(Self.type)
    sink.byte(16)
    sink.u16(0)
    sink.u64(discoveryRangeBase)
    sink.u32(discoveryRangeLength)
  }

  func rows(at offset: Int) -> [ACPIFieldRow] {
    [
      ACPIFieldRow(offset, 1, "Subtable Type", "0E", "GIC Redistributor (GICR)"),
      ACPIFieldRow(offset + 1, 1, "Length", "10", "16 bytes"),
      ACPIFieldRow(offset + 4, 8, "Discovery Range Base Address", hex(discoveryRangeBase, 16), ""),
      ACPIFieldRow(offset + 12, 4, "Discovery Range Length", hex(UInt64(discoveryRangeLength), 8), ""),
    ]
  }
}

/// GIC Interrupt Translation Service (type 0x0F, 20 bytes).
public struct GICITS: ACPIEncodable, Equatable, Sendable {
  public static let type: UInt8 = 0x0F
  public var itsID: UInt32
  public var baseAddress: UInt64

  public init(itsID: UInt32 = 0, baseAddress: UInt64) {
    self.itsID = itsID
    self.baseAddress = baseAddress
  }

  public func encode(into sink: inout ByteSink) {
    sink.byte(Self.type)
    sink.byte(20)
    sink.u16(0)
    sink.u32(itsID)
    sink.u64(baseAddress)
    sink.u32(0)
  }

  func rows(at offset: Int) -> [ACPIFieldRow] {
    [
      ACPIFieldRow(offset, 1, "Subtable Type", "0F", "GIC Interrupt Translation Service (ITS)"),
      ACPIFieldRow(offset + 1, 1, "Length", "14", "20 bytes"),
      ACPIFieldRow(offset + 4, 4, "GIC ITS ID", hex(UInt64(itsID), 8), ""),
      ACPIFieldRow(offset + 8, 8, "Physical Base Address", hex(baseAddress, 16), ""),
    ]
  }
}
