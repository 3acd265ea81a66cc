#if canImport(Glibc)
  import Glibc
#endif
import CPUMask
import LabScript
import Testing

/// Runs text in a fresh (or given) session; returns what it printed and the rendered error.
@discardableResult
func run(_ text: String, in session: Session? = nil, name: String = "test.hpl") -> (
  out: String, error: String?
) {
  let output = BufferedOutput()
  let s = session ?? Session(output: output)
  if session != nil { s.output = output }
  do {
    try s.run(text, name: name)
    return (output.text, nil)
  } catch {
    return (output.text, error.render(color: false))
  }
}

/// Writes a host file for the `source` tests.
func write(_ text: String, to path: String) throws {
  guard let f = fopen(path, "w") else { throw FileError(Errno(rawValue: errno) ?? .EIO, path) }
  fputs(text, f)
  fclose(f)
}

/// The printed output of text that must run without error.
@discardableResult
func output(_ text: String, in session: Session? = nil) -> String {
  let (out, error) = run(text, in: session)
  #expect(error == nil, "unexpected error: \(error ?? "")")
  return out
}

/// A provider of in-memory files for the file-namespace tests.
final class MemoryFiles: VirtualFileSystem {
  var files: [String: String]
  var rejectWrites: [String: Errno] = [:]

  init(_ files: [String: String]) { self.files = files }

  func read(_ path: String) throws(FileError) -> String {
    guard let text = files[path] else { throw FileError(.ENOENT, path) }
    return text
  }

  func write(_ path: String, _ contents: String) throws(FileError) {
    if let errno = rejectWrites[path] { throw FileError(errno, path) }
    guard files[path] != nil else { throw FileError(.ENOENT, path) }
    files[path] = contents
  }

  func list(_ path: String) throws(FileError) -> [String] {
    let prefix = path == "/" ? "/" : path + "/"
    let names = Set(
      files.keys.filter { $0.hasPrefix(prefix) }.compactMap {
        $0.dropFirst(prefix.count).split(separator: "/").first.map(String.init)
      })
    guard !names.isEmpty else {
      throw files[path] != nil ? FileError(.ENOTDIR, path) : FileError(.ENOENT, path)
    }
    return names.sorted()
  }
}
