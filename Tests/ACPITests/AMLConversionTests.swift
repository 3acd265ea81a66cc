import Testing

@testable import ACPI

@Suite struct AMLConversionTests {
  let wide = AMLConversions(width: 64)
  let narrow = AMLConversions(width: 32)

  @Test(arguments: [
    ("12", UInt64(0x12)), ("0x1F", 0x1F), ("1a", 0x1A), ("12zz", 0x12), ("", 0), ("  7", 7),
    ("123456789ABCDEF012", 0x1234_5678_9ABC_DEF0),
  ])
  func implicitStringToIntegerIsHex(_ text: String, _ value: UInt64) {
    #expect(wide.implicitInteger(from: text) == value)
  }

  @Test func implicitConversionStopsBeforeOverflowIn32BitMode() {
    #expect(narrow.implicitInteger(from: "123456789") == 0x1234_5678)
  }

  @Test(arguments: [("12", UInt64(12)), ("0x12", 0x12), ("99x", 99), ("", 0)])
  func explicitToIntegerIsDecimalUnlessPrefixed(_ text: String, _ value: UInt64) {
    #expect(wide.explicitInteger(from: text) == value)
  }

  @Test func integerAndBufferConversions() {
    #expect(wide.bytes(of: 0x0102) == [2, 1, 0, 0, 0, 0, 0, 0])
    #expect(narrow.bytes(of: 0x0102) == [2, 1, 0, 0])
    #expect(wide.integer(from: [1, 2, 3]) == 0x030201)
    #expect(narrow.integer(from: [1, 2, 3, 4, 5]) == 0x0403_0201)
    #expect(wide.hexString(0x1A) == "000000000000001A")
    #expect(narrow.hexString(0x1A) == "0000001A")
    #expect(wide.implicitString(from: [1, 0xAB]) == "0x01 0xAB")
    #expect(wide.explicitHexString(from: [1, 0xAB]) == "0x01,0xAB")
    #expect(wide.decimalString(from: [1, 0xAB]) == "1,171")
    #expect(wide.buffer(from: "AB") == [0x41, 0x42, 0])
  }

  @Test func comparisonsConvertTheSecondOperandToTheFirstsType() throws {
    var interpreter = try loaded([
      .method("INTS", [.returning(.lEqual(.integer(0x1A), .string("1a")))]),
      .method("STRI", [.returning(.lEqual(.string("1a"), .integer(0x1A)))]),
      .method("BUFF", [.returning(.lEqual(.integer(0x0201), .bufferLiteral([1, 2, 3])))]),
    ])
    #expect(try interpreter.eval("\\INTS") == .integer(.max))
    #expect(try interpreter.eval("\\STRI") == .integer(0))
    #expect(try interpreter.eval("\\BUFF") == .integer(0))
  }

  @Test func storeConvertsToTheNamedTargetsType() throws {
    var interpreter = try loaded([
      .name("INT0", .integer(5)),
      .name("STR0", .string("BAR")),
      .name("BUF0", .bufferLiteral([1, 2, 3, 4])),
      .method("SINT", [.store(.string("12"), .ref("INT0")), .returning(.ref("INT0"))]),
      .method("SSTR", [.store(.integer(0x4F4F46), .ref("STR0")), .returning(.ref("STR0"))]),
      .method("SBUF", [.store(.bufferLiteral([9]), .ref("BUF0")), .returning(.ref("BUF0"))]),
      .method(
        "SLOC", [.store(.string("text"), .local(0)), .store(.integer(5), .local(0)), .returning(.local(0))]),
    ])
    #expect(try interpreter.eval("\\SINT") == .integer(0x12))
    #expect(try interpreter.eval("\\SSTR") == .string("00000000004F4F46"))
    #expect(try interpreter.eval("\\SBUF") == .buffer([9, 0, 0, 0]))
    #expect(try interpreter.eval("\\SLOC") == .integer(5))
  }
}
