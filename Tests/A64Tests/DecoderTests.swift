import Testing

@testable import A64

@Suite struct DecoderTests {
  @Test(arguments: [
    (UInt32(0x9100_4020), "add"), (0xD53800A0, "mrs"), (0xD503207F, "hint"), (0x5400_0000, "b.eq"),
    (0xF940_0420, "ldr"), (0xC85F_7C20, "ldxr"), (0xF820_0041, "ldadd"), (0x0000_0000, "udf"),
    (0xD69F_03E0, "eret"), (0x9AC2_0C20, "sdiv"),
  ])
  func canonicalMnemonics(word: UInt32, mnemonic: String) {
    #expect(Decoder.decode(word).canonicalMnemonic == mnemonic)
  }

  @Test(arguments: [UInt32(0x1E60_1000), 0x4E20_8400, 0xD500_419F, 0x0400_0000, 0xD508_7500])
  func outsideTheSubset(word: UInt32) {
    // FP (fmov), Advanced SIMD, MSR PAN, SVE and SYS (IC IALLU) are not in the subset.
    #expect(!Decoder.decode(word).isDefined)
  }

  @Test func reservedEncodingsAreUndefined() {
    #expect(!Decoder.decode(0x1300_7C20 | 1 << 22).isDefined)  // SBFM w with N = 1
    #expect(!Decoder.decode(0x52C0_0000).isDefined)  // MOVZ w with hw = 2
    #expect(!Decoder.decode(0x8BC2_0020).isDefined)  // ADD (shifted) with shift = 0b11
    #expect(!Decoder.decode(0x8B22_7420).isDefined)  // ADD (extended) with imm3 = 5
    #expect(!Decoder.decode(0x9240_FC20).isDefined)  // AND (immediate) with an all-ones element
  }

  /// Ten million random words through decode and one step each (Scripts/test runs the suite in
  /// release mode, where this takes about ten seconds; an unoptimised debug build sweeps one
  /// million so that `swift test` stays usable): nothing may crash or hang, and every step ends
  /// with a defined outcome (retired, exception taken, or a stop reason).
  @Test func tenMillionRandomWordsDecodeAndStep() throws {
    #if DEBUG
      let total = 1_000_000
    #else
      let total = 10_000_000
    #endif
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x20_0000)
    let cpu = CPU(bus: bus)
    let firmware = BareMetalFirmware()
    cpu.host = firmware
    cpu.policy = ExecutionPolicy(stopOnBRK: false, stopOnExceptionWithoutVectors: false)
    var rng = SplitMix64(seed: 0xA64)
    let page: UInt64 = 0x4010_0000
    let perPage = 1024
    var steps = 0
    var undefined = 0
    while steps < total {
      var bytes = [UInt8](repeating: 0, count: perPage * 4)
      var words: [UInt32] = []
      for i in 0..<perPage {
        // Half uniform, half drawn from the encoding table.
        let w =
          i & 1 == 0
          ? UInt32(truncatingIfNeeded: rng.next()) : Decoder.tableDrawnWords(count: 1, seed: rng.next())[0]
        words.append(w)
        for b in 0..<4 { bytes[i * 4 + b] = UInt8(truncatingIfNeeded: w >> UInt32(8 * b)) }
      }
      try bus.write(bytes, at: page)
      cpu.reset(entry: page)
      for n in 0..<31 { cpu.setX(n, rng.next()) }
      cpu.sp = 0x4008_0000
      cpu.setSystemRegister(.vbar, 0x4000_0000)
      for i in 0..<perPage {
        if !Decoder.decode(words[i]).isDefined { undefined += 1 }
        cpu.pc = page + UInt64(i * 4)
        _ = cpu.step()
        if cpu.pstate.el == 0 { cpu.setProcessorState(el: 1, spSel: 1, daif: 0xF) }
        steps += 1
      }
    }
    #expect(steps >= total)
    #expect(undefined > 0 && undefined < steps)
    withExtendedLifetime(firmware) {}
  }
}
