import Testing

@testable import A64

#if canImport(Glibc)
  import Glibc
#endif

func temporaryPath(_ name: String) -> String {
  "/tmp/hplab-a64-test-\(getpid())-\(name)"
}

@Suite struct BareMetalTests {
  @Test func runReportRendersExactly() throws {
    let program = try A64Command.load(
      bytes: Array(
        """
        _start:
          mov x1, #0x10
          subs x2, x1, #0x10
          movz x0, #8
          movk x0, #0x8400, lsl #16
          hvc #0
        """.utf8), path: "prog.S", base: 0x4008_0000)
    var options = A64RunOptions()
    options.showTiming = false
    let report = try A64Command.run(program, options: options)
    #expect(
      report.text == """
        stop: PSCI SYSTEM_OFF
        instructions: 5
        pc  0x0000000040080014  sp  0x0000000050000000  nzcv nZCv (0x60000000)  EL1h  DAIF 0b1111
        x0  0x0000000084000008  x1  0x0000000000000010  x2  0x0000000000000000  x3  0x0000000000000000
        x4  0x0000000000000000  x5  0x0000000000000000  x6  0x0000000000000000  x7  0x0000000000000000
        x8  0x0000000000000000  x9  0x0000000000000000  x10 0x0000000000000000  x11 0x0000000000000000
        x12 0x0000000000000000  x13 0x0000000000000000  x14 0x0000000000000000  x15 0x0000000000000000
        x16 0x0000000000000000  x17 0x0000000000000000  x18 0x0000000000000000  x19 0x0000000000000000
        x20 0x0000000000000000  x21 0x0000000000000000  x22 0x0000000000000000  x23 0x0000000000000000
        x24 0x0000000000000000  x25 0x0000000000000000  x26 0x0000000000000000  x27 0x0000000000000000
        x28 0x0000000000000000  x29 0x0000000000000000  x30 0x0000000000000000
        """)
    options.showTiming = true
    let timed = try A64Command.run(program, options: options)
    #expect(timed.text.contains("\ntime: ") && timed.text.contains(" s, guest MIPS: "))
  }

  @Test func traceAndBudget() throws {
    let program = try A64Command.load(
      bytes: Array("1: add x0, x0, #1\n b 1b\n".utf8), path: "loop.s", base: 0x4008_0000)
    var options = A64RunOptions()
    options.showTiming = false
    options.trace = true
    options.maxInstructions = 3
    let report = try A64Command.run(program, options: options)
    #expect(report.stop == .budgetExhausted)
    #expect(
      report.trace == [
        "0x0000000040080000: 91000400  add x0, x0, #0x1    ; x0=0x1",
        "0x0000000040080004: 17ffffff  b 0x40080000",
        "0x0000000040080000: 91000400  add x0, x0, #0x1    ; x0=0x2",
      ])
    #expect(
      report.text.hasPrefix(report.trace.joined(separator: "\n") + "\nstop: instruction budget exhausted"))
  }

  @Test func stopsAtBRKAndAtUnhandledExceptions() throws {
    var options = A64RunOptions()
    options.showTiming = false
    let brk = try A64Command.run(
      try A64Command.load(bytes: Array("brk #0x3e8".utf8), path: "b.S", base: 0x4008_0000), options: options)
    #expect(brk.text.hasPrefix("stop: BRK #0x3e8\ninstructions: 0\n"))
    let fault = try A64Command.run(
      try A64Command.load(bytes: Array("mov x1, #8\nldr x0, [x1]".utf8), path: "f.S", base: 0x4008_0000),
      options: options)
    #expect(
      fault.text.hasPrefix(
        "stop: unhandled exception: Synchronous exception: Data Abort taken without a change in Exception level, "
          + "EC 0x25 (DABT_CUR) ESR_EL1=0x96000010 FAR_EL1=0x8 ELR_EL1=0x40080004 from EL1\n"))
  }

  @Test func commandsThroughFiles() throws {
    let src = temporaryPath("p.S")
    let bin = temporaryPath("p.bin")
    defer {
      unlink(src)
      unlink(bin)
    }
    try ProgramFile.write(src, Array("_start: mov x0, #1\n  ret\n".utf8))
    let asm = A64Command.asm(inputPath: src, outputPath: bin)
    #expect(asm.succeeded)
    #expect(asm.text == "\(bin): 8 bytes at 0x40080000")
    let dis = A64Command.disasm(path: bin)
    #expect(dis.text == "40080000: d2800020\tmov\tx0, #0x1 // =1\n40080004: d65f03c0\tret")
    let dis2 = A64Command.disasm(path: bin, base: 0x1000)
    #expect(dis2.text.hasPrefix("    1000: d2800020"))
    let run = A64Command.run(path: bin)
    #expect(run.succeeded && run.text.contains("stop: unhandled exception"))
    let missing = A64Command.run(path: temporaryPath("missing.S"))
    #expect(!missing.succeeded && missing.text.hasPrefix("error: /tmp/hplab-a64-test-"))
    try ProgramFile.write(src, Array("  mov x0, #1\n  frob\n".utf8))
    let bad = A64Command.asm(inputPath: src, outputPath: bin)
    #expect(!bad.succeeded)
    #expect(bad.text == "error: \(src):2:3: error: unknown instruction 'frob'")
  }
}
