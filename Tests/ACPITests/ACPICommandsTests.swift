import Testing
import VirtMachine

@testable import ACPI

@Suite struct ACPICommandsTests {
  static let dsdt = DefinitionBlock(terms: [
    .scope("\\_SB", [.device("C001", [.method("_STA", [.returning(.integer(0x0F))])])]),
    .method("ADD2", args: 2, [.returning(.add(.arg(0), .arg(1)))]),
    .method("NTFY", [.notify(.ref("\\_SB.C001"), .one), .store(.string("hi"), .debug)]),
    .method("FAIL", args: 1, [.returning(.divide(.one, .arg(0)))]),
  ]).encodedBytes

  @Test func evalRendersLikeAcpiexec() throws {
    let output = try acpiEvalCommand(
      file: "dsdt.aml", bytes: Self.dsdt, path: "\\ADD2", arguments: ["0x10", "5"])
    #expect(output.description == "Evaluation of \\ADD2 returned:\n  [Integer] = 0000000000000015")
    #expect(!output.failed)
  }

  @Test func evalRendersNotifyDebugAndNoResult() throws {
    let output = try acpiEvalCommand(file: "dsdt.aml", bytes: Self.dsdt, path: "\\NTFY")
    #expect(
      output.description == """
        ACPI Debug: [String] Length 02 = "hi"
        System Notify on [\\_SB.C001] value 0x01 (Device Check)
        No object was returned from evaluation of \\NTFY
        """)
  }

  @Test func evalRendersFailures() throws {
    let output = try acpiEvalCommand(file: "dsdt.aml", bytes: Self.dsdt, path: "\\FAIL", arguments: ["0"])
    #expect(output.failed)
    #expect(
      output.description
        == "Evaluation of \\FAIL failed with status AE_AML_DIVIDE_BY_ZERO\n  Divide by zero (in method \\FAIL) at: Return ((One / Arg0))"
    )
  }

  @Test func evalArgumentsParseAsAcpiexecDoes() throws {
    #expect(try parseEvalArgument("84") == .integer(84))
    #expect(try parseEvalArgument("0x84") == .integer(0x84))
    #expect(try parseEvalArgument("\"abc\"") == .string("abc"))
    #expect(try parseEvalArgument("(01 02 ff)") == .buffer([1, 2, 0xFF]))
    #expect(throws: ACPICommandError.self) { try parseEvalArgument("twelve") }
  }

  @Test func aslPrintsOneObject() throws {
    let output = try acpiASLCommand(file: "dsdt.aml", bytes: Self.dsdt, path: "\\_SB.C001")
    #expect(
      output.description == """
        Device (C001)
        {
            Method (_STA, 0, NotSerialized)  // _STA: Status
            {
                Return (0x0F)
            }
        }
        """)
    #expect(throws: ACPICommandError.self) {
      try acpiASLCommand(file: "dsdt.aml", bytes: Self.dsdt, path: "\\NONE")
    }
  }

  @Test func decodeRendersFieldsAndHex() throws {
    let xsdt = XSDT(entries: [0x4001_0000]).encodedBytes
    let fields = try acpiDecodeCommand(file: "xsdt.dat", bytes: xsdt)
    let lines = fields.description.split(separator: "\n")
    #expect(lines[0] == "XSDT  44 bytes")
    #expect(lines[1].hasPrefix("Offset  Len  Field"))
    #expect(lines.last == "0x0024    8  ACPI Table Address 0   0000000040010000")
    let hex = try acpiDecodeCommand(file: "xsdt.dat", bytes: xsdt, form: .hex)
    #expect(hex.description.hasPrefix("XSDT @ 0x0000000000000000\n    0000: 58 53 44 54 2C 00 00 00 01"))
  }

  @Test func decodeErrorsNameTheFileTableAndOffset() {
    var bad = XSDT(entries: [1]).encodedBytes
    bad[9] &+= 1
    do {
      _ = try acpiDecodeCommand(file: "xsdt.dat", bytes: bad)
      Issue.record("decoded a table with a bad checksum")
    } catch {
      #expect(error.message.hasPrefix("xsdt.dat: XSDT at offset 9 (0x9): wrong checksum"))
      #expect(error.hint != nil)
    }
  }

  @Test func decodesEveryBuiltTableKind() throws {
    // The tables the board ships: RSDP, XSDT, FADT, MADT and DSDT.
    let board = VirtACPIBuild(smp: try SMPConfiguration.parse("1,maxcpus=2"), options: VirtOptions())
    for bytes in board.tables.map(\.bytes) {
      let table = try acpiDecodeTable(bytes)
      #expect(table.bytes == bytes)
      #expect(!table.rows.isEmpty)
    }
  }
}
