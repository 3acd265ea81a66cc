// a64-harness: drives the A64 library for the cross-checks (Scripts/test.d/20-a64-crosscheck)
// and the benchmark (Benchmarks/a64/run). Not part of the product.
@testable import A64

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

func readFile(_ path: String) -> String? {
  guard let f = fopen(path, "rb") else { return nil }
  defer { fclose(f) }
  var data: [UInt8] = []
  var buf = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = fread(&buf, 1, buf.count, f)
    if n <= 0 { break }
    data += buf[0..<n]
  }
  return String(decoding: data, as: UTF8.self)
}

func fail(_ message: String) -> Never {
  let text = Array("a64-harness: \(message)\n".utf8)
  _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  exit(2)
}

let args = CommandLine.arguments
guard args.count >= 2 else {
  fail("usage: a64-harness asm-lines FILE | disasm-words FILE | ...")
}

switch args[1] {
case "asm-lines":
  // Each non-empty line is one instruction assembled at address 4*index; prints
  // "WORD<TAB>disassembly" or "ERROR<TAB>message".
  guard args.count >= 3, let text = readFile(args[2]) else { fail("asm-lines FILE [BASE]") }
  let base = args.count > 3 ? UInt64(args[3].dropFirst(2), radix: 16) ?? 0 : 0
  var index: UInt64 = 0
  for line in text.split(separator: "\n") {
    let l = String(line)
    if l.trimmingCharacters(in: " \t").isEmpty { continue }
    let address = base + index * 4
    do {
      let w = try Assembler.encode(l, address: address)
      print(String(w, radix: 16) + "\t" + Disassembler.disassemble(w, address: address).text)
    } catch {
      print("ERROR\t\(error)")
    }
    index += 1
  }
case "disasm-words":
  // Each line is a hex word; prints the disassembly at address 4*index.
  guard args.count >= 3, let text = readFile(args[2]) else { fail("disasm-words FILE [BASE]") }
  let base = args.count > 3 ? UInt64(args[3].dropFirst(2), radix: 16) ?? 0 : 0
  var index: UInt64 = 0
  for line in text.split(separator: "\n") {
    guard let w = UInt32(line, radix: 16) else { continue }
    let d = Disassembler.disassemble(w, address: base + index * 4)
    print(d.isDefined ? d.text : "<undefined>")
    index += 1
  }
case "table-words":
  // N words drawn from the encoding table: a random row with its variable bits randomised.
  guard args.count == 4, let n = Int(args[2]), let seed = UInt64(args[3]) else { fail("table-words N SEED") }
  var rng = SplitMix64(seed: seed)
  for w in EncodingTable.sampleWords(count: n, using: &rng) { print(String(w, radix: 16)) }
default:
  fail("unknown command \(args[1])")
}

extension String {
  func trimmingCharacters(in set: String) -> String {
    var s = Substring(self)
    while let f = s.first, set.contains(f) { s.removeFirst() }
    while let l = s.last, set.contains(l) { s.removeLast() }
    return String(s)
  }
}

struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
