/// QEMU's "modern" ACPI CPU hotplug register block (hw/acpi/cpu.c, docs/specs/acpi_cpu_hotplug.rst)
/// as RFC-V5 maps it on virt: 12 bytes at 0x090C_0000, a sub-region of the GED. The guest's AML
/// (`\_SB.PRES`, `CSTA`, `CSCN`, `CEJ0`, `COST`) reads and writes these registers; the VMM sets
/// the insert and remove flags.
public struct ACPICPUHotplug: Hashable, Sendable {
  public static let base: UInt64 = 0x090C_0000
  /// `ACPI_CPU_HOTPLUG_REG_LEN`
  public static let length: UInt64 = 12

  /// One record per possible CPU (`AcpiCpuStatus`).
  public struct Slot: Hashable, Sendable {
    /// A vCPU object occupies the slot.
    public var plugged = false
    /// `is_inserting`: a device-check event is pending.
    public var inserting = false
    /// `is_removing`: an eject-request event is pending.
    public var removing = false
    /// `fw_remove`: firmware-assisted eject pending (x86 SMI path; never set on arm).
    public var firmwareRemove = false
    /// RFC-V5 `is_enabled`: drives flags bit 0 (CPEN).
    public var enabled = false
    /// RFC-V5 `is_present`: true for every arm slot ("persistent presence"); flags bit 5 (CPRS).
    public var present = true
    public var ostEvent: UInt32 = 0
    public var ostStatus: UInt32 = 0
    /// MPIDR affinity (`arch_id`).
    public var archID: UInt64 = 0
  }

  /// Commands written to offset 5 (`CCMD`).
  public enum Command: UInt8, Sendable {
    case getNextCPUWithEvent = 0
    case ostEvent = 1
    case ostStatus = 2
    case getCPUID = 3
  }

  public var slots: [Slot]
  /// `CSEL`: kept across reset.
  public var selector: UInt32 = 0
  public var command: UInt8 = 0
  /// What happened, for the trace.
  public var notes: [DeviceNote] = []

  public init(archIDs: [UInt64]) {
    slots = archIDs.map { id in
      var slot = Slot()
      slot.archID = id
      return slot
    }
  }

  /// A guest write that the machine must act on.
  public enum Action: Hashable, Sendable {
    /// `CEJ0`: unplug the vCPU in this slot now (QEMU does it inside the MMIO write).
    case eject(slot: Int)
    /// `_OST` status written: QEMU emits the QMP event `ACPI_DEVICE_OST`.
    case ost(slot: Int, event: UInt32, status: UInt32)
  }

  private var selected: Int? { Int(selector) < slots.count ? Int(selector) : nil }

  /// The flags byte at offset 4: CPEN [0], CINS [1], CRMV [2], CEJF [4], CPRS [5].
  func flags(_ slot: Slot) -> UInt64 {
    (slot.enabled ? 1 : 0) | (slot.inserting ? 2 : 0) | (slot.removing ? 4 : 0)
      | (slot.firmwareRemove ? 0x10 : 0)
      | (slot.present ? 0x20 : 0)
  }

  /// `cpu_hotplug_rd`
  public func read(offset: UInt64, size: Int) -> UInt64 {
    guard let index = selected else { return 0 }
    let slot = slots[index]
    var value: UInt64
    switch offset {
    case 0x0:
      value = command == Command.getCPUID.rawValue ? slot.archID >> 32 : 0
    case 0x4:
      value = flags(slot)
    case 0x8:
      switch Command(rawValue: command) {
      case .getNextCPUWithEvent: value = UInt64(selector)
      case .getCPUID: value = slot.archID & 0xFFFF_FFFF
      default: value = 0
      }
    default:
      value = 0
    }
    if size < 8 { value &= (UInt64(1) << UInt64(size * 8)) - 1 }
    return value
  }

  /// `cpu_hotplug_wr`
  public mutating func write(offset: UInt64, size: Int, value: UInt64, bootCPU: Int = 0) -> Action? {
    if offset == 0x0 {
      selector = UInt32(truncatingIfNeeded: value)
      return nil
    }
    guard let index = selected else { return nil }
    switch offset {
    case 0x4:
      // Only the first set bit among 1, 2, 3, 4 acts.
      if value & 0x02 != 0 {
        slots[index].inserting = false
        notes.append(
          DeviceNote(
            source: "acpi", event: "cpuhp.clear_insert", cpu: index, details: "slot \(index): CINS cleared"))
      } else if value & 0x04 != 0 {
        slots[index].removing = false
        notes.append(
          DeviceNote(
            source: "acpi", event: "cpuhp.clear_remove", cpu: index, details: "slot \(index): CRMV cleared"))
      } else if value & 0x08 != 0 {
        // Eject is ignored for an empty slot and for the boot CPU (`first_cpu`).
        guard slots[index].plugged, index != bootCPU else {
          notes.append(
            DeviceNote(
              source: "acpi", event: "cpuhp.eject_ignored", cpu: index,
              details: "slot \(index): CEJ0 ignored (\(slots[index].plugged ? "boot CPU" : "empty slot"))"))
          return nil
        }
        notes.append(
          DeviceNote(source: "acpi", event: "cpuhp.eject", cpu: index, details: "slot \(index): CEJ0"))
        return .eject(slot: index)
      } else if value & 0x10 != 0 {
        slots[index].firmwareRemove = true
      }
    case 0x5:
      // Commands 4 and above are ignored (the command stays).
      guard let new = Command(rawValue: UInt8(truncatingIfNeeded: value)) else { return nil }
      command = new.rawValue
      if new == .getNextCPUWithEvent {
        // Search from the selector, wrapping around once.
        for step in 0..<slots.count {
          let candidate = (index + step) % slots.count
          let s = slots[candidate]
          if s.inserting || s.removing || s.firmwareRemove {
            selector = UInt32(candidate)
            break
          }
        }
      }
    case 0x8:
      switch Command(rawValue: command) {
      case .ostEvent:
        slots[index].ostEvent = UInt32(truncatingIfNeeded: value)
      case .ostStatus:
        slots[index].ostStatus = UInt32(truncatingIfNeeded: value)
        notes.append(
          DeviceNote(
            source: "acpi", event: "cpuhp.ost", cpu: index,
            details:
              "slot \(index): _OST event=0x\(String(slots[index].ostEvent, radix: 16)) status=0x\(String(slots[index].ostStatus, radix: 16))"
          ))
        return .ost(slot: index, event: slots[index].ostEvent, status: slots[index].ostStatus)
      default:
        break
      }
    default:
      break
    }
    return nil
  }
}
