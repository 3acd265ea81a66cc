import Testing

@testable import A64

@Suite struct EncodingTableTests {
  @Test func everyAliasSpecialisesACanonicalRow() {
    for (i, f) in EncodingTable.forms.enumerated() where f.isAlias && !f.assemblyOnly {
      let parents = EncodingTable.forms.indices.filter { EncodingTable.aliasesOf[$0].contains(i) }
      #expect(!parents.isEmpty, "alias \(f.mnemonic) has no canonical row")
    }
  }

  @Test func canonicalRowsDoNotOverlap() {
    // A word matches at most one canonical row, so decoding does not depend on table order.
    let forms = EncodingTable.forms
    let canonical = forms.indices.filter { !forms[$0].isAlias }
    for w in Decoder.tableDrawnWords(count: 200_000, seed: 3) {
      let matching = canonical.filter { forms[$0].matches(w) }
      #expect(matching.count <= 1, "\(String(w, radix: 16)) matches \(matching.map { forms[$0].mnemonic })")
    }
  }

  @Test func tableCoversTheSubsetMnemonics() {
    let names = Set(EncodingTable.forms.map(\.mnemonic))
    for m in [
      "adr", "adrp", "add", "subs", "movz", "movn", "movk", "and", "orr", "sbfm", "bfm", "ubfm", "extr",
      "bic", "orn",
      "eon", "adc", "sbcs", "ccmp", "ccmn", "csel", "csinc", "csinv", "csneg", "madd", "msub", "smull",
      "umull",
      "smulh", "umulh", "udiv", "sdiv", "lslv", "lsrv", "asrv", "rorv", "clz", "cls", "rbit", "rev", "rev16",
      "rev32",
      "ldr", "ldrsw", "ldur", "ldp", "stp", "ldpsw", "ldxr", "stxr", "ldaxr", "stlxr", "clrex", "ldar",
      "stlr",
      "ldadd", "ldclr", "ldset", "swp", "cas", "b", "bl", "br", "blr", "ret", "b.", "cbz", "cbnz", "tbz",
      "tbnz",
      "mrs", "msr", "hvc", "smc", "svc", "brk", "hlt", "wfi", "wfe", "sev", "sevl", "yield", "nop", "dmb",
      "dsb",
      "isb", "eret",
    ] {
      #expect(names.contains(m), "missing \(m)")
    }
  }
}
