import Testing

@testable import ACPI

/// Golden vectors: bytes iasl 20200925 produced for the same ASL (fact sheet §3).
@Suite struct AMLTermTests {
  @Test func gedCurrentResourceSettingsMatchesIasl() {
    let crs = AMLTerm.name(
      "_CRS",
      .resourceTemplate([.extendedInterrupt(edge: true, activeLow: false, shared: false, interrupts: [0x29])])
    )
    #expect(
      crs.encodedBytes == [
        0x08, 0x5F, 0x43, 0x52, 0x53, 0x11, 0x0E, 0x0A, 0x0B, 0x89, 0x06, 0x00, 0x03, 0x01, 0x29, 0x00, 0x00,
        0x00,
        0x79, 0x00,
      ])
  }

  @Test func fieldWithOffsetMatchesIasl() {
    let field = AMLTerm.field(
      region: "PRST", flags: AMLFieldFlags(accessType: .byte, updateRule: .writeAsZeros),
      elements: [
        .reserved(bits: 32), .named(AMLNameSeg("CPEN")!, bits: 1), .named(AMLNameSeg("CINS")!, bits: 1),
      ])
    let bytes = field.encodedBytes
    #expect(Array(bytes.prefix(3)) == [0x5B, 0x81, UInt8(bytes.count - 2)])
    #expect(
      Array(bytes[3...]) == Array("PRST".utf8) + [0x41, 0x00, 0x20] + Array("CPEN".utf8) + [1]
        + Array("CINS".utf8) + [1])
    #expect(
      AMLTerm.field(
        region: "PRST", flags: AMLFieldFlags(accessType: .any, updateRule: .preserve),
        elements: [.accessAs(.dword, attribute: 0)]
      ).encodedBytes.suffix(3) == [0x01, 0x03, 0x00])
  }

  @Test func methodFlags() {
    #expect(AMLMethodDefinition(name: "_OST", argumentCount: 3, serialized: true, body: []).flags == 0x0B)
    #expect(
      AMLMethodDefinition(name: "ORD1", argumentCount: 0, serialized: true, syncLevel: 5, body: []).flags
        == 0x58)
  }

  @Test func callEncodingHasNoOpcode() {
    let call = AMLTerm.call("^^PRES.COST", [.one, .arg(0), .arg(1), .arg(2)])
    #expect(call.encodedBytes == [0x5E, 0x5E, 0x2E] + Array("PRESCOST".utf8) + [0x01, 0x68, 0x69, 0x6A])
  }

  static let integerVectors: [(UInt64, [UInt8])] = [
    (0, [0x00]), (1, [0x01]), (5, [0x0A, 0x05]), (0xFF, [0x0A, 0xFF]), (0x100, [0x0B, 0x00, 0x01]),
    (0x1_0000, [0x0C, 0x00, 0x00, 0x01, 0x00]), (0x1_0000_0000, [0x0E, 0, 0, 0, 0, 1, 0, 0, 0]),
  ]

  @Test(arguments: integerVectors)
  func integersUseTheSmallestPrefix(_ value: UInt64, _ bytes: [UInt8]) {
    #expect(AMLTerm.integer(value).encodedBytes == bytes)
  }

  @Test func eisaIDCompression() {
    #expect(eisaIDValue("PNP0A03") == 0x030A_D041)
    #expect(eisaIDString(0x030A_D041) == "PNP0A03")
    #expect(eisaIDValue("PNP0A0") == nil)
    #expect(AMLTerm.eisaID("PNP0A06") == .integer(0x060A_D041))
  }

  @Test func logicalNegationsAreLNotOfTheComparison() {
    #expect(AMLTerm.lNotEqual(.local(0), .one).encodedBytes == [0x92, 0x93, 0x60, 0x01])
    #expect(AMLTerm.lLessEqual(.local(0), .one).encodedBytes == [0x92, 0x94, 0x60, 0x01])
    #expect(AMLTerm.lGreaterEqual(.local(0), .one).encodedBytes == [0x92, 0x95, 0x60, 0x01])
  }

  @Test func containersCountTheirPkgLength() {
    let device = AMLTerm.device("C000", [.name("_UID", .zero)])
    // 5B 82 PkgLength "C000" 08 "_UID" 00
    #expect(
      device.encodedBytes == [0x5B, 0x82, 0x0B] + Array("C000".utf8) + [0x08] + Array("_UID".utf8) + [0x00])
    let big = AMLTerm.scope("\\_SB", Array(repeating: .noop, count: 70))
    let bytes = big.encodedBytes
    #expect(bytes[1] == 0x40 | UInt8((bytes.count - 1) & 0x0F))
    #expect(Int(bytes[2]) << 4 | Int(bytes[1] & 0x0F) == bytes.count - 1)
  }

  @Test func resourceTemplateDecodesBack() {
    let descriptors: [ResourceDescriptor] = [
      .memory32Fixed(readWrite: true, base: 0x090C_0000, length: 12),
      .extendedInterrupt(edge: true, activeLow: false, shared: false, interrupts: [41]),
    ]
    guard case .buffer(_, let bytes) = AMLTerm.resourceTemplate(descriptors) else {
      Issue.record("a resource template must be a Buffer")
      return
    }
    #expect(bytes.suffix(2) == [0x79, 0x00])
    #expect(ResourceDescriptor.decodeTemplate(bytes) == descriptors)
    #expect(ResourceDescriptor.decodeTemplate([0x89, 0x06]) == nil)
  }
}
