import ACPI
import CPUMask

/// The kernel's use of ACPICA (drivers/acpi/osl.c, utils.c, bus.c): evaluating objects with the
/// region handler on the machine's physical memory, and dispatching the Notify calls AML makes.
/// The kernel's `acpi_handle`s: namespace nodes by absolute path, each path parsed and looked up
/// once. The namespace's shape changes only when a table is loaded (objects a method creates are
/// gone when it returns), so the cache holds until the number of loaded tables changes.
struct AMLHandleCache {
  private var nodes: [String: Int] = [:]
  private var tables = 0

  /// Forgets every handle if a table was loaded (or the interpreter replaced) since they were cached.
  mutating func validate(_ aml: AMLInterpreter) {
    guard aml.tables.count != tables else { return }
    nodes = [:]
    tables = aml.tables.count
  }

  /// `acpi_get_handle()`: the node at `path`, nil if there is none.
  mutating func node(_ path: String, in aml: AMLInterpreter) -> Int? {
    if let node = nodes[path] { return node }
    guard let node = aml.namespace.lookup(path: path) else { return nil }
    nodes[path] = node
    return node
  }
}

/// The `_STA` bits (include/acpi/actypes.h).
let ACPI_STA_DEVICE_PRESENT: UInt32 = 0x01
let ACPI_STA_DEVICE_ENABLED: UInt32 = 0x02
let ACPI_STA_DEVICE_UI: UInt32 = 0x04
let ACPI_STA_DEVICE_FUNCTIONING: UInt32 = 0x08
/// What a device without `_STA` reports: present, enabled, shown, functioning.
let ACPI_STA_DEFAULT: UInt32 =
  ACPI_STA_DEVICE_PRESENT | ACPI_STA_DEVICE_ENABLED | ACPI_STA_DEVICE_UI | ACPI_STA_DEVICE_FUNCTIONING

/// `acpi_device_is_enabled()` (drivers/acpi/scan.c): present and enabled.
func acpiDeviceIsEnabled(_ status: UInt32) -> Bool {
  let both = ACPI_STA_DEVICE_PRESENT | ACPI_STA_DEVICE_ENABLED
  return status & both == both
}

extension Kernel {
  /// `acpi_get_handle()` through the handle cache.
  mutating func amlNode(_ path: String) -> Int? { amlHandles.node(path, in: aml) }

  /// `acpi_evaluate_object()`: runs AML on `c.cpu`; Notify calls are queued for the hotplug work,
  /// as ACPICA defers them (`acpi_os_execute(OSL_NOTIFY_HANDLER, ...)`).
  mutating func evaluate(_ path: String, _ arguments: [AMLValue] = [], _ c: KContext) -> Result<
    AMLValue?, AMLError
  > {
    var host = c.platform.amlHost(cpu: c.cpu)
    let argumentText = arguments.map { argumentDescription($0) }.joined(separator: ", ")
    let result: Result<AMLValue?, AMLError>
    do throws(AMLError) {
      if let node = amlNode(path) {
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
    let path = devicePath + "._STA"
    guard amlNode(path) != nil else { return ACPI_STA_DEFAULT }
    switch evaluate(path, [], c) {
    case .success(.integer(let v)?): return UInt32(truncatingIfNeeded: v)
    default: return nil
    }
  }

  /// `_OST(source, status, {})` if the device has one (`acpi_evaluate_ost`).
  mutating func evaluateOST(_ devicePath: String, source: UInt64, status: UInt64, _ c: KContext) {
    let path = devicePath + "._OST"
    guard amlNode(path) != nil else { return }
    _ = evaluate(path, [.integer(source), .integer(status), .buffer([])], c)
  }

  /// `acpi_ev_queue_notify_request` → `acpi_bus_notify()` → `acpi_hotplug_schedule()`: a system
  /// notification on a processor device becomes hotplug work on the kacpi_hotplug workqueue.
  mutating func queueNotify(path: String, value: UInt64, _ c: KContext) {
    // acpi_get_acpi_dev(): the processor device whose node the notification names. AML notifies
    // by the node's canonical path, which is the device's own, so the search is rarely needed.
    let canonical: String
    if processorIndex(path) != nil {
      canonical = path
    } else {
      let node = amlNode(path)
      var found: String?
      for index in processors.indices where amlNode(processors[index].path) == node {
        found = processors[index].path
        break
      }
      canonical = found ?? path
    }
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
  public mutating func acpiEvaluate(_ path: String, arguments: [AMLValue], _ platform: any KernelPlatform)
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
  public mutating func firmwareNotify(_ path: String, value: UInt64, _ platform: any KernelPlatform) -> Bool {
    guard let node = aml.namespace.lookup(path: path) else { return false }
    let canonical = aml.namespace.path(of: node)
    platform.trace("aml", "aml.notify", cpu: 0, "Notify(\(canonical), \(value)) from the firmware")
    queueNotify(path: canonical, value: value, KContext(platform: platform, thread: 0, cpu: 0))
    return true
  }
}
