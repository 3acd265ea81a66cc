import ACPI
import Foundation
import FuzzTargets
import LabScript
import Testing
import VirtMachine

/// The fuzz corpus (Tests/FuzzCorpus/<target>/) replayed through the same code the libFuzzer
/// harnesses run: every seed, every input a fuzzing run kept, and every input that once crashed
/// or hung (`crash-*`) must now run to the end. A regression here crashes the test process,
/// which `swift test` reports as a failure.
@Suite struct FuzzCorpusTests {
  static let corpus: String = {
    // Tests/ReliabilityTests/FuzzCorpusTests.swift -> Tests/FuzzCorpus
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(2)
    return parts.joined(separator: "/") + "/FuzzCorpus"
  }()

  static func inputs(_ target: FuzzTarget) throws -> [String] {
    try FuzzCorpus.files(at: corpus + "/" + target.rawValue)
  }

  @Test(arguments: FuzzTarget.allCases)
  func corpusRunsToTheEnd(_ target: FuzzTarget) throws {
    let files = try FuzzCorpusTests.inputs(target)
    #expect(files.filter { $0.contains("/seed-") }.count >= 4, "\(target.rawValue) has too few seeds")
    for file in files {
      target.run(try FuzzCorpus.read(file))
    }
  }

  @Test func everyTargetHasACorpusDirectory() throws {
    for target in FuzzTarget.allCases {
      #expect(try !FuzzCorpusTests.inputs(target).isEmpty, "no corpus for \(target.rawValue)")
    }
  }
}

/// Each crash or hang the fuzzers found, as a test of the behaviour that replaced it.
@Suite struct FuzzRegressionTests {
  func failure(_ text: String) -> String? {
    do {
      try Session().run(text, name: "t.hpl")
      return nil
    } catch {
      return error.render(color: false)
    }
  }

  /// fuzz-labscript, input "M\xF0-\0": a NUL byte in a command's words ended a word without
  /// being consumed, so the parser read empty words forever (a hang that also ate memory).
  @Test func nulByteInCommandWordsIsAnError() {
    #expect(
      failure("echo a\u{0}b\n")
        == "t.hpl:1:7: error: unexpected character 'U+0'\necho a\u{0}b\n      ^\n")
    #expect(
      failure("M\u{FFFD}-\u{0}") == "t.hpl:1:4: error: unexpected character 'U+0'\nM\u{FFFD}-\u{0}\n   ^\n")
    // A NUL inside a string is a character like any other.
    let output = BufferedOutput()
    let session = Session(output: output)
    #expect(throws: Never.self) { try session.run(#"print "x\0y""#) }
    #expect(output.text == "x\u{0}y\n")
  }

  /// Found with the NUL input above: hplab printed output with fputs, which stops at a NUL, so
  /// `print "x\0y"` printed "x" and lost the rest of the line, newline included.
  @Test func hplabPrintsOutputContainingNULWhole() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: FileWriteTests.binary)
    process.arguments = ["-c", #"print "x\0y"; print "z""#]
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let bytes = [UInt8](output.fileHandleForReading.readDataToEndOfFile())
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(bytes == Array("x\u{0}y\nz\n".utf8))
  }

  /// fuzz-acpi-tables, a 7-byte file starting D8 92 81 01: the signature went into the error
  /// message as raw UTF-8 (a combining mark and a control character reached the terminal).
  /// Text fields of tables are now shown as printable ASCII with \xNN escapes.
  @Test func tableTextFieldsArePrintable() throws {
    #expect(throws: ACPICommandError.self) {
      try acpiDecodeCommand(file: "t.dat", bytes: [0xD8, 0x92, 0x81, 0x01, 0, 0, 0x23])
    }
    do {
      _ = try acpiDecodeCommand(file: "t.dat", bytes: [0xD8, 0x92, 0x81, 0x01, 0, 0, 0x23])
    } catch {
      #expect(
        error.message
          == #"t.dat: \xD8\x92\x81\x01 at offset 7 (0x7): short table: 7 byte(s), the common header alone needs 36"#
      )
    }
    var table = [UInt8](repeating: 0x20, count: 36)
    table.replaceSubrange(0..<4, with: Array("HPLB".utf8))
    table.replaceSubrange(4..<8, with: [36, 0, 0, 0])
    table[10] = 0x1B  // ESC in the OEM ID
    table[9] = 0
    table[9] = 0 &- table.reduce(UInt8(0)) { $0 &+ $1 }
    let decoded = try acpiDecodeCommand(file: "t.dat", bytes: table)
    #expect(!decoded.description.contains("\u{1B}"))
    #expect(decoded.description.contains(#"\x1B"#))
  }

  /// fuzz-smp: three 32-bit topology values overflowed the 64-bit product in
  /// machine_parse_smp_config's "prefer cores" division (an arithmetic-overflow trap).
  @Test func hugeTopologyValuesAreAnErrorNotATrap() {
    #expect(throws: SMPConfiguration.Error.self) {
      try SMPConfiguration.parse("4,sockets=4294967295,clusters=4294967295,threads=4294967295")
    }
    do {
      _ = try SMPConfiguration.parse("4,sockets=4294967295,clusters=4294967295,threads=4294967295")
    } catch {
      #expect(
        error.message
          == "Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (4294967295) * clusters (4294967295) * cores (0) * threads (4294967295) != maxcpus (4)"
      )
    }
    do {
      _ = try SMPConfiguration.parse("maxcpus=8,clusters=4294967295,cores=4294967295,threads=4294967295")
    } catch {
      #expect(error.message.hasPrefix("Invalid CPU topology: product of the hierarchy must match maxcpus"))
    }
  }
}
