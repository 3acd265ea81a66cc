/// The fuzz targets: what one libFuzzer input does in each harness. The `fuzz-*` executables
/// call these from `LLVMFuzzerTestOneInput` when built by `Scripts/fuzz` (with
/// `-sanitize=fuzzer`), and replay files through them when built normally; the
/// ReliabilityTests replay the corpus in `Tests/FuzzCorpus/<target>/` through the same code.
///
/// A target returns normally for every input: a crash, a trap or a hang is the bug the fuzzer
/// looks for. Properties that must hold for every input (an error points inside the text it
/// came from, a round trip gives back what went in) end the process through `FuzzFailure`.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// LabScript text: the parser (as the REPL's "needs more input" check and `run` use it), the
  /// evaluator under low limits, error rendering, and Tab completion of the last line.
  case labscript
  /// AML inside a DSDT (or raw table bytes): load, ASL printing, and evaluating every method.
  case aml
  /// ACPI table files through `acpi decode`'s decoders (field table and hex dump).
  case acpiTables = "acpi-tables"
  /// A64 words: decode and disassemble each, then run a fresh CPU on them for a few steps.
  case a64
  /// Assembly text through the A64 assembler; what assembles is disassembled and stepped.
  case asm
  /// `-smp` text, then `device_add`/`device_del` lines against the VMM built from it.
  case smp

  /// Runs one input.
  public func run(_ bytes: [UInt8]) {
    switch self {
    case .labscript: LabScriptFuzz.run(bytes)
    case .aml: AMLFuzz.run(bytes)
    case .acpiTables: ACPITablesFuzz.run(bytes)
    case .a64: A64Fuzz.run(bytes)
    case .asm: AssemblerFuzz.run(bytes)
    case .smp: SMPFuzz.run(bytes)
    }
  }

  /// Runs one input given as libFuzzer passes it.
  public func run(_ data: UnsafePointer<UInt8>?, _ size: Int) {
    guard let data, size > 0 else { return run([]) }
    run(Array(UnsafeBufferPointer(start: data, count: size)))
  }
}

/// A property that must hold for every input did not: the harness stops the process with the
/// message, so libFuzzer records the input as a crash.
enum FuzzFailure {
  static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz property violated: \(message())") }
  }
}

/// Reads a fuzz input from the front: small numbers for choices, the rest as payload.
struct FuzzReader {
  private let bytes: [UInt8]
  private var position = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var isAtEnd: Bool { position >= bytes.count }

  /// The next byte, or 0 when the input is used up.
  mutating func byte() -> UInt8 {
    guard position < bytes.count else { return 0 }
    defer { position += 1 }
    return bytes[position]
  }

  /// The next 8 bytes as a little-endian number (missing bytes read as 0).
  mutating func u64() -> UInt64 {
    var value: UInt64 = 0
    for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(byte()) << UInt64(shift) }
    return value
  }

  /// Everything not read yet.
  mutating func rest() -> [UInt8] {
    defer { position = bytes.count }
    return position < bytes.count ? Array(bytes[position...]) : []
  }
}
