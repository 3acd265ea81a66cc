// LineEditor.swift's import of CLibEdit (whose module exports <stdio.h>) makes its `stdout`
// and `stderr` visible here too, so that import must be @preconcurrency here as well, or Swift
// 6.3 may resolve them through it and reject them as shared mutable state.
@preconcurrency import CLibEdit
import LabScript

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// Facts about the terminal, and the decision whether to use colour: only on a terminal, never
/// when NO_COLOR is set to a non-empty value (no-color.org) or TERM is `dumb`.
enum Terminal {
  static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  static func colorEnabled(fd: Int32) -> Bool {
    guard isTTY(fd) else { return false }
    if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
    if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
    return true
  }

  static func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
  }
}

/// Session output to the process's stdout and stderr. Stdout is flushed before anything goes to
/// stderr, so the two interleave as they were written.
final class StandardOutput: OutputSink {
  func write(_ text: String) {
    StandardOutput.put(text, stdout)
  }

  func writeError(_ text: String) {
    fflush(stdout)
    StandardOutput.put(text, stderr)
    fflush(stderr)
  }

  /// Writes every byte of `text`: fputs would stop at a NUL (`print "a\0b"` must print all three).
  private static func put(_ text: String, _ stream: UnsafeMutablePointer<FILE>) {
    var text = text
    text.withUTF8 { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, stream) }
  }

  func flush() {
    fflush(stdout)
  }
}

/// Ctrl-C: a SIGINT handler that only sets a flag, which the session polls in loops (so a
/// runaway `while` stops cleanly) and the REPL checks after a read.
enum Interrupts {
  nonisolated(unsafe) static var pending: sig_atomic_t = 0

  static func install() {
    var action = sigaction()
    #if canImport(Glibc)
      action.__sigaction_handler.sa_handler = { _ in Interrupts.pending = 1 }
    #else
      action.__sigaction_u.__sa_handler = { _ in Interrupts.pending = 1 }
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0  // no SA_RESTART: a read in progress returns EINTR
    sigaction(SIGINT, &action, nil)
  }

  /// Returns and clears the flag.
  static func take() -> Bool {
    let was = pending != 0
    pending = 0
    return was
  }
}
