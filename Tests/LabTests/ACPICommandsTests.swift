import ACPI
import Foundation
import Lab
import LabScript
import Testing
import VirtMachine

@Suite struct ACPICommandsTests {
  /// Writes the board's tables (`-smp 1,maxcpus=4`) to a temporary directory.
  func tables() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "hplab-acpi-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let example = VirtACPIBuild(smp: try SMPConfiguration.parse("1,maxcpus=4"), options: VirtOptions())
    try Data(example.dsdt.encodedBytes).write(to: directory.appendingPathComponent("DSDT.aml"))
    try Data(example.madt.encodedBytes).write(to: directory.appendingPathComponent("APIC.dat"))
    try Data([1, 2, 3]).write(to: directory.appendingPathComponent("short.dat"))
    return directory
  }

  func run(_ text: String) -> (out: String, error: String?) {
    let output = BufferedOutput()
    let session = LabModules.makeSession(output: output)
    do {
      try session.run(text, name: "t.hpl")
      return (output.text, nil)
    } catch {
      return (output.text, error.render(color: false))
    }
  }

  @Test func decodeAslAndEval() throws {
    let dir = try tables().path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let decoded = run("acpi decode \(dir)/APIC.dat")
    #expect(decoded.error == nil)
    #expect(decoded.out.contains("APIC"))
    #expect(decoded.out.contains("Online Capable"))
    let hex = run("acpi decode \(dir)/APIC.dat --hex")
    #expect(hex.out.hasPrefix("APIC @ 0x"))
    let asl = run("acpi asl \(dir)/DSDT.aml \\_SB.CPUS.C001")
    #expect(asl.error == nil)
    #expect(asl.out.contains("Device (C001)"))
    // Zero-filled registers: CPRS reads 0, so CSTA returns 0.
    let sta = run("acpi eval \(dir)/DSDT.aml \\_SB.CPUS.C001._STA")
    #expect(sta.error == nil, "\(sta.error ?? "")")
    #expect(sta.out == "Evaluation of \\_SB.CPUS.C001._STA returned:\n  [Integer] = 0000000000000000\n")
  }

  @Test func errorsSayWhereAndWhy() throws {
    let dir = try tables().path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(
      run("acpi decode \(dir)/missing.dat").error?.contains(
        "cannot read '\(dir)/missing.dat': No such file or directory") == true)
    #expect(run("acpi decode \(dir)/short.dat").error?.contains("short.dat:") == true)
    let bad = run("acpi eval \(dir)/DSDT.aml \\_SB.NOPE")
    #expect(bad.error?.contains("AE_NOT_FOUND") == true)
    #expect(run("acpi asl \(dir)/APIC.dat").error?.contains("hint:") == true)
  }
}
