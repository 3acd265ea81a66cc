#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs `body` to completion on a thread with a 64 MiB stack and returns its result. AML nests
/// (255 recursive calls, each a few Swift frames deep); threads of a test runner or an async
/// executor have small stacks, so evaluation always runs on its own thread, joined at once.
/// Already on such a thread (a `withLargeStack` scope), `body` runs in place: a world that
/// evaluates AML thousands of times per command spawns one thread per command, not per call.
func runOnLargeStack<T>(_ body: () -> T) -> T {
  if LargeStackThread.isCurrent { return body() }
  var result: T? = nil
  withoutActuallyEscaping(body) { escapable in
    withUnsafeMutablePointer(to: &result) { slot in
      let task = LargeStackTask { slot.pointee = escapable() }
      if !task.runOnNewThread() { task.work() }
    }
  }
  return result!
}

/// Marks the threads runOnLargeStack created (a pthread key: Swift has no thread-local vars).
enum LargeStackThread {
  static let key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
  }()

  static var isCurrent: Bool { pthread_getspecific(key) != nil }

  static func markCurrent() { pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1)) }
}

private final class LargeStackTask: @unchecked Sendable {
  let work: () -> Void
  init(_ work: @escaping () -> Void) { self.work = work }

  /// False when no thread could be created (the caller then runs the work itself).
  func runOnNewThread() -> Bool {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, 64 << 20)
    let unmanaged = Unmanaged.passRetained(self)
    #if canImport(Glibc)
      var thread = pthread_t()
      let created = pthread_create(&thread, &attributes, largeStackEntry, unmanaged.toOpaque())
      guard created == 0 else {
        unmanaged.release()
        return false
      }
      pthread_join(thread, nil)
    #else
      var thread: pthread_t? = nil
      let created = pthread_create(&thread, &attributes, largeStackEntry, unmanaged.toOpaque())
      guard created == 0, let thread else {
        unmanaged.release()
        return false
      }
      pthread_join(thread, nil)
    #endif
    return true
  }
}

#if canImport(Glibc)
  private func largeStackEntry(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let task = Unmanaged<LargeStackTask>.fromOpaque(raw!).takeRetainedValue()
    LargeStackThread.markCurrent()
    task.work()
    return nil
  }
#else
  private func largeStackEntry(_ raw: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    let task = Unmanaged<LargeStackTask>.fromOpaque(raw).takeRetainedValue()
    LargeStackThread.markCurrent()
    task.work()
    return nil
  }
#endif
