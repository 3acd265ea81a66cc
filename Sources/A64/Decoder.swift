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

extension Decoder {
  /// Words drawn from the encoding table (a random row with random variable bits), which reach
  /// every instruction form far more often than uniform random words: for sweeps and fuzzing.
  public static func tableDrawnWords(count: Int, seed: UInt64) -> [UInt32] {
    var rng = SplitMix64(seed: seed)
    return EncodingTable.sampleWords(count: count, using: &rng)
  }
}

/// A small deterministic generator (SplitMix64) for reproducible sweeps.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
