import ACPI
import CPUMask
import GuestKernel
import LabScript
import VirtMachine

/// Stepping the world and looking back: `step`, `next`, `continue`, `until`, `settle`, `break`,
/// `delete`, `trace`, `snapshot`, `undo`.
extension Lab {
  /// After a command changed the world from outside (device_add, a sysfs write): the kernel
  /// notices a raised interrupt, and the timeline records any change.
  func afterWorldChange() {
    if let platform, kernel != nil { kernel!.takeInterrupt(platform) }
    recordTimeline()
  }

  func requireWorld(_ inv: Invocation) throws -> VirtMachine {
    let machine = try requireMachine(inv)
    return machine
  }

  /// Prints records as the live trace settings ask.
  func show(_ records: [TraceRecord], _ inv: Invocation, all: Bool) {
    for record in records where all || liveTrace.contains(record.source) || liveTrace.contains("all") {
      inv.print(record.description)
    }
  }

  /// Raises the failures of sysfs writes that completed, as the shell reports a failed write.
  func reportWrites(_ inv: Invocation) throws {
    let failed = takeFailedWrites()
    guard let first = failed.first else { return }
    let errno = Errno(rawValue: Int32(-first.result))
    let messages = failed.map {
      "write error: \($0.path): \(Errno(rawValue: Int32(-$0.result))?.message ?? "error \($0.result)")"
    }
    throw LabScriptError(
      .command, messages.joined(separator: "\n"), at: inv.span,
      hint: errno.map { "the kernel returned \($0.symbol) (\($0.negated))" })
  }

  /// Runs events until `stop` says so, idle, or the budget; returns the number of events. The
  /// loop runs on one large-stack thread, so the guest's AML evaluations run in place.
  func run(_ inv: Invocation, printAll: Bool, limit: Int = Int.max, stop: (Event) -> Bool) throws -> Int {
    var outcome: Result<Int, any Error> = .success(0)
    AMLInterpreter.withLargeStack {
      outcome = Result { try runEvents(inv, printAll: printAll, limit: limit, stop: stop) }
    }
    return try outcome.get()
  }

  private func runEvents(_ inv: Invocation, printAll: Bool, limit: Int, stop: (Event) -> Bool) throws -> Int {
    guard let machine else { return 0 }
    let start = machine.state.clock
    var count = 0
    while count < limit {
      guard let event = stepEvent() else { break }
      count += 1
      show(event.records, inv, all: printAll)
      if stop(event) { break }
      if machine.state.clock - start > Lab.settleBudget {
        throw inv.error(
          "the world did not become idle within \(Lab.settleBudget / 1_000_000_000) s of virtual time",
          hint: stuckHint(machine))
      }
      if let check = inv.session.interruptCheck, check() {
        throw LabScriptError(.interrupted, "interrupted after \(count) events", at: inv.span)
      }
    }
    return count
  }

  func stuckHint(_ m: VirtMachine) -> String {
    let running = (0..<m.smp.maxCPUs).filter {
      m.state.power[$0] == .on && !m.state.parked.contains($0) && !m.hostExecutes($0)
    }
    if let cpu = running.first {
      return
        "cpu\(cpu) never stops running (pc=0x\(String(m.vcpu(cpu).pc, radix: 16))); `regs \(cpu)` shows where"
    }
    return "a kernel thread keeps running; `bt` shows where"
  }

  func matches(_ record: TraceRecord, _ point: String) -> Bool {
    record.event == point || record.source == point || record.event.hasPrefix(point + ".")
  }

