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
  public mutating func stepNext(_ platform: any KernelPlatform) -> Bool {
    if panicked != nil { return false }
    // Waits end first: a satisfied condition or a passed deadline makes the thread runnable.
    endWaits(platform, timeouts: true)
    guard let next = runQueue.first, next.time <= platform.now else { return false }
    _ = runQueue.pop()
    runStep(thread: next.payload, platform)
    return true
  }

  /// Re-checks waits after the machine did something (a secondary came up, a CPU went OFF).
  public mutating func wakeWaiters(_ platform: any KernelPlatform) {
    endWaits(platform, timeouts: false)
  }

  /// Ends every wait whose condition holds (and, with `timeouts`, every wait past its deadline):
  /// the threads resume in the order of their ids, as if each waiter were checked in turn.
  ///
  /// Ending a wait changes no condition, so the conditions are checked first and the ends
  /// applied after. Threads sleeping on a mutex without a timeout are kept by mutex
  /// (`mutexWaiters`): while it is held none of them is looked at, so hundreds of sysfs writes
  /// queued on `device_hotplug_lock` cost one dictionary lookup per check, not one each.
  mutating func endWaits(_ platform: any KernelPlatform, timeouts: Bool) {
    var ended: [(id: Int, value: Int)] = []
    if !waitingThreads.isEmpty {
      for id in waitingThreads.sorted() {
        guard let slot = threads.index(forKey: id), let w = withThread(at: slot, { $0.waiting }) else {
          continue
        }
        if satisfied(w.condition, platform) {
          ended.append((id, 0))
        } else if timeouts, let deadline = w.deadline, deadline <= platform.now {
          ended.append((id, -Int(Errno.ETIMEDOUT.rawValue)))
        }
      }
      for end in ended { waitingThreads.remove(end.id) }
    }
    if !mutexWaiters.isEmpty {
      let general = ended.count
      for (name, ids) in mutexWaiters.entries where mutexOwners[name] == nil {
        mutexWaiters[name] = nil
        for id in ids {
          if let slot = threads.index(forKey: id), withThread(at: slot, { $0.waiting != nil }) {
            ended.append((id, 0))
          } else {
            mutexWaiters[name, default: []].append(id)  // not a waiting thread: left as it was
          }
        }
      }
      if ended.count > general { ended.sort { $0.id < $1.id } }
    }
    for end in ended {
      guard let slot = threads.index(forKey: end.id), let w = withThread(at: slot, { $0.waiting }) else {
        continue
      }
      withThread(at: slot) { t in
        t.waiting = nil
        t.pending = .resume(w.then, end.value)
      }
      runQueue.schedule(at: platform.now, end.id)
    }
  }

  func satisfied(_ condition: KWait, _ platform: any KernelPlatform) -> Bool {
    switch condition {
    case .cpuRunning(let cpu):
      // The CPU's entry code (the trampoline, or the kernel itself on the boot CPU: see
      // `bootCPUEntry`) writes a non-zero status into its boot block: 1 up, negative failed.
      return (platform.read(cpus[cpu].bootBlock + BootBlock.status, size: 8, cpu: 0) ?? 0) != 0
    case .workloadProgress:
      return workloadHasProgress(platform)
    case .mutexFree(let name):
      return mutexOwners[name] == nil
    }
  }

  /// Runs one step of a thread: enter a function or resume a continuation, then follow returns
  /// until the thread calls, sleeps, waits or ends.
  ///
  /// The thread is read and changed in place, through its slot in `threads` (`withThread`):
  /// `threads[id]` or `threads.values[slot]` as a value copies the whole `KThread`, and a copy
  /// written back shares its frame array with the dictionary's, so the next push would copy the
  /// call stack. A slot is valid until the dictionary changes, so it is found again after every
  /// kernel function body or continuation runs (they may spawn threads).
  mutating func runStep(thread id: Int, _ platform: any KernelPlatform) {
    guard let slot = threads.index(forKey: id) else { return }
    let started = withThread(at: slot) { t -> (pending: KPending, cpu: Int, depth: Int, name: String)? in
      guard let pending = t.pending else { return nil }
      t.pending = nil
      if case .enter(let function) = pending {
        t.frames.append(KFrame(function: function.name, continuation: nil))
      }
      return (pending, t.cpu, t.frames.count, t.name)
    }
    guard let started else { return }
    let cpu = started.cpu
    let context = KContext(platform: platform, thread: id, cpu: cpu)
    lastStep = (id, started.depth)
    var result: KResult
    switch started.pending {
    case .enter(let function):
      // "DETAIL [thread]" in one allocation: every step of every thread prints it.
      var text = ""
      text.reserveCapacity(function.detail.utf8.count + started.name.utf8.count + 3)
      if !function.detail.isEmpty {
        text += function.detail
        text += " "
      }
      text += "["
      text += started.name
      text += "]"
      platform.trace(function.subsystem, function.name, cpu: cpu, text)
      result = function.body(&self, context)
    case .resume(let continuation, let value):
      result = continuation(&self, context, value)
    }
    while let slot = threads.index(forKey: id) {
      if killedThread == id {
        // An Oops killed the thread in this step: it never returns (see `externalAbort`).
        killedThread = nil
        threads.remove(at: slot)
        return
      }
      switch result {
      case .returns(let value):
        // Pop the frame; the caller's continuation (if any) receives the value.
        let (function, continuation) = withThread(at: slot) { t -> (String, KContinuation?) in
          let finished = t.frames.removeLast()
          guard !t.frames.isEmpty else { return (finished.function, nil) }
          let continuation = t.frames[t.frames.count - 1].continuation!
          t.frames[t.frames.count - 1].continuation = nil
          return (finished.function, continuation)
        }
        if value < 0 {
          platform.trace(
            KFunction.subsystem(of: function), function + ".return", cpu: cpu,
            "\(function)() = \(Kernel.errnoName(value))")
        }
        guard let continuation else {
          // The outermost function returned: the thread ends.
          let ended = threads.remove(at: slot).value
          finish(ended, value, platform)
          return
        }
        result = continuation(&self, context, value)
      case .call(let function, let then):
        withThread(at: slot) { t in
          t.frames[t.frames.count - 1].continuation = then
          t.pending = .enter(function)
        }
        runQueue.schedule(at: platform.now + Kernel.stepCost, id)
        return
      case .sleep(let nanoseconds, let then):
        withThread(at: slot) { $0.pending = .resume(then, 0) }
        runQueue.schedule(at: platform.now + Swift.max(nanoseconds, 1), id)
        return
      case .wait(let condition, let timeout, let then):
        if satisfied(condition, platform) {
          withThread(at: slot) { $0.pending = .resume(then, 0) }
          runQueue.schedule(at: platform.now + Kernel.stepCost, id)
        } else {
          let waiting = KWaiting(
            condition: condition, deadline: timeout.map { platform.now + $0 }, then: then)
          withThread(at: slot) { $0.waiting = waiting }
          if case .mutexFree(let name) = condition, timeout == nil {
            mutexWaiters[name, default: []].append(id)
          } else {
            waitingThreads.insert(id)
          }
        }
        return
      }
    }
  }

  /// Runs `body` on the thread at `slot` in place (see `runStep`).
  @discardableResult
  mutating func withThread<R>(at slot: Dictionary<Int, KThread>.Index, _ body: (inout KThread) -> R) -> R {
    body(&threads.values[slot])
  }

  /// A thread ended with `value`; a user write reports its result.
  mutating func finish(_ thread: KThread, _ value: Int, _ platform: any KernelPlatform) {
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
  /// has (see `elfHwcaps`), each as `,%04X`.
  var cpuModalias: String { ueventProperties.modalias[0].1 }

  /// `/devices/system/cpu/cpuN`, one shared string per CPU number.
  static func cpuDevpath(_ cpu: Int) -> String {
    cpu >= 0 && cpu < cpuDevpaths.count ? cpuDevpaths[cpu] : "/devices/system/cpu/cpu\(cpu)"
  }

  static let cpuDevpaths = (0..<CPUMask.maximumNRCPUs).map { "/devices/system/cpu/cpu\($0)" }

  /// kobject_uevent(): records the event user space receives.
  mutating func uevent(
    _ action: UEvent.Action, cpu: Int, properties: [(String, String)] = [], _ c: KContext
  ) {
    // dev_uevent(): DRIVER (when bound) first, then the bus's cpu_uevent() adds MODALIAS.
    let all: [(String, String)]
    if properties.isEmpty {
      all = ueventProperties.modalias
    } else if properties.count == 1 && properties[0] == ueventProperties.processorDriver[0] {
      all = ueventProperties.processorDriver
    } else {
      all = properties + ueventProperties.modalias
    }
    let devpath = Kernel.cpuDevpath(cpu)
    let event = UEvent(
      sequence: nextUEventSequence, time: c.now, action: action, devpath: devpath, subsystem: "cpu",
      properties: all)
    nextUEventSequence += 1
    uevents.append(event)
    c.platform.trace("kernel", "uevent", cpu: c.cpu, action.rawValue + " " + devpath)
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
