import Testing

@testable import ACPI

@Suite struct AMLNameTests {
  @Test(arguments: [
    ("_SB", "_SB_"), ("IDX", "IDX_"), ("C000", "C000"), ("A", "A___"),
  ])
  func nameSegPadsWithUnderscore(_ text: String, _ raw: String) {
    #expect(AMLNameSeg(text)?.raw == raw)
  }

  @Test(arguments: ["", "ABCDE", "0ABC", "ab", "A-B"])
  func invalidNameSegs(_ text: String) {
    #expect(AMLNameSeg(text) == nil)
  }

  @Test func nameStringEncodings() {
    #expect(AMLNameString("CPEN").encodedBytes == Array("CPEN".utf8))
    #expect(AMLNameString("\\_SB").encodedBytes == [0x5C] + Array("_SB_".utf8))
    #expect(AMLNameString("PRES.CPEN").encodedBytes == [0x2E] + Array("PRESCPEN".utf8))
    #expect(AMLNameString("\\_SB.PRES.CPEN").encodedBytes == [0x5C, 0x2F, 3] + Array("_SB_PRESCPEN".utf8))
    #expect(AMLNameString("^^PRES.COST").encodedBytes == [0x5E, 0x5E, 0x2E] + Array("PRESCOST".utf8))
    #expect(AMLNameString(parsing: "\\")?.encodedBytes == [0x5C, 0x00])
  }

  @Test func nameStringDescriptionTrimsPadding() {
    #expect(AMLNameString("\\_SB_.PRES").description == "\\_SB.PRES")
    #expect(AMLNameString("^^PRES.COST").description == "^^PRES.COST")
  }

  @Test func pkgLengthBoundariesMatchIasl() {
    // Totals (PkgLength bytes + payload) verified against iasl: 63 → 3F, 65 → 41 04,
    // 4095 → 4F FF, 4097 → 81 00 01.
    #expect(PkgLength.encode(payload: 62) == [0x3F])
    #expect(PkgLength.encode(payload: 63) == [0x41, 0x04])
    #expect(PkgLength.encode(payload: 4093) == [0x4F, 0xFF])
    #expect(PkgLength.encode(payload: 4094) == [0x81, 0x00, 0x01])
    #expect(PkgLength.encode(payload: 0) == [0x01])
    #expect(PkgLength.encode(payload: 0xF_FFFC) == [0x8F, 0xFF, 0xFF])
    #expect(PkgLength.encode(payload: 0xF_FFFD) == [0xC1, 0x00, 0x00, 0x01])
  }

  @Test func fieldWidthsDoNotCountTheirOwnBytes() {
    #expect(PkgLength.encode(bitWidth: 1) == [0x01])
    #expect(PkgLength.encode(bitWidth: 63) == [0x3F])
    #expect(PkgLength.encode(bitWidth: 100) == [0x44, 0x06])
    #expect(PkgLength.encode(bitWidth: 128) == [0x40, 0x08])
  }

  @Test(arguments: [0, 1, 61, 62, 63, 64, 4092, 4093, 4094, 4095, 70000, 0xF_FFFD])
  func pkgLengthParsesBack(_ payload: Int) throws {
    let encoded = PkgLength.encode(payload: payload)
    var parser = AMLParser(bytes: encoded + Array(repeating: 0, count: payload), baseOffset: 0)
    let end = try parser.pkgEnd(limit: encoded.count + payload)
    #expect(end == encoded.count + payload)
  }
}
