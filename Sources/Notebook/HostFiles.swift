#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// The host file operations lessons need: whole-file reads that keep every byte, atomic
/// replacement (a temporary file in the same directory, flushed, then renamed over the
/// original), and listing the lessons under a folder.
public enum HostFiles {
  /// The file's bytes, exactly.
  public static func readBytes(_ path: String) throws(LessonError) -> [UInt8] {
    if isDirectory(path) {
      throw LessonError(.io, path: path, "cannot read the file: it is a directory")
    }
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw LessonError(.io, path: path, "cannot read the file: \(describe(errno))") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw LessonError(.io, path: path, "cannot read the file: \(describe(errno))")
      }
      if n == 0 { break }
      bytes.append(contentsOf: buffer[0..<n])
      if bytes.count > maximumSize {
        throw LessonError(.io, path: path, "cannot read the file: it is larger than \(maximumSize >> 20) MiB")
      }
    }
    return bytes
  }

  /// The largest lesson or table file read: `/dev/zero` must end with an error, not exhaust memory.
  public static let maximumSize = 64 << 20

  /// The file's text; the file must be UTF-8 (the error names the line of the first bad byte).
  public static func readText(_ path: String) throws(LessonError) -> String {
    let bytes = try readBytes(path)
    return try decodeUTF8(bytes, path: path)
  }

  /// Decodes UTF-8, or fails naming the line of the first invalid byte.
  static func decodeUTF8(_ bytes: [UInt8], path: String) throws(LessonError) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    var line = 1
    var index = 0
    while index < bytes.count {
      let length = utf8SequenceLength(bytes, at: index)
      if length == 0 { break }
      if bytes[index] == UInt8(ascii: "\n") { line += 1 }
      index += length
    }
    throw LessonError(
      .format, path: path, line: line, "the file is not valid UTF-8 (byte \(index + 1))",
      hint: "lessons are UTF-8 Markdown; re-save the file as UTF-8")
  }

  /// The length of the valid UTF-8 sequence at `index`, or 0 when it is invalid.
  private static func utf8SequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
    let first = bytes[index]
    let length: Int
    switch first {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return 0
    }
    guard index + length <= bytes.count else { return 0 }
    let slice = Array(bytes[index..<(index + length)])
    return String(validating: slice, as: UTF8.self) == nil ? 0 : length
  }

  public static func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
  }

  public static func exists(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0
  }

  /// Replaces (or creates) `path` with `bytes` atomically: a reader sees the old file or the new
  /// one, never a mix, and a crash mid-write leaves the old file in place. With
  /// `unchangedSince`, it refuses when the file no longer holds those bytes (someone edited it
  /// since it was read). The file keeps its permissions.
  public static func writeAtomically(
    _ bytes: [UInt8], to path: String, unchangedSince original: [UInt8]? = nil
  ) throws(LessonError) {
    // Renaming over a file would replace it even where writing to it is not allowed: refuse, as
    // a plain write would.
    if exists(path) && !isDirectory(path) && access(path, W_OK) != 0 {
      throw LessonError(.io, path: path, "cannot write the file: \(describe(errno))")
    }
    let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
    let base = path.contains("/") ? String(path[path.index(after: path.lastIndex(of: "/")!)...]) : path
    var template = Array("\(directory.isEmpty ? "/" : directory)/.\(base).hplab-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw LessonError(
        .io, path: path, "cannot write the file: \(describe(errno)) (creating a temporary file)")
    }
    let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var failure: LessonError?
    defer {
      if failure != nil { unlink(temporary) }
    }
    var mode: mode_t = 0o644
    var status = stat()
    if stat(path, &status) == 0 {
      mode = status.st_mode & 0o7777
    } else {
      let mask = umask(0)
      umask(mask)
      mode = 0o666 & ~mask
    }
    fchmod(fd, mode)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        failure = LessonError(.io, path: path, "cannot write the file: \(describe(errno))")
        close(fd)
        throw failure!
      }
      offset += n
    }
    if fsync(fd) != 0 {
      failure = LessonError(.io, path: path, "cannot write the file: \(describe(errno)) (fsync)")
      close(fd)
      throw failure!
    }
    close(fd)
    if let original {
      let current: [UInt8]
      do { current = try readBytes(path) } catch {
        failure = error
        throw error
      }
      if current != original {
        failure = LessonError(
          .io, path: path, "the file changed while the lesson ran; it was not rewritten",
          hint: "run the command again")
        throw failure!
      }
    }
    if rename(temporary, path) != 0 {
      failure = LessonError(.io, path: path, "cannot replace the file: \(describe(errno))")
      throw failure!
    }
    // Make the rename itself durable.
    let directoryFD = open(directory.isEmpty ? "/" : directory, O_RDONLY)
    if directoryFD >= 0 {
      fsync(directoryFD)
      close(directoryFD)
    }
  }

  /// The lesson files (`*.md`) under a directory, in every sub-directory, sorted by path;
  /// names starting with a dot are skipped.
  public static func lessons(under directory: String) throws(LessonError) -> [String] {
    guard let dir = opendir(directory) else {
      throw LessonError(.io, path: directory, "cannot list the directory: \(describe(errno))")
    }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if name.hasPrefix(".") { continue }
      names.append(name)
    }
    closedir(dir)
    var found: [String] = []
    let prefix = directory.hasSuffix("/") ? directory : directory + "/"
    for name in names.sorted() {
      let path = prefix + name
      if isDirectory(path) {
        found += try lessons(under: path)
      } else if name.hasSuffix(".md") {
        found.append(path)
      }
    }
    return found.sorted()
  }

  static func describe(_ code: Int32) -> String {
    String(cString: strerror(code))
  }
}
