import Testing

@testable import ACPI

private func sum(_ bytes: [UInt8]) -> UInt8 { bytes.reduce(0, &+) }

private func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
  (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
}

private func u64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
  (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << UInt64(8 * $1) }
}

@Suite struct RSDPTests {
  let rsdp = RSDP(oemID: "EDUCPU", xsdtAddress: 0x4000_4000)

  @Test func layoutAndBothChecksums() {
    let bytes = rsdp.encodedBytes
    #expect(bytes.count == 36)
    #expect(Array(bytes[0..<8]) == Array("RSD PTR ".utf8))
    #expect(bytes[15] == 2)
    #expect(u32(bytes, 20) == 36)
    #expect(u64(bytes, 24) == 0x4000_4000)
    #expect(sum(Array(bytes[0..<20])) == 0)
    #expect(sum(bytes) == 0)
  }

  @Test func roundTrips() throws {
    #expect(try RSDP.decode(rsdp.encodedBytes) == rsdp)
  }

  @Test func rejectsEachBrokenChecksum() {
    var first = rsdp.encodedBytes
    first[8] &+= 1
    #expect(throws: ACPITableError.self) { try RSDP.decode(first) }
    do {
      _ = try RSDP.decode(first)
    } catch {
      #expect(error.offset == 8)
      #expect(error.table == "RSDP")
    }
    var extended = rsdp.encodedBytes
    extended[33] = 1
    do {
      _ = try RSDP.decode(extended)
      Issue.record("accepted a bad extended checksum")
    } catch {
      #expect(error.offset == 32)
      #expect(error.reason.contains("extended checksum"))
    }
  }

  @Test func rejectsShortInput() {
    do {
      _ = try RSDP.decode(Array(rsdp.encodedBytes.prefix(30)))
      Issue.record("accepted a short RSDP")
    } catch {
      #expect(error.table == "RSDP")
    }
  }
}

@Suite struct SDTHeaderTests {
  @Test func rejectsShortTable() {
    do {
      _ = try SDTHeader.decode(Array("DSDT".utf8) + [1, 2])
      Issue.record("accepted a 6-byte table")
    } catch {
      #expect(error.table == "DSDT")
      #expect(error.reason.contains("short table"))
    }
  }

  @Test func rejectsLengthLongerThanData() {
    var bytes = XSDT(entries: [1, 2]).encodedBytes
    bytes.removeLast(4)
    do {
      _ = try XSDT.decode(bytes)
      Issue.record("accepted a truncated table")
    } catch {
      #expect(error.table == "XSDT")
      #expect(error.offset == 4)
      #expect(error.reason.contains("52"))
    }
  }

  @Test func rejectsWrongChecksumNamingTheRightValue() {
    var bytes = XSDT(entries: [0x1000]).encodedBytes
    let good = bytes[9]
    bytes[9] = good &+ 5
    do {
      _ = try XSDT.decode(bytes)
      Issue.record("accepted a bad checksum")
    } catch {
      #expect(error.offset == 9)
      #expect(error.reason.contains("should be 0x\(hex2(good))"))
      #expect(error.description.hasPrefix("XSDT at offset 9"))
    }
  }
}

@Suite struct XSDTTests {
  @Test func lengthGrowsByEightPerEntryAndEntriesAreUnaligned() {
    for count in 0..<5 {
      let xsdt = XSDT(entries: (0..<count).map { UInt64(0x4000_0000 + $0 * 0x1000) })
      let bytes = xsdt.encodedBytes
      #expect(bytes.count == 36 + 8 * count)
      #expect(u32(bytes, 4) == UInt32(36 + 8 * count))
      #expect(sum(bytes) == 0)
      for index in 0..<count { #expect(u64(bytes, 36 + 8 * index) == UInt64(0x4000_0000 + index * 0x1000)) }
    }
  }

  @Test func roundTrips() throws {
    let xsdt = XSDT(entries: [0x4000_1000, 0xFFFF_0000_1234])
    let decoded = try XSDT.decode(xsdt.encodedBytes)
    #expect(decoded.entries == xsdt.entries)
    #expect(decoded.header.revision == 1)
  }
}

@Suite struct FADTTests {
  let fadt = FADT(xDSDT: 0x4000_2000)

