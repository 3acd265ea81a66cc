import HostFiles
import A64
import GuestKernel
import LabScript
import VirtMachine

/// `workload`: run A64 code on every online CPU (but CPU 0) and measure virtual-time throughput,
/// for scale-up experiments; the functions `workload_ns()` and `workload_done()`.
extension Lab {
  /// Where `workload run` loads the function (guest RAM above the kernel's areas).
  static let workloadBase: UInt64 = 0x4100_0000
  static let workloadCategory = "Workloads"

  var workloadCommand: CommandSpec {
    CommandSpec(
      "workload", category: Lab.workloadCategory,
      summary: "run chunks of A64 code on the online CPUs and measure throughput in virtual time",
      usage: "workload [run FILE.S [chunks=N] | show FILE.S]",
      help: """
        `workload run FILE.S chunks=N` assembles FILE at 0x41000000 and queues N calls of its function
        (the label `work`, else the start of the file), numbered 0 to N-1. The kernel hands one call at a
        time to each online CPU but CPU 0, as they become free, with smp_call_function_single(): the
        IPI_CALL_FUNC IPI (SGI 1) makes the CPU's idle loop run the function, with x0 = the chunk number
        and x1 = the CPU; it returns a value in x0 and must keep x19-x29 and sp (AAPCS64; it runs on the
        CPU's 4 KiB stack with interrupts masked). Each instruction takes 1 ns of virtual time.
        CPU 0 runs the modelled kernel, not A64 code, so it is the housekeeping CPU: with no other
        CPU online the workload waits (and `settle` returns) until one is added and onlined.
        `workload` shows the last workload: chunks done per CPU, duration, throughput and a checksum.
        `workload show FILE.S` prints the file as it would be loaded: address and encoding beside each
        instruction's source line.
        """,
      arguments: [
        ArgumentSpec(
          "WHAT", kind: .choice(["run", "show"]), required: false,
          summary: "run a new workload, or show a file"),
        ArgumentSpec("FILE", kind: .path, required: false, summary: "the A64 assembly file"),
        ArgumentSpec("chunks", .keyed, kind: .int, required: false, summary: "how many calls (default 64)"),
      ]
    ) { [unowned self] inv in
      if inv.string("WHAT") == "show" {
        let (source, program) = try Lab.assembleWorkload(inv)
        inv.session.write(Lab.listing(source, program))
        return .none
      }
      let machine = try requireMachine(inv)
      guard kernel != nil, let platform else {
        throw inv.error("the guest has not booted", hint: "`boot` starts it (then `settle`)")
      }
      guard inv.string("WHAT") == "run" else {
        guard let w = kernel!.workload else {
          inv.print("no workload has run")
          return .none
        }
        inv.session.write(Lab.workloadText(w, now: machine.state.clock))
        return .none
      }
      let chunks = inv.int("chunks") ?? 64
      guard chunks >= 1 && chunks <= 1_000_000 else {
        throw inv.error("chunks must be 1 to 1000000", at: "chunks", kind: .argument)
      }
      let (_, program) = try Lab.assembleWorkload(inv)
      checkpoint()
      do throws(BusError) { try machine.bus.write(program.bytes, at: program.base) } catch {
        _ = undoStack.popLast()
        throw inv.error("cannot load the workload: \(error)", at: "FILE")
      }
      let entry = program.symbols["work"] ?? program.base
      guard kernel!.startWorkload(entry: entry, chunks: chunks, at: platform.now) else {
        _ = undoStack.popLast()
        throw inv.error("a workload is still running", hint: "`settle` lets it finish; `workload` shows it")
      }
      afterWorldChange()
      return .none
    }
  }

