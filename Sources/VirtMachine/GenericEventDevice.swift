/// The ACPI Generic Event Device (ACPI0013; QEMU hw/acpi/generic_event_device.c): a 4-byte event
/// selector at 0x0908_0000 that the guest's `_EVT` reads, and one edge interrupt, SPI 9 = GSIV 41,
/// pulsed once per event.
public struct GenericEventDevice: Hashable, Sendable {
  public static let base: UInt64 = 0x0908_0000
  public static let length: UInt64 = 4
  /// SPI 9 + 32.
  public static let gsiv = 41

  /// Event bits (`ACPI_GED_*_EVT`).
  public enum Event: UInt32, CaseIterable, Sendable {
    case memoryHotplug = 0x1
    case powerDown = 0x2
    case nvdimmHotplug = 0x4
    case cpuHotplug = 0x8
  }

  /// Events enabled on this board (RFC-V5 virt: power-down and CPU hotplug).
  public var eventMask: UInt32 = Event.powerDown.rawValue | Event.cpuHotplug.rawValue
  /// The pending events: ORed on raise, cleared by the guest's read.
  public var selector: UInt32 = 0

  public init() {}

  /// Raises an event: the bit is ORed in and the interrupt must be pulsed (the caller does it).
  public mutating func raise(_ event: Event) {
    selector |= event.rawValue & eventMask
  }

  /// ESEL read: returns the pending bits and clears them. Only 4-byte accesses are valid; others
  /// read 0 and change nothing.
  public mutating func read(offset: UInt64, size: Int) -> UInt64 {
    guard offset == 0, size == 4 else { return 0 }
    let value = selector
    selector = 0
    return UInt64(value)
  }
}
