import A64

/// Assembly text through the assembler. An error must point at a line of the text; a program
/// that assembles is disassembled word by word, every disassembly the assembler accepts again
/// must mean the same instruction, and the program runs through the A64 target (run against
/// steps) from its entry point.
enum AssemblerFuzz {
  static func run(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let program: AssembledProgram
    do {
      program = try Assembler.assemble(text, base: A64Fuzz.codeBase, fileName: "fuzz.S")
    } catch {
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
      FuzzFailure.check(
        error.line >= 1 && error.line <= lines + 1 && error.column >= 1,
        "error at \(error.line):\(error.column) outside a text of \(lines) lines: \(error.message)")
      FuzzFailure.check(error.description.hasPrefix("fuzz.S:"), "an error does not name the file")
      return
    }
    let bytes = program.bytes
    guard bytes.count >= 4 else { return }
    for offset in stride(from: 0, to: bytes.count - 3, by: 4) {
      let word =
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
        | UInt32(bytes[offset + 3]) << 24
      let address = program.base + UInt64(offset)
      let instruction = Disassembler.disassemble(word, address: address)
      guard instruction.isDefined else { continue }
      let line =
        instruction.operands.isEmpty
        ? instruction.mnemonic : instruction.mnemonic + " " + instruction.operands
      guard let again = try? Assembler.encode(line, address: address) else { continue }
      FuzzFailure.check(
        Disassembler.disassemble(again, address: address).text == instruction.text,
        "\(line) (0x\(String(word, radix: 16))) reassembles to 0x\(String(again, radix: 16))")
    }
    // Run it: flags 2 (vectors at the code), a fixed register seed, the code from the entry.
    let start = Int(min(program.entry &- program.base, UInt64(bytes.count))) & ~3
    A64Fuzz.run([2] + [UInt8](repeating: 0x5A, count: 8) + Array(bytes[start...]))
  }
}
