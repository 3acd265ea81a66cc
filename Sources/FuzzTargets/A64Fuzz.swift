import A64

/// A64 words on a fresh CPU. The input is: a flags byte (start at EL0 or EL1, install a vector
/// table at the code so exceptions run fuzzed handlers, stop at BRK), an 8-byte seed for the
/// registers, then up to 1024 instruction words placed at `codeBase`. Every word is decoded
/// and disassembled; then the program runs twice on identical machines, once as `run` with a
/// budget (translated blocks, fused pairs) and once one `step` at a time, and both must end in
/// the same stop reason, CPU state and RAM: the translator may not change what the code does.
enum A64Fuzz {
  static let ramBase: UInt64 = 0x4000_0000
  static let ramSize: UInt64 = 0x1_0000
  static let codeBase: UInt64 = 0x4000_8000
  static let deviceBase: UInt64 = 0x0900_0000
  static let budget = 512

  static func run(_ bytes: [UInt8]) {
    var reader = FuzzReader(bytes)
    let flags = reader.byte()
    var seed = reader.u64()
    var code = reader.rest()
    code = Array(code.prefix(4096))
    code += [UInt8](repeating: 0, count: (4 - code.count % 4) % 4)
    for offset in stride(from: 0, to: code.count, by: 4) {
      let word =
        UInt32(code[offset]) | UInt32(code[offset + 1]) << 8 | UInt32(code[offset + 2]) << 16
        | UInt32(code[offset + 3]) << 24
      let address = codeBase + UInt64(offset)
      let instruction = Disassembler.disassemble(word, address: address)
      FuzzFailure.check(!instruction.mnemonic.isEmpty, "0x\(String(word, radix: 16)) has no mnemonic")
      FuzzFailure.check(
        instruction.isDefined == Decoder.decode(word).isDefined,
        "the decoder and the disassembler disagree on 0x\(String(word, radix: 16))")
      _ = instruction.text
    }
    var registers: [UInt64] = []
    for n in 0..<31 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      // Most registers point into RAM or at the device, so loads and stores reach them.
      switch (seed >> 60) & 3 {
      case 0: registers.append(seed)
      case 1: registers.append(deviceBase + (seed >> 20) % 0x100)
      default: registers.append(ramBase + (seed >> 16) % ramSize &- UInt64(n & 7))
      }
    }
    let blocks = Machine.blocks
    let steps = Machine.steps
    blocks.prepare(flags: flags, code: code, registers: registers)
    steps.prepare(flags: flags, code: code, registers: registers)
    let blockStop = blocks.cpu.run(maxInstructions: UInt64(budget))
    var stepStop = StopReason.budgetExhausted
    for _ in 0..<budget {
      stepStop = steps.cpu.step()
      if stepStop != .budgetExhausted { break }
    }
    FuzzFailure.check(blockStop == stepStop, "run stopped with \(blockStop), steps with \(stepStop)")
    FuzzFailure.check(
      blocks.cpu.saveState() == steps.cpu.saveState(),
      "run and steps end in different states (pc 0x\(String(blocks.cpu.pc, radix: 16)) vs 0x\(String(steps.cpu.pc, radix: 16)))"
    )
    FuzzFailure.check(blocks.ram() == steps.ram(), "run and steps leave different RAM")
    FuzzFailure.check(blocks.deviceLog == steps.deviceLog, "run and steps access the device differently")
    // A snapshot taken now restores to the same state.
    let saved = blocks.cpu.saveState()
    _ = blocks.cpu.run(maxInstructions: 16)
    blocks.cpu.restoreState(saved)
    FuzzFailure.check(blocks.cpu.saveState() == saved, "restoreState did not restore the saved state")
  }

  /// One bus with RAM and a device, and one CPU. The two machines are made once and reset for
  /// every input (a CPU's translation cache is megabytes, which made a fresh pair per input the
  /// harness's main cost): `prepare` puts back the state of a new machine, so an input always
  /// runs the same way.
  final class Machine {
    nonisolated(unsafe) static let blocks = Machine()
    nonisolated(unsafe) static let steps = Machine()

    let bus = SystemBus()
    let cpu: CPU
    let firmware = BareMetalFirmware()
    let pristine: CPUState
    var deviceLog: [UInt64] = []

    init() {
      do { try bus.addRAM(base: A64Fuzz.ramBase, size: A64Fuzz.ramSize) } catch {
        FuzzFailure.check(false, "the fuzz machine's RAM: \(error)")
      }
      cpu = CPU(bus: bus)
      pristine = cpu.saveState()
      let device = ClosureMMIODevice(
        read: { [unowned self] offset, size, _ in
          self.deviceLog.append(offset << 8 | UInt64(size))
          return offset == 0xF8 ? nil : offset &* 0x0101_0101
        },
        write: { [unowned self] offset, size, value, _ in
          self.deviceLog.append(offset << 8 | UInt64(size) | value << 32)
          return offset != 0xF8
        })
      do { try bus.addMMIO(base: A64Fuzz.deviceBase, size: 0x100, name: "fuzz", device: device) } catch {
        FuzzFailure.check(false, "the fuzz machine's device: \(error)")
      }
      cpu.host = firmware
    }

    /// Zeroed RAM holding `code`, a CPU in its reset state at the code, and the registers.
    func prepare(flags: UInt8, code: [UInt8], registers: [UInt64]) {
      deviceLog = []
      do {
        try bus.write([UInt8](repeating: 0, count: Int(A64Fuzz.ramSize)), at: A64Fuzz.ramBase)
        try bus.write(code, at: A64Fuzz.codeBase)
      } catch {
        FuzzFailure.check(false, "the fuzz machine's RAM: \(error)")
      }
      cpu.restoreState(pristine)
      cpu.policy = ExecutionPolicy(
        stopOnBRK: flags & 4 != 0, stopOnExceptionWithoutVectors: flags & 2 == 0, stopOnAllExceptions: false)
      cpu.reset(entry: A64Fuzz.codeBase)
      for (n, value) in registers.enumerated() { cpu.setX(n, value) }
      cpu.sp = A64Fuzz.ramBase + 0x8000
      if flags & 2 != 0 { _ = cpu.setSystemRegister(.vbar, A64Fuzz.codeBase) }
      if flags & 1 != 0 { cpu.setProcessorState(el: 0, spSel: 0, daif: 0) }
    }

    func ram() -> [UInt8] {
      (try? bus.read(A64Fuzz.ramBase, count: Int(A64Fuzz.ramSize))) ?? []
    }
  }
}
