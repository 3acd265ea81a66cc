import Testing

@testable import hplab

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The REPL's history file is replaced atomically after every line (libedit writes a temporary
/// file beside it, renamed over it): it always holds whole lines, no temporary file is left,
/// and a history directory that disappears costs the history, not the session.
@Suite(.serialized) struct HistoryFileTests {
  @Test func historyIsSavedWholeAndWithoutLeftovers() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    let path = directory + "/history"
    do {
      let editor = LineEditor(programName: "hplab-test", historyPath: path) { _ in nil }
      editor.remember("let a = 1")
      editor.remember("print a")
      #expect(TemporaryDirectory.contents(of: directory).keys.sorted() == ["history"])
      let saved = String(decoding: try TemporaryDirectory.read(path), as: UTF8.self)
      #expect(saved.contains("let"), "\(saved)")
      #expect(saved.contains("print"), "\(saved)")
      // The directory goes away: the next line is not saved, and nothing fails.
      TemporaryDirectory.remove(directory)
      editor.remember("print 2")
    }
    #expect(TemporaryDirectory.contents(of: directory).isEmpty)
  }
}
