import CPUMask
import Foundation
import GuestKernel
import Lab
import LabScript
import VirtMachine

/// A check that failed: where, and what.
struct SoakFailure: Error, CustomStringConvertible {
  /// The index of the operation that failed.
  var op: Int
  /// For a check after an event of a stepping command: how many events into it.
  var event: Int?
  /// What kind of check failed, without CPU numbers: shrinking keeps a failure of the same kind.
  var kind: String
  var message: String
  /// How the reproducer writes the failing operation.
  var render: Render = .asRun
  /// A LabScript statement that fails while the failure is there (an `expect`), when one exists.
  var expectation: String?
  /// Commands that show the state involved.
  var show: [String] = []

  enum Render {
    /// As it ran (wrapped in `expect error` if it failed).
    case asRun
    /// As a bare command: the script stops at the error it gives.
    case bare
    /// Inside `expect error "TEXT" { ... }`: the script stops because it does not fail so.
    case expectError(String)
    /// `step N`: up to the event after which the check failed.
    case steps(Int)
  }
  var description: String { "operation \(op + 1)\(event.map { ", event \($0)" } ?? ""): \(message)" }
}

/// What the reference knows, plus what it does not: the slots that had guest work in flight when
/// another operation came (their settled state depends on the interleaving, so the soak takes the
/// lab's after checking every invariant), and the errors of writes still to be reported.
struct SoakWorld {
  var ref = SoakReference()
  /// Slots with guest work queued since the last settle.
  var pending: Set<Int> = []
  /// Slots whose outcome raced with another operation.
  var uncertain: Set<Int> = []
  var uncertainIDs: Set<String> = []
  /// Device ids that pending guest work involves.
  var pendingIDs: Set<String> = []
  /// A `firmware eject clear-present` was in force at some point: enabled CPUs may be stale.
  var clearPresentUsed = false
}

/// Runs soak operations on a fresh lab through its LabScript commands, keeping the reference in
/// step and checking the invariants after every world event.
final class SoakExecution {
  let output = BufferedOutput()
  let session: Session
  let lab: Lab
  var world = SoakWorld()
  var nextBoot = SoakReference.Kernel()
  var snapshots: [String: SoakWorld] = [:]
  var undoStack: [SoakWorld] = []
  /// Each operation run, with the error it gave (for the reproducer).
  var records: [(op: SoakOp, error: String?)] = []
  var eventsInCommand = 0
  var totalEvents = 0
  var eventFailure: String?
  /// The kernel state sysfs was last checked against.
  var checkedKey: (masks: CPUMasks, uevents: Int, nrCPUIDs: Int)?

  static let writeErrors = [
    SoakReference.EPERM, SoakReference.EINVAL, SoakReference.EBUSY, "No such device", "Input/output error",
  ]

  init() {
    (session, lab) = LabModules.makeLabSession(output: output)
    session.interruptCheck = { [unowned self] in
      eventsInCommand += 1
      totalEvents += 1
      eventFailure = invariants()
      return eventFailure != nil
    }
  }

  /// Runs a command; returns its error message, if any.
  func run(_ command: String) -> String? {
    output.clear()
    do {
      try session.run(command, name: "soak.hpl")
      return nil
    } catch {
      return error.message
    }
  }

  func fail(
    _ index: Int, _ kind: String, _ message: String, render: SoakFailure.Render = .asRun,
    expect: String? = nil,
    show: [String] = [], event: Int? = nil
  ) -> SoakFailure {
    SoakFailure(
      op: index, event: event, kind: kind, message: message, render: render, expectation: expect, show: show)
  }

  // MARK: One operation

