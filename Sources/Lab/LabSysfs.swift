import CPUMask
import GuestKernel
import LabScript

/// /sys as the guest kernel shows it, mounted in the session's file namespace when the guest
/// boots: reads come from the kernel's state; a write to `cpuN/online` queues the user process's
/// write, which runs as the world runs (its result shows at `settle`).
final class LabSysfs: VirtualFileSystem {
  unowned let lab: Lab

  init(lab: Lab) { self.lab = lab }

  /// The directories above the kernel's `/sys/devices/system/cpu`, which `list` shows itself.
  static let directories: Set<String> = ["/sys", "/sys/devices", "/sys/devices/system"]

  func read(_ path: String) throws(FileError) -> String {
    guard let kernel = lab.kernel else { throw FileError(.ENOENT, path) }
    if LabSysfs.directories.contains(path) { throw FileError(.EISDIR, path) }
    if let unmodelled = kernel.sysfsUnmodelled(path), !(unmodelled.directory && unmodelled.isEntry) {
      throw FileError(unmodelled: path, linux: unmodelled.linux)
    }
    switch kernel.sysfsRead(path) {
    case .success(let text): return text
    case .failure(let e): throw FileError(e, path)
    }
  }

  func write(_ path: String, _ contents: String) throws(FileError) {
    guard lab.kernel != nil, let platform = lab.platform else { throw FileError(.ENOENT, path) }
    if LabSysfs.directories.contains(path) { throw FileError(.EISDIR, path) }
    lab.checkpoint()
    switch lab.kernel!.sysfsWrite(path, contents, at: platform.now) {
    case .success: break
    case .failure(let e):
      _ = lab.undoStack.popLast()
      throw FileError(e, path)
    }
  }

  func list(_ path: String) throws(FileError) -> [String] {
    guard let kernel = lab.kernel else { throw FileError(.ENOENT, path) }
    if path == "/sys" { return ["devices"] }
    if path == "/sys/devices" { return ["system"] }
    if path == "/sys/devices/system" { return ["cpu"] }
    if let unmodelled = kernel.sysfsUnmodelled(path) {
      throw FileError(unmodelled: path, linux: unmodelled.linux)
    }
    switch kernel.sysfsList(path) {
    case .success(let names): return names
    case .failure(let e): throw FileError(e, path)
    }
  }
}