  var steppingCommands: [CommandSpec] {
    [
      CommandSpec(
        "step", category: Lab.steppingCategory,
        summary: "run one event (or N, or until the next event of a layer)",
        usage: "step [N | vmm|acpi|aml|gic|psci|cpu|kernel|ged|uart]",
        help: "Each event prints its trace lines: virtual time, layer, trace point, CPU, what happened.",
        arguments: [
          ArgumentSpec(
            "WHAT", kind: .any, required: false, summary: "a count or a layer",
            completions: { _ in ["vmm", "acpi", "aml", "gic", "psci", "cpu", "kernel", "ged", "uart"] })
        ]
      ) { [unowned self] inv in
        _ = try requireWorld(inv)
        checkpoint()
        var done = 0
        switch inv["WHAT"] {
        case .int(let n)?:
          guard n > 0 else { throw inv.error("the count must be positive", at: "WHAT", kind: .argument) }
          done = try run(inv, printAll: true, limit: n) { _ in false }
        case .string(let layer)?:
          done = try run(inv, printAll: true) { event in event.records.contains { $0.source == layer } }
        default:
          done = try run(inv, printAll: true, limit: 1) { _ in false }
        }
        if done == 0 { inv.print("(idle: nothing to run)") }
        try reportWrites(inv)
        return .none
      },
      CommandSpec(
        "next", category: Lab.steppingCategory,
        summary: "run until the current kernel function's next step (stepping over calls)"
      ) { [unowned self] inv in
        _ = try requireWorld(inv)
        checkpoint()
        guard let current = kernel?.lastStep else {
          if try run(inv, printAll: true, limit: 1, stop: { _ in false }) == 0 {
            inv.print("(idle: nothing to run)")
          }
          return .none
        }
        let done = try run(inv, printAll: false) { [unowned self] _ in
          guard let step = kernel?.lastStep else { return false }
          if !(kernel?.threadExists(current.thread) ?? false) { return true }
          return step.thread == current.thread && step.depth <= current.depth
        }
        if let last = machine?.state.trace.records.last { inv.print(last.description) }
        if done == 0 { inv.print("(idle: nothing to run)") }
        try reportWrites(inv)
        return .none
      },
      CommandSpec(
        "continue", category: Lab.steppingCategory, summary: "run until a breakpoint or until idle",
        help:
          "Inside a loop body a bare `continue` is the loop keyword; there, `until POINT` or `settle` step the world."
      ) { [unowned self] inv in
        _ = try requireWorld(inv)
        checkpoint()
        var hit: TraceRecord?
        _ = try run(inv, printAll: false) { [unowned self] event in
          hit = event.records.first { r in breakpoints.contains { matches(r, $0) } }
          return hit != nil
        }
        if let hit { inv.print("Breakpoint \(breakpoints.first { matches(hit, $0) }!): \(hit.description)") }
        try reportWrites(inv)
        return .none
      },
      CommandSpec(
        "until", category: Lab.steppingCategory,
        summary: "run until a trace point (e.g. psci.cpu_on, acpi_processor_add)",
        arguments: [ArgumentSpec("POINT", kind: .string, summary: "a trace point, function or layer")]
      ) { [unowned self] inv in
        _ = try requireWorld(inv)
        checkpoint()
        let point = inv.string("POINT")!
        var hit: TraceRecord?
        _ = try run(inv, printAll: false) { [unowned self] event in
          hit = event.records.first { matches($0, point) }
          return hit != nil
        }
        if let hit { inv.print(hit.description) } else { inv.print("(idle: \(point) did not happen)") }
        try reportWrites(inv)
        return .none
      },
      CommandSpec(
        "settle", category: Lab.steppingCategory,
        summary: "run until the world is idle (every queued thing has happened)",
        help: """
          Runs events until nothing is left to run (a vCPU spinning forever stops it after 60 s of
          virtual time). A queued sysfs write that failed makes `settle` fail with the write's error,
          as the shell reports a failed write.
          """
      ) { [unowned self] inv in
        _ = try requireWorld(inv)
        checkpoint()
        _ = try run(inv, printAll: false) { _ in false }
        try reportWrites(inv)
        return .none
      },
      CommandSpec(
        "break", category: Lab.steppingCategory,
        summary: "stop `continue` at a trace point or kernel function",
        arguments: [
          ArgumentSpec(
            "POINT", kind: .string, required: false,
            summary: "e.g. acpi_processor_add, psci.cpu_on, aml.notify")
        ]
      ) { [unowned self] inv in
        guard let point = inv.string("POINT") else {
          if breakpoints.isEmpty { inv.print("no breakpoints") }
          for (i, b) in breakpoints.enumerated() { inv.print("\(i + 1)  \(b)") }
          return .none
        }
        if !breakpoints.contains(point) { breakpoints.append(point) }
        inv.print("Breakpoint \(breakpoints.count) at \(point)")
        return .none
      },
      CommandSpec(
        "delete", category: Lab.steppingCategory, summary: "remove a breakpoint (or all)",
        arguments: [
          ArgumentSpec("POINT", kind: .string, required: false, summary: "the trace point or its number")
        ]
      ) { [unowned self] inv in
        guard let point = inv.string("POINT") else {
          breakpoints.removeAll()
          return .none
        }
        if let n = Int(point), n >= 1, n <= breakpoints.count {
          breakpoints.remove(at: n - 1)
        } else if let i = breakpoints.firstIndex(of: point) {
          breakpoints.remove(at: i)
        } else {
          throw inv.error("no breakpoint \(point)", at: "POINT", kind: .argument)
        }
        return .none
      },
      CommandSpec(
        "trace", category: Lab.steppingCategory,
        summary: "show the trace, or print layers live (trace on|off [LAYER])",
        usage: "trace [on|off] [LAYER...] | trace [LAYER|POINT] [last=N]",
        arguments: [
          ArgumentSpec(
            "WHAT", kind: .string, required: false, variadic: true,
            summary: "on, off, a layer or a trace point"),
          ArgumentSpec("last", .keyed, kind: .int, required: false, summary: "only the last N records"),
        ]
      ) { [unowned self] inv in
        let m = try requireWorld(inv)
        let words = inv.rest.map(\.value.display)
        if let first = words.first, first == "on" || first == "off" {
          let layers = words.dropFirst().isEmpty ? ["all"] : Array(words.dropFirst())
          if first == "on" {
            liveTrace.formUnion(layers)
          } else if layers == ["all"] {
            liveTrace.removeAll()
          } else {
            liveTrace.subtract(layers)
          }
          return .none
        }
        let all = m.state.trace.records
        let keep = Swift.max(inv.int("last") ?? Int.max, 0)
        if words.isEmpty {
          for r in all.suffix(keep) { inv.print(r.description) }
        } else {
          for r in all.filter({ r in words.contains { matches(r, $0) } }).suffix(keep) {
            inv.print(r.description)
          }
        }
        return .none
      },
      CommandSpec(
        "snapshot", category: Lab.steppingCategory,
        summary: "save, restore or list named snapshots of the whole world",
        subcommands: [
          CommandSpec(
            "save", category: Lab.steppingCategory, summary: "save the world as NAME",
            arguments: [ArgumentSpec("NAME", kind: .string, summary: "the snapshot's name")]
          ) { [unowned self] inv in
            _ = try requireWorld(inv)
            snapshots[inv.string("NAME")!] = snapshot()
            return .none
          },
          CommandSpec(
            "restore", category: Lab.steppingCategory, summary: "go back to snapshot NAME",
            arguments: [ArgumentSpec("NAME", kind: .string, summary: "the snapshot's name")]
          ) { [unowned self] inv in
            _ = try requireWorld(inv)
            guard let s = snapshots[inv.string("NAME")!] else {
              throw inv.error(
                "no snapshot named '\(inv.string("NAME")!)'", at: "NAME",
                hint: snapshots.isEmpty
                  ? "save one with `snapshot save NAME`"
                  : "snapshots: \(snapshots.keys.sorted().joined(separator: ", "))",
                kind: .argument)
            }
            checkpoint()
            restore(s)
            return .none
          },
          CommandSpec("list", category: Lab.steppingCategory, summary: "the saved snapshots") {
            [unowned self] inv in
            for name in snapshots.keys.sorted() {
              inv.print("\(name)  at \(KernelLog.timestamp(snapshots[name]!.machine.state.clock))")
            }
            return .none
          },
        ]),
      CommandSpec(
        "undo", category: Lab.steppingCategory, summary: "undo the last command that changed the world"
      ) { [unowned self] inv in
        _ = try requireWorld(inv)
        guard let s = undoStack.popLast() else { throw inv.error("nothing to undo") }
        restore(s)
        return .none
      },
    ]
  }
}

extension MachineSnapshot {
  var state: MachineState { stateValue }
}
