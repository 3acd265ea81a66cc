import CPUMask

/// Running the kernel's threads one step per event (kernel/sched in miniature: no preemption,
/// a step runs to its end).
extension Kernel {
  /// Virtual time one kernel function step takes.
  public static let stepCost: UInt64 = 2_000

  /// Creates a thread that starts by calling `function`, runnable at `time`; returns its id.
  @discardableResult
  mutating func spawn(
    _ name: String, cpu: Int, purpose: KThread.Purpose = .kernel, _ function: KFunction, at time: UInt64
  ) -> Int {
    let id = nextThreadID
    nextThreadID += 1
    var thread = KThread(id: id, name: name, cpu: cpu, purpose: purpose)
    thread.pending = .enter(function)
    threads[id] = thread
    runQueue.schedule(at: time, id)
    return id
  }

  /// Whether a thread still exists.
  public func threadExists(_ id: Int) -> Bool { threads[id] != nil }

  /// The threads that exist, by id.
  public var threadList: [KThread] { threads.keys.sorted().map { threads[$0]! } }

  /// Runs the next kernel event due at or before `time`, if there is one: a thread step, or a
  /// wait that ended (condition met or timed out). Returns whether something ran.
  @discardableResult
  public mutating func stepNext(_ platform: KernelPlatform) -> Bool {
    if panicked != nil { return false }
    // Waits end first: a satisfied condition or a passed deadline makes the thread runnable.
    for id in waitingThreads.sorted() {
      guard let w = threads[id]?.waiting else { continue }
      if satisfied(w.condition, platform) {
        waitingThreads.remove(id)
        threads[id]!.waiting = nil
        threads[id]!.pending = .resume(w.then, 0)
        runQueue.schedule(at: platform.now, id)
      } else if let deadline = w.deadline, deadline <= platform.now {
        waitingThreads.remove(id)
        threads[id]!.waiting = nil
        threads[id]!.pending = .resume(w.then, -Int(Errno.ETIMEDOUT.rawValue))
        runQueue.schedule(at: platform.now, id)
      }
    }
    guard let next = runQueue.first, next.time <= platform.now else { return false }
    _ = runQueue.pop()
    runStep(thread: next.payload, platform)
    return true
  }

  /// Re-checks waits after the machine did something (a secondary came up, a CPU went OFF).
  public mutating func wakeWaiters(_ platform: KernelPlatform) {
    guard !waitingThreads.isEmpty else { return }
    for id in waitingThreads.sorted() {
      guard let w = threads[id]?.waiting, satisfied(w.condition, platform) else { continue }
      waitingThreads.remove(id)
      threads[id]!.waiting = nil
      threads[id]!.pending = .resume(w.then, 0)
      runQueue.schedule(at: platform.now, id)
    }
  }

  func satisfied(_ condition: KWait, _ platform: KernelPlatform) -> Bool {
    switch condition {
    case .cpuRunning(let cpu):
      // CPU 0 runs the modelled kernel: it is up as soon as PSCI has started it again.
      if platform.machine.kernelDrives(cpu) { return platform.machine.state.power[cpu] == .on }
      // The trampoline writes a non-zero status (1 = up, negative = failed) into its boot block.
      return platform.read(cpus[cpu].bootBlock + BootBlock.status, size: 8) != 0
    case .cpuPoweredOff(let cpu):
      return platform.machine.state.power[cpu] == .off
    case .workloadProgress:
      return workloadHasProgress(platform)
    case .mutexFree(let name):
      return mutexOwners[name] == nil
    }
  }

  /// Runs one step of a thread: enter a function or resume a continuation, then follow returns
  /// until the thread calls, sleeps, waits or ends.
  mutating func runStep(thread id: Int, _ platform: KernelPlatform) {
    guard var thread = threads[id], let pending = thread.pending else { return }
    thread.pending = nil
    let context = KContext(platform: platform, thread: id, cpu: thread.cpu)
    var result: KResult
    switch pending {
    case .enter(let function):
      thread.frames.append(KFrame(function: function.name, continuation: nil))
      threads[id] = thread
      lastStep = (id, thread.frames.count)
      platform.trace(
        function.subsystem, function.name, cpu: thread.cpu,
        (function.detail.isEmpty ? "" : function.detail + " ") + "[\(thread.name)]")
      result = function.body(&self, context)
    case .resume(let continuation, let value):
      threads[id] = thread
      lastStep = (id, thread.frames.count)
      result = continuation(&self, context, value)
    }
    while true {
      guard var current = threads[id] else { return }
      switch result {
      case .returns(let value):
        let finished = current.frames.removeLast()
        if value < 0 {
          platform.trace(
            KFunction.subsystem(of: finished.function), finished.function + ".return", cpu: current.cpu,
            "\(finished.function)() = \(Kernel.errnoName(value))")
        }
        guard let caller = current.frames.last else {
          threads[id] = nil
          finish(current, value, platform)
          return
        }
        let continuation = caller.continuation!
        current.frames[current.frames.count - 1].continuation = nil
        threads[id] = current
        result = continuation(&self, context, value)
      case .call(let function, let then):
        current.frames[current.frames.count - 1].continuation = then
        current.pending = .enter(function)
        threads[id] = current
        runQueue.schedule(at: platform.now + Kernel.stepCost, id)
        return
      case .sleep(let nanoseconds, let then):
        current.pending = .resume(then, 0)
        threads[id] = current
        runQueue.schedule(at: platform.now + Swift.max(nanoseconds, 1), id)
        return
      case .wait(let condition, let timeout, let then):
        if satisfied(condition, platform) {
          current.pending = .resume(then, 0)
          threads[id] = current
          runQueue.schedule(at: platform.now + Kernel.stepCost, id)
        } else {
          current.waiting = KWaiting(
            condition: condition, deadline: timeout.map { platform.now + $0 }, then: then)
          threads[id] = current
          waitingThreads.insert(id)
        }
        return
      }
    }
  }

