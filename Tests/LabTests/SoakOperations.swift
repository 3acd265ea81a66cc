import A64
import CPUMask

/// One operation of the soak, as the LabScript command a person would type.
enum SoakOp: Equatable, Sendable {
  case machine(SoakReference.Machine, madtRevision: Int)
  /// A `machine` whose `-smp` QEMU refuses, and a piece of the error it must give.
  case badMachine(smp: String, error: String)
  case kernel(KernelChange)
  case boot
  case firmware(String)
  case deviceAdd(String)
  case deviceDel(String)
  case write(String, path: String)
  case settle
  case step(Int)
  case save(String)
  case restore(String)
  case undo

  enum KernelChange: Equatable, Sendable {
    case udev(Bool), maxcpus(Int), nrCPUs(Int), patch(Int, Bool), x86(Bool)
  }

  var command: String {
    switch self {
    case .machine(let m, let madt):
      var smp = "cpus=\(m.cpus),maxcpus=\(m.maxcpus)"
      if m.sockets > 1 || m.clusters > 1 || m.threads > 1 {
        smp += ",sockets=\(m.sockets),clusters=\(m.clusters),cores=\(m.cores),threads=\(m.threads)"
      }
      var options = ""
      if madt != 6 { options += " madt-revision=\(madt)" }
      if m.coldOnlineCapable { options += " cold-flags=online-capable" }
      if m.perGICC { options += " redistributors=per-gicc" }
      if m.rfcV5Scan { options += " scan=rfc-v5" }
      return "machine virt -smp \(smp)\(options)"
    case .badMachine(let smp, _): return "machine virt -smp \(smp)"
    case .kernel(.udev(let on)): return "kernel config udev=\(on ? "on" : "off")"
    case .kernel(.maxcpus(let n)): return "kernel config maxcpus=\(n)"
    case .kernel(.nrCPUs(let n)): return "kernel config NR_CPUS=\(n)"
    case .kernel(.patch(let n, let on)): return "kernel patch \(n) \(on ? "on" : "off")"
    case .kernel(.x86(let on)): return "kernel mode \(on ? "x86-physical" : "arm64")"
    case .boot: return "boot"
    case .firmware(let text): return "firmware \(text)"
    case .deviceAdd(let text): return "device_add \(text)"
    case .deviceDel(let name): return "device_del \"\(name)\""
    case .write(let text, let path): return "echo '\(text)' > \(path)"
    case .settle: return "settle"
    case .step(let n): return "step \(n)"
    case .save(let name): return "snapshot save \(name)"
    case .restore(let name): return "snapshot restore \(name)"
    case .undo: return "undo"
    }
  }

  /// Whether the op runs the world (its events are checked one by one).
  var steps: Bool {
    switch self {
    case .settle, .step: true
    default: false
    }
  }
}

/// SplitMix64: a small seeded generator, the same sequence on every machine.
struct SoakRandom {
  var generator: SplitMix64
  init(seed: UInt64) { generator = SplitMix64(seed: seed) }
  mutating func next() -> UInt64 { generator.next() }
  /// A number in `range`.
  mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
  }
  /// True with probability `p`.
  mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) < p * 1_000_000 }
  mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
}

/// Chooses the operations: a random machine and kernel configuration, the boot, then a mix of
/// valid and invalid operations picked with the reference's idea of the current state, so most
/// of them do something.
struct SoakGenerator {
  var random: SoakRandom