  @Test func sizeAndArmFields() {
    let bytes = fadt.encodedBytes
    #expect(bytes.count == 276)
    #expect(String(decoding: bytes[0..<4], as: UTF8.self) == "FACP")
    #expect(bytes[8] == 6)
    #expect(u32(bytes, 112) == 0x0010_0000)
    #expect(bytes[129] == 0x03 && bytes[130] == 0x00)
    #expect(bytes[131] == 5)
    #expect(u64(bytes, 140) == 0x4000_2000)
    #expect(sum(bytes) == 0)
  }

  @Test func roundTrips() throws {
    var custom = fadt
    custom.hypervisorVendorIdentity = 0x4241_4C50_4C48
    custom.sleepControlRegister = GenericAddress(spaceID: 0, bitWidth: 8, accessSize: 1, address: 0x9000)
    let decoded = try FADT.decode(custom.encodedBytes)
    #expect(decoded.encodedBytes == custom.encodedBytes)
    #expect(decoded.sleepControlRegister == custom.sleepControlRegister)
    #expect(decoded.hypervisorVendorIdentity == custom.hypervisorVendorIdentity)
  }

  @Test func fieldTableNamesTheArmFlags() {
    let rows = fadt.decoded.rows
    let flags = rows.first { $0.name == "Flags" }
    #expect(flags?.offset == 112)
    #expect(flags?.meaning == "HW_REDUCED_ACPI")
    let arm = rows.first { $0.name == "ARM_BOOT_ARCH" }
    #expect(arm?.offset == 129)
    #expect(arm?.value == "0003")
    #expect(arm?.meaning == "PSCI_COMPLIANT|PSCI_USE_HVC")
    #expect(rows.first { $0.name == "FADT Minor Version" }?.meaning == "ACPI 6.5")
  }

  @Test func rejectsShortFADT() {
    var header = SDTHeader(signature: "FACP", revision: 6)
    var sink = ByteSink()
    header.encodeTable(into: &sink) { $0.append(Array(repeating: 0, count: 100)) }
    header.length = 0
    do {
      _ = try FADT.decode(sink.bytes)
      Issue.record("accepted a 136-byte FADT")
    } catch {
      #expect(error.table == "FACP")
      #expect(error.reason.contains("276"))
    }
  }
}

@Suite struct MADTTests {
  static func gicc(_ index: UInt32, enabled: Bool) -> GICC {
    GICC(
      acpiProcessorUID: index, mpidr: UInt64(index),
      flags: enabled ? GICC.enabled : GICC.onlineCapable)
  }

  @Test func structureSizesMatchTheSpec() {
    #expect(Self.gicc(0, enabled: true).encodedBytes.count == 82)
    var old = Self.gicc(0, enabled: true)
    old.trbeInterrupt = nil
    #expect(old.encodedBytes.count == 80)
    #expect(GICD(baseAddress: 0x0800_0000).encodedBytes.count == 24)
    #expect(GICR(discoveryRangeBase: 0x080A_0000, discoveryRangeLength: 0xF6_0000).encodedBytes.count == 16)
    #expect(GICITS(baseAddress: 0x0808_0000).encodedBytes.count == 20)
  }

  @Test func giccFieldOffsets() {
    var gicc = Self.gicc(3, enabled: false)
    gicc.performanceInterrupt = 23
    gicc.trbeInterrupt = 0x1234
    let bytes = gicc.encodedBytes
    #expect(bytes[0] == 0x0B && bytes[1] == 82)
    #expect(u32(bytes, 8) == 3)
    #expect(u32(bytes, 12) == 0x8)
    #expect(u32(bytes, 20) == 23)
    #expect(u64(bytes, 60) == 0)
    #expect(u64(bytes, 68) == 3)  // the affinity fields, as firmware writes them (no RES1 bit 31)
    #expect(bytes[80] == 0x34 && bytes[81] == 0x12)
  }

  @Test func gicdGicrItsFieldOffsets() {
    let gicd = GICD(gicID: 7, baseAddress: 0x0800_0000, systemVectorBase: 0, version: 3).encodedBytes
    #expect(gicd[0] == 0x0C && gicd[1] == 24)
    #expect(u32(gicd, 4) == 7)
    #expect(u64(gicd, 8) == 0x0800_0000)
    #expect(gicd[20] == 3)
    let gicr = GICR(discoveryRangeBase: 0x080A_0000, discoveryRangeLength: 0xF6_0000).encodedBytes
    #expect(gicr[0] == 0x0E && gicr[1] == 16)
    #expect(u64(gicr, 4) == 0x080A_0000)
    #expect(u32(gicr, 12) == 0xF6_0000)
    let its = GICITS(itsID: 2, baseAddress: 0x0808_0000).encodedBytes
    #expect(its[0] == 0x0F && its[1] == 20)
    #expect(u32(its, 4) == 2)
    #expect(u64(its, 8) == 0x0808_0000)
  }

