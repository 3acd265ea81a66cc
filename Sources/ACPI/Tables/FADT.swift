/// Fixed ACPI Description Table (signature `FACP`), the 276-byte ACPI 6.x form, with the fields an
/// arm64 hardware-reduced platform uses typed and the x86 legacy block kept as raw bytes.
public struct FADT: ACPIEncodable, Equatable, Sendable {
  public static let signature = "FACP"
  public static let size = 276

  /// Flags bit 20: the platform has no fixed ACPI hardware (required by Linux on arm64).
  public static let hwReducedACPI: UInt32 = 1 << 20
  /// Flags bit 21.
  public static let lowPowerS0IdleCapable: UInt32 = 1 << 21
  /// ARM_BOOT_ARCH bit 0: PSCI is implemented.
  public static let psciCompliant: UInt16 = 1 << 0
  /// ARM_BOOT_ARCH bit 1: use HVC instead of SMC as the PSCI conduit.
  public static let psciUseHVC: UInt16 = 1 << 1

  public var header: SDTHeader
  public var firmwareCtrl: UInt32 = 0
  public var dsdt: UInt32 = 0
  public var preferredPMProfile: UInt8 = 0
  public var sciInterrupt: UInt16 = 0
  /// Bytes 48..<109 (SMI_CMD … CENTURY): x86 fixed-hardware fields, zero when HW-reduced.
  public var legacyBlock: [UInt8] = Array(repeating: 0, count: 61)
  public var iapcBootArch: UInt16 = 0
  public var flags: UInt32
  public var resetRegister: GenericAddress = .zero
  public var resetValue: UInt8 = 0
  public var armBootArch: UInt16
  /// The minor half of the FADT version: revision 6 minor 5 is ACPI 6.5.
  public var minorVersion: UInt8
  public var xFirmwareCtrl: UInt64 = 0
  public var xDSDT: UInt64
  /// X_PM1a_EVT_BLK … X_GPE1_BLK: eight GAS, zero when HW-reduced.
  public var legacyBlocks: [GenericAddress] = Array(repeating: .zero, count: 8)
  public var sleepControlRegister: GenericAddress = .zero
  public var sleepStatusRegister: GenericAddress = .zero
  public var hypervisorVendorIdentity: UInt64 = 0

  /// An arm64 virtual-machine FADT: revision 6 minor 5, HW_REDUCED_ACPI, PSCI via HVC.
  public init(
    xDSDT: UInt64, header: SDTHeader = SDTHeader(signature: "FACP", revision: 6),
    flags: UInt32 = FADT.hwReducedACPI, armBootArch: UInt16 = FADT.psciCompliant | FADT.psciUseHVC,
    minorVersion: UInt8 = 5
  ) {
    self.header = header
    self.xDSDT = xDSDT
    self.flags = flags
    self.armBootArch = armBootArch
    self.minorVersion = minorVersion
  }

  public func encode(into sink: inout ByteSink) {
    header.encodeTable(into: &sink) { body in
      body.u32(firmwareCtrl)
      body.u32(dsdt)
      body.byte(0)  // reserved (was INT_MODEL)
      body.byte(preferredPMProfile)
      body.u16(sciInterrupt)
      body.append(paddedLegacy)
      body.u16(iapcBootArch)
      body.byte(0)  // reserved
      body.u32(flags)
      body.append(resetRegister)
      body.byte(resetValue)
      body.u16(armBootArch)
      body.byte(minorVersion)
      body.u64(xFirmwareCtrl)
      body.u64(xDSDT)
      for index in 0..<8 { body.append(index < legacyBlocks.count ? legacyBlocks[index] : .zero) }
      body.append(sleepControlRegister)
      body.append(sleepStatusRegister)
      body.u64(hypervisorVendorIdentity)
    }
  }

  private var paddedLegacy: [UInt8] {
    var block = Array(legacyBlock.prefix(61))
    while block.count < 61 { block.append(0) }
    return block
  }

  public static func decode(_ bytes: [UInt8]) throws(ACPITableError) -> FADT {
    let header = try SDTHeader.decode(bytes, expecting: signature)
    guard bytes.count >= size else {
      throw ACPITableError(
        table: signature, offset: bytes.count,
        reason:
          "short table: \(bytes.count) bytes, the ACPI 6 FADT is \(size) (this decoder needs every field)")
    }
    let reader = ByteReader(bytes: bytes, table: signature)
    var fadt = FADT(
      xDSDT: try reader.u64(140, "X_DSDT"), header: header, flags: try reader.u32(112, "Flags"),
      armBootArch: try reader.u16(129, "ARM Flags"), minorVersion: try reader.u8(131, "FADT Minor Revision"))
    fadt.firmwareCtrl = try reader.u32(36, "FACS Address")
    fadt.dsdt = try reader.u32(40, "DSDT Address")
    fadt.preferredPMProfile = try reader.u8(45, "PM Profile")
    fadt.sciInterrupt = try reader.u16(46, "SCI Interrupt")
    fadt.legacyBlock = Array(bytes[48..<109])
    fadt.iapcBootArch = try reader.u16(109, "Boot Flags")
    fadt.resetRegister = try GenericAddress.decode(reader, at: 116, field: "Reset Register")
    fadt.resetValue = try reader.u8(128, "Value to cause reset")
    fadt.xFirmwareCtrl = try reader.u64(132, "FACS Address")
    fadt.legacyBlocks = []
    for index in 0..<8 {
      fadt.legacyBlocks.append(
        try GenericAddress.decode(reader, at: 148 + 12 * index, field: legacyNames[index]))
    }
    fadt.sleepControlRegister = try GenericAddress.decode(reader, at: 244, field: "Sleep Control Register")
    fadt.sleepStatusRegister = try GenericAddress.decode(reader, at: 256, field: "Sleep Status Register")
    fadt.hypervisorVendorIdentity = try reader.u64(268, "Hypervisor ID")
    return fadt
  }

