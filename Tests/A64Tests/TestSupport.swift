import Testing

@testable import A64

/// Assembles `source` at 0x40080000, runs it on a fresh bare-metal vCPU until BRK or the budget,
/// and returns the CPU and the stop reason.
func runSnippet(
  _ source: String, setup: (CPU) -> Void = { _ in }, budget: UInt64 = 1_000_000,
  policy: ExecutionPolicy = ExecutionPolicy(stopOnBRK: true)
) throws -> (CPU, StopReason) {
  let program = try Assembler.assemble(source, base: 0x4008_0000)
  let bus = SystemBus()
  try bus.addRAM(base: 0x4000_0000, size: 0x100_0000)
  try bus.write(program.bytes, at: 0x4008_0000)
  let cpu = CPU(bus: bus)
  let firmware = BareMetalFirmware()
  cpu.host = firmware
  cpu.policy = policy
  cpu.reset(entry: program.entry)
  cpu.sp = 0x4100_0000
  setup(cpu)
  let stop = cpu.run(maxInstructions: budget)
  withExtendedLifetime(firmware) {}
  return (cpu, stop)
}
