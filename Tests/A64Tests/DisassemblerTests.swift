import Testing

@testable import A64

/// Reads a fixture next to this file.
func fixture(_ name: String) throws -> String {
  let dir = String(#filePath.dropLast("DisassemblerTests.swift".count))
  let bytes = try ProgramFile.read(dir + "Fixtures/" + name)
  return String(decoding: bytes, as: UTF8.self)
}

@Suite struct DisassemblerTests {
  // Lines printed by llvm-objdump 21 for these words (address 0).
  @Test(arguments: [
    (UInt32(0x917F_FC20), "add\tx0, x1, #0xfff, lsl #12 // =0xfff000"),
    (0x9100_03E0, "mov\tx0, sp"),
    (0xD2A2_4680, "mov\tx0, #0x12340000 // =305397760"),
    (0x9280_0000, "mov\tx0, #-0x1 // =-1"),
    (0x92A0_0000, "movn\tx0, #0x0, lsl #16"),
    (0x129F_FFE0, "movn\tw0, #0xffff"),
    (0x3201_07E8, "mov\tw8, #-0x7fffffff // =-2147483647"),
    (0xB240_1FE0, "orr\tx0, xzr, #0xff"),
    (0xD37D_F020, "lsl\tx0, x1, #3"),
    (0xB37D_0FE0, "bfi\tx0, xzr, #3, #4"),
    (0x9340_7C20, "sxtw\tx0, w1"),
    (0x531F_7C20, "lsr\tw0, w1, #31"),
    (0xD420_7D00, "brk\t#0x3e8"),
    (0xD400_0001, "svc\t#0"),
    (0xD65F_03C0, "ret"),
    (0xD538_00A0, "mrs\tx0, MPIDR_EL1"),
    (0xD503_4FDF, "msr\tDAIFSet, #0xf"),
    (0xD503_245F, "bti\tc"),
    (0xD503_309F, "ssbb"),
    (0xD503_35DF, "isb\t#5"),
    (0xF862_D820, "ldr\tx0, [x1, w2, sxtw #3]"),
    (0x3862_7820, "ldrb\tw0, [x1, x2, lsl #0]"),
    (0xA9FF_07E0, "ldp\tx0, x1, [sp, #-0x10]!"),
    (0xF820_005F, "stadd\tx0, [x2]"),
    (0x8B22_63E0, "add\tx0, sp, x2"),
    (0xEB21_6BFF, "cmp\tsp, x1, lsl #2"),
    (0x9A9F_17E0, "cset\tx0, eq"),
    (0x9A81_E420, "csinc\tx0, x1, x1, al"),
    (0x1381_0020, "ror\tw0, w1, #0x0"),
    (0x0000_0000, "udf\t#0x0"),
  ])
  func llvmObjdumpText(word: UInt32, text: String) {
    #expect(Disassembler.disassemble(word, address: 0).text == text)
  }

  @Test func branchTargetsAreAbsolute() {
    #expect(Disassembler.disassemble(0x54FF_FD80, address: 0x50).text == "b.eq\t0x0")
    #expect(Disassembler.disassemble(0x9000_0000, address: 0x4008_0174).text == "adrp\tx0, 0x40080000")
  }

  @Test func wordsOutsideTheSubsetAreMarked() {
    let d = Disassembler.disassemble(0x1E60_1000, address: 0)
    #expect(!d.isDefined)
    #expect(d.text == ".inst\t0x1e601000 // not in the supported A64 subset (UNDEFINED here)")
  }

  @Test func listingLayout() {
    let listing = Disassembler.listing(bytes: [0x1F, 0x20, 0x03, 0xD5, 0xAA], base: 0x4008_0000)
    #expect(listing == "40080000: d503201f\tnop\n40080004: \t.byte\t0xaa")
  }

  /// The whole corpus against clang's words and llvm-objdump's text, recorded by
  /// Scripts/crosscheck/a64-compare-encodings.py (the live comparison runs in 20-a64-crosscheck).
  @Test func corpusMatchesRecordedLLVMOutput() throws {
    let lines = try fixture("a64-corpus.txt").split(separator: "\n").filter { !$0.hasPrefix("//") }
    let expected = try fixture("a64-corpus-expected.txt").split(separator: "\n").filter {
      !$0.hasPrefix("//")
    }
    #expect(lines.count >= 600)
    #expect(lines.count == expected.count)
    for (i, (line, exp)) in zip(lines, expected).enumerated() {
      let parts = exp.split(separator: "\t", maxSplits: 1)
      let address = 0x4000_0000 + UInt64(i * 4)
      let word = try Assembler.encode(String(line), address: address)
      #expect(String(format8(word)) == parts[0], "\(line)")
      let text = Disassembler.disassemble(word, address: address).text.split(whereSeparator: {
        $0 == " " || $0 == "\t"
      })
      .joined(separator: " ")
      #expect(text == String(parts[1]), "\(line)")
    }
  }
}

@Suite struct DisassemblerSweepTests {
  /// Every word disassembles to some text without crashing, and the text of a decoded word is
  /// never empty.
  @Test func halfAMillionWordsDisassemble() {
    var rng = SplitMix64(seed: 77)
    var defined = 0
    for i in 0..<500_000 {
      let w =
        i & 1 == 0
        ? UInt32(truncatingIfNeeded: rng.next()) : Decoder.tableDrawnWords(count: 1, seed: rng.next())[0]
      let d = Disassembler.disassemble(w, address: rng.next() & ~3)
      #expect(!d.mnemonic.isEmpty)
      if d.isDefined { defined += 1 }
    }
    #expect(defined > 200_000)
  }
}
