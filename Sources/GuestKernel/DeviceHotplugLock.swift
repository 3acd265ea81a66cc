/// `device_hotplug_lock` (drivers/base/core.c): the mutex that makes every device hotplug
/// operation run alone — a sysfs `online` write (`lock_device_hotplug_sysfs()` in
/// `online_store()`) and the ACPI hotplug work (`acpi_device_hotplug()`, which also takes
/// `acpi_scan_lock` under it). Without it, three Device Checks from one GED event would each
/// scan the processor container and register the same CPUs three times.
extension Kernel {
  static let deviceHotplugLock = "device_hotplug_lock"

  /// `lock_device_hotplug()`: `mutex_lock(&device_hotplug_lock)`, sleeping while another
  /// thread holds it.
  static var lockDeviceHotplug: KFunction {
    KFunction("lock_device_hotplug") { k, c in
      func take(_ k: inout Kernel, _ c: KContext) -> KResult {
        if k.mutexOwners[deviceHotplugLock] == nil {
          k.mutexOwners[deviceHotplugLock] = c.thread
          return .returns(0)
        }
        return .wait(.mutexFree(deviceHotplugLock), timeout: nil) { k, c, _ in take(&k, c) }
      }
      return take(&k, c)
    }
  }

  /// `lock_device_hotplug_sysfs()`: a sysfs store only tries the mutex. When another thread
  /// holds it, the store sleeps 5 ms and returns -ERESTARTNOINTR (`restart_syscall()`), and the
  /// write(2) starts over; so a write never queues behind the ACPI hotplug work as a mutex
  /// waiter, which could deadlock against a hot-remove removing the very sysfs file.
  static var lockDeviceHotplugSysfs: KFunction {
    KFunction("lock_device_hotplug_sysfs") { k, c in
      if k.mutexOwners[deviceHotplugLock] == nil {
        k.mutexOwners[deviceHotplugLock] = c.thread
        return .returns(0)
      }
      // msleep(5): "Avoid busy looping (5 ms of sleep should do)."
      return .sleep(nanoseconds: 5_000_000) { _, _, _ in .returns(Kernel.err(.ERESTARTNOINTR)) }
    }
  }

  /// `unlock_device_hotplug()`.
  static var unlockDeviceHotplug: KFunction {
    KFunction("unlock_device_hotplug") { k, c in
      k.mutexOwners[deviceHotplugLock] = nil
      return .returns(0)
    }
  }
}