  /// A thread ended with `value`; a user write reports its result.
  mutating func finish(_ thread: KThread, _ value: Int, _ platform: KernelPlatform) {
    if case .sysfsWrite(let path, let text) = thread.purpose {
      completedWrites.append((path, text, value))
      platform.trace(
        "kernel", "sysfs.write", cpu: thread.cpu,
        "\(path) <- \(text.trimmingCharacters(in: "\n")) = \(value < 0 ? Kernel.errnoName(value) : String(value))"
      )
    }
  }

  /// `-EPERM` for -1, `-517 (-EPROBE_DEFER)`... the kernel's spelling of a negative errno.
  public static func errnoName(_ value: Int) -> String {
    guard value < 0, let errno = Errno(rawValue: Int32(-value)) else { return String(value) }
    return errno.symbol
  }

  /// The call stacks of the threads that exist (what `bt` prints).
  public var backtraces: [(thread: String, cpu: Int, frames: [String], waiting: String?)] {
    threadList.map { t in
      (t.name, t.cpu, t.frames.map(\.function), t.waiting.map { "\($0.condition)" })
    }
  }

  // MARK: Logging

  /// `panic()`: the message, then nothing runs any more (the machine's vCPUs go on).
  mutating func panic(_ text: String, _ c: KContext) {
    printk(.emerg, "Kernel panic - not syncing: \(text)", c)
    panicked = text
    c.platform.trace("kernel", "panic", cpu: c.cpu, text)
  }

  /// printk at the current time.
  mutating func printk(_ level: KernelLog.Level, _ text: String, _ c: KContext) {
    log.printk(level, text, at: c.now)
    c.platform.trace("kernel", "printk", cpu: c.cpu, text)
  }

  /// `WARN(true, fmt, ...)` (`__warn_printk()` in kernel/panic.c): the "cut here" line, then the
  /// message as it is, without the caller's `pr_fmt` prefix. A real kernel goes on with a
  /// "WARNING: CPU: n PID: p at FILE:LINE FUNCTION+OFF/SIZE" line, the registers and a call
  /// trace; the lab leaves those out rather than invent line numbers and offsets.
  mutating func warn(_ text: String, _ c: KContext) {
    printk(.warning, "------------[ cut here ]------------", c)
    printk(.warning, text, c)
  }

  /// print_cpu_modalias(): `cpu:type:aarch64:feature:` and the number of every hwcap the CPU
  /// has (KERNEL_HWCAP_*: FP 0, ASIMD 1, EVTSTRM 2, AES 3, PMULL 4, SHA1 5, SHA2 6, CRC32 7,
  /// CPUID 11 — what a Cortex-A57 offers), each as `,%04X`.
  static let cpuModalias =
    "cpu:type:aarch64:feature:"
    + [0, 1, 2, 3, 4, 5, 6, 7, 11].map {
      "," + String(repeating: "0", count: 4 - String($0, radix: 16).count)
        + String($0, radix: 16, uppercase: true)
    }.joined()

  /// kobject_uevent(): records the event user space receives.
  mutating func uevent(
    _ action: UEvent.Action, cpu: Int, properties: [(String, String)] = [], _ c: KContext
  ) {
    // dev_uevent(): DRIVER (when bound) first, then the bus's cpu_uevent() adds MODALIAS.
    let event = UEvent(
      sequence: nextUEventSequence, time: c.now, action: action, devpath: "/devices/system/cpu/cpu\(cpu)",
      subsystem: "cpu", properties: properties + [("MODALIAS", Kernel.cpuModalias)])
    nextUEventSequence += 1
    uevents.append(event)
    c.platform.trace("kernel", "uevent", cpu: c.cpu, "\(action.rawValue) /devices/system/cpu/cpu\(cpu)")
    // The distribution's udev rule: SUBSYSTEM=="cpu", ACTION=="add", TEST=="online",
    // ATTR{online}=="0", ATTR{online}="1".
    if action == .add && config.udevAutoOnline && cpus[cpu].device?.hotpluggable == true
      && !masks.online.test(cpu)
    {
      spawn(
        "(udev-worker)", cpu: 0,
        purpose: .sysfsWrite(path: "/sys/devices/system/cpu/cpu\(cpu)/online", text: "1"),
        Kernel.onlineStore(cpu, text: "1"), at: c.now + 1_000_000)
    }
  }
}

extension String {
  func trimmingCharacters(in set: String) -> String {
    var s = Substring(self)
    while let l = s.last, set.contains(l) { s = s.dropLast() }
    while let f = s.first, set.contains(f) { s = s.dropFirst() }
    return String(s)
  }
}

/// The layout of a secondary CPU's boot block in guest memory (see secondary_entry.S).
public enum BootBlock {
  public static let stackTop: UInt64 = 0
  /// The address of the redistributor region table: (base, single_redist) pairs of 8-byte
  /// words, ended by a zero base.
  public static let rdistRegions: UInt64 = 8
  public static let status: UInt64 = 16
  public static let request: UInt64 = 24
  public static let redistributor: UInt64 = 32
  public static let interrupts: UInt64 = 40
  /// smp_call_function_single(): the function, its argument, its result, calls finished.
  public static let callFunction: UInt64 = 48
  public static let callArgument: UInt64 = 56
  public static let callResult: UInt64 = 64
  public static let callsDone: UInt64 = 72
  public static let logicalCPU: UInt64 = 80
  public static let size: UInt64 = 128
}
