import ACPI
import CPUMask

/// The ACPI namespace scan and hotplug work (drivers/acpi/scan.c): enumerating processor devices
/// at boot (`acpi_bus_scan` → `acpi_bus_attach` → the processor scan handler), and the
/// notifications the firmware sends later: Device Check (`acpi_scan_device_check`) and Eject
/// Request (`acpi_scan_hot_remove`), each answered with `_OST`.
extension Kernel {
  static let ACPI_NOTIFY_BUS_CHECK: UInt64 = 0
  static let ACPI_NOTIFY_DEVICE_CHECK: UInt64 = 1
  static let ACPI_NOTIFY_EJECT_REQUEST: UInt64 = 3
  static let ACPI_OST_EC_OSPM_EJECT: UInt64 = 0x103
  static let ACPI_OST_SC_SUCCESS: UInt64 = 0
  static let ACPI_OST_SC_NON_SPECIFIC_FAILURE: UInt64 = 1
  static let ACPI_OST_SC_EJECT_NOT_SUPPORTED: UInt64 = 0x80
  static let ACPI_OST_SC_DEVICE_BUSY: UInt64 = 0x82
  static let ACPI_OST_SC_EJECT_IN_PROGRESS: UInt64 = 0x84

  /// `acpi_scan_init()` → `acpi_bus_scan(ACPI_ROOT_OBJECT)`: finds every processor device
  /// (`_HID` ACPI0007) in the namespace and attaches what is present.
  static var acpiScanInit: KFunction {
    KFunction("acpi_scan_init") { k, c in
      k.processors = k.findProcessorDevices(c)
      k.processorIndexByPath = Dictionary(k.processors.indices.map { (k.processors[$0].path, $0) }) { a, _ in
        a
      }
      return .tailCall(acpiBusScan(k.processors.map(\.path)))
    }
  }

  /// Processor devices of the namespace, in namespace order.
  mutating func findProcessorDevices(_ c: KContext) -> [ACPIProcessorDevice] {
    var found: [ACPIProcessorDevice] = []
    for node in aml.namespace.nodes.indices where aml.namespace[node].live {
      guard case .device = aml.namespace[node].object else { continue }
      let path = aml.namespace.path(of: node)
      guard let hidNode = aml.namespace.lookup(path: path + "._HID"),
        case .data(.string(let hid)) = aml.namespace[hidNode].object, hid == "ACPI0007"
      else { continue }
      var uid: UInt64 = 0
      if let uidNode = aml.namespace.lookup(path: path + "._UID"),
        case .data(.integer(let v)) = aml.namespace[uidNode].object
      {
        uid = v
      }
      var device = ACPIProcessorDevice(path: path, uid: uid)
      device.hasSTA = aml.namespace.lookup(path: path + "._STA") != nil
      found.append(device)
    }
    return found
  }

  /// The processor device at `path`: every step of the scan and hotplug work asks, so the paths
  /// are indexed when the list is built; a list changed without its index is searched instead.
  func processorIndex(_ path: String) -> Int? {
    if let index = processorIndexByPath[path], index < processors.count, processors[index].path == path {
      return index
    }
    guard processorIndexByPath.count != processors.count else { return nil }
    return processors.firstIndex { $0.path == path }
  }

  /// The path of a node's parent scope (`\_SB.CPUS` for `\_SB.CPUS.C001`).
  static func parentPath(_ path: String) -> Substring {
    path.lastIndex(of: ".").map { path[..<$0] } ?? ""
  }

  /// `acpi_bus_scan()` → `acpi_bus_attach()` for each processor device in turn: read `_STA`,
  /// skip devices that are not present (and not functional), and attach the scan handler to the
  /// rest (`acpi_scan_attach_handler` → `acpi_processor_add`).
  static func acpiBusScan(_ paths: [String]) -> KFunction {
    KFunction("acpi_bus_scan") { k, c in
      func attach(_ i: Int, _ k: inout Kernel, _ c: KContext) -> KResult {
        guard i < paths.count else { return .returns(0) }
        return .call(acpiBusAttach(paths[i])) { k, c, _ in attach(i + 1, &k, c) }
      }
      return attach(0, &k, c)
    }
  }

  /// `acpi_bus_attach()` of one device.
  static func acpiBusAttach(_ path: String) -> KFunction {
    KFunction("acpi_bus_attach", path) { k, c in
      guard let index = k.processorIndex(path) else { return .returns(0) }
      let status = k.evaluateSTA(path, c) ?? 0
      k.processors[index].status = status
      // acpi_dev_ready_for_enumeration(): present or functional.
      guard status & (ACPI_STA_DEVICE_PRESENT | ACPI_STA_DEVICE_FUNCTIONING) != 0 else { return .returns(0) }
      if k.processors[index].handlerAttached { return .returns(0) }
      return .call(acpiProcessorAdd(path)) { k, c, result in
        if result > 0 {
          k.processors[index].handlerAttached = true
          k.processors[index].enumerated = true
        } else {
          k.processors[index].handlerAttached = false
        }
        return .returns(0)
      }
    }
  }

