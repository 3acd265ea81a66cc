import Testing

@testable import A64

final class TestHost: CPUHost {
  var calls: [FirmwareCall] = []
  var pmr: UInt64 = 0
  var count: UInt64 = 1234

  func firmwareCall(_ call: FirmwareCall, cpu: CPU) -> FirmwareOutcome {
    calls.append(call)
    if call.functionID == 0x8400_0002 { return .stop(.cpuOff) }
    cpu.setX(0, 0)
    return .handled
  }

  func readSystemRegister(_ register: SystemRegister, cpu: CPU) -> UInt64? {
    register == SystemRegister(name: "ICC_PMR_EL1") ? pmr : nil
  }

  func writeSystemRegister(_ register: SystemRegister, value: UInt64, cpu: CPU) -> Bool {
    guard register == SystemRegister(name: "ICC_PMR_EL1") else { return false }
    pmr = value
    return true
  }

  func virtualCount(cpu: CPU) -> UInt64 { count }
}

func makeCPU(_ source: String, host: CPUHost?) throws -> CPU {
  let program = try Assembler.assemble(source, base: 0x4008_0000)
  let bus = SystemBus()
  try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
  try bus.write(program.bytes, at: 0x4008_0000)
  let cpu = CPU(bus: bus, mpidr: 0x8000_0102)
  cpu.host = host
  cpu.policy = ExecutionPolicy(stopOnBRK: true)
  cpu.reset(entry: 0x4008_0000)
  cpu.sp = 0x4010_0000
  return cpu
}

@Suite struct SystemTests {
  @Test func identificationAndPSTATERegisters() throws {
    let (cpu, _) = try runSnippet(
      """
        mrs x0, mpidr_el1
        mrs x1, midr_el1
        mrs x2, currentel
        mrs x3, daif
        msr daifclr, #0xf
        mrs x4, daif
        msr daifset, #2
        mrs x5, daif
        mrs x6, spsel
        mrs x7, sctlr_el1
        mrs x8, cntfrq_el0
        brk #0
      """)
    #expect(cpu.x(0) == 0x8000_0000)
    #expect(cpu.x(1) == 0x411F_D070)
    #expect(cpu.x(2) == 0x4)  // EL1
    #expect(cpu.x(3) == 0x3C0)
    #expect(cpu.x(4) == 0)
    #expect(cpu.x(5) == 0x80)
    #expect(cpu.x(6) == 1)
    #expect(cpu.x(7) & 1 == 0)  // MMU off
    #expect(cpu.x(8) == 62_500_000)
  }

  @Test func spselBanksTheStackPointer() throws {
    let (cpu, _) = try runSnippet(
      """
        mov x0, #0x1000
        msr sp_el0, x0
        mov x1, sp
        msr spsel, #0
        mov x2, sp
        mov x3, #0x2000
        mov sp, x3
        msr spsel, #1
        mov x4, sp
        brk #0
      """)
    #expect(cpu.x(1) == 0x4100_0000)
    #expect(cpu.x(2) == 0x1000)
    #expect(cpu.x(4) == 0x4100_0000)
    #expect(cpu.spEL0 == 0x2000)
  }

  @Test func firmwareCallsTheHostAndPSCISystemOff() throws {
    let host = TestHost()
    let cpu = try makeCPU(
      """
        mov x0, #0x84000000       // PSCI_VERSION
        mov x4, #44
        hvc #0
        movz x0, #0x0002
        movk x0, #0x8400, lsl #16 // CPU_OFF
        smc #0
        brk #0
      """, host: host)
    let stop = cpu.run(maxInstructions: 100)
    #expect(stop == .firmware(.cpuOff))
    #expect(cpu.pc == 0x4008_0018)  // after the SMC
    #expect(host.calls.count == 2)
    #expect(host.calls[0].conduit == .hvc && host.calls[0].functionID == 0x8400_0000)
    #expect(host.calls[1].conduit == .smc)
    #expect(cpu.x(4) == 44)

    let (bare, s) = try runSnippet("  movz x0, #8\n  movk x0, #0x8400, lsl #16\n  hvc #0\n  brk #1\n")
    #expect(s == .firmware(.systemOff))
    #expect(bare.pc == 0x4008_000C)
    let (unknown, _) = try runSnippet("  mov x0, #0x1234\n  hvc #0\n  brk #0\n")
    #expect(unknown.x(0) == UInt64.max)  // NOT_SUPPORTED (-1), sign-extended
  }

