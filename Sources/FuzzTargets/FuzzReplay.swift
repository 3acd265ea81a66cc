#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// What a `fuzz-*` executable does when it is built without libFuzzer: runs each file named on
/// the command line (or each file in a named directory) through its target, so that a crash the
/// fuzzer found can be reproduced and debugged with an ordinary build.
public enum FuzzReplay {
  public static func main(_ target: FuzzTarget) {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.isEmpty || arguments.contains("-h") || arguments.contains("--help") {
      print(
        """
        usage: fuzz-\(target.rawValue) FILE-OR-DIRECTORY...
        Runs each input through the \(target.rawValue) fuzz target (this build has no libFuzzer;
        Scripts/fuzz \(target.rawValue) SECONDS builds one that fuzzes).
        """)
      exit(arguments.isEmpty ? 2 : 0)
    }
    var count = 0
    for argument in arguments {
      let files: [String]
      do { files = try FuzzCorpus.files(at: argument) } catch {
        fputs("fuzz-\(target.rawValue): \(error)\n", stderr)
        exit(1)
      }
      for file in files {
        let bytes: [UInt8]
        do { bytes = try FuzzCorpus.read(file) } catch {
          fputs("fuzz-\(target.rawValue): \(error)\n", stderr)
          exit(1)
        }
        print("running \(file) (\(bytes.count) bytes)")
        target.run(bytes)
        count += 1
      }
    }
    print("fuzz-\(target.rawValue): \(count) input(s) ran without a crash")
  }
}

/// Reading corpus files and directories.
public enum FuzzCorpus {
  public struct Error: Swift.Error, CustomStringConvertible {
    public let description: String
  }

  /// The regular files in a directory (sorted, dot files skipped), or the path itself.
  public static func files(at path: String) throws(Error) -> [String] {
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw Error(description: "cannot read '\(path)': \(String(cString: strerror(errno)))")
    }
    guard (status.st_mode & S_IFMT) == S_IFDIR else { return [path] }
    guard let directory = opendir(path) else {
      throw Error(description: "cannot list '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if !name.hasPrefix(".") { names.append(name) }
    }
    return names.sorted().map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
  }

  /// A file's bytes.
  public static func read(_ path: String) throws(Error) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
      throw Error(description: "cannot read '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&buffer, 1, buffer.count, file)
      bytes.append(contentsOf: buffer[0..<n])
      if n < buffer.count { break }
    }
    if ferror(file) != 0 {
      throw Error(description: "cannot read '\(path)': \(String(cString: strerror(errno)))")
    }
    return bytes
  }
}
