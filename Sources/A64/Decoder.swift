// Decoder: one 32-bit A64 word to its row of the encoding table.

/// A decoded instruction: the word and the canonical row of the encoding table it matched.
public struct DecodedInstruction: Sendable, Equatable {
  /// The instruction word.
  public let word: UInt32
  /// Index of the canonical row in `EncodingTable.forms`; -1 when the word is outside the subset.
  let formIndex: Int

  /// True when the word is an instruction of the supported subset (UDF included).
  public var isDefined: Bool { formIndex >= 0 }

  var form: EncodingForm? { formIndex >= 0 ? EncodingTable.forms[formIndex] : nil }

  var operation: Operation? { form?.operation }

  /// The canonical mnemonic (before alias selection), e.g. `ubfm` for `lsl x0, x1, #3`.
  public var canonicalMnemonic: String? {
    guard let f = form else { return nil }
    return f.conditionSuffix ? "b." + conditionNames[Int(word & 15)] : f.mnemonic
  }

  public static func == (a: DecodedInstruction, b: DecodedInstruction) -> Bool {
    a.word == b.word && a.formIndex == b.formIndex
  }
}

/// Decodes A64 words against the shared encoding table.
public enum Decoder {
  /// Decodes `word`; words outside the supported subset come back with `isDefined == false`
  /// (executing them raises an Undefined Instruction exception, EC 0x00).
  public static func decode(_ word: UInt32) -> DecodedInstruction {
    let group = Int((word >> 25) & 0xF)
    let forms = EncodingTable.forms
    for i in EncodingTable.canonicalByGroup[group] where forms[i].matches(word) {
      return DecodedInstruction(word: word, formIndex: i)
    }
    return DecodedInstruction(word: word, formIndex: -1)
  }
}
