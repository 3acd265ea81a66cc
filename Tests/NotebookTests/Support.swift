import Foundation
import LabScript
import Testing

@testable import Notebook

/// A fresh session with the notebook commands, as `hplab` makes one.
func labSession() -> (Session, NotebookCommands) {
  let session = Session(output: BufferedOutput())
  return (session, NotebookCommands.install(in: session))
}

/// Parses lesson text that must be well-formed.
func lesson(_ text: String, path: String = "test.md") throws -> Lesson {
  try LessonParser.parse(text, path: path)
}

/// The format error parsing `text` gives (nil if it parses).
func formatError(_ text: String, path: String = "bad.md") -> LessonError? {
  do {
    _ = try LessonParser.parse(text, path: path)
    return nil
  } catch {
    return error
  }
}

/// Runs and checks lesson text in a fresh session.
func check(_ text: String, path: String = "test.md") throws -> LessonCheck {
  let parsed = try lesson(text, path: path)
  return LessonCheck.check(parsed, runner: LessonRunner(session: labSession().0))
}

/// A temporary directory, removed when the test ends (call `cleanup`).
struct TemporaryDirectory {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("hplab-notebook-\(UUID().uuidString)")
      .path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  func write(_ name: String, _ text: String) throws -> String {
    let target = file(name)
    try FileManager.default.createDirectory(
      atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: target))
    return target
  }

  func read(_ name: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: file(name))), as: UTF8.self)
  }

  func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Text with the ANSI escape sequences removed.
func stripANSI(_ text: String) -> String {
  var out = ""
  var escaping = false
  for scalar in text.unicodeScalars {
    if escaping {
      if scalar == "m" { escaping = false }
      continue
    }
    if scalar == "\u{1B}" {
      escaping = true
      continue
    }
    out.unicodeScalars.append(scalar)
  }
  return out
}

/// A three-cell lesson used by several tests: prose, a passing cell, an expected error.
let sampleLesson = """
  # Sample

  Some *prose* before the first cell.

  ```hplab {id=first}
  let m = cpulist("0-3", 8)
  print m
  ```

  ```output
  0-3
  ```

  ## Errors

  ```hplab {error}
  mask parse 0-8 nbits=8
  ```

  ```output
  <cell 2>:1:12: error: bitmap_parselist("0-8") returned -ERANGE (-34): bit 8 does not fit in a mask of 8 bits
  mask parse 0-8 nbits=8
             ^
  ```

  The end.

  """