  func perform(_ op: SoakOp, index: Int) throws(SoakFailure) {
    let busy = !lab.isIdle
    let before = world
    // While guest work is in flight, an operation on a slot it involves may see the slot before
    // or after that work (e.g. `device_add` of an id whose `device_del` is not yet done).
    let unsure = busy ? world.uncertain.union(world.pending) : world.uncertain
    let unsureIDs = busy ? world.uncertainIDs.union(world.pendingIDs) : world.uncertainIDs
    var ref = world.ref
    var expected: SoakError?  // nil: success
    var accept: [String] = []  // other outcomes a race allows ("" = success)
    var touched: Set<Int> = []
    var ids: Set<String> = []
    var changesWorld = false
    var checkpoints = false
    var after: (() -> Void)?

    switch op {
    case .machine(let m, _):
      after = { [unowned self] in
        world = SoakWorld(ref: SoakReference(m))
        snapshots = [:]
        undoStack = []
        checkedKey = nil
      }
    case .badMachine(_, let error):
      expected = SoakError(error)
    case .kernel(let change):
      if lab.kernel != nil || ref.booted {
        expected = "the guest is already booted"
      } else if case .patch(let n, _) = change, !(1...20).contains(n) {
        expected = "there is no patch \(n)"
      } else {
        switch change {
        case .udev(let on): nextBoot.udev = on
        case .maxcpus(let n): nextBoot.maxcpus = n
        case .nrCPUs(let n): nextBoot.nrCPUs = n
        case .x86(let on): nextBoot.x86 = on
        case .patch(20, let on): nextBoot.fix20 = on
        case .patch(let n, let on): if on { nextBoot.off.remove(n) } else { nextBoot.off.insert(n) }
        }
      }
    case .boot:
      if ref.booted {
        expected = "the guest is already booted"
      } else {
        ref.boot(nextBoot)
        touched = Set(ref.slots.indices)
        changesWorld = true
      }
    case .firmware(let text):
      let words = text.split(separator: " ").map(String.init)
      if words[0] == "cpu_on", let cpu = Int(words[1]), cpu >= ref.slots.count {
        expected = "CPU \(cpu) is not a possible CPU"
      } else if words[0] == "eject" {
        ref.ejectFault = words[1]
        world.clearPresentUsed = world.clearPresentUsed || words[1] == "clear-present"
        touched = world.pending
        checkpoints = true
        changesWorld = true
      } else {
        let cpu = Int(words[1])!
        ref.cpuOnFault[cpu] = words[2] == "normal" ? nil : words[2]
        touched = [cpu]
        checkpoints = true
        changesWorld = true
      }
    case .deviceAdd(let text):
      var driver: String?
      var props: [(String, String)] = []
      for (i, word) in text.split(separator: ",").enumerated() {
        if let eq = word.firstIndex(of: "=") {
          let (key, value) = (String(word[..<eq]), String(word[word.index(after: eq)...]))
          if key == "driver" { driver = value } else { props.append((key, value)) }
        } else if i == 0 {
          driver = String(word)
        }
      }
      let id = props.last { $0.0 == "id" }?.1
      ids = id.map { [$0] } ?? []
      let slot = slotOf(props)
      let racing = slot.map(unsure.contains) == true || id.map(unsureIDs.contains) == true
      switch ref.deviceAddSlot(driver, props) {
      case .success(let s):
        ref.plug(s, id: id)
        if racing { accept = [" exist", "Duplicate device ID"] }
      case .failure(let e):
        expected = e
        // QEMU checks the id before the CPU type, the ids and the slot (qdev_set_id() runs
        // before the machine's pre_plug): a racing id or slot may turn any later error around.
        if racing { accept = [" exist", "Duplicate device ID"] }
        if racing && (e.text.hasSuffix(" exist") || e.text.hasPrefix("Duplicate")) { accept.append("") }
      }
      touched = slot.map { [$0] } ?? []
      changesWorld = true
      checkpoints = true
    case .deviceDel(let name):
      let id = name.hasPrefix("/machine/peripheral/") ? String(name.dropFirst(20)) : name
      ids = [id]
      switch ref.deviceDelSlot(name) {
      case .success(let s):
        ref.requestEject(s)
        touched = [s]
        if unsure.contains(s) || unsureIDs.contains(id) { accept = ["not found"] }
      case .failure(let e):
        expected = e
        if unsureIDs.contains(id) { accept = [""] }
      }
      changesWorld = true
      checkpoints = true
    case .write(let text, let path):
      let prefix = "/sys/devices/system/cpu/cpu"
      if path.hasPrefix(prefix), let cpu = Int(path.dropFirst(prefix.count).dropLast(7)) {
        if ref.booted && cpu < ref.nrCPUIDs && ref.slots[cpu].registered {
          if let error = ref.onlineStore(cpu, text) { ref.failedWrites.append((cpu, error)) }
          if unsure.contains(cpu) { accept = [SoakReference.ENOENT] }
        } else {
          expected = SoakError("\(path): \(SoakReference.ENOENT)")
          if unsure.contains(cpu) { accept = [""] }
        }
        touched = cpu < ref.slots.count ? [cpu] : []
        changesWorld = true
        checkpoints = true
      } else {
        // The cpu directory's own files: read-only, and `enabled` only with patch 19; no sysfs
        // before the boot.
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        let exists = ref.booted && (name != "enabled" || ref.kernel.on(19))
        expected = SoakError("\(path): \(exists ? "Permission denied" : SoakReference.ENOENT)")
      }
    case .settle, .step:
      checkpoints = true
    case .save(let name):
      after = { [unowned self] in snapshots[name] = world }
    case .restore(let name):
      if let saved = snapshots[name] {
        checkpoints = true
        after = { [unowned self] in
          world = saved
          checkedKey = nil
        }
      } else {
        expected = "no snapshot named '\(name)'"
      }
    case .undo:
      if let last = undoStack.last {
        after = { [unowned self] in
          undoStack.removeLast()
          world = last
          checkedKey = nil
        }
      } else {
        expected = "nothing to undo"
      }
    }

    // Every slot the reference's operation changed: a GED scan handles the other slots' pending
    // events too, and a Device Check rescans the whole processor container.
    if ref.slots.count == world.ref.slots.count {
      for s in ref.slots.indices where ref.slots[s] != world.ref.slots[s] { touched.insert(s) }
    }

    eventsInCommand = 0
    eventFailure = nil
    let error = run(op.command)
    records.append((op, error))
    if let eventFailure {
      throw fail(
        index, "invariant: " + eventFailure.kindOfInvariant, eventFailure, render: .steps(eventsInCommand),
        expect: eventFailure.invariantExpectation, show: ["masks", "cpus"], event: eventsInCommand)
    }
    if op.steps {
      try checkReportedWrites(error, index: index, settle: op == .settle)
    } else {
      let matches = (expected == nil) == (error == nil) && (error == nil || error!.contains(expected!.text))
      let raced = accept.contains { $0.isEmpty ? error == nil : error?.contains($0) == true }
      guard matches || raced else {
        let want = expected.map { "an error containing \"\($0)\"" } ?? "success"
        throw fail(
          index, "outcome: " + String(op.command.prefix { $0 != " " }),
          "`\(op.command)`: expected \(want), got \(error.map { "\"\($0)\"" } ?? "success")",
          render: expected.map { .expectError($0.text) } ?? .bare)
      }
      if !matches {
        // The race went the other way: these slots are taken from the lab at the next settle.
        world.uncertain.formUnion(touched)
        world.uncertainIDs.formUnion(ids)
      }
    }
    if error == nil || op.steps {
      if checkpoints {
        undoStack.append(before)
        if undoStack.count > Lab.undoDepth { undoStack.removeFirst() }
      }
      if changesWorld {
        world.ref = ref
        if busy {
          world.uncertain.formUnion(world.pending.union(touched))
          world.uncertainIDs.formUnion(ids)
        }
        world.pending.formUnion(touched)
        world.pendingIDs.formUnion(ids)
        for s in touched { if let id = before.ref.slots[s].id { world.pendingIDs.insert(id) } }
      }
      after?()
    }
    for s in world.uncertain { if let id = world.ref.slots[s].id { world.uncertainIDs.insert(id) } }

    if !op.steps, let broken = invariants() {
      throw fail(
        index, "invariant: " + broken.kindOfInvariant, broken, expect: broken.invariantExpectation,
        show: ["masks", "cpus"])
    }
    if op == .settle { try compareSettled(index: index) }
  }

  /// The slot `device_add` properties name (ignoring every other check).
  func slotOf(_ props: [(String, String)]) -> Int? {
    let m = world.ref.machine
    var v: [String: Int] = [:]
    for (key, value) in props { v[key] = Int(value) }
    let s =
      ((v["socket-id"] ?? 0) * m.clusters + (v["cluster-id"] ?? 0)) * m.cores * m.threads
      + (v["core-id"] ?? 0)
      * m.threads + (v["thread-id"] ?? 0)
    return (0..<m.maxcpus).contains(s) ? s : nil
  }

  /// The failed writes a `step` or `settle` reported, against the ones the reference expects.
  func checkReportedWrites(_ error: String?, index: Int, settle: Bool) throws(SoakFailure) {
    var reported: [(cpu: Int, message: String)] = []
    for line in (error ?? "").split(separator: "\n") {
      let text = String(line)
      guard text.hasPrefix("write error: /sys/devices/system/cpu/cpu") else {
        throw fail(index, "stepping error", "`\(records.last!.op.command)` failed: \(text)", render: .bare)
      }
      let rest = text.dropFirst("write error: /sys/devices/system/cpu/cpu".count)
      let cpu = Int(rest.prefix { $0.isNumber })!
      reported.append((cpu, String(rest.drop { $0 != ":" }.dropFirst(2))))
    }
    for (cpu, message) in reported {
      if let i = world.ref.failedWrites.firstIndex(where: { $0.cpu == cpu && $0.message == message }) {
        world.ref.failedWrites.remove(at: i)
      } else if message == "No such device" && world.pending.union(world.uncertain).contains(cpu) {
        // The device went (an eject) while the write waited for device_hotplug_lock.
        if let i = world.ref.failedWrites.firstIndex(where: { $0.cpu == cpu }) {
          world.ref.failedWrites.remove(at: i)
        }
      } else if !(world.uncertain.contains(cpu) && SoakExecution.writeErrors.contains(message)) {
        throw fail(
          index, "write result",
          "the write to cpu\(cpu)/online failed with \"\(message)\"; the reference expects \(world.ref.failedWrites.filter { $0.cpu == cpu }.map(\.message).first.map { "\"\($0)\"" } ?? "success")",
          render: .bare, show: ["dmesg -n 8"])
      }
    }
    guard settle else { return }
    if let missing = world.ref.failedWrites.first(where: { !world.uncertain.contains($0.cpu) }) {
      throw fail(
        index, "write result",
        "a write to cpu\(missing.cpu)/online should have failed with \"\(missing.message)\" but succeeded",
        render: .expectError(
          "write error: /sys/devices/system/cpu/cpu\(missing.cpu)/online: \(missing.message)"),
        show: ["dmesg -n 8"])
    }
    world.ref.failedWrites = []
  }
}

extension String {
  /// An invariant message without its CPU numbers.
  var kindOfInvariant: String {
    String(prefix { $0 != ":" }.filter { !$0.isNumber })
  }

  /// A LabScript `expect` for an invariant message, where the language can state it.
  var invariantExpectation: String? {
    let names = ["active", "online", "enabled", "present", "possible"]
    for (inner, outer) in zip(names, names.dropFirst()) where hasPrefix("\(inner) ⊄ \(outer)") {
      return "expect subset(mask(\"\(inner)\"), mask(\"\(outer)\"))"
    }
    if hasPrefix("online CPU in an empty slot: cpu "), let cpu = Int(dropFirst(33)) {
      return "expect sta(\(cpu)) == 15"
    }
    return nil
  }

  var escapedForLabScript: String {
    replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(
        of: "$", with: "\\$")
  }
}