  static let legacyNames = [
    "X_PM1a_EVT_BLK", "X_PM1b_EVT_BLK", "X_PM1a_CNT_BLK", "X_PM1b_CNT_BLK", "X_PM2_CNT_BLK", "X_PM_TMR_BLK",
    "X_GPE0_BLK", "X_GPE1_BLK",
  ]

  static let flagBits: [(Int, String)] = [
    (0, "WBINVD"), (1, "WBINVD_FLUSH"), (2, "PROC_C1"), (3, "P_LVL2_UP"), (4, "PWR_BUTTON"),
    (5, "SLP_BUTTON"), (6, "FIX_RTC"), (7, "RTC_S4"), (8, "TMR_VAL_EXT"), (9, "DCK_CAP"),
    (10, "RESET_REG_SUP"), (11, "SEALED_CASE"), (12, "HEADLESS"), (13, "CPU_SW_SLP"), (14, "PCI_EXP_WAK"),
    (15, "USE_PLATFORM_CLOCK"), (16, "S4_RTC_STS_VALID"), (17, "REMOTE_POWER_ON_CAPABLE"),
    (18, "FORCE_APIC_CLUSTER_MODEL"), (19, "FORCE_APIC_PHYSICAL_DESTINATION_MODE"), (20, "HW_REDUCED_ACPI"),
    (21, "LOW_POWER_S0_IDLE_CAPABLE"),
  ]

  public var decoded: DecodedTable {
    var rows = finalizedHeader(of: self, header).rows(meaning: "Fixed ACPI Description Table")
    rows += [
      ACPIFieldRow(
        36, 4, "FIRMWARE_CTRL", hex(UInt64(firmwareCtrl), 8), firmwareCtrl == 0 ? "no 32-bit FACS" : ""),
      ACPIFieldRow(40, 4, "DSDT", hex(UInt64(dsdt), 8), dsdt == 0 ? "unused, see X_DSDT" : ""),
      ACPIFieldRow(45, 1, "Preferred_PM_Profile", hex(UInt64(preferredPMProfile), 2), ""),
      ACPIFieldRow(46, 2, "SCI_INT", hex(UInt64(sciInterrupt), 4), "ignored when HW-reduced"),
      ACPIFieldRow(
        48, 61, "x86 fixed-hardware block", legacyBlock.allSatisfy { $0 == 0 } ? "all zero" : "nonzero",
        "SMI_CMD … CENTURY"),
      ACPIFieldRow(109, 2, "IAPC_BOOT_ARCH", hex(UInt64(iapcBootArch), 4), ""),
      ACPIFieldRow(112, 4, "Flags", hex(UInt64(flags), 8), flagNames(UInt64(flags), Self.flagBits)),
    ]
    rows += resetRegister.rows(at: 116, name: "RESET_REG")
    rows += [
      ACPIFieldRow(128, 1, "RESET_VALUE", hex(UInt64(resetValue), 2), ""),
      ACPIFieldRow(
        129, 2, "ARM_BOOT_ARCH", hex(UInt64(armBootArch), 4),
        flagNames(UInt64(armBootArch), [(0, "PSCI_COMPLIANT"), (1, "PSCI_USE_HVC")])),
      ACPIFieldRow(
        131, 1, "FADT Minor Version", hex(UInt64(minorVersion), 2),
        "ACPI \(header.revision).\(minorVersion)"),
      ACPIFieldRow(132, 8, "X_FIRMWARE_CTRL", hex(xFirmwareCtrl, 16), ""),
      ACPIFieldRow(140, 8, "X_DSDT", hex(xDSDT, 16), "physical address of the DSDT"),
    ]
    for index in 0..<8 {
      let block = index < legacyBlocks.count ? legacyBlocks[index] : .zero
      rows.append(
        ACPIFieldRow(
          148 + 12 * index, 12, Self.legacyNames[index], block == .zero ? "zero" : hex(block.address, 16), "")
      )
    }
    rows += sleepControlRegister.rows(at: 244, name: "SLEEP_CONTROL_REG")
    rows += sleepStatusRegister.rows(at: 256, name: "SLEEP_STATUS_REG")
    rows.append(ACPIFieldRow(268, 8, "Hypervisor Vendor Identity", hex(hypervisorVendorIdentity, 16), ""))
    return DecodedTable(signature: Self.signature, bytes: encodedBytes, rows: rows)
  }
}
