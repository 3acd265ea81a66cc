/// A workload for scale-up experiments: `chunks` calls of one A64 function, handed to the online
/// CPUs as they become free, each with `smp_call_function_single()` (kernel/smp.c): the call is
/// written into the CPU's boot block and the IPI_CALL_FUNC IPI (SGI 1) makes the CPU run it
/// from its idle loop. CPU 0 runs the modelled kernel rather than A64 code, so it is the
/// housekeeping CPU and never gets a chunk — as CPU 0 in an `isolcpus`/`nohz_full` setup.
///
/// The dispatcher waits without a deadline while no CPU can take work, so a world whose only
/// online CPU is CPU 0 is idle (a `settle` returns) until a CPU is added and onlined.
public struct Workload: Hashable, Sendable {
  /// One chunk running on a CPU.
  public struct Call: Hashable, Sendable {
    public let chunk: Int
    /// The CPU's finished-call count when the call was sent.
    let doneBefore: UInt64
  }

  /// The function's address and the number of calls.
  public let entry: UInt64
  public let chunks: Int
  /// Virtual time the workload started and finished.
  public let started: UInt64
  public internal(set) var finished: UInt64?
  /// Chunks not handed out yet (the lowest first), including any whose CPU went away.
  public internal(set) var waiting: [Int]
  public internal(set) var running: [Int: Call] = [:]
  /// Chunks finished, per CPU.
  public internal(set) var done: [Int: Int] = [:]
  /// The sum of the function's results (x0), wrapping: a checksum of the work.
  public internal(set) var resultSum: UInt64 = 0
  /// The online CPUs (besides CPU 0) each time the set changed: (time, count).
  public internal(set) var workers: [(time: UInt64, count: Int)] = []

  init(entry: UInt64, chunks: Int, started: UInt64) {
    self.entry = entry
    self.chunks = chunks
    self.started = started
    waiting = Array(0..<chunks)
  }

  public var completed: Int { done.values.reduce(0, +) }

  /// Virtual nanoseconds from start to finish.
  public var duration: UInt64? { finished.map { $0 - started } }

  public static func == (a: Workload, b: Workload) -> Bool {
    a.entry == b.entry && a.chunks == b.chunks && a.started == b.started && a.finished == b.finished
      && a.waiting == b.waiting && a.running == b.running && a.done == b.done && a.resultSum == b.resultSum
      && a.workers.map(\.time) == b.workers.map(\.time) && a.workers.map(\.count) == b.workers.map(\.count)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(entry)
    hasher.combine(started)
    hasher.combine(completed)
  }
}

extension Kernel {
  /// Starts a workload of `chunks` calls of the function at `entry` (the lab wrote it into
  /// guest memory). False when one is still running.
  public mutating func startWorkload(entry: UInt64, chunks: Int, at time: UInt64) -> Bool {
    if let current = workload, current.finished == nil { return false }
    workload = Workload(entry: entry, chunks: chunks, started: time)
    spawn("workload", cpu: 0, Kernel.workloadDispatch, at: time)
    return true
  }

  /// The CPUs that can take a chunk now: active (fully up: CPUHP_ONLINE), not CPU 0, not busy.
  func freeWorkers(_ w: Workload) -> [Int] {
    masks.active.filter { $0 != 0 && cpus[$0].state == .online && w.running[$0] == nil }
  }

  /// Whether the dispatcher has something to do: a call finished or was lost, or a CPU is free
  /// while chunks wait.
  func workloadHasProgress(_ platform: any KernelPlatform) -> Bool {
    guard let w = workload else { return true }
    for (cpu, call) in w.running {
      if !masks.online.test(cpu) { return true }
      if (platform.read(cpus[cpu].bootBlock + BootBlock.callsDone, size: 8, cpu: 0) ?? 0) > call.doneBefore {
        return true
      }
    }
    return !w.waiting.isEmpty && !freeWorkers(w).isEmpty
  }

  /// The dispatcher: collect finished calls, hand chunks to free CPUs, wait for progress.
  static var workloadDispatch: KFunction {
    KFunction("workload_dispatch") { k, c in
      guard var w = k.workload else { return .returns(0) }
      for (cpu, call) in w.running.sorted(by: { $0.key < $1.key }) {
        let block = k.cpus[cpu].bootBlock
        if k.read(block + BootBlock.callsDone, size: 8, c) > call.doneBefore {
          w.done[cpu, default: 0] += 1
          w.resultSum &+= k.read(block + BootBlock.callResult, size: 8, c)
          w.running[cpu] = nil
        } else if !k.masks.online.test(cpu) {
          // The CPU went offline before it took the IPI: the chunk goes back in the queue.
          k.write(block + BootBlock.callFunction, size: 8, 0, c)
          w.waiting.insert(call.chunk, at: 0)
          w.running[cpu] = nil
        }
      }
      let workers = k.masks.online.weight - (k.masks.online.test(0) ? 1 : 0)
      if w.workers.last?.count != workers { w.workers.append((c.now, workers)) }
      for cpu in k.freeWorkers(w) {
        guard !w.waiting.isEmpty else { break }
        let chunk = w.waiting.removeFirst()
        let block = k.cpus[cpu].bootBlock
        let before = k.read(block + BootBlock.callsDone, size: 8, c)
        k.write(block + BootBlock.callArgument, size: 8, UInt64(chunk), c)
        k.write(block + BootBlock.callFunction, size: 8, w.entry, c)
        w.running[cpu] = Workload.Call(chunk: chunk, doneBefore: before)
        k.sendIPI(.callFunction, to: cpu, c)
      }
      if w.waiting.isEmpty && w.running.isEmpty {
        w.finished = c.now
        k.workload = w
        let us = (c.now - w.started) / 1000
        let ms = "\(us / 1000).\(String(us % 1000 + 1000).dropFirst())"
        c.platform.trace("kernel", "workload.done", cpu: 0, "\(w.chunks) chunks in \(ms) ms")
        return .returns(0)
      }
      k.workload = w
      return .wait(.workloadProgress, timeout: nil) { k, c, _ in .tailCall(Kernel.workloadDispatch) }
    }
  }
}
