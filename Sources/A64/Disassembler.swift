// Disassembler: prints what llvm-objdump prints for the same word (mnemonic, operands, preferred
// alias, and llvm's `// =value` comments), using the shared encoding table.

/// One disassembled instruction.
public struct DisassembledInstruction: Sendable, Equatable {
  public var address: UInt64
  public var word: UInt32
  /// The mnemonic as printed (the preferred alias), e.g. `mov`, `b.ne`.
  public var mnemonic: String
  /// The operands joined with ", ".
  public var operands: String
  /// llvm-objdump's end-of-line comment without the `// ` (e.g. `=65536`), if any.
  public var comment: String?
  /// False for words outside the supported subset.
  public var isDefined: Bool

  /// `mnemonic<TAB>operands[ // comment]`, the text llvm-objdump prints after the word.
  public var text: String {
    var s: String
    if operands.isEmpty, let space = mnemonic.firstIndex(of: " ") {
      // Hints printed with an operand word (`bti c`, `psb csync`).
      s = mnemonic[..<space] + "\t" + mnemonic[mnemonic.index(after: space)...]
    } else {
      s = operands.isEmpty ? mnemonic : mnemonic + "\t" + operands
    }
    if let comment { s += " // " + comment }
    return s
  }
}

public enum Disassembler {
  /// Disassembles one word located at `address`.
  public static func disassemble(_ word: UInt32, address: UInt64 = 0) -> DisassembledInstruction {
    let decoded = Decoder.decode(word)
    guard decoded.formIndex >= 0 else {
      return DisassembledInstruction(
        address: address, word: word, mnemonic: ".inst", operands: "0x" + format8(word),
        comment: "not in the supported A64 subset (UNDEFINED here)", isDefined: false)
    }
    var form = EncodingTable.forms[decoded.formIndex]
    for a in EncodingTable.aliasesOf[decoded.formIndex] where EncodingTable.forms[a].matches(word) {
      form = EncodingTable.forms[a]
      break
    }
    var parts: [String] = []
    var comment: String? = nil
    for op in form.operands {
      let (text, c) = op.format(word, address: address)
      if let text { parts.append(text) }
      if let c { comment = c }
    }
    let mnemonic = form.conditionSuffix ? "b." + conditionNames[Int(word & 15)] : form.mnemonic
    if (form.operation == .atomic || form.operation == .swap) && !form.isAlias && bit(word, 23)
      && word & 31 == 31
    {
      // llvm-objdump's note on LDADDA/SWPA... with XZR as destination.
      comment = "acquire semantics dropped since destination is zero"
    }
    return DisassembledInstruction(
      address: address, word: word, mnemonic: mnemonic, operands: parts.joined(separator: ", "),
      comment: comment, isDefined: true)
  }

  /// Disassembles a little-endian byte buffer starting at `base` (a trailing partial word is
  /// shown as `.byte`s).
  public static func disassemble(bytes: [UInt8], base: UInt64) -> [DisassembledInstruction] {
    var out: [DisassembledInstruction] = []
    var i = 0
    while i + 4 <= bytes.count {
      let w =
        UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
      out.append(disassemble(w, address: base &+ UInt64(i)))
      i += 4
    }
    if i < bytes.count {
      let rest = bytes[i...].map { "0x" + String($0, radix: 16) }.joined(separator: ", ")
      out.append(
        DisassembledInstruction(
          address: base &+ UInt64(i), word: 0, mnemonic: ".byte", operands: rest, comment: nil,
          isDefined: false))
    }
    return out
  }

  /// A listing in llvm-objdump's layout: `address: word <TAB>text`, one line per word.
  public static func listing(bytes: [UInt8], base: UInt64) -> String {
    disassemble(bytes: bytes, base: base).map { d in
      let addr = String(d.address, radix: 16)
      let pad = String(repeating: " ", count: max(0, 8 - addr.count))
      let word = d.mnemonic == ".byte" ? "" : format8(d.word)
      return "\(pad)\(addr): \(word)\t\(d.text)"
    }.joined(separator: "\n")
  }
}

func format8(_ w: UInt32) -> String {
  let s = String(w, radix: 16)
  return String(repeating: "0", count: 8 - s.count) + s
}