  @Test func hostServesICCRegistersAndTheCounter() throws {
    let host = TestHost()
    let cpu = try makeCPU(
      """
        mov x0, #0xf0
        msr icc_pmr_el1, x0
        mrs x1, icc_pmr_el1
        mrs x2, cntvct_el0
        brk #0
      """, host: host)
    _ = cpu.run(maxInstructions: 100)
    #expect(host.pmr == 0xF0)
    #expect(cpu.x(1) == 0xF0)
    #expect(cpu.x(2) == 1234)
    // Without a host serving them, ICC_* accesses are UNDEFINED.
    let (bare, stop) = try runSnippet("  mrs x1, icc_iar1_el1\n")
    guard case .unhandledException(let e) = stop else {
      Issue.record("expected UNDEFINED")
      return
    }
    #expect(e.exceptionClass == .unknown)
    #expect(bare.pc == 0x4008_0000)
  }

  @Test func wfiWaitsUnlessAnInterruptIsSignalled() throws {
    var (cpu, stop) = try runSnippet("  wfi\n  brk #0\n")
    #expect(stop == .waitingForInterrupt)
    #expect(cpu.pc == 0x4008_0004)
    // An interrupt signalled while PSTATE.I = 1 still ends WFI (it is not taken).
    (cpu, stop) = try runSnippet("  wfi\n  brk #0\n", setup: { $0.irqPending = true })
    #expect(stop == .softwareBreakpoint(immediate: 0))
  }

  @Test func wfeUsesTheEventRegisterAndSEVReachesEveryPE() throws {
    let (cpu, stop) = try runSnippet("  sevl\n  wfe\n  wfe\n  brk #0\n")
    #expect(stop == .waitingForEvent)
    #expect(cpu.pc == 0x4008_000C)

    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
    try bus.write(try Assembler.assemble("  sev\n  brk #0\n", base: 0x4008_0000).bytes, at: 0x4008_0000)
    try bus.write(try Assembler.assemble("  wfe\n  brk #0\n", base: 0x4009_0000).bytes, at: 0x4009_0000)
    let a = CPU(bus: bus)
    let b = CPU(bus: bus)
    for c in [a, b] { c.policy = ExecutionPolicy(stopOnBRK: true) }
    a.reset(entry: 0x4008_0000)
    b.reset(entry: 0x4009_0000)
    #expect(a.run(maxInstructions: 10) == .softwareBreakpoint(immediate: 0))
    #expect(b.run(maxInstructions: 10) == .softwareBreakpoint(immediate: 0))  // the event was pending
  }

  @Test func turningTheMMUOnIsReportedNotIgnored() throws {
    let (cpu, stop) = try runSnippet("  mrs x0, sctlr_el1\n  orr x0, x0, #1\n  msr sctlr_el1, x0\n")
    guard case .unsupported(let what) = stop else {
      Issue.record("expected unsupported, got \(stop)")
      return
    }
    #expect(what.contains("SCTLR_EL1.M"))
    #expect(cpu.pc == 0x4008_0008)
  }

  @Test func exclusivesAndMonitorClearing() throws {
    let (cpu, _) = try runSnippet(
      """
        adr x1, data
        ldxr x2, [x1]
        add x2, x2, #1
        stxr w3, x2, [x1]
        ldxr x4, [x1]
        clrex
        stxr w5, x4, [x1]
        ldaxr w6, [x1]
        stlxr w7, w6, [x1]
        brk #0
        .balign 16
      data: .quad 41
      """)
    #expect(cpu.x(3) == 0)  // success
    #expect(cpu.x(4) == 42)
    #expect(cpu.x(5) == 1)  // CLREX cleared the monitor
    #expect(cpu.x(7) == 0)
  }
}
