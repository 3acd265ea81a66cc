/// The modelled kernel's execution: kernel functions written as steps, run by kernel threads
/// (the boot thread `swapper/0`, `kworker`s running hotplug work, `cpuhp/N`, IRQ threads, and a
/// user process writing a sysfs file), one step per world event.
///
/// A kernel function's body runs in one event and either returns a value (0, a count, or a
/// negative errno, as C functions do), calls another kernel function (whose body runs in the
/// next event, and whose return value is handed to the caller's continuation), sleeps, or waits
/// for a condition with a timeout. Frames keep the C names, so `bt` prints the real call stack.
/// Everything is a value (closures capture only constants), so copying the kernel is a snapshot.
public struct KFunction {
  /// The C function's name (`acpi_processor_add`).
  public let name: String
  /// Its arguments as the trace shows them (`\_SB.CPUS.C002`, `cpu=2`).
  public let detail: String
  let body: KBody

  public init(_ name: String, _ detail: String = "", _ body: @escaping KBody) {
    self.name = name
    self.detail = detail
    self.body = body
  }

  /// The layer the trace files the function under, from its kernel name.
  public var subsystem: String { KFunction.subsystem(of: name) }

  static func subsystem(of name: String) -> String {
    if name.hasPrefix("acpi_") || name.hasPrefix("acpi ") { return "acpi" }
    if name.hasPrefix("gic_") || name.hasPrefix("irq_") || name.hasPrefix("handle_") { return "gic" }
    if contains(name, "psci") { return "psci" }
    return "kernel"
  }

  /// Whether `text` contains `part`, compared byte for byte. Every kernel step asks (for its trace
  /// line), and the library's searches are slow here: `text.contains(part)` resolves to
  /// Foundation's (another file of this module imports it) and goes through NSString, and
  /// `utf8.firstRange(of:)` runs generic code.
  static func contains(_ text: String, _ part: StaticString) -> Bool {
    var text = text
    return text.withUTF8 { haystack in
      let needle = UnsafeBufferPointer(start: part.utf8Start, count: part.utf8CodeUnitCount)
      guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
      for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if (1..<needle.count).allSatisfy({ haystack[start + $0] == needle[$0] }) { return true }
      }
      return false
    }
  }
}

public typealias KBody = (inout Kernel, KContext) -> KResult
/// What a caller does with a callee's return value.
public typealias KContinuation = (inout Kernel, KContext, Int) -> KResult

/// What a kernel step runs with: the platform (machine and clock) and the thread it runs on.
public struct KContext {
  public let platform: any KernelPlatform
  public let thread: Int
  public let cpu: Int
  public var now: UInt64 { platform.now }
}

/// How a kernel step ends.
public enum KResult {
  /// Return to the caller (or end the thread) with this value.
  case returns(Int)
  /// Call a kernel function; `then` receives its return value.
  case call(KFunction, then: KContinuation)
  /// Let virtual time pass (udelay/msleep), then continue with 0.
  case sleep(nanoseconds: UInt64, then: KContinuation)
  /// Block until a condition holds (then continues with 0) or the timeout passes (-ETIMEDOUT).
  case wait(KWait, timeout: UInt64?, then: KContinuation)

  /// Call `f` and return what it returns.
  public static func tailCall(_ f: KFunction) -> KResult { .call(f) { _, _, r in .returns(r) } }
}

/// Something a kernel thread can wait for.
public enum KWait: Hashable, Sendable {
  /// `wait_for_completion_timeout(&cpu_running)`: the secondary's boot block says it is up.
  case cpuRunning(Int)
  /// The workload dispatcher: a call finished, or a CPU is free while chunks wait.
  case workloadProgress
  /// `mutex_lock()` sleeping until the named mutex is free.
  case mutexFree(String)
}

/// A wait in progress.
struct KWaiting {
  let condition: KWait
  let deadline: UInt64?
  let then: KContinuation
}

/// One frame of a kernel thread's call stack.
struct KFrame {
  let function: String
  var continuation: KContinuation?
}

/// What a thread does when it next runs.
enum KPending {
  case enter(KFunction)
  case resume(KContinuation, Int)
}

/// A kernel execution context.
public struct KThread {
  public let id: Int
  /// `swapper/0`, `kworker/u8:1`, `cpuhp/2`, `irq/9-ACPI:Ged`, `bash`.
  public let name: String
  /// The CPU it runs on.
  public let cpu: Int
  var frames: [KFrame] = []
  var pending: KPending?
  /// A wait in progress and its deadline.
  var waiting: KWaiting?
  /// What to do with the thread's final return value (a user write's errno, for example).
  public var purpose: Purpose

  public enum Purpose: Hashable, Sendable {
    case kernel
    /// A user process writing `text` to a sysfs file; its write returns the thread's result.
    case sysfsWrite(path: String, text: String)
  }

  /// The call stack, innermost last (C names).
  public var backtrace: [String] { frames.map(\.function) }
}
