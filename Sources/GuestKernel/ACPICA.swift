import ACPI
import CPUMask

/// The kernel's use of ACPICA (drivers/acpi/osl.c, utils.c, bus.c): evaluating objects with the
/// region handler on the machine's physical memory, and dispatching the Notify calls AML makes.
extension Kernel {
  /// `acpi_evaluate_object()`: runs AML on `c.cpu`; Notify calls are queued for the hotplug work,
  /// as ACPICA defers them (`acpi_os_execute(OSL_NOTIFY_HANDLER, ...)`).
  mutating func evaluate(_ path: String, _ arguments: [AMLValue] = [], _ c: KContext) -> Result<
    AMLValue?, AMLError
  > {
    var host = c.platform.amlHost(cpu: c.cpu)
    let argumentText = arguments.map { argumentDescription($0) }.joined(separator: ", ")
    let result: Result<AMLValue?, AMLError>
    do throws(AMLError) {
      if let node = amlNodes[path] ?? aml.namespace.lookup(path: path) {
        amlNodes[path] = node
        result = .success(try aml.evaluate(node: node, arguments: arguments, host: &host))
      } else {
        result = .success(try aml.evaluate(path, arguments: arguments, host: &host))  // AE_NOT_FOUND
      }
    } catch {
      result = .failure(error)
    }
    let outcome: String
    switch result {
    case .success(let value?): outcome = "= \(amlValueText(value))"
    case .success(nil): outcome = ""
    case .failure(let error): outcome = "failed: \(error.status)"
    }
    c.platform.trace(
      "aml", "aml.eval", cpu: c.cpu, "\(path)(\(argumentText)) \(outcome)".trimmingCharacters(in: " "))
    for notification in host.notifications {
      c.platform.trace("aml", "aml.notify", cpu: c.cpu, "Notify(\(notification.path), \(notification.value))")
      queueNotify(path: notification.path, value: notification.value, c)
    }
    return result
  }

  /// `acpi_bus_get_status()`: `_STA`, or 0x0F (ACPI_STA_DEFAULT) when the object has none.
  mutating func evaluateSTA(_ devicePath: String, _ c: KContext) -> UInt32? {
    guard aml.namespace.lookup(path: devicePath + "._STA") != nil else { return 0x0F }
    switch evaluate(devicePath + "._STA", [], c) {
    case .success(.integer(let v)?): return UInt32(truncatingIfNeeded: v)
    default: return nil
    }
  }

  /// `_OST(source, status, {})` if the device has one (`acpi_evaluate_ost`).
  mutating func evaluateOST(_ devicePath: String, source: UInt64, status: UInt64, _ c: KContext) {
    guard aml.namespace.lookup(path: devicePath + "._OST") != nil else { return }
    _ = evaluate(devicePath + "._OST", [.integer(source), .integer(status), .buffer([])], c)
  }

  /// `acpi_ev_queue_notify_request` → `acpi_bus_notify()` → `acpi_hotplug_schedule()`: a system
  /// notification on a processor device becomes hotplug work on the kacpi_hotplug workqueue.
  mutating func queueNotify(path: String, value: UInt64, _ c: KContext) {
    let canonical =
      processors.first { aml.namespace.lookup(path: $0.path) == aml.namespace.lookup(path: path) }?.path
      ?? path
    guard processors.contains(where: { $0.path == canonical }), value <= 0x03 else {
      c.platform.trace(
        "acpi", "acpi_bus_notify", cpu: c.cpu, "\(path) value 0x\(lhex(value, 2)): no hotplug handler")
      return
    }
    queuedHotplugWork.append((canonical, value))
    startHotplugWork(at: c.now + Kernel.stepCost)
  }

  /// Starts the next queued `acpi_device_hotplug()` unless one is running: the workqueue is
  /// ordered, so a second notification waits for the first one's work to finish (the work also
  /// holds `lock_device_hotplug()` and `acpi_scan_lock` in Linux).
  mutating func startHotplugWork(at time: UInt64) {
    guard !hotplugWorkRunning, !queuedHotplugWork.isEmpty else { return }
    let work = queuedHotplugWork.removeFirst()
    hotplugWorkRunning = true
    spawn(
      "kworker/u8:\(nextThreadID)", cpu: 0, Kernel.acpiDeviceHotplug(work.path, type: work.type), at: time)
  }

  /// The path as ACPICA prints it in messages: segments padded to four characters.
  static func acpiHandlePath(_ path: String) -> String {
    let trimmed = path.hasPrefix("\\") ? String(path.dropFirst()) : path
    return "\\"
      + trimmed.split(separator: ".").map { String($0).padded(4).replacingSpaces() }.joined(separator: ".")
  }
}

func argumentDescription(_ value: AMLValue) -> String {
  switch value {
  case .integer(let v): return "0x\(lhex(v, 1))"
  case .buffer(let b): return "Buffer(\(b.count))"
  default: return "\(value)"
  }
}

func amlValueText(_ value: AMLValue) -> String {
  if case .integer(let v) = value { return "0x\(lhex(v, 1))" }
  return "\(value)"
}

extension String {
  func replacingSpaces() -> String { String(map { $0 == " " ? "_" : $0 }) }
}

extension Kernel {
  /// Evaluates an object on behalf of a user (the `acpi eval` command) through the guest's ACPICA:
  /// Notify calls the AML makes are queued to the guest as any firmware notification is.
  public mutating func acpiEvaluate(_ path: String, arguments: [AMLValue], _ platform: KernelPlatform)
    -> (result: Result<AMLValue?, AMLError>, notifications: [AMLNotification])
  {
    let c = KContext(platform: platform, thread: 0, cpu: 0)
    var host = platform.amlHost(cpu: 0)
    let result: Result<AMLValue?, AMLError>
    do throws(AMLError) {
      result = .success(try aml.evaluate(path, arguments: arguments, host: &host))
    } catch {
      result = .failure(error)
    }
    platform.trace("aml", "aml.eval", cpu: 0, "\(path) (by the user)")
    for n in host.notifications { queueNotify(path: n.path, value: n.value, c) }
    return (result, host.notifications)
  }

  /// A notification the firmware sends (`acpi notify`): dispatched as ACPICA dispatches Notify.
  public mutating func firmwareNotify(_ path: String, value: UInt64, _ platform: KernelPlatform) -> Bool {
    guard let node = aml.namespace.lookup(path: path) else { return false }
    let canonical = aml.namespace.path(of: node)
    platform.trace("aml", "aml.notify", cpu: 0, "Notify(\(canonical), \(value)) from the firmware")
    queueNotify(path: canonical, value: value, KContext(platform: platform, thread: 0, cpu: 0))
    return true
  }
}
