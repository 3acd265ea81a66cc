// Bare-metal runs for the `a64` commands: one vCPU, MMU off, RAM at the virt board's base,
// PSCI SYSTEM_OFF through HVC ends the run. Every function returns a value whose `text` is what
// the command prints, so the LabScript wrapper stays thin.

import HostFiles

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The firmware of a bare-metal run: it knows PSCI SYSTEM_OFF (0x84000008) and SYSTEM_RESET
/// (0x84000009), answers PSCI_VERSION (1.1), and returns NOT_SUPPORTED (-1) for anything else.
public final class BareMetalFirmware: CPUHost {
  public init() {}

  public func firmwareCall(_ call: FirmwareCall, cpu: CPU) -> FirmwareOutcome {
    switch call.functionID {
    case 0x8400_0008: return .stop(.systemOff)
    case 0x8400_0009: return .stop(.systemReset)
    case 0x8400_0000:
      cpu.setX(0, 0x0001_0001)
      return .handled
    default:
      cpu.setX(0, UInt64(bitPattern: -1))  // SMCCC NOT_SUPPORTED, sign-extended
      return .handled
    }
  }
}

/// Options of `a64 run`.
public struct A64RunOptions: Sendable, Equatable {
  /// Load address of raw binaries and assembly sources (ELF files carry their own).
  public var base: UInt64 = 0x4008_0000
  public var maxInstructions: UInt64 = 100_000_000
  public var trace = false
  /// At most this many trace lines are kept.
  public var traceLimit = 10_000
  /// Guest RAM: QEMU virt's RAM base, 256 MiB.
  public var ramBase: UInt64 = 0x4000_0000
  public var ramSize: UInt64 = 0x1000_0000
  /// Print the timing line (wall time and guest MIPS); lessons that check output switch it off.
  public var showTiming = true

  public init() {}
}

/// A program ready to run: bytes at addresses and an entry point.
public struct LoadedProgram: Sendable, Equatable {
  public enum Format: String, Sendable {
    case assembly, elf, raw
  }

  public var format: Format
  public var segments: [ELFImage.Segment]
  public var entry: UInt64
}

/// Errors of the `a64` commands, printable as one message.
public enum A64CommandError: Error, Equatable, Sendable, CustomStringConvertible {
  case file(path: String, message: String)
  case assembly(AssemblyError)
  case elf(path: String, ELFError)
  case load(BusError)
  case usage(String)

  public var description: String {
    switch self {
    case .file(let p, let m): return "\(p): \(m)"
    case .assembly(let e): return e.description
    case .elf(let p, let e): return "\(p): \(e)"
    case .load(let e): return "cannot load the program: \(e)"
    case .usage(let s): return s
    }
  }
}

/// The final state and statistics of a bare-metal run.
public struct A64RunReport: Sendable, Equatable {
  public var stop: StopReason
  public var x: [UInt64]
  public var sp: UInt64
  public var pc: UInt64
  public var nzcv: UInt32
  public var el: Int
  public var spSel: Int
  public var daif: UInt32
  public var instructions: UInt64
  public var seconds: Double
  public var trace: [String]
  public var showTiming: Bool

  /// Guest instructions per second / 10^6.
  public var mips: Double { seconds > 0 ? Double(instructions) / seconds / 1e6 : 0 }

  /// What `a64 run` prints.
  public var text: String {
    var lines = trace
    lines.append("stop: \(stop)")
    lines.append("instructions: \(instructions)")
    if showTiming {
      lines.append("time: \(formatFixed(seconds, 4)) s, guest MIPS: \(formatFixed(mips, 1))")
    }
    let flags = ["N", "Z", "C", "V"].enumerated().map { i, f in
      nzcv & (8 >> UInt32(i)) != 0 ? f : f.lowercased()
    }
    let mode = el == 0 ? "EL0t" : (spSel == 1 ? "EL1h" : "EL1t")
    lines.append(
      "pc  \(hex16(pc))  sp  \(hex16(sp))  nzcv \(flags.joined()) (0x\(String(nzcv << 28, radix: 16)))  \(mode)  DAIF 0b\(binary4(daif))"
    )
    var row: [String] = []
    for i in 0..<31 {
      let name = "x\(i)"
      row.append(name + String(repeating: " ", count: 4 - name.count) + hex16(x[i]))
      if row.count == 4 || i == 30 {
        lines.append(row.joined(separator: "  "))
        row = []
      }
    }
    return lines.joined(separator: "\n")
  }
}