  /// The operations up to and including the boot.
  mutating func prelude() -> [SoakOp] {
    var ops: [SoakOp] = []
    if random.chance(0.05) {
      let (smp, error) = random.pick([
        ("2,cores=3", "product of the hierarchy must match maxcpus"),
        ("3,maxcpus=4,cores=3", "!= maxcpus (4)"),
        ("cpus=0", "CPU topology parameters must be greater than zero"),
        ("4,maxcpus=2", "maxcpus must be equal to or greater than smp"),
        ("1,maxcpus=513", "The max CPUs supported by machine"),
        ("2,dies=2", "dies > 1 not supported by this machine's CPU topology"),
      ])
      ops.append(.badMachine(smp: smp, error: error))
    }
    var m = SoakReference.Machine()
    m.cpus = random.int(1...4)
    let large = random.chance(0.1) ? random.int(17...160) : random.int(m.cpus...16)
    m.maxcpus = Swift.max(large, m.cpus)
    if random.chance(0.3) {
      m.threads = random.pick([1, 2])
      m.clusters = random.pick([1, 1, 2])
      m.sockets = random.pick([1, 1, 2])
      m.cores = random.int(1...4)
      m.maxcpus = m.sockets * m.clusters * m.cores * m.threads
      m.cpus = Swift.min(m.cpus, m.maxcpus)
    }
    m.cores = m.maxcpus / (m.sockets * m.clusters * m.threads)
    m.coldOnlineCapable = random.chance(0.25)
    m.perGICC = random.chance(0.12)
    m.rfcV5Scan = random.chance(0.3)
    ops.append(.machine(m, madtRevision: random.chance(0.7) ? 6 : random.pick([4, 5])))
    if random.chance(0.35) { ops.append(.kernel(.udev(true))) }
    if random.chance(0.12) { ops.append(.kernel(.maxcpus(random.int(1...4)))) }
    if random.chance(0.08) { ops.append(.kernel(.nrCPUs(random.int(2...m.maxcpus + 2)))) }
    if random.chance(0.08) { ops.append(.kernel(.x86(true))) }
    for (patch, p) in [(2, 0.05), (15, 0.08), (19, 0.08), (14, 0.06), (8, 0.04), (16, 0.06), (10, 0.08)] {
      if random.chance(p) { ops.append(.kernel(.patch(patch, false))) }
    }
    if random.chance(0.2) { ops.append(.kernel(.patch(20, true))) }
    if random.chance(0.08) {
      ops.append(.kernel(.patch(random.pick([1, 3, 4, 5, 6, 7, 9, 11, 12, 18]), false)))
    }
    if random.chance(0.03) { ops.append(.kernel(.patch(21, true))) }
    if random.chance(0.1) { ops.append(firmwareFault(m.maxcpus)) }
    if random.chance(0.1) { ops.append(.save("cold")) }
    if random.chance(0.12) {
      let slot = random.int(0...m.maxcpus - 1)
      ops.append(.deviceAdd(addText(slot, m, id: "cpu\(slot)")))
      if random.chance(0.3) { ops.append(.deviceDel("cpu\(slot)")) }
    }
    ops.append(.boot)
    ops.append(random.chance(0.85) ? .settle : .step(random.int(1...400)))
    return ops
  }

  /// `device_add` arguments for a slot of the topology.
  mutating func addText(_ slot: Int, _ m: SoakReference.Machine, id: String?) -> String {
    let thread = slot % m.threads
    let core = (slot / m.threads) % m.cores
    let cluster = (slot / (m.threads * m.cores)) % m.clusters
    let socket = slot / (m.threads * m.cores * m.clusters)
    var parts = [random.chance(0.1) ? "driver=host-arm-cpu" : "host-arm-cpu"]
    for (key, value, count) in [
      ("socket-id", socket, m.sockets), ("cluster-id", cluster, m.clusters), ("core-id", core, m.cores),
      ("thread-id", thread, m.threads),
    ] where value != 0 || (count > 1 && random.chance(0.5)) || (key == "core-id" && random.chance(0.7)) {
      parts.append("\(key)=\(value)")
    }
    if let id { parts.insert("id=\(id)", at: random.int(1...parts.count)) }
    return parts.joined(separator: ",")
  }

  mutating func firmwareFault(_ maxcpus: Int) -> SoakOp {
    if random.chance(0.4) {
      return .firmware("eject \(random.pick(["normal", "normal", "keep-enabled", "clear-present"]))")
    }
    let cpu = random.chance(0.05) ? maxcpus + random.int(0...3) : random.int(0...maxcpus - 1)
    return .firmware(
      "cpu_on \(cpu) \(random.pick(["normal", "normal", "denied", "invalid-parameters", "internal-failure"]))"
    )
  }

