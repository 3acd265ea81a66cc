/// The kernel's errno values (include/uapi/asm-generic/errno-base.h, errno.h and
/// include/linux/errno.h for the kernel-internal ones). They live in CPUMask, the lowest layer,
/// because the bitmap parsers already return them and every other layer reports them too.
public enum Errno: Int32, Sendable, CaseIterable, Error {
  case EPERM = 1
  case ENOENT = 2
  case EIO = 5
  case ENXIO = 6
  case EAGAIN = 11
  case ENOMEM = 12
  case EACCES = 13
  case EBUSY = 16
  case EEXIST = 17
  case ENODEV = 19
  case ENOTDIR = 20
  case EISDIR = 21
  case EINVAL = 22
  case ERANGE = 34
  case ENOSYS = 38
  case EOVERFLOW = 75
  case EOPNOTSUPP = 95
  case ETIMEDOUT = 110
  /// Kernel-internal: "driver requests probe retry" (include/linux/errno.h); never reaches user
  /// space, so it has no strerror text.
  /// Kernel-internal: the system call is restarted after the signal-free return
  /// (`restart_syscall()`); user space never sees it.
  case ERESTARTNOINTR = 513
  case EPROBE_DEFER = 517

  /// The kernel's return value, e.g. -22 for -EINVAL.
  public var negated: Int32 { -rawValue }
  /// `-EINVAL`
  public var symbol: String { "-\(self)" }

  /// What glibc's `strerror()` says, as a shell prints it after a failed write.
  public var message: String {
    switch self {
    case .EPERM: "Operation not permitted"
    case .ENOENT: "No such file or directory"
    case .EIO: "Input/output error"
    case .ENXIO: "No such device or address"
    case .EAGAIN: "Resource temporarily unavailable"
    case .ENOMEM: "Cannot allocate memory"
    case .EACCES: "Permission denied"
    case .EBUSY: "Device or resource busy"
    case .EEXIST: "File exists"
    case .ENODEV: "No such device"
    case .ENOTDIR: "Not a directory"
    case .EISDIR: "Is a directory"
    case .EINVAL: "Invalid argument"
    case .ERANGE: "Numerical result out of range"
    case .ENOSYS: "Function not implemented"
    case .EOVERFLOW: "Value too large for defined data type"
    case .EOPNOTSUPP: "Operation not supported"
    case .ETIMEDOUT: "Connection timed out"
    case .ERESTARTNOINTR: "Unknown error 513"
    case .EPROBE_DEFER: "Unknown error 517"
    }
  }
}
