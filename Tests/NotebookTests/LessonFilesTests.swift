import Foundation
import Testing

@testable import Notebook

@Suite struct LessonFilesTests {
  @Test func findsLessonsInEverySubfolderSorted() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    _ = try directory.write("02-b.md", "")
    _ = try directory.write("01-a.md", "")
    _ = try directory.write("notes.txt", "")
    _ = try directory.write("extra/03-c.md", "")
    _ = try directory.write(".hidden/04-d.md", "")
    _ = try directory.write(".05-e.md", "")
    let found = try LessonFiles.lessons(under: directory.path)
    #expect(found == ["01-a.md", "02-b.md", "extra/03-c.md"].map { directory.file($0) })
    #expect(try LessonFiles.lessons(under: directory.path + "/").count == 3)
  }

  @Test func listingAMissingFolderFails() {
    do {
      _ = try LessonFiles.lessons(under: "/nonexistent-hplab-dir")
      Issue.record("listed a missing folder")
    } catch {
      #expect(
        error.description
          == "/nonexistent-hplab-dir: error: cannot list the directory: No such file or directory\n")
    }
  }
}
