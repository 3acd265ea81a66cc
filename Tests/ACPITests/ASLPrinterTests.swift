import Testing

@testable import ACPI

@Suite struct ASLPrinterTests {
  static let block = DefinitionBlock(terms: [
    .scope(
      "\\_SB",
      [
        .device(
          "C001",
          [
            .name("_HID", .string("ACPI0007")),
            .name("_UID", .one),
            .method(
              "_STA", serialized: true,
              [
                .ifThen(
                  .lEqual(.ref("\\FLAG"), .one), [.returning(.integer(0x0F))],
                  else: [.returning(.integer(0x0D))])
              ]),
          ])
      ]),
    .name("FLAG", .zero),
    .method(
      "MAIN", args: 1,
      [
        .store(.add(.arg(0), .one), .local(0)),
        .add(.local(0), .integer(5), .local(1)),
        .increment(.local(1)),
        .notify(.ref("\\_SB.C001"), .integer(3)),
        .whileLoop(.lNotEqual(.local(0), .zero), [.decrement(.local(0))]),
        .returning(.derefOf(.index(.package([.one, .string("x")]), .one))),
      ]),
  ])

  @Test func printsTheTableInASLPlusStyle() throws {
    var interpreter = AMLInterpreter()
    try interpreter.load(Self.block.encodedBytes)
    let text = ASLPrinter.table(interpreter.tables[0], in: interpreter)
    #expect(
      text == """
        DefinitionBlock ("", "DSDT", 2, "HPLAB", "HPLABVRT", 0x00000001)
        {
            Scope (\\_SB)
            {
                Device (C001)
                {
                    Name (_HID, "ACPI0007")  // _HID: Hardware ID
                    Name (_UID, One)  // _UID: Unique ID
                    Method (_STA, 0, Serialized)  // _STA: Status
                    {
                        If ((\\FLAG == One))
                        {
                            Return (0x0F)
                        }
                        Else
                        {
                            Return (0x0D)
                        }
                    }
                }
            }

            Name (FLAG, Zero)
            Method (MAIN, 1, NotSerialized)
            {
                Local0 = (Arg0 + One)
                Local1 = (Local0 + 0x05)
                Local1++
                Notify (\\_SB.C001, 0x03) // Eject Request
                While ((Local0 != Zero))
                {
                    Local0--
                }

                Return (DerefOf (Package (0x02) { One, "x" } [One]))
            }
        }
        """)
  }

  @Test func printsOneObject() throws {
    var interpreter = AMLInterpreter()
    try interpreter.load(Self.block.encodedBytes)
    let node = try #require(interpreter.namespace.lookup(path: "\\_SB.C001._STA"))
    let text = try #require(ASLPrinter.object(node, in: interpreter))
    #expect(text.hasPrefix("Method (_STA, 0, Serialized)  // _STA: Status\n{\n    If ((\\FLAG == One))"))
  }

  @Test func printsTheNamespaceTree() throws {
    var interpreter = AMLInterpreter()
    try interpreter.load(Self.block.encodedBytes)
    let node = try #require(interpreter.namespace.lookup(path: "\\_SB.C001"))
    #expect(
      ASLPrinter.namespaceTree(interpreter, from: node) == """
        \\_SB.C001  Device
            _HID  String "ACPI0007"
            _STA  Method Args 0 Serialized SyncLevel 0
            _UID  Integer 0x1
        """)
    #expect(ASLPrinter.namespaceTree(interpreter).contains("\n    FLAG  Integer 0x0"))
  }

  @Test func printsEisaIdsAndResourceTemplates() throws {
    let text = ASLPrinter.definitionBlock(
      DefinitionBlock(terms: [
        .name("_HID", .eisaID("PNP0A06")!),
        .name("_CRS", .resourceTemplate([.memory32Fixed(readWrite: true, base: 0x090C_0000, length: 12)])),
      ]))
    #expect(text.contains("Name (_HID, EisaId (\"PNP0A06\"))  // _HID: Hardware ID"))
    #expect(
      text.contains(
        "Name (_CRS, ResourceTemplate () { Memory32Fixed (ReadWrite, 0x090C0000, 0x0000000C, ) })"))
  }
}
