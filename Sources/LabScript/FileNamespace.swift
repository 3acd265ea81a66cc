import CPUMask

/// A failed file operation, with the errno a real system call would return.
public struct FileError: Error, Equatable, Sendable {
  public var errno: Errno
  public var path: String
  /// Set when the entry exists in Linux but its contents are not modelled: what Linux keeps
  /// there (the read fails rather than show made-up contents).
  public var unmodelled: String?

  public init(_ errno: Errno, _ path: String) {
    self.errno = errno
    self.path = path
  }

  /// An entry Linux has whose contents the lab does not model.
  public init(unmodelled path: String, linux: String) {
    self.init(.EOPNOTSUPP, path)
    unmodelled = linux
  }

  /// The same error for the path as the user wrote it.
  func at(_ path: String) -> FileError {
    var copy = self
    copy.path = path
    return copy
  }

  /// As a shell prints it: `/sys/devices/system/cpu/cpu3/online: No such file or directory`.
  public var message: String {
    if let unmodelled { return "\(path): not modelled by HotplugLab (in Linux: \(unmodelled))" }
    return "\(path): \(errno.message)"
  }
}

/// A provider of virtual files mounted somewhere in the lab's file namespace (the guest's sysfs
/// is one). Paths given to a provider are absolute and normalized.
public protocol VirtualFileSystem: AnyObject {
  func read(_ path: String) throws(FileError) -> String
  func write(_ path: String, _ contents: String) throws(FileError)
  /// The names in a directory, sorted.
  func list(_ path: String) throws(FileError) -> [String]
}

/// The lab's virtual file namespace: what `cat`, `ls` and `echo ... > PATH` reach. It never
/// touches the host's files; other modules mount providers (the guest kernel mounts `/sys`).
public final class FileNamespace {
  private var mounts: [(prefix: String, provider: any VirtualFileSystem)] = []

  public init() {}

  /// Mounts `provider` at `prefix` (an absolute directory path); a later mount at the same
  /// prefix replaces the earlier one.
  public func mount(_ provider: any VirtualFileSystem, at prefix: String) {
    let normalized = FileNamespace.normalize(prefix)
    mounts.removeAll { $0.prefix == normalized }
    mounts.append((normalized, provider))
    mounts.sort { $0.prefix.count > $1.prefix.count }
  }

  public func unmount(_ prefix: String) {
    let normalized = FileNamespace.normalize(prefix)
    mounts.removeAll { $0.prefix == normalized }
  }

  /// The mount points, shortest first.
  public var mountPoints: [String] { mounts.map(\.prefix).sorted() }

  /// Makes a path absolute (relative paths start at `/`) and resolves `.`, `..` and `//`.
  public static func normalize(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." {
        if !parts.isEmpty { parts.removeLast() }
        continue
      }
      parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
  }

  private func provider(for path: String) -> (any VirtualFileSystem)? {
    for mount in mounts
    where mount.prefix == "/" || path == mount.prefix || path.hasPrefix(mount.prefix + "/") {
      return mount.provider
    }
    return nil
  }

  /// Whether `p` is a directory above the mount points (`/`, or `/sys` when `/sys/devices` is
  /// mounted): reading or writing it fails with EISDIR, as it would in a shell.
  private func isDirectoryAboveMounts(_ p: String) -> Bool {
    if p == "/" { return true }
    return mounts.contains { $0.prefix.hasPrefix(p + "/") }
  }

  public func read(_ path: String) throws(FileError) -> String {
    let p = FileNamespace.normalize(path)
    guard let provider = provider(for: p) else {
      throw FileError(isDirectoryAboveMounts(p) ? .EISDIR : .ENOENT, path)
    }
    do { return try provider.read(p) } catch { throw error.at(path) }
  }

  public func write(_ path: String, _ contents: String) throws(FileError) {
    let p = FileNamespace.normalize(path)
    guard let provider = provider(for: p) else {
      throw FileError(isDirectoryAboveMounts(p) ? .EISDIR : .ENOENT, path)
    }
    do { try provider.write(p, contents) } catch { throw error.at(path) }
  }

  public func list(_ path: String) throws(FileError) -> [String] {
    let p = FileNamespace.normalize(path)
    if let provider = provider(for: p) {
      do { return try provider.list(p) } catch { throw error.at(path) }
    }
    // A directory above the mount points lists the next component of each.
    let prefix = p == "/" ? "/" : p + "/"
    let children = Set(
      mounts.compactMap { m -> String? in
        guard m.prefix.hasPrefix(prefix) else { return nil }
        return m.prefix.dropFirst(prefix.count).split(separator: "/").first.map(String.init)
      })
    guard !children.isEmpty else { throw FileError(.ENOENT, path) }
    return children.sorted()
  }
}
