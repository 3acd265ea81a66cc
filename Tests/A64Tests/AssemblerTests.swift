import Testing

@testable import A64

@Suite struct AssemblerTests {
  func words(_ p: AssembledProgram) -> [UInt32] {
    var out: [UInt32] = []
    var i = 0
    while i + 4 <= p.bytes.count {
      var w: UInt32 = 0
      for k in 0..<4 { w |= UInt32(p.bytes[i + k]) << UInt32(8 * k) }
      out.append(w)
      i += 4
    }
    return out
  }

  @Test func labelsNumericLabelsAndComments() throws {
    let p = try Assembler.assemble(
      """
      // line comment
      _start: mov x0, #3   /* block
         comment */ 
      1:  subs x0, x0, 1        // '#' is optional
          b.ne 1b
          b 1f
          nop
      1:  b _start ; nop
      """, base: 0x1000)
    #expect(p.entry == 0x1000)
    #expect(p.symbols["_start"] == 0x1000)
    #expect(
      words(p) == [0xD280_0060, 0xF100_0400, 0x54FF_FFE1, 0x1400_0002, 0xD503_201F, 0x17FF_FFFB, 0xD503_201F])
    #expect(p.lineOfAddress[0x1004] == 4)
  }

  @Test func dataDirectivesAndSections() throws {
    let p = try Assembler.assemble(
      """
        .text
        .global _start
      _start: adr x0, msg
        ldr w1, value
        .data
      msg: .asciz "hi\\n"
        .balign 4
      value: .word 0x12345678, -1
        .byte 1, 2
        .align 3
      big: .quad big
        .hword 0xBEEF
        .equ COUNT, 3 * (2 + 1)
        .set ALIAS, COUNT << 1
        .skip 2, 0xAA
      """, base: 0x4000)
    // Text is 8 bytes; data starts at the next 16-byte boundary.
    #expect(p.symbols["msg"] == 0x4010)
    #expect(p.symbols["value"] == 0x4014)
    #expect(p.symbols["big"] == 0x4020)
    #expect(p.symbols["COUNT"] == 9)
    #expect(p.symbols["ALIAS"] == 18)
    #expect(Array(p.bytes[0x10..<0x14]) == [0x68, 0x69, 0x0A, 0x00])
    #expect(Array(p.bytes[0x14..<0x1C]) == [0x78, 0x56, 0x34, 0x12, 0xFF, 0xFF, 0xFF, 0xFF])
    #expect(Array(p.bytes[0x1C..<0x1E]) == [1, 2])
    #expect(Array(p.bytes[0x20..<0x28]) == [0x20, 0x40, 0, 0, 0, 0, 0, 0])
    #expect(Array(p.bytes[0x28..<0x2C]) == [0xEF, 0xBE, 0xAA, 0xAA])
    #expect(words(p)[0] == 0x1000_0080)  // adr x0, #0x10
    #expect(words(p)[1] == 0x1800_0081)  // ldr w1, 0x4014
  }

  /// GNU as's BIC/BICS with an immediate: AND/ANDS with the inverted bitmask (words from clang).
  @Test func bicAndBicsImmediateAliases() throws {
    #expect(try Assembler.encode("bic x0, x1, #0xff") == 0x9278_DC20)
    #expect(try Assembler.encode("bic w2, w3, #1") == 0x121F_7862)
    #expect(try Assembler.encode("bic sp, x4, #0xffff0000ffff0000") == 0x9200_3C9F)
    #expect(try Assembler.encode("bic wsp, w9, #0x3c") == 0x121A_6D3F)
    #expect(try Assembler.encode("bic x11, x12, #-2") == 0x9240_018B)
    #expect(try Assembler.encode("bics x5, x6, #0x8000000000000000") == 0xF240_F8C5)
    #expect(try Assembler.encode("bics w7, w8, #0xfffffffe") == 0x7200_0107)
    #expect(try Assembler.encode("bics xzr, x10, #0x7") == 0xF27D_F15F)
    // The register forms are unchanged, and the disassembler prints AND/ANDS as llvm-objdump does.
    #expect(try Assembler.encode("bic x0, x1, x2") == 0x8A22_0020)
    #expect(Disassembler.disassemble(0x9278_DC20, address: 0).text == "and\tx0, x1, #0xffffffffffffff00")
    // All-ones and all-zeros have no bitmask encoding, inverted or not.
    #expect(throws: AssemblyError.self) { try Assembler.encode("bic x0, x1, #0") }
    #expect(throws: AssemblyError.self) { try Assembler.encode("bics w0, w1, #0xffffffff") }
    #expect(throws: AssemblyError.self) { try Assembler.encode("bic x0, x1, #0x1234") }
  }

  @Test func aliasesAndConveniences() throws {
    #expect(try Assembler.encode("add x0, x1, #-8") == 0xD100_2020)  // becomes sub
    #expect(try Assembler.encode("cmp x1, #-1") == 0xB100_043F)  // becomes cmn
    #expect(try Assembler.encode("ldr x0, [x1, #-8]") == 0xF85F_8020)  // unscaled form
    #expect(try Assembler.encode("add x0, x0, :lo12:0x12345678") == 0x9119_E000)
    #expect(try Assembler.encode("mov x0, #0x10000") == 0xD2A0_0020)
    #expect(try Assembler.encode("movz x0, #0x10000") == 0xD2A0_0020)
    #expect(try Assembler.encode("bfc w1, #4, #8") == 0x331C_1FE1)
    #expect(try Assembler.encode("tbz x3, #5, .") == 0x3628_0003)
    #expect(try Assembler.encode("b.cs .+8") == 0x5400_0042)
    #expect(try Assembler.encode("mov x29, sp") == 0x9100_03FD)
    #expect(try Assembler.encode("MOV X0, X1") == 0xAA01_03E0)
  }

  @Test(arguments: [
    ("frob x0, x1", 1, 1, "unknown instruction 'frob'"),
    ("add x0, x1, #4097", 1, 13, "does not fit in 12 bits"),
    ("add x0, w1, #1", 1, 9, "register width mismatch"),
    ("  mov x0, x1\n  ldr x0, [x1, #-300]", 2, 11, "must be a multiple of 8 in 0...32760"),
    ("b nowhere", 1, 3, "undefined symbol 'nowhere'"),
    ("and x0, x1, #0x1234", 1, 13, "not a valid bitmask immediate"),
    ("x: nop\nx: nop", 2, 1, "symbol 'x' is already defined"),
    ("nop /* never closed", 1, 1, "unterminated /* comment"),
    ("b 1b", 1, 3, "no previous label 1:"),
    (".frobnicate 3", 1, 1, "unknown directive '.frobnicate'"),
    ("mrs x0, not_a_register", 1, 9, "unknown system register"),
    ("ldr x0, [x1], #8!", 1, 17, "unexpected '!'"),
    ("add sp, xzr, #1", 1, 9, "not allowed here"),
    ("cset x0, al", 1, 10, "al and nv are not allowed"),
    (".byte 300", 1, 7, "does not fit in 1 byte"),
  ])
  func errorsCarryLineAndColumn(source: String, line: Int, column: Int, message: String) {
    do {
      _ = try Assembler.assemble(source, base: 0, fileName: "t.S")
      Issue.record("expected an error for \(source)")
    } catch {
      #expect(error.line == line)
      #expect(error.column == column, "\(error)")
      #expect(error.description.contains(message), "\(error)")
      #expect(error.description.hasPrefix("t.S:\(line):\(column): error: "))
    }
  }

  @Test func roundTripOfTableDrawnWords() throws {
    // Whatever the disassembler prints, the assembler turns back into the same word.
    var checked = 0
    for w in Decoder.tableDrawnWords(count: 30_000, seed: 5) {
      let d = Disassembler.disassemble(w, address: 0x4000_0000)
      guard d.isDefined, !EncodingTable.forms[Decoder.decode(w).formIndex].disassemblyOnly else { continue }
      let form = EncodingTable.aliasesOf[Decoder.decode(w).formIndex].map { EncodingTable.forms[$0] }
        .first { $0.matches(w) }
      if form?.disassemblyOnly == true { continue }
      let text = d.operands.isEmpty ? d.mnemonic : d.mnemonic + " " + d.operands
      let again = try Assembler.encode(text, address: 0x4000_0000)
      // Words that differ only in don't-care bits (e.g. immr bits above a bitmask element)
      // reassemble to the canonical encoding, which must print the same.
      #expect(
        Disassembler.disassemble(again, address: 0x4000_0000).text == d.text,
        "\(String(w, radix: 16)) \(text)")
      if again != w { #expect(Decoder.decode(again).operation == Decoder.decode(w).operation) }
      checked += 1
    }
    #expect(checked > 20_000)
  }
}

