import A64
import LabScript

/// `a64 asm`, `a64 disasm`, `a64 run`: the A64 engine on its own — assemble, disassemble, and
/// run a program bare metal on one vCPU (until PSCI SYSTEM_OFF, BRK, an unhandled exception or
/// the budget).
enum A64Commands {
  static let category = "A64"

  static func register(in registry: Registry) {
    registry.register(
      CommandSpec(
        "a64", category: category, summary: "assemble, disassemble and run A64 programs bare metal",
        help: """
          Programs are assembly (.S/.s, GNU as / LLVM syntax), ELF64 AArch64 executables, or raw binaries
          loaded at --base. `a64 run` starts one vCPU at EL1 with the MMU off and runs it until PSCI
          SYSTEM_OFF (HVC with x0 = 0x84000008), BRK, an unhandled exception, or --max-insns.
          """,
        subcommands: [
          CommandSpec(
            "asm", category: category, summary: "assemble FILE.S into a raw binary",
            arguments: [
              ArgumentSpec("FILE", kind: .path, summary: "the assembly source"),
              ArgumentSpec("-o", .option, kind: .path, summary: "the output binary"),
              ArgumentSpec(
                "--base", .option, kind: .int, required: false, summary: "load address (default 0x40080000)"),
            ]
          ) { inv in
            try output(
              A64Command.asm(
                inputPath: inv.string("FILE")!, outputPath: inv.string("-o")!,
                base: UInt64(bitPattern: Int64(inv.int("--base") ?? 0x4008_0000))),
              inv)
          },
          CommandSpec(
            "disasm", category: category, summary: "disassemble a raw binary or an ELF's loaded segments",
            arguments: [
              ArgumentSpec("FILE", kind: .path, summary: "the binary or ELF file"),
              ArgumentSpec(
                "--base", .option, kind: .int, required: false,
                summary: "address of a raw binary's first byte"),
            ]
          ) { inv in
            try output(
              A64Command.disasm(
                path: inv.string("FILE")!, base: inv.int("--base").map { UInt64(bitPattern: Int64($0)) }), inv
            )
          },
          CommandSpec(
            "run", category: category,
            summary: "run a program on one bare-metal vCPU and print its final state",
            arguments: [
              ArgumentSpec("FILE", kind: .path, summary: "assembly, ELF or raw binary"),
              ArgumentSpec(
                "--base", .option, kind: .int, required: false, summary: "load address (default 0x40080000)"),
              ArgumentSpec(
                "--max-insns", .option, kind: .int, required: false,
                summary: "instruction budget (default 100000000)"),
              ArgumentSpec("--trace", .flag, summary: "print each instruction as it executes"),
              ArgumentSpec(
                "--no-timing", .flag, summary: "leave out the wall-time line (for exact comparisons)"),
            ]
          ) { inv in
            var options = A64RunOptions()
            if let base = inv.int("--base") { options.base = UInt64(bitPattern: Int64(base)) }
            if let budget = inv.int("--max-insns") {
              guard budget > 0 else {
                throw inv.error("--max-insns must be positive", at: "--max-insns", kind: .argument)
              }
              options.maxInstructions = UInt64(budget)
            }
            options.trace = inv.flag("--trace")
            options.showTiming = !inv.flag("--no-timing")
            return try output(A64Command.run(path: inv.string("FILE")!, options: options), inv)
          },
        ]))
  }

  static func output(_ result: A64Command.Output, _ inv: Invocation) throws -> Value {
    let text = result.text.hasSuffix("\n") || result.text.isEmpty ? result.text : result.text + "\n"
    guard result.succeeded else {
      var message = text.hasPrefix("error: ") ? String(text.dropFirst("error: ".count)) : text
      while message.hasSuffix("\n") { message.removeLast() }
      throw LabScriptError(.command, message, at: inv.span)
    }
    inv.session.write(text)
    return .none
  }
}
