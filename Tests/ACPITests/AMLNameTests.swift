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
  // MARK: Segments as words, NameStrings parsed in one pass

  @Test func nameSegWordKeepsTheBytesAndTheirOrder() {
    let names = ["_SB_", "C000", "C001", "CPEN", "A___", "Z9__", "_STA", "_ST_", "PRES", "B"]
    let segs = names.map { AMLNameSeg($0)! }
    for seg in segs {
      #expect(AMLNameSeg(validated: seg.bytes) == seg)
      #expect(seg.raw == String(decoding: seg.bytes, as: UTF8.self))
    }
    // `<` is the bytes' lexicographic order, as before the segment became one word.
    #expect(segs.sorted().map(\.raw) == segs.map(\.raw).sorted())
    #expect(Set(segs).count == Set(names.map { AMLNameSeg($0)!.raw }).count)
  }

  /// The parser as it was written before it read bytes directly: split on dots, one segment each.
  static func referenceParse(_ text: String) -> AMLNameString? {
    var rest = Substring(text)
    var name = AMLNameString(segments: [])
    if rest.first == "\\" {
      name.isRooted = true
      rest = rest.dropFirst()
    } else {
      while rest.first == "^" {
        name.parentPrefixes += 1
        rest = rest.dropFirst()
      }
    }
    if rest.isEmpty { return name }
    for part in rest.split(separator: ".", omittingEmptySubsequences: false) {
      guard let seg = AMLNameSeg(String(part)) else { return nil }
      name.segments.append(seg)
    }
    return name.segments.count > 255 ? nil : name
  }

  @Test(arguments: [
    "", "\\", "^", "^^A", "\\A.B", "A..B", "A.", ".A", "ABCDE", "a", "\\^A", "^\\A", "A.B.C.D", "_SB.PRES",
    "\\_SB.CPUS.C001._STA", "C0\u{e9}", "ABCD.EFGH.", "1ABC", "A_1.B_2",
  ])
  func nameStringParsingMatchesTheReference(_ text: String) {
    #expect(AMLNameString(parsing: text) == Self.referenceParse(text))
  }

  @Test func nameStringParsingMatchesTheReferenceOnRandomText() {
    var random = AMLFuzzTests.Generator(state: 0x4E41_4D45)
    let alphabet = Array("AB_09.\\^a")
    for _ in 0..<5000 {
      let text = String((0..<random.below(13)).map { _ in alphabet[random.below(alphabet.count)] })
      #expect(AMLNameString(parsing: text) == Self.referenceParse(text), "\(text)")
    }
    let long = Array(repeating: "A", count: 256).joined(separator: ".")
    #expect(AMLNameString(parsing: long) == nil)
    #expect(AMLNameString(parsing: String(long.dropLast(2)))?.segments.count == 255)
  }

  @Test func operandCountIsTheOperandListsLength() {
    for op in AMLOperator.allCases { #expect(op.operandCount == op.operands.count, "\(op)") }
  }
}