@Suite struct AssemblerFuzzTests {
  /// Mutated corpus lines and random text: the assembler returns a word or an error with a
  /// position inside the line, and never crashes.
  @Test func mutatedLinesNeverCrash() throws {
    let lines = try fixture("a64-corpus.txt").split(separator: "\n").filter { !$0.hasPrefix("//") }.map(
      String.init)
    let alphabet = Array("xw0123456789#[]!,:.-+ lslsxtwabcdefghijklmnopqrstuvwyz_()*/;\"'\\\t")
    var rng = SplitMix64(seed: 21)
    for _ in 0..<40_000 {
      var chars = Array(lines[Int(rng.next() % UInt64(lines.count))])
      for _ in 0..<(1 + rng.next() % 3) {
        let pos = Int(rng.next() % UInt64(chars.count + 1))
        switch rng.next() % 3 {
        case 0: chars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: pos)
        case 1: if pos < chars.count { chars.remove(at: pos) }
        default: if pos < chars.count { chars[pos] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        }
      }
      let text = String(chars)
      do {
        _ = try Assembler.assemble(text, base: 0x4000_0000)
      } catch {
        #expect(error.line >= 1)
        #expect(error.column >= 1 && error.column <= text.count + 2, "\(text): \(error)")
      }
    }
  }
}
