import Foundation
import HostFiles
import Lab
import LabScript
import Notebook
import Testing

/// Files: every write replaces its file atomically (a temporary file beside it, renamed over
/// it), so a failure never leaves a partial or missing file and never leaves the temporary file
/// behind; a read of a missing, unreadable or non-regular file fails with a clear error.
@Suite(.serialized) struct FileWriteTests {
  /// The names in a directory, sorted.
  func names(_ directory: String) -> [String] {
    TemporaryDirectory.contents(of: directory).keys.sorted()
  }

  func text(_ path: String) throws -> String {
    String(decoding: try TemporaryDirectory.read(path), as: UTF8.self)
  }

  // MARK: HostFile.writeAtomically (lessons, exports, table dumps, saved trampolines)

  @Test func replacesTheFileAndLeavesNoTemporaryFile() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    let path = directory + "/lesson.md"
    try TemporaryDirectory.write(Array("old\n".utf8), to: path)
    chmod(path, 0o640)
    try HostFile.writeAtomically(Array("new\n".utf8), to: path)
    #expect(try text(path) == "new\n")
    #expect(names(directory) == ["lesson.md"])
    var status = stat()
    stat(path, &status)
    #expect(status.st_mode & 0o777 == 0o640, "the file kept its permissions")
  }

  @Test func aDirectoryThatVanishedIsAClearErrorAndCreatesNothing() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    let gone = directory + "/gone"
    mkdir(gone, 0o755)
    rmdir(gone)
    #expect {
      try HostFile.writeAtomically(Array("x".utf8), to: gone + "/out.html")
    } throws: { error in
      (error as? HostFileError)?.description
        == "\(gone)/out.html: cannot write the file: No such file or directory (creating a temporary file)"
    }
    #expect(names(directory).isEmpty)
  }

  @Test func aDirectoryInTheWayIsAClearErrorAndStays() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    mkdir(directory + "/out.ipynb", 0o755)
    #expect {
      try HostFile.writeAtomically(Array("{}".utf8), to: directory + "/out.ipynb")
    } throws: { error in
      (error as? HostFileError)?.message == "cannot write the file: Is a directory"
    }
    #expect(names(directory) == ["out.ipynb"])
    #expect(HostFile.isDirectory(directory + "/out.ipynb"))
  }

  @Test func aFileChangedMeanwhileIsNotOverwritten() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    let path = directory + "/lesson.md"
    try TemporaryDirectory.write(Array("edited by someone\n".utf8), to: path)
    #expect(throws: HostFileError.self) {
      try HostFile.writeAtomically(
        Array("updated\n".utf8), to: path, unchangedSince: Array("as read\n".utf8))
    }
    #expect(try text(path) == "edited by someone\n")
    #expect(names(directory) == ["lesson.md"])
  }

  // MARK: The commands that write files

  func session() -> Session { LabModules.makeSession(output: BufferedOutput()) }

  func failure(_ text: String, in session: Session) -> String? {
    do {
      try session.run(text, name: "t.hpl")
      return nil
    } catch {
      return error.render(color: false)
    }
  }

  /// `acpi dump` writes five tables; one that cannot be written (a directory has its name)
  /// fails with the file's name and the reason, and the tables already written are complete.
  @Test func acpiDumpWritesWholeTablesOrSaysWhichFileFailed() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    mkdir(directory + "/DSDT.aml", 0o755)
    let s = session()
    try s.run("machine virt -smp 1,maxcpus=2")
    let error = failure("acpi dump \(directory)", in: s)
    #expect(
      error?.hasPrefix("t.hpl:1:11: error: \(directory)/DSDT.aml: cannot write the file: Is a directory\n")
        == true, "\(error ?? "")")
    #expect(names(directory) == ["APIC.dat", "DSDT.aml", "FACP.dat", "RSDP.dat", "XSDT.dat"])
    try s.run(
      "acpi decode \(directory)/FACP.dat\nacpi decode \(directory)/APIC.dat\nacpi decode \(directory)/XSDT.dat"
    )
  }

  /// `a64 asm -o` replaces the output atomically and keeps its permissions; a failed assembly
  /// or an unwritable target leaves the old output as it was.
  @Test func a64AsmReplacesItsOutputAtomically() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    try TemporaryDirectory.write(Array("  nop\n  brk #0\n".utf8), to: directory + "/p.S")
    try TemporaryDirectory.write(Array("  frob\n".utf8), to: directory + "/bad.S")
    try TemporaryDirectory.write([9, 9], to: directory + "/p.bin")
    chmod(directory + "/p.bin", 0o600)
    let s = session()
    try s.run("a64 asm \(directory)/p.S -o \(directory)/p.bin")
    #expect(
      try TemporaryDirectory.read(directory + "/p.bin") == [0x1F, 0x20, 0x03, 0xD5, 0x00, 0x00, 0x20, 0xD4])
    var status = stat()
    stat(directory + "/p.bin", &status)
    #expect(status.st_mode & 0o777 == 0o600)
    #expect(failure("a64 asm \(directory)/bad.S -o \(directory)/p.bin", in: s) != nil)
    #expect(try TemporaryDirectory.read(directory + "/p.bin").count == 8)
    mkdir(directory + "/dir.bin", 0o755)
    #expect(
      failure("a64 asm \(directory)/p.S -o \(directory)/dir.bin", in: s)?.hasPrefix(
        "t.hpl:1:1: error: \(directory)/dir.bin: Is a directory\n") == true)
    #expect(names(directory) == ["bad.S", "dir.bin", "p.S", "p.bin"])
  }

  @Test func trampolineSaveIsAtomic() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    let s = session()
    try s.run("kernel trampoline save \(directory)/t.S")
    #expect(try text(directory + "/t.S") == Lab.bundledTrampoline)
    #expect(names(directory) == ["t.S"])
  }

  // MARK: Reading

  @Test func readingSomethingThatIsNotAFileIsAClearError() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    #expect(throws: LessonError.self) { try LessonParser.load(directory) }
    do { _ = try LessonParser.load(directory) } catch {
      #expect(error.render(color: false) == "\(directory): error: cannot read the file: Is a directory\n")
    }
    do { _ = try LessonParser.load("/dev/zero") } catch {
      #expect(
        error.render(color: false) == "/dev/zero: error: cannot read the file: it is larger than 64 MiB\n")
    }
    do { _ = try LessonParser.load(directory + "/missing.md") } catch {
      #expect(
        error.render(color: false)
          == "\(directory)/missing.md: error: cannot read the file: No such file or directory\n")
    }
  }

  // MARK: Permissions, through hplab as an unprivileged user

  /// The hplab binary next to the test bundle (or $HPLAB_BINARY).
  static let binary: String = {
    if let explicit = ProcessInfo.processInfo.environment["HPLAB_BINARY"] { return explicit }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
      "hplab"
    ).path
  }()

  /// Runs hplab as the user `nobody` (through setpriv when the tests run as root, where every
  /// permission check would pass), so that permissions mean what they mean for a user.
  func hplabAsUser(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    if geteuid() == 0 {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
      process.arguments =
        ["--reuid=65534", "--regid=65534", "--clear-groups", FileWriteTests.binary] + arguments
    } else {
      process.executableURL = URL(fileURLWithPath: FileWriteTests.binary)
      process.arguments = arguments
    }
    var environment = ProcessInfo.processInfo.environment
    environment["HPLAB_HISTFILE"] = ""
    process.environment = environment
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self)
    )
  }

  @Test func permissionsAreHonouredWithClearErrors() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    chmod(directory, 0o777)
    let lesson = directory + "/l.md"
    try TemporaryDirectory.write(
      Array("# L\n\n```hplab\nprint 1\n```\n\n```output\n1\n```\n".utf8), to: lesson)
    chmod(lesson, 0o644)
    // An unreadable script.
    let script = directory + "/secret.hpl"
    try TemporaryDirectory.write(Array("print 1\n".utf8), to: script)
    chmod(script, 0o000)
    var r = try hplabAsUser(["run", script])
    #expect(r.status == 1)
    #expect(r.err == "hplab: cannot read '\(script)': Permission denied\n")
    // A read-only export target is not replaced.
    let page = directory + "/page.html"
    try TemporaryDirectory.write(Array("keep\n".utf8), to: page)
    chmod(page, 0o444)
    r = try hplabAsUser(["export", lesson, "--html", page])
    #expect(r.status == 1)
    #expect(r.err == "\(page): error: cannot write the file: Permission denied\n")
    #expect(try text(page) == "keep\n")
    // A directory the user may not write to.
    let locked = directory + "/locked"
    mkdir(locked, 0o555)
    r = try hplabAsUser(["export", lesson, "--ipynb", locked + "/l.ipynb"])
    #expect(r.status == 1)
    #expect(
      r.err
        == "\(locked)/l.ipynb: error: cannot write the file: Permission denied (creating a temporary file)\n")
    #expect(names(locked).isEmpty)
    // The same lesson exports where it may.
    r = try hplabAsUser(["export", lesson, "--html", directory + "/ok.html"])
    #expect(r.status == 0, "\(r.err)")
    #expect(names(directory).contains("ok.html"))
  }
}