  /// `acpi_device_hotplug()` on the kacpi_hotplug workqueue: the generic hotplug event for a
  /// processor, then `_OST` with the outcome.
  static func acpiDeviceHotplug(_ path: String, type: UInt64) -> KFunction {
    KFunction("acpi_device_hotplug", "\(path) \(notifyName(type))") { k, c in
      let work: KFunction
      switch type {
      case ACPI_NOTIFY_BUS_CHECK, ACPI_NOTIFY_DEVICE_CHECK:
        work = acpiScanDeviceCheck(path)
      case ACPI_NOTIFY_EJECT_REQUEST:
        work = acpiGenericEjectRequest(path)
      default:
        k.hotplugWorkRunning = false
        k.startHotplugWork(at: c.now + Kernel.stepCost)
        return .returns(0)
      }
      // lock_device_hotplug(); mutex_lock(&acpi_scan_lock): one hotplug operation at a time.
      return .call(lockDeviceHotplug) { k, c, _ in
        .call(work) { k, c, error in
          // 0 -> success, -EPERM -> eject not supported, -EBUSY -> busy, else non-specific failure.
          let status: UInt64
          switch error {
          case 0: status = ACPI_OST_SC_SUCCESS
          case Kernel.err(.EPERM): status = ACPI_OST_SC_EJECT_NOT_SUPPORTED
          case Kernel.err(.EBUSY): status = ACPI_OST_SC_DEVICE_BUSY
          default: status = ACPI_OST_SC_NON_SPECIFIC_FAILURE
          }
          k.evaluateOST(path, source: type, status: status, c)
          return .call(unlockDeviceHotplug) { k, c, _ in
            // The ordered workqueue starts the next item only when this one has returned.
            k.hotplugWorkRunning = false
            k.startHotplugWork(at: c.now + Kernel.stepCost)
            return .returns(error)
          }
        }
      }
    }
  }

  static func notifyName(_ type: UInt64) -> String {
    switch type {
    case 0: "Bus Check"
    case 1: "Device Check"
    case 3: "Eject Request"
    default: "0x\(lhex(type, 2))"
    }
  }

  /// `acpi_scan_device_check()`: re-check the device (`acpi_scan_check_subtree`); if it is
  /// present and has no handler yet, scan its parent, which attaches it.
  static func acpiScanDeviceCheck(_ path: String) -> KFunction {
    KFunction("acpi_scan_device_check", path) { k, c in
      guard let index = k.processorIndex(path) else { return .returns(0) }
      return .call(acpiScanCheckSubtree(path)) { k, c, _ in
        guard k.processors[index].status & (ACPI_STA_DEVICE_PRESENT | ACPI_STA_DEVICE_FUNCTIONING) != 0 else {
          return .returns(0)
        }
        if k.processors[index].handlerAttached { return .returns(0) }  // "Already enumerated"
        // acpi_bus_scan(parent): every processor under \_SB.CPUS is walked again.
        let parent = parentPath(path)
        let siblings = k.processors.map(\.path).filter { parentPath($0) == parent }
        return .tailCall(acpiBusScan(siblings))
      }
    }
  }

  /// `acpi_scan_check_subtree()` with ACPI_SCAN_CHECK_FLAG_STATUS: re-read `_STA`; a device that
  /// is no longer present and enabled but was enumerated loses its handler (`acpi_scan_check_and_detach`).
  static func acpiScanCheckSubtree(_ path: String) -> KFunction {
    KFunction("acpi_scan_check_subtree", path) { k, c in
      guard let index = k.processorIndex(path) else { return .returns(0) }
      let status = k.evaluateSTA(path, c) ?? 0
      k.processors[index].status = status
      if !acpiDeviceIsEnabled(status) && k.processors[index].enumerated {
        // The processor handler has no .detach since 6.11: only the handler pointer and the
        // enumerated flag go; the CPU device and its enabled bit stay.
        k.processors[index].handlerAttached = false
        k.processors[index].enumerated = false
      }
      return .returns(0)
    }
  }

  /// `acpi_generic_hotplug_event(adev, ACPI_NOTIFY_EJECT_REQUEST)`: report "eject in progress",
  /// then remove.
  static func acpiGenericEjectRequest(_ path: String) -> KFunction {
    KFunction("acpi_generic_hotplug_event", "\(path) Eject Request") { k, c in
      k.evaluateOST(path, source: ACPI_NOTIFY_EJECT_REQUEST, status: ACPI_OST_SC_EJECT_IN_PROGRESS, c)
      return .tailCall(acpiScanHotRemove(path))
    }
  }

