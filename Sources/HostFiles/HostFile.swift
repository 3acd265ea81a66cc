#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// Why a host file could not be used. One type for every reader and writer of host files (the
/// CLI, lessons, `source`, `acpi dump`, `workload`, `a64`, exports): the path as the user named
/// it, what was being done, and why, in errno's words where errno has them.
public struct HostFileError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Operation: String, Sendable {
    case read, write, list
  }

  public var path: String
  public var operation: Operation
  /// The errno of the failing call, when one failed.
  public var errno: Int32?
  /// Why, e.g. `No such file or directory` or `it is larger than 64 MiB`.
  public var reason: String
  /// The 1-based line a problem in the contents is on (invalid UTF-8).
  public var line: Int?
  /// What to do about it, when there is something to say.
  public var hint: String?

  public init(
    _ operation: Operation, path: String, errno: Int32? = nil, reason: String, line: Int? = nil,
    hint: String? = nil
  ) {
    self.operation = operation
    self.path = path
    self.errno = errno
    self.reason = reason
    self.line = line
    self.hint = hint
  }

  /// A failed system call, described as strerror(3) describes `code`.
  static func system(_ operation: Operation, path: String, _ code: Int32, while step: String? = nil)
    -> HostFileError
  {
    let text = String(cString: strerror(code))
    return HostFileError(operation, path: path, errno: code, reason: step.map { "\(text) (\($0))" } ?? text)
  }

  /// `cannot read the file: No such file or directory` (contents problems say what is wrong).
  public var message: String {
    if line != nil { return reason }
    switch operation {
    case .read: return "cannot read the file: \(reason)"
    case .write: return "cannot write the file: \(reason)"
    case .list: return "cannot list the directory: \(reason)"
    }
  }

  /// The reason with the line it is on: what a caller that names the file itself prints
  /// (`cannot read 'x.hpl': line 3: the file is not valid UTF-8 (byte 17)`).
  public var detail: String { line.map { "line \($0): \(reason)" } ?? reason }

  /// `path[:line]: message`.
  public var description: String {
    (line.map { "\(path):\($0)" } ?? path) + ": " + message
  }
}

/// Host file access without Foundation, with one set of limits: whole-file reads that keep
/// every byte and stop at ``maximumSize``, atomic replacement, and directory listing.
public enum HostFile {
  /// The largest file read (a lesson, script, table, workload or program): reading `/dev/zero`
  /// or a runaway pipe must end with an error, not exhaust memory.
  public static let maximumSize = 64 << 20

  /// The file's bytes, exactly.
  public static func readBytes(_ path: String) throws(HostFileError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .system(.read, path: path, errno) }
    defer { close(fd) }
    // A directory opens on Linux but cannot be read: say so before read(2) fails with EISDIR.
    var status = stat()
    if fstat(fd, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
      throw .system(.read, path: path, EISDIR)
    }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .system(.read, path: path, errno)
      }
      if n == 0 { break }
      bytes.append(contentsOf: buffer[0..<n])
      if bytes.count > maximumSize {
        throw HostFileError(.read, path: path, reason: "it is larger than \(maximumSize >> 20) MiB")
      }
    }
    return bytes
  }

  /// The file's text; it must be UTF-8 (the error names the line of the first invalid byte).
  public static func readText(_ path: String) throws(HostFileError) -> String {
    try decodeUTF8(try readBytes(path), path: path)
  }

  /// Decodes UTF-8, or fails naming the line and byte of the first invalid sequence.
  public static func decodeUTF8(_ bytes: [UInt8], path: String) throws(HostFileError) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    var line = 1
    var index = 0
    while index < bytes.count {
      let length = utf8SequenceLength(bytes, at: index)
      if length == 0 { break }
      if bytes[index] == UInt8(ascii: "\n") { line += 1 }
      index += length
    }
    throw HostFileError(
      .read, path: path, reason: "the file is not valid UTF-8 (byte \(index + 1))", line: line,
      hint: "re-save the file as UTF-8")
  }

  /// The length of the valid UTF-8 sequence at `index`, or 0 when it is invalid.
  private static func utf8SequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
    let length: Int
    switch bytes[index] {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return 0
    }
    guard index + length <= bytes.count else { return 0 }
    return String(validating: bytes[index..<(index + length)], as: UTF8.self) == nil ? 0 : length
  }

  public static func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
  }

  public static func exists(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0
  }

  /// Replaces (or creates) `path` with `bytes` atomically: a temporary file beside it is
  /// written, flushed and renamed over it, so a reader sees the old file or the new one and a
  /// crash mid-write leaves the old file in place. With `unchangedSince`, it refuses when the
  /// file no longer holds those bytes (someone edited it since it was read). An existing file
  /// keeps its permissions.
  public static func writeAtomically(
    _ bytes: [UInt8], to path: String, unchangedSince original: [UInt8]? = nil
  ) throws(HostFileError) {
    // Renaming over a file replaces it even where writing to it is not allowed: refuse, as a
    // plain write would.
    if exists(path) && !isDirectory(path) && access(path, W_OK) != 0 {
      throw .system(.write, path: path, errno)
    }
    if isDirectory(path) { throw .system(.write, path: path, EISDIR) }
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array("\(directory == "/" ? "" : directory)/.\(base).hplab-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw .system(.write, path: path, errno, while: "creating a temporary file") }
    let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var written = false
    defer { if !written { unlink(temporary) } }

    var status = stat()
    if stat(path, &status) == 0 {
      fchmod(fd, status.st_mode & 0o7777)
    } else {
      let mask = umask(0)
      umask(mask)
      fchmod(fd, 0o666 & ~mask)
    }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        let code = errno
        close(fd)
        throw .system(.write, path: path, code)
      }
      offset += n
    }
    if fsync(fd) != 0 {
      let code = errno
      close(fd)
      throw .system(.write, path: path, code, while: "fsync")
    }
    close(fd)
    if let original, try readBytes(path) != original {
      throw HostFileError(
        .write, path: path, reason: "the file changed since it was read; it was not rewritten",
        hint: "run the command again")
    }
    if rename(temporary, path) != 0 { throw .system(.write, path: path, errno, while: "replacing it") }
    written = true
    // Make the rename itself durable.
    let directoryFD = open(directory, O_RDONLY)
    if directoryFD >= 0 {
      fsync(directoryFD)
      close(directoryFD)
    }
  }

  /// The names in a directory, sorted, without `.` and `..`.
  public static func entries(of directory: String) throws(HostFileError) -> [String] {
    guard let dir = opendir(directory) else { throw .system(.list, path: directory, errno) }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }
}