  /// Reads and assembles the FILE of a `workload run|show` at the workload address.
  static func assembleWorkload(_ inv: Invocation) throws -> (String, AssembledProgram) {
    guard let file = inv.string("FILE") else {
      throw inv.error(
        "workload \(inv.string("WHAT") ?? "run") needs an assembly file",
        hint: "usage: workload run FILE.S [chunks=N]")
    }
    let source: String
    do throws(HostFileError) { source = try HostFile.readText(file) } catch {
      throw inv.error("cannot read '\(file)': \(error.detail)", at: "FILE", kind: .io)
    }
    let program: AssembledProgram
    do throws(AssemblyError) {
      program = try Assembler.assemble(source, base: Lab.workloadBase, fileName: file)
    } catch {
      throw inv.error("\(file):\(error.line):\(error.column): \(error.message)", at: "FILE", kind: .command)
    }
    guard program.bytes.count <= 1 << 20 else {
      throw inv.error("the workload is larger than 1 MiB", at: "FILE", kind: .argument)
    }
    return (source, program)
  }

  /// The source with the address and encoding of each instruction beside its line.
  static func listing(_ source: String, _ program: AssembledProgram) -> String {
    var addressesOfLine: [Int: [UInt64]] = [:]
    for (address, line) in program.lineOfAddress { addressesOfLine[line, default: []].append(address) }
    var out = ""
    var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    for (index, text) in lines.enumerated() {
      if let address = addressesOfLine[index + 1]?.min() {
        let offset = Int(address - program.base)
        let word =
          UInt32(program.bytes[offset]) | UInt32(program.bytes[offset + 1]) << 8 | UInt32(
            program.bytes[offset + 2]) << 16
          | UInt32(program.bytes[offset + 3]) << 24
        let hexWord = String(word, radix: 16)
        out +=
          String(address, radix: 16) + "  " + String(repeating: "0", count: 8 - hexWord.count) + hexWord
          + "  "
      } else {
        out += String(repeating: " ", count: 20)
      }
      out += text + "\n"
    }
    return out
  }

  /// What `workload` prints.
  static func workloadText(_ w: Workload, now: UInt64) -> String {
    var out = ""
    let state = w.finished == nil ? "running" : "finished"
    out += "workload: \(w.chunks) chunks of the function at 0x\(String(w.entry, radix: 16)), \(state)\n"
    out += "done: \(w.completed)  running: \(w.running.count)  waiting: \(w.waiting.count)\n"
    let elapsed = (w.finished ?? now) - w.started
    out += "virtual time: \(Lab.milliseconds(elapsed)) ms"
    if w.finished != nil && elapsed > 0 {
      let perSecond = UInt64(w.chunks) * 1_000_000_000 / elapsed
      out += "  throughput: \(perSecond) chunks/s"
    }
    out += "\n"
    out += "worker CPUs over time: "
    out += w.workers.map { "\($0.count) at \(Lab.milliseconds($0.time - w.started)) ms" }.joined(
      separator: ", ")
    out += "\n"
    out += "chunks per CPU: "
    out += w.done.sorted { $0.key < $1.key }.map { "cpu\($0.key)=\($0.value)" }.joined(separator: " ") + "\n"
    out += "checksum: 0x\(String(w.resultSum, radix: 16))\n"
    return out
  }

  /// Nanoseconds as milliseconds with three decimals.
  static func milliseconds(_ ns: UInt64) -> String {
    let us = ns / 1000
    return "\(us / 1000).\(String(us % 1000 + 1000).dropFirst())"
  }

  var workloadFunctions: [FunctionSpec] {
    [
      FunctionSpec(
        "workload_ns", [], returns: "int", category: Lab.workloadCategory,
        summary: "virtual nanoseconds the last workload took (none while it runs or before any)"
      ) { [unowned self] call in
        guard let d = kernel?.workload?.duration else { return .none }
        return .int(Int(d))
      },
      FunctionSpec(
        "workload_done", [], returns: "int", category: Lab.workloadCategory,
        summary: "chunks of the last workload that have finished"
      ) { [unowned self] call in
        .int(kernel?.workload?.completed ?? 0)
      },
    ]
  }
}