  /// `acpi_scan_hot_remove()`: offline the CPU, detach, `_EJ0`, then re-check `_STA` and run
  /// `post_eject` only if the device really is no longer enabled.
  static func acpiScanHotRemove(_ path: String) -> KFunction {
    KFunction("acpi_scan_hot_remove", path) { k, c in
      guard let index = k.processorIndex(path) else { return .returns(Kernel.err(.ENODEV)) }
      let cpu = k.processors[index].cpu
      return .call(acpiScanTryToOffline(path, cpu: cpu)) { k, c, error in
        if error < 0 { return .returns(error) }
        return .call(acpiScanCheckAndDetach(path)) { k, c, _ in
          .call(acpiEvaluateEJ0(path)) { k, c, error in
            if error != 0 { return .returns(error) }
            return k.acpiEjectStatusCheck(path, c)
          }
        }
      }
    }
  }

  /// `acpi_scan_try_to_offline()`: `acpi_bus_offline()` on the device's physical node (the CPU
  /// device) in two passes, errors ignored in the first; a second failure is "Offline failed."
  /// and -EBUSY. `device_offline()` returns 1 for a device that is already offline.
  static func acpiScanTryToOffline(_ path: String, cpu: Int?) -> KFunction {
    KFunction("acpi_scan_try_to_offline", path) { k, c in
      guard let cpu, k.cpus[cpu].device != nil else { return .returns(0) }
      return .call(deviceOffline(cpu)) { k, c, first in
        if first >= 0 { return .returns(0) }
        return .call(deviceOffline(cpu)) { k, c, second in
          if second >= 0 { return .returns(0) }
          k.printk(.warning, "processor cpu\(cpu): Offline failed.", c)
          return .returns(Kernel.err(.EBUSY))
        }
      }
    }
  }

  /// `acpi_scan_check_and_detach(adev, ACPI_SCAN_CHECK_FLAG_EJECT)`: no processor `.detach` since
  /// the series (patch 10); before it, the handler's `.detach` (`acpi_processor_remove`) ran here,
  /// before `_EJ0`.
  static func acpiScanCheckAndDetach(_ path: String) -> KFunction {
    KFunction("acpi_scan_check_and_detach", path) { k, c in
      // The processor handler's .detach exists only with CONFIG_ACPI_HOTPLUG_CPU.
      if !k.config.applied(.postEject), k.acpiHotplugCPU, let index = k.processorIndex(path),
        k.processors[index].handlerAttached
      {
        k.processors[index].handlerAttached = false
        k.processors[index].enumerated = false
        return .tailCall(acpiProcessorPostEject(path))
      }
      return .returns(0)
    }
  }

  /// `_EJ0(1)` (after `acpi_evaluate_lck`): -ENODEV without an `_EJ0`, -EIO on failure.
  static func acpiEvaluateEJ0(_ path: String) -> KFunction {
    KFunction("acpi_evaluate_ej0", path) { k, c in
      guard k.aml.namespace.lookup(path: path + "._EJ0") != nil else { return .returns(Kernel.err(.ENODEV)) }
      switch k.evaluate(path + "._EJ0", [.integer(1)], c) {
      case .success: return .returns(0)
      case .failure: return .returns(Kernel.err(.EIO))
      }
    }
  }

  /// The `_STA` check after `_EJ0`, still in `acpi_scan_hot_remove()`: "Eject incomplete" keeps
  /// everything; otherwise `acpi_bus_post_eject()` → the processor's `post_eject` (patch 10;
  /// before it there is no post-eject step: `.detach` already ran before `_EJ0`).
  mutating func acpiEjectStatusCheck(_ path: String, _ c: KContext) -> KResult {
    guard let index = processorIndex(path) else { return .returns(0) }
    guard let sta = evaluateSTA(path, c) else {
      printk(
        .warning, "ACPI: \(Kernel.acpiHandlePath(path)): Status check after eject failed (0x\(lhex(1, 1)))", c
      )
      return .returns(0)
    }
    processors[index].status = sta
    if sta & ACPI_STA_DEVICE_ENABLED != 0 {
      printk(
        .warning, "ACPI: \(Kernel.acpiHandlePath(path)): Eject incomplete - status 0x\(lhex(UInt64(sta), 1))",
        c)
      return .returns(0)
    }
    guard config.applied(.postEject) else { return .returns(0) }
    return .call(Kernel.acpiBusPostEject(path)) { _, _, _ in .returns(0) }
  }

  /// `acpi_bus_post_eject()`: the scan handler's `post_eject`, then the handler and the
  /// enumerated flag go.
  static func acpiBusPostEject(_ path: String) -> KFunction {
    KFunction("acpi_bus_post_eject", path) { k, c in
      guard let index = k.processorIndex(path) else { return .returns(0) }
      k.processors[index].handlerAttached = false
      k.processors[index].enumerated = false
      // processor_handler.post_eject is set only with CONFIG_ACPI_HOTPLUG_CPU: without it the
      // CPU stays registered, bound and enabled after a successful _EJ0.
      guard k.acpiHotplugCPU else { return .returns(0) }
      return .tailCall(acpiProcessorPostEject(path))
    }
  }
}