  /// One operation after the boot, chosen with the reference's state.
  mutating func next(_ ref: SoakReference) -> SoakOp {
    let m = ref.machine
    let empty = ref.slots.indices.filter { !ref.slots[$0].plugged }
    let hot = ref.slots.indices.filter { ref.slots[$0].plugged && !ref.slots[$0].cold }
    let registered = ref.slots.indices.filter { ref.slots[$0].registered }
    switch random.int(0...99) {
    case 0..<24:
      guard let slot = empty.isEmpty ? nil : random.pick(empty) else { return .settle }
      let id = random.chance(0.92) ? "cpu\(slot)" : (random.chance(0.5) ? "x\(random.int(0...3))" : nil)
      return .deviceAdd(addText(slot, m, id: id))
    case 24..<30:
      let slot = random.int(0...m.maxcpus - 1)
      switch random.int(0...7) {
      case 0: return .deviceAdd(addText(slot, m, id: "cpu\(slot)"))  // maybe occupied
      case 1: return .deviceAdd("host-arm-cpu,core-id=\(m.cores + random.int(0...2)),id=big")
      case 2: return .deviceAdd("host-arm-cpu,thread-id=\(random.pick([-1, m.threads])),id=t")
      case 3: return .deviceAdd("host-arm-cpu,core-id=1,foo=\(random.int(0...3))")
      case 4: return .deviceAdd(addText(slot, m, id: "cpu\(slot)").replacingHost("cortex-a57-arm-cpu"))
      case 5: return .deviceAdd(random.pick(["nonexistent-cpu,core-id=1", "core-id=1,id=nodriver", ""]))
      case 6: return .deviceAdd("host-arm-cpu,core-id=\(random.pick(["abc", "1x", "-"])),id=bad")
      default:
        let taken = ref.slots.compactMap(\.id)
        return .deviceAdd(addText(slot, m, id: taken.isEmpty ? "cpu\(slot)" : random.pick(taken)))
      }
    case 30..<42:
      guard let slot = hot.isEmpty ? nil : random.pick(hot), let id = ref.slots[slot].id else {
        return .deviceDel("cpu\(random.int(0...m.maxcpus - 1))")
      }
      return .deviceDel(random.chance(0.8) ? id : "/machine/peripheral/\(id)")
    case 42..<46:
      return .deviceDel(
        random.pick([
          "nosuch", "/machine/unattached/device[0]", "cpu0", "/machine/peripheral/nosuch",
          "cpu\(random.int(0...m.maxcpus))",
        ]))
    case 46..<64:
      let cpu =
        registered.isEmpty || random.chance(0.25) ? random.int(0...m.maxcpus + 1) : random.pick(registered)
      let value =
        random.chance(0.85)
        ? random.pick(["0", "1", "1", "0"])
        : random.pick(["on", "off", "y", "n", "Yes", "false", "T", "2", "x", "-1", "", "ox", " 1"])
      return .write(value, path: "/sys/devices/system/cpu/cpu\(cpu)/online")
    case 64..<66:
      return .write(
        "1", path: "/sys/devices/system/cpu/\(random.pick(["online", "possible", "enabled", "kernel_max"]))")
    case 66..<78: return .settle
    case 78..<83: return .step(random.int(1...120))
    case 83..<86: return .save(random.pick(["s1", "s2"]))
    case 86..<89: return .restore(random.pick(["s1", "s2", "cold", "none"]))
    case 89..<92: return .undo
    case 92..<97: return firmwareFault(m.maxcpus)
    case 97: return .kernel(.udev(random.chance(0.5)))
    case 98: return .kernel(.patch(random.int(1...21), random.chance(0.5)))
    default: return .boot
    }
  }
}

extension String {
  fileprivate func replacingHost(_ model: String) -> String {
    split(separator: ",").map {
      $0 == "host-arm-cpu" ? model : $0 == "driver=host-arm-cpu" ? "driver=\(model)" : String($0)
    }
    .joined(separator: ",")
  }
}
