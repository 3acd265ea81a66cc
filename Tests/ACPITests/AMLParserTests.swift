import Testing

@testable import ACPI

@Suite struct AMLParserTests {
  @Test func builtTermsParseBackIdentically() throws {
    let terms: [AMLTerm] = [
      .name("INT0", .integer(0x1234_5678_9A)),
      .name("STR0", .string("text")),
      .name("PKG0", .package([.one, .string("two"), .bufferLiteral([3])])),
      .mutex("MTX0", syncLevel: 3),
      .opRegion("RGN0", space: 0, offset: 0x1000, length: 0x10),
      .field(
        region: "RGN0", flags: AMLFieldFlags(accessType: .dword, updateRule: .preserve),
        elements: [.named(AMLNameSeg("FLD0")!, bits: 32)]),
      .device("DEV0", [.name("_HID", .string("ACPI0007"))]),
    ]
    var parser = AMLParser(bytes: terms.flatMap(\.encodedBytes), baseOffset: 36)
    let parsed = try parser.termList(end: parser.bytes.count) { _ in nil }
    #expect(parsed == terms)
  }

  @Test func methodBodiesStayUnparsedUntilTheFirstCall() throws {
    var interpreter = try loaded([.method("MTH0", [.returning(.integer(7))])])
    guard let node = interpreter.namespace.lookup(path: "\\MTH0"),
      case .method(let before) = interpreter.namespace[node].object
    else {
      Issue.record("MTH0 missing")
      return
    }
    #expect(before.parsedBody == nil)
    #expect(try interpreter.eval("\\MTH0") == .integer(7))
    guard case .method(let after) = interpreter.namespace[node].object else { return }
    #expect(after.parsedBody == [.returnValue(.integer(7))])
  }

  @Test func forwardReferenceInsideAMethodWorks() throws {
    var interpreter = try loaded([
      .method("CALL", [.returning(.call("LATE", [.integer(5)]))]),
      .method("LATE", args: 1, [.returning(.add(.arg(0), .integer(3)))]),
    ])
    #expect(try interpreter.eval("\\CALL") == .integer(8))
  }

  @Test func moduleLevelForwardCallIsMisparsedAsACPICADoes() throws {
    // Store(MTH2(3), XX) before MTH2 exists: ACPICA reads name MTH2, then a stray 3 and XX,
    // and XX stays 0. After MTH2's definition the same statement works.
    let body: [UInt8] =
      AMLTerm.name("XX__", .integer(0)).encodedBytes + AMLTerm.name("YY__", .integer(0)).encodedBytes
      + [0x70] + Array("MTH2".utf8) + [0x0A, 0x03] + Array("XX__".utf8)
      + AMLTerm.method("MTH2", args: 1, [.returning(.add(.arg(0), .one))]).encodedBytes
      + AMLTerm.store(.call("MTH2", [.integer(3)]), .ref("YY__")).encodedBytes
    var interpreter = AMLInterpreter()
    try interpreter.load(table(body))
    #expect(try interpreter.eval("\\XX") == .integer(0))
    #expect(try interpreter.eval("\\YY") == .integer(4))
  }

  @Test func unknownOpcodesAreSkippedAsACPICADoes() throws {
    // Return(<0xB0> 6) returned 6 under acpiexec.
    let method = AMLTerm.method("MTH0", [])
    var bytes = method.encodedBytes
    bytes.removeLast(0)
    let body: [UInt8] = [0xA4, 0xB0, 0x0A, 0x06]
    let full = [0x14, UInt8(1 + 4 + 1 + body.count)] + Array("MTH0".utf8) + [0x00] + body
    var interpreter = AMLInterpreter()
    try interpreter.load(table(full + [0x02]))
    #expect(try interpreter.eval("\\MTH0") == .integer(6))
    #expect(interpreter.tables[0].skippedOpcodes == [36 + full.count])
  }

  @Test func truncatedAMLNamesTheOffset() {
    var interpreter = AMLInterpreter()
    do {
      try interpreter.load(table([0x08] + Array("AB".utf8)))
      Issue.record("loaded a truncated Name")
    } catch {
      #expect(error.status == .AE_AML_BAD_NAME)
      #expect(error.tableOffset == 37)
    }
  }

  @Test func pkgLengthBeyondTheTableIsRejected() {
    var interpreter = AMLInterpreter()
    do {
      try interpreter.load(table([0x10, 0x3F] + Array("\\_SB_".utf8)))
      Issue.record("loaded a Scope longer than the table")
    } catch {
      #expect(error.status == .AE_AML_BAD_OPCODE)
      #expect(error.tableOffset == 37)
      #expect(error.message.contains("PkgLength"))
    }
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    let nested = Array(repeating: UInt8(0x92), count: 5000) + [0x01]
    var interpreter = AMLInterpreter()
    do {
      try interpreter.load(table([0x70] + nested + [0x60]))
      Issue.record("loaded 5000 nested LNot")
    } catch {
      #expect(error.status == .AE_STACK_OVERFLOW)
    }
  }

  @Test func badChecksumIsRejectedBeforeParsing() {
    var bytes = DefinitionBlock(terms: [.name("INT0", .one)]).encodedBytes
    bytes[9] &+= 1
    var interpreter = AMLInterpreter()
    do {
      try interpreter.load(bytes)
      Issue.record("loaded a table with a wrong checksum")
    } catch {
      #expect(error.status == .AE_BAD_HEADER)
      #expect(error.message.contains("checksum"))
    }
    #expect(interpreter.tables.isEmpty)
  }

  @Test func aFailedLoadLeavesTheNamespaceUnchanged() throws {
    var interpreter = try loaded([.name("KEEP", .one)])
    let before = interpreter.namespace
    #expect(throws: AMLError.self) {
      try interpreter.load(
        DefinitionBlock(signature: "SSDT", terms: [.name("NEW0", .one), .name("KEEP", .one)]).encodedBytes)
    }
    #expect(interpreter.namespace == before)
  }
}