func hex16(_ v: UInt64) -> String {
  let s = String(v, radix: 16)
  return "0x" + String(repeating: "0", count: 16 - s.count) + s
}

func binary4(_ v: UInt32) -> String {
  (0..<4).map { v & (8 >> UInt32($0)) != 0 ? "1" : "0" }.joined()
}

func formatFixed(_ v: Double, _ digits: Int) -> String {
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let n = Int64((v * scale).rounded())
  let whole = n / Int64(scale)
  var frac = String(n % Int64(scale))
  frac = String(repeating: "0", count: digits - frac.count) + frac
  return digits == 0 ? String(whole) : "\(whole).\(frac)"
}

func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Host file access for the `a64` commands, with the one host-file layer's limits and errors.
enum ProgramFile {
  static func read(_ path: String) throws(A64CommandError) -> [UInt8] {
    do { return try HostFile.readBytes(path) } catch { throw .file(path: path, message: error.detail) }
  }

  /// Replaces (or creates) `path` atomically, so a failed or interrupted write never leaves a
  /// partial binary.
  static func write(_ path: String, _ bytes: [UInt8]) throws(A64CommandError) {
    do { try HostFile.writeAtomically(bytes, to: path) } catch {
      throw .file(path: path, message: error.detail)
    }
  }
}

/// The `a64` commands as library functions: each returns the text the command prints.
public enum A64Command {
  /// Result of one command: the text to print and whether it succeeded.
  public struct Output: Sendable, Equatable {
    public var text: String
    public var succeeded: Bool
  }

  /// `a64 asm FILE.S -o FILE.bin`: assembles at `base` (default 0x40080000) and writes the image.
  public static func asm(inputPath: String, outputPath: String, base: UInt64 = 0x4008_0000) -> Output {
    do throws(A64CommandError) {
      let source = String(decoding: try ProgramFile.read(inputPath), as: UTF8.self)
      let program: AssembledProgram
      do throws(AssemblyError) {
        program = try Assembler.assemble(source, base: base, fileName: inputPath)
      } catch {
        throw .assembly(error)
      }
      try ProgramFile.write(outputPath, program.bytes)
      return Output(
        text: "\(outputPath): \(program.bytes.count) bytes at 0x\(String(base, radix: 16))", succeeded: true)
    } catch {
      return Output(text: "error: \(error)", succeeded: false)
    }
  }

  /// `a64 disasm FILE [--base ADDR]`: a raw binary (at `base`, default 0x40080000) or the PT_LOAD
  /// segments of an ELF file, listed as llvm-objdump lists them.
  public static func disasm(path: String, base: UInt64? = nil) -> Output {
    do throws(A64CommandError) {
      let bytes = try ProgramFile.read(path)
      return Output(text: try disassembly(bytes: bytes, path: path, base: base), succeeded: true)
    } catch {
      return Output(text: "error: \(error)", succeeded: false)
    }
  }

  /// The listing of `a64 disasm` for file contents.
  public static func disassembly(bytes: [UInt8], path: String, base: UInt64?) throws(A64CommandError)
    -> String
  {
    if ELFImage.isELF(bytes) {
      let image: ELFImage
      do throws(ELFError) { image = try ELFImage.parse(bytes) } catch { throw .elf(path: path, error) }
      return image.segments.map { Disassembler.listing(bytes: $0.bytes, base: $0.address) }.joined(
        separator: "\n")
    }
    return Disassembler.listing(bytes: bytes, base: base ?? 0x4008_0000)
  }

