import Foundation
import Testing

@testable import HostFiles

/// The one host-file layer: every byte read, one size limit, errno's words, atomic writes.
@Suite struct HostFileTests {
  /// A fresh directory under /tmp, removed by `cleanup()`.
  struct Scratch {
    let path: String
    init() throws {
      path = NSTemporaryDirectory() + "hostfile-\(UUID().uuidString)"
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
  }

  @Test func readsEveryByteAndDecodesUTF8() throws {
    let scratch = try Scratch()
    defer { scratch.cleanup() }
    let bytes = Array(repeating: Array("ünïcode line\r\n".utf8), count: 10_000).flatMap { $0 }
    try Data(bytes).write(to: URL(fileURLWithPath: scratch.file("big.md")))
    #expect(try HostFile.readBytes(scratch.file("big.md")) == bytes)
    #expect(try HostFile.readText(scratch.file("big.md")).unicodeScalars.count == 140_000)
  }

  @Test func aMissingFileIsDescribedAsErrnoDescribesIt() {
    #expect(
      throws: HostFileError(
        .read, path: "/nonexistent-hplab", errno: ENOENT, reason: "No such file or directory")
    ) {
      try HostFile.readBytes("/nonexistent-hplab")
    }
    do {
      _ = try HostFile.readBytes("/nonexistent-hplab")
    } catch {
      #expect(error.message == "cannot read the file: No such file or directory")
      #expect(error.description == "/nonexistent-hplab: cannot read the file: No such file or directory")
    }
  }

  @Test func aDirectoryIsNotReadAsAFile() {
    do {
      _ = try HostFile.readBytes("/")
      Issue.record("read a directory")
    } catch {
      #expect(error.errno == EISDIR)
      #expect(error.detail == "Is a directory")
    }
  }

  @Test func anEndlessFileStopsAtTheLimit() {
    do {
      _ = try HostFile.readBytes("/dev/zero")
      Issue.record("read /dev/zero to the end")
    } catch {
      #expect(error.message == "cannot read the file: it is larger than 64 MiB")
    }
  }

  @Test func invalidUTF8NamesTheLineAndByte() throws {
    let scratch = try Scratch()
    defer { scratch.cleanup() }
    try Data([0x61, 0x0A, 0x62, 0x0A, 0x63, 0xFF, 0x0A]).write(
      to: URL(fileURLWithPath: scratch.file("bad.hpl")))
    do {
      _ = try HostFile.readText(scratch.file("bad.hpl"))
      Issue.record("decoded invalid UTF-8")
    } catch {
      #expect(error.line == 3)
      #expect(error.reason == "the file is not valid UTF-8 (byte 6)")
      #expect(error.detail == "line 3: the file is not valid UTF-8 (byte 6)")
      #expect(error.description == scratch.file("bad.hpl") + ":3: the file is not valid UTF-8 (byte 6)")
    }
  }

  @Test func writesReplaceAtomicallyAndKeepPermissions() throws {
    let scratch = try Scratch()
    defer { scratch.cleanup() }
    let path = scratch.file("tool.sh")
    try HostFile.writeAtomically(Array("old\n".utf8), to: path)
    chmod(path, 0o750)
    try HostFile.writeAtomically(Array("new\n".utf8), to: path)
    #expect(try HostFile.readText(path) == "new\n")
    let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    #expect(mode == 0o750)
    // No temporary file is left beside it.
    #expect(try HostFile.entries(of: scratch.path) == ["tool.sh"])
  }

  @Test func newFilesGetTheUsualPermissions() throws {
    let scratch = try Scratch()
    defer { scratch.cleanup() }
    let mask = umask(0o022)
    defer { umask(mask) }
    try HostFile.writeAtomically(Array("x\n".utf8), to: scratch.file("new.md"))
    let mode =
      try FileManager.default.attributesOfItem(atPath: scratch.file("new.md"))[.posixPermissions] as? Int
    #expect(mode == 0o644)
  }

  @Test func aWriteIntoAMissingFolderOrOverADirectoryFails() throws {
    let scratch = try Scratch()
    defer { scratch.cleanup() }
    do {
      try HostFile.writeAtomically([1], to: scratch.file("gone/out.bin"))
      Issue.record("wrote into a missing folder")
    } catch {
      #expect(error.message == "cannot write the file: No such file or directory (creating a temporary file)")
    }
    try FileManager.default.createDirectory(atPath: scratch.file("dir"), withIntermediateDirectories: false)
    do {
      try HostFile.writeAtomically([1], to: scratch.file("dir"))
      Issue.record("replaced a directory")
    } catch {
      #expect(error.message == "cannot write the file: Is a directory")
    }
    #expect(HostFile.isDirectory(scratch.file("dir")))
    #expect(try HostFile.entries(of: scratch.path) == ["dir"])
  }

  @Test func aReadOnlyFileIsNotReplaced() throws {
    guard getuid() != 0 else { return }  // root may write anything: nothing to refuse
    let scratch = try Scratch()
    defer { scratch.cleanup() }
    let path = scratch.file("ro.md")
    try HostFile.writeAtomically(Array("keep\n".utf8), to: path)
    chmod(path, 0o444)
    do {
      try HostFile.writeAtomically(Array("lost\n".utf8), to: path)
      Issue.record("replaced a read-only file")
    } catch {
      #expect(error.errno == EACCES)
    }
    #expect(try HostFile.readText(path) == "keep\n")
  }

  @Test func aFileChangedSinceItWasReadIsNotRewritten() throws {
    let scratch = try Scratch()
    defer { scratch.cleanup() }
    let path = scratch.file("lesson.md")
    try HostFile.writeAtomically(Array("one\n".utf8), to: path)
    let read = try HostFile.readBytes(path)
    try HostFile.writeAtomically(Array("edited\n".utf8), to: path)
    do {
      try HostFile.writeAtomically(Array("two\n".utf8), to: path, unchangedSince: read)
      Issue.record("overwrote an edit")
    } catch {
      #expect(
        error.message == "cannot write the file: the file changed since it was read; it was not rewritten")
      #expect(error.hint == "run the command again")
    }
    #expect(try HostFile.readText(path) == "edited\n")
    #expect(try HostFile.entries(of: scratch.path) == ["lesson.md"])
  }

  @Test func listingAMissingFolderFails() {
    do {
      _ = try HostFile.entries(of: "/nonexistent-hplab-dir")
      Issue.record("listed a missing folder")
    } catch {
      #expect(error.message == "cannot list the directory: No such file or directory")
    }
  }
}