  @Test func lengthAndChecksumAfterEachAddition() {
    var madt = MADT(structures: [])
    var expected = 44
    #expect(madt.encodedBytes.count == expected)
    let additions: [MADTStructure] = [
      .gicd(GICD(baseAddress: 0x0800_0000)), .gicc(Self.gicc(0, enabled: true)),
      .gicc(Self.gicc(1, enabled: false)),
      .gicr(GICR(discoveryRangeBase: 0x080A_0000, discoveryRangeLength: 0x40000)),
      .its(GICITS(baseAddress: 0x0808_0000)),
    ]
    for structure in additions {
      madt.structures.append(structure)
      expected += structure.encodedBytes.count
      let bytes = madt.encodedBytes
      #expect(bytes.count == expected)
      #expect(u32(bytes, 4) == UInt32(expected))
      #expect(sum(bytes) == 0)
    }
  }

  @Test func roundTripsAndRejectsBadSubtableLength() throws {
    let madt = MADT(structures: [
      .gicd(GICD(baseAddress: 0x0800_0000)), .gicc(Self.gicc(0, enabled: true)),
      .gicr(GICR(discoveryRangeBase: 0x080A_0000, discoveryRangeLength: 0x40000)),
    ])
    let decoded = try MADT.decode(madt.encodedBytes)
    #expect(decoded.structures == madt.structures)
    #expect(decoded.encodedBytes == madt.encodedBytes)
    var bytes = madt.encodedBytes
    bytes[44 + 24 + 1] = 0  // GICC length 0 would loop forever if trusted
    bytes[9] = 0
    bytes[9] = 0 &- sum(bytes)
    do {
      _ = try MADT.decode(bytes)
      Issue.record("accepted a zero-length subtable")
    } catch {
      #expect(error.table == "APIC")
      #expect(error.offset == 44 + 24 + 1)
    }
  }

  @Test func giccLengthFollowsTheMADTRevision() throws {
    let gicc = MADTStructure.gicc(Self.gicc(0, enabled: true))
    let revision6 = MADT(structures: [gicc], revision: 6).encodedBytes
    let revision5 = MADT(structures: [gicc], revision: 5).encodedBytes
    #expect(revision6.count == 44 + 82 && revision6[45] == 82)
    #expect(revision5.count == 44 + 80 && revision5[45] == 80)
    guard case .gicc(let decoded)? = try MADT.decode(revision5).structures.first else {
      Issue.record("no GICC decoded")
      return
    }
    #expect(decoded.trbeInterrupt == nil)
  }

  @Test func fieldTableDecodesOnlineCapable() {
    let madt = MADT(structures: [.gicc(Self.gicc(1, enabled: false))])
    let flags = madt.decoded.rows.first { $0.name == "Flags" && $0.offset == 44 + 12 }
    #expect(flags?.meaning == "Online Capable")
    #expect(
      madt.decoded.rows.contains { $0.name == "Length" && $0.value == "52" && $0.meaning == "82 bytes" })
  }
}

@Suite struct DecodedTableRenderingTests {
  @Test func fieldTableRendering() {
    let table = DecodedTable(
      signature: "XSDT", bytes: Array(repeating: 0, count: 44),
      rows: [
        ACPIFieldRow(0, 4, "Signature", "\"XSDT\"", "Extended System Description Table"),
        ACPIFieldRow(36, 8, "Entry", "1", ""),
      ])
    #expect(
      table.fieldTable == """
        XSDT  44 bytes
        Offset  Len  Field      Value   Meaning
        0x0000    4  Signature  "XSDT"  Extended System Description Table
        0x0024    8  Entry      1
        """)
  }

  @Test func hexDumpIsAcpidumpFormat() {
    let table = DecodedTable(signature: "DSDT", bytes: Array("DSDT".utf8) + Array(0..<14), rows: [])
    #expect(
      table.hexDump() == """
        DSDT @ 0x0000000000000000
            0000: 44 53 44 54 00 01 02 03 04 05 06 07 08 09 0A 0B  DSDT............
            0010: 0C 0D                                            ..
        """)
  }
}
