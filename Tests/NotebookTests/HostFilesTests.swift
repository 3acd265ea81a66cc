import Foundation
import Testing

@testable import Notebook

@Suite struct HostFilesTests {
  @Test func findsLessonsInEverySubfolderSorted() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    _ = try directory.write("02-b.md", "")
    _ = try directory.write("01-a.md", "")
    _ = try directory.write("notes.txt", "")
    _ = try directory.write("extra/03-c.md", "")
    _ = try directory.write(".hidden/04-d.md", "")
    _ = try directory.write(".05-e.md", "")
    let found = try HostFiles.lessons(under: directory.path)
    #expect(found == ["01-a.md", "02-b.md", "extra/03-c.md"].map { directory.file($0) })
    #expect(try HostFiles.lessons(under: directory.path + "/").count == 3)
  }

  @Test func listingAMissingFolderFails() {
    do {
      _ = try HostFiles.lessons(under: "/nonexistent-hplab-dir")
      Issue.record("listed a missing folder")
    } catch {
      #expect(
        error.description
          == "/nonexistent-hplab-dir: error: cannot list the directory: No such file or directory\n")
    }
  }

  @Test func readsEveryByte() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let bytes = Array(repeating: Array("ünïcode line\r\n".utf8), count: 10_000).flatMap { $0 }
    let path = directory.file("big.md")
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    #expect(try HostFiles.readBytes(path) == bytes)
    #expect(try HostFiles.readText(path).unicodeScalars.count == 140_000)
  }

  @Test func newFilesGetTheUsualPermissions() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    let path = directory.file("new.md")
    let mask = umask(0o022)
    defer { umask(mask) }
    try HostFiles.writeAtomically(Array("x\n".utf8), to: path)
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o644)
    #expect(try directory.read("new.md") == "x\n")
  }
}