  /// Loads a program from file contents: assembly (`.S`/`.s`), ELF (by its magic) or raw.
  public static func load(bytes: [UInt8], path: String, base: UInt64) throws(A64CommandError) -> LoadedProgram
  {
    if path.hasSuffix(".S") || path.hasSuffix(".s") || path.hasSuffix(".asm") {
      do throws(AssemblyError) {
        let p = try Assembler.assemble(String(decoding: bytes, as: UTF8.self), base: base, fileName: path)
        return LoadedProgram(
          format: .assembly,
          segments: [.init(address: base, bytes: p.bytes, memorySize: UInt64(p.bytes.count))],
          entry: p.entry)
      } catch {
        throw .assembly(error)
      }
    }
    if ELFImage.isELF(bytes) {
      do throws(ELFError) {
        let image = try ELFImage.parse(bytes)
        return LoadedProgram(format: .elf, segments: image.segments, entry: image.entry)
      } catch {
        throw .elf(path: path, error)
      }
    }
    return LoadedProgram(
      format: .raw, segments: [.init(address: base, bytes: bytes, memorySize: UInt64(bytes.count))],
      entry: base)
  }

  /// `a64 run FILE(.S|.bin|.elf) [--base ADDR] [--max-insns N] [--trace]`.
  public static func run(path: String, options: A64RunOptions = A64RunOptions()) -> Output {
    do throws(A64CommandError) {
      let program = try load(bytes: try ProgramFile.read(path), path: path, base: options.base)
      let report = try run(program, options: options)
      return Output(text: report.text, succeeded: true)
    } catch {
      return Output(text: "error: \(error)", succeeded: false)
    }
  }

  /// Runs a loaded program on one bare-metal vCPU.
  public static func run(_ program: LoadedProgram, options: A64RunOptions) throws(A64CommandError)
    -> A64RunReport
  {
    let bus = SystemBus()
    do throws(BusError) {
      try bus.addRAM(base: options.ramBase, size: options.ramSize)
      for s in program.segments {
        var bytes = s.bytes
        if s.memorySize > UInt64(bytes.count) {
          bytes += [UInt8](repeating: 0, count: Int(s.memorySize) - bytes.count)
        }
        try bus.write(bytes, at: s.address)
      }
    } catch {
      throw .load(error)
    }
    let firmware = BareMetalFirmware()
    let cpu = CPU(bus: bus)
    cpu.host = firmware
    cpu.policy = ExecutionPolicy(stopOnBRK: true, stopOnExceptionWithoutVectors: true)
    cpu.reset(entry: program.entry)
    cpu.sp = options.ramBase + options.ramSize  // a usable stack at the top of RAM
    var trace: [String] = []
    let start = monotonicSeconds()
    var stop: StopReason
    if options.trace {
      stop = .budgetExhausted
      var left = options.maxInstructions
      while left > 0 {
        let before = (0..<31).map { cpu.x($0) } + [cpu.sp]
        let at = cpu.pc
        let word = (try? bus.readValue(at, size: 4)).map { UInt32($0) }
        stop = cpu.step()
        if trace.count < options.traceLimit, let word {
          let d = Disassembler.disassemble(word, address: at)
          var line = "\(hex16(at)): \(format8(word))  \(d.text.replacingTabs())"
          let after = (0..<31).map { cpu.x($0) } + [cpu.sp]
          let changes = (0..<32).filter { before[$0] != after[$0] }.map { i in
            (i == 31 ? "sp" : "x\(i)") + "=0x" + String(after[i], radix: 16)
          }
          if !changes.isEmpty { line += "    ; " + changes.joined(separator: " ") }
          trace.append(line)
        }
        if stop != .budgetExhausted { break }
        left -= 1
      }
    } else {
      stop = cpu.run(maxInstructions: options.maxInstructions)
    }
    let seconds = monotonicSeconds() - start
    return A64RunReport(
      stop: stop, x: (0..<31).map { cpu.x($0) }, sp: cpu.sp, pc: cpu.pc, nzcv: cpu.nzcv, el: cpu.pstate.el,
      spSel: cpu.pstate.spSel, daif: cpu.pstate.daif, instructions: cpu.instructionsRetired, seconds: seconds,
      trace: trace, showTiming: options.showTiming)
  }
}

extension String {
  func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
