import A64
import ACPI
import GuestKernel
import Lab
import LabScript
import Testing
import VirtMachine

/// Every loop that user input controls ends, with an error that says which limit stopped it:
/// script loops and recursion, AML While and recursion, guest code, and a guest that never
/// answers the kernel.
@Suite struct LimitTests {
  /// Runs `text` in a session with `loop_limit` set; returns the rendered error.
  func failure(_ text: String, loopLimit: Int = 1000) -> String? {
    let session = Session()
    do {
      try session.setSetting("loop_limit", loopLimit)
      try session.run(text, name: "t.hpl")
      return nil
    } catch {
      return error.render(color: false)
    }
  }

  // MARK: LabScript

  @Test func endlessWhileStopsAtTheLoopLimit() {
    #expect(
      failure("while true { }")
        == """
        t.hpl:1:1: error: the loop did not finish after 1000 iterations
        while true { }
        ^~~~~~~~~~~~~~
        hint: an endless loop? `config loop_limit=N` raises the limit

        """)
  }

  /// Each loop below stays under the limit on its own; together they would run 10^12 times.
  @Test func nestedLoopsShareTheOutermostLoopsLimit() {
    #expect(
      failure("for a in 0..999999 {\n  for b in 0..999 { }\n}")
        == """
        t.hpl:1:1: error: the loop did not finish within 1000 loop iterations and calls
        for a in 0..999999 {
        ^~~~~~~~~~~~~~~~~~~~
        hint: loops inside loops, or a command that calls itself? `config loop_limit=N` raises the limit

        """)
  }

  /// A command that calls itself twice per level: 2^60 calls, each one within the depth limit.
  @Test func doublyRecursiveCommandStops() {
    #expect(
      failure("def f(n) {\n  if n > 0 { f (n - 1); f (n - 1) }\n}\nf 60")
        == """
        t.hpl:4:1: error: the call of 'f' did not finish within 1000 loop iterations and calls
        f 60
        ^~~~
        hint: loops inside loops, or a command that calls itself? `config loop_limit=N` raises the limit

        """)
  }

  @Test func endlessRecursionStopsAtTheCallDepth() {
    let error = failure("def f() { f }\nf", loopLimit: 1_000_000)
    #expect(error?.hasPrefix("t.hpl:1:11: error: more than 200 nested calls of user commands") == true)
    #expect(error?.contains("hint: does 'f' call itself without stopping?") == true)
  }

  /// A loop inside `expect error` that hits the limit is the error the block expects, and the
  /// session goes on afterwards with a fresh count.
  @Test func limitErrorsLeaveTheSessionUsable() throws {
    let output = BufferedOutput()
    let session = Session(output: output)
    try session.setSetting("loop_limit", 50)
    try session.run(
      "expect error \"did not finish\" { while true { } }\nlet n = 0\nfor i in 1..40 { set n = n + i }")
    try session.run("for i in 1..50 { }\nprint n")
    #expect(output.text == "820\n")
  }

  // MARK: AML

  static func evaluate(
    _ terms: [AMLTerm], _ path: String, arguments: [AMLValue] = [], limits: AMLLimits = AMLLimits()
  ) -> AMLError? {
    var interpreter = AMLInterpreter(limits: limits)
    var host = AMLSimulatedHost()
    do {
      try interpreter.load(DefinitionBlock(terms: terms).encodedBytes)
      _ = try interpreter.evaluate(path, arguments: arguments, host: &host)
      return nil
    } catch {
      return error
    }
  }

  @Test func amlWhileOneStopsWithLoopTimeout() {
    var limits = AMLLimits()
    limits.maxLoopIterations = 5000
    let error = LimitTests.evaluate([.method("SPIN", [.whileLoop(.one, [])])], "\\SPIN", limits: limits)
    #expect(error?.status == .AE_AML_LOOP_TIMEOUT)
    #expect(
      error?.message == "While loop exceeded the maximum execution time (5000 iterations of virtual time)")
    #expect(error?.method == "\\SPIN")
  }

  /// FANO(40) calls FANO(39) twice: 2^40 calls, never deeper than 41.
  @Test func amlDoublyRecursiveMethodStopsAtTheStepLimit() {
    var limits = AMLLimits()
    limits.maxSteps = 100_000
    let error = LimitTests.evaluate(
      [
        .method(
          "FANO", args: 1,
          [
            .ifThen(
              .arg(0),
              [.call("FANO", [.subtract(.arg(0), .one)]), .call("FANO", [.subtract(.arg(0), .one)])])
          ])
      ], "\\FANO", arguments: [.integer(40)], limits: limits)
    #expect(error?.status == .AE_LIMIT)
    #expect(error?.message.contains("100000") == true, "\(String(describing: error))")
  }

  // MARK: Guest code

  /// `b .` forever: the run returns when its instruction budget is spent.
  @Test func spinningGuestCodeStopsAtItsBudget() throws {
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
    let program = try Assembler.assemble("1: b 1b", base: 0x4008_0000)
    try bus.write(program.bytes, at: 0x4008_0000)
    let cpu = CPU(bus: bus)
    cpu.reset(entry: 0x4008_0000)
    #expect(cpu.run(maxInstructions: 100_000) == .budgetExhausted)
    #expect(cpu.pc == 0x4008_0000)
  }

  /// On the board, a vCPU that spins forever never makes the world idle, but each run of the
  /// event loop returns after the events it was allowed, with virtual time advanced by the
  /// slices that ran: the Lab's `settle` budget (virtual time) bounds it.
  @Test func spinningVCPUIsBoundedByTheEventLimit() throws {
    let machine = try VirtMachine(smp: try SMPConfiguration.parse("2"))
    let program = try Assembler.assemble("1: b 1b", base: 0x4008_0000)
    try machine.bus.write(program.bytes, at: 0x4008_0000)
    machine.powerOn(cpu: 1, entry: 0x4008_0000)
    let ran = machine.run(limit: 200)
    #expect(ran == 200)
    #expect(machine.nextEventTime != nil)
    #expect(machine.state.clock >= 198 * VirtMachine.quantum)
    #expect(machine.state.clock < Lab.settleBudget)
  }

  /// A secondary whose trampoline never reports in: `__cpu_up` waits 5 s of virtual time, then
  /// the kernel logs "CPU1: failed to come online" and boot goes on; the world becomes idle.
  @Test func guestThatNeverAnswersTimesOut() throws {
    let lab = Lab()
    lab.trampoline = """
          .global secondary_entry
      secondary_entry:
      1:  wfi
          b 1b
      """
    try lab.createMachine(smp: try SMPConfiguration.parse("2"), options: VirtOptions())
    lab.boot()
    var events = 0
    while lab.stepEvent() != nil {
      events += 1
      if events > 1_000_000 { break }
    }
    let log = lab.kernel?.log.entries.map(\.text) ?? []
    #expect(log.contains("CPU1: failed to come online"), "\(log.suffix(8))")
    #expect(lab.kernel?.masks.online.test(1) == false)
    #expect(events <= 1_000_000)
    #expect(lab.isIdle)
  }
}
