// a64-harness: drives the A64 library for the cross-checks (Scripts/test.d/20-a64-crosscheck)
// and the benchmark (Benchmarks/a64/run). Not part of the product.
import A64

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

func readBytes(_ path: String) -> [UInt8]? {
  guard let f = fopen(path, "rb") else { return nil }
  defer { fclose(f) }
  var data: [UInt8] = []
  var buf = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = fread(&buf, 1, buf.count, f)
    if n <= 0 { break }
    data += buf[0..<n]
  }
  return data
}

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
case "run-batch":
  // Runs programs described in FILE (see Scripts/crosscheck/a64-unicorn.py) and prints their
  // final state: "stop ...", "regs x0..x30 sp", "nzcv N", "mem HEX" per program.
  guard args.count == 3, let text = readFile(args[2]) else { fail("run-batch FILE") }
  runBatch(text)
case "bench":
  // Runs an ELF/raw/assembly program to completion: prints "INSTRUCTIONS SECONDS STOP".
  guard args.count == 3, let bytes = readBytes(args[2]) else { fail("bench FILE") }
  do {
    let program = try A64Command.load(bytes: bytes, path: args[2], base: 0x4008_0000)
    var options = A64RunOptions()
    options.maxInstructions = 50_000_000_000
    let report = try A64Command.run(program, options: options)
    print("\(report.instructions) \(report.seconds) \(report.stop)")
  } catch {
    fail("\(error)")
  }
case "table-words":
  // N words drawn from the encoding table: a random row with its variable bits randomised.
  guard args.count == 4, let n = Int(args[2]), let seed = UInt64(args[3]) else { fail("table-words N SEED") }
  for w in Decoder.tableDrawnWords(count: n, seed: seed) { print(String(w, radix: 16)) }
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

func hexBytes(_ s: Substring) -> [UInt8] {
  var out: [UInt8] = []
  out.reserveCapacity(s.count / 2)
  var it = s.utf8.makeIterator()
  func nib(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 32) - 87 }
  while let a = it.next(), let b = it.next() { out.append(nib(a) << 4 | nib(b)) }
  return out
}

/// Batch format, one program after another:
///   code W W W ...        (hex words, loaded at 0x40080000)
///   regs R0 ... R30 SP    (hex)
///   nzcv N                (hex, 4 bits)
///   mem HEX               (the scratch area at 0x40100000)
///   run BUDGET
func runBatch(_ text: String) {
  var code: [UInt32] = []
  var regs: [UInt64] = []
  var nzcv: UInt32 = 0
  var mem: [UInt8] = []
  for line in text.split(separator: "\n") {
    let parts = line.split(separator: " ", maxSplits: 1)
    guard let key = parts.first else { continue }
    let rest = parts.count > 1 ? parts[1] : ""
    switch key {
    case "code": code = rest.split(separator: " ").map { UInt32($0, radix: 16)! }
    case "regs": regs = rest.split(separator: " ").map { UInt64($0, radix: 16)! }
    case "nzcv": nzcv = UInt32(rest, radix: 16)!
    case "mem": mem = hexBytes(rest)
    case "run":
      let budget = UInt64(rest)!
      let bus = SystemBus()
      try! bus.addRAM(base: 0x4000_0000, size: 0x100_0000)
      try! bus.write(
        code.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }, at: 0x4008_0000)
      try! bus.write(mem, at: 0x4010_0000)
      let cpu = CPU(bus: bus)
      cpu.policy = ExecutionPolicy(stopOnBRK: true, stopOnExceptionWithoutVectors: true)
      cpu.reset(entry: 0x4008_0000)
      for i in 0..<31 { cpu.setX(i, regs[i]) }
      cpu.sp = regs[31]
      cpu.nzcv = nzcv
      let stop = cpu.run(maxInstructions: budget)
      print("stop \(stop)")
      print(
        "regs "
          + ((0..<31).map { String(cpu.x($0), radix: 16) } + [String(cpu.sp, radix: 16)]).joined(
            separator: " "))
      print("nzcv " + String(cpu.nzcv, radix: 16))
      let after = try! bus.read(0x4010_0000, count: mem.count)
      print("mem " + after.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
    default:
      fail("bad batch line: \(line.prefix(40))")
    }
  }
}
