import Testing

@testable import A64

/// A minimal ELF64 AArch64 executable: one PT_LOAD with `code` at `address` (+ `bss` zero bytes).
func makeELF(code: [UInt8], address: UInt64, entry: UInt64, bss: UInt64 = 0, machine: UInt16 = 183) -> [UInt8]
{
  var b = [UInt8](repeating: 0, count: 64 + 56)
  func put16(_ o: Int, _ v: UInt16) {
    for i in 0..<2 { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt16(i))) }
  }
  func put32(_ o: Int, _ v: UInt32) {
    for i in 0..<4 { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(i))) }
  }
  func put64(_ o: Int, _ v: UInt64) {
    for i in 0..<8 { b[o + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
  }
  b[0] = 0x7F
  b[1] = 0x45
  b[2] = 0x4C
  b[3] = 0x46
  b[4] = 2  // ELFCLASS64
  b[5] = 1  // ELFDATA2LSB
  b[6] = 1
  put16(16, 2)  // ET_EXEC
  put16(18, machine)
  put32(20, 1)
  put64(24, entry)
  put64(32, 64)  // e_phoff
  put16(52, 64)
  put16(54, 56)
  put16(56, 1)
  put32(64, 1)  // PT_LOAD
  put32(68, 5)
  put64(64 + 8, 120)  // p_offset
  put64(64 + 16, address)
  put64(64 + 24, address)
  put64(64 + 32, UInt64(code.count))
  put64(64 + 40, UInt64(code.count) + bss)
  return b + code
}

@Suite struct ELFTests {
  @Test func loadsSegmentsAndRunsFromTheEntry() throws {
    let code = try Assembler.assemble(
      """
        ldr x1, counter
        add x1, x1, #1
        movz x0, #8
        movk x0, #0x8400, lsl #16
        hvc #0
        .balign 8
      counter: .quad 41
      """, base: 0x4020_0000)
    let elf = makeELF(code: code.bytes, address: 0x4020_0000, entry: 0x4020_0000, bss: 4096)
    let image = try ELFImage.parse(elf)
    #expect(image.entry == 0x4020_0000)
    #expect(image.segments.count == 1 && image.segments[0].memorySize == UInt64(code.bytes.count) + 4096)
    let program = try A64Command.load(bytes: elf, path: "p.elf", base: 0)
    #expect(program.format == .elf)
    var options = A64RunOptions()
    options.showTiming = false
    let report = try A64Command.run(program, options: options)
    #expect(report.stop == .firmware(.systemOff))
    #expect(report.x[1] == 42)
  }

  @Test func badFilesAreErrorsNotCrashes() {
    let good = makeELF(code: [0x1F, 0x20, 0x03, 0xD5], address: 0x4008_0000, entry: 0x4008_0000)
    #expect(throws: ELFError.notELF) { try ELFImage.parse([1, 2, 3]) }
    var b = good
    b[4] = 1
    #expect(throws: ELFError.notELF64) { try ELFImage.parse(b) }
    b = good
    b[5] = 2
    #expect(throws: ELFError.notLittleEndian) { try ELFImage.parse(b) }
    #expect(throws: ELFError.notAArch64(machine: 62)) {
      try ELFImage.parse(makeELF(code: [0, 0, 0, 0], address: 0, entry: 0, machine: 62))
    }
    #expect(throws: ELFError.truncated("segment 0's contents")) {
      try ELFImage.parse(Array(good.dropLast(2)))
    }
    #expect(throws: ELFError.truncated("the ELF header")) { try ELFImage.parse(Array(good.prefix(40))) }
    b = good
    b[64 + 40] = 0  // p_memsz < p_filesz
    #expect(throws: ELFError.badProgramHeader(index: 0, reason: "p_filesz > p_memsz")) {
      try ELFImage.parse(b)
    }
    b = good
    b[56] = 0xFF  // e_phnum far beyond the file
    #expect(throws: ELFError.truncated("the program header table")) { try ELFImage.parse(b) }
  }

  @Test func randomBytesNeverCrashTheParser() {
    var rng = SplitMix64(seed: 9)
    let good = makeELF(code: [0x1F, 0x20, 0x03, 0xD5], address: 0x4008_0000, entry: 0x4008_0000)
    for _ in 0..<20_000 {
      var b = good
      for _ in 0..<4 { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
      _ = try? ELFImage.parse(b)
    }
  }
}
