/// A Notify the AML executed: the object, its path and the value (0x00-0x7F system, 0x80-0xFF device).
public struct AMLNotification: Equatable, Sendable, CustomStringConvertible {
  public var node: Int
  public var path: String
  public var value: UInt64
  /// "Device", "Processor" or "ThermalZone".
  public var objectType: String

  public var description: String {
    "\(value < 0x80 ? "System" : "Device") Notify on [\(path)] value 0x\(hex(value, 2)) (\(AMLNotification.meaning(of: value)))"
  }

  /// The generic meaning of a Notify value for a Device (ACPI 6.5 §5.6.6).
  public static func meaning(of value: UInt64) -> String {
    let generic = [
      "Bus Check", "Device Check", "Device Wake", "Eject Request", "Device Check Light", "Frequency Mismatch",
      "Bus Mode Mismatch", "Power Fault", "Capabilities Check", "Device PLD Check", "Reserved",
      "System Locality Update", "Reserved (was Shutdown Request)", "System Resource Affinity Update",
      "Heterogeneous Memory Attributes Update", "Error Disconnect Recover",
    ]
    if value < UInt64(generic.count) { return generic[Int(value)] }
    switch value {
    case 0x80: return "Status Change"
    case 0x81: return "Information Change"
    case 0x10..<0x80: return "Reserved"
    default: return "Device-Specific"
    }
  }
}

/// What the interpreter needs from the machine around it: operation region accesses (the board
/// serves SystemMemory from its registers), Notify delivery, and Debug output.
public protocol AMLHost {
  /// Reads `bitWidth` (8/16/32/64) bits at `address` of address space `space`. Returning nil
  /// means no handler is installed for that space (ACPICA: AE_NOT_EXIST).
  mutating func regionRead(space: UInt8, address: UInt64, bitWidth: Int) -> UInt64?
  /// Writes; returns false when no handler is installed for that space.
  mutating func regionWrite(space: UInt8, address: UInt64, bitWidth: Int, value: UInt64) -> Bool
  /// Called when AML executes Notify. ACPICA queues the notification to deferred work
  /// (AcpiOsExecute) and returns at once; a host should do the same with its handler.
  mutating func notify(_ notification: AMLNotification)
  /// Called for each Store to the Debug object.
  mutating func debugOutput(_ value: AMLValue)
  /// Called for Sleep and Stall; the default does nothing.
  mutating func delay(microseconds: UInt64)
}

extension AMLHost {
  /// Called for Sleep (milliseconds × 1000) and Stall (microseconds) so a host with a virtual
  /// clock can advance it. The interpreter itself never waits.
  public mutating func delay(microseconds: UInt64) {}
}

/// One region access, as `acpiexec -vr` logs them.
public struct AMLRegionAccess: Equatable, Sendable {
  public var isWrite: Bool
  public var space: UInt8
  public var address: UInt64
  public var bitWidth: Int
  public var value: UInt64
}

/// A host that serves SystemMemory and SystemIO as plain RAM (initially `fill` bytes), the way
/// acpiexec simulates regions, and records notifications, debug output and accesses.
public struct AMLSimulatedHost: AMLHost, Equatable, Sendable {
  public var memory: [UInt8: [UInt64: UInt8]] = [:]
  public var fill: UInt8
  public var notifications: [AMLNotification] = []
  public var debugLog: [AMLValue] = []
  public var accesses: [AMLRegionAccess] = []
  public var recordAccesses: Bool

  public init(fill: UInt8 = 0, recordAccesses: Bool = false) {
    self.fill = fill
    self.recordAccesses = recordAccesses
  }

  public mutating func regionRead(space: UInt8, address: UInt64, bitWidth: Int) -> UInt64? {
    guard space == AMLRegionSpace.systemMemory || space == AMLRegionSpace.systemIO else { return nil }
    var value: UInt64 = 0
    for index in 0..<bitWidth / 8 {
      value |= UInt64(memory[space]?[address &+ UInt64(index)] ?? fill) << UInt64(8 * index)
    }
    if recordAccesses {
      accesses.append(
        AMLRegionAccess(isWrite: false, space: space, address: address, bitWidth: bitWidth, value: value))
    }
    return value
  }

  public mutating func regionWrite(space: UInt8, address: UInt64, bitWidth: Int, value: UInt64) -> Bool {
    guard space == AMLRegionSpace.systemMemory || space == AMLRegionSpace.systemIO else { return false }
    for index in 0..<bitWidth / 8 {
      memory[space, default: [:]][address &+ UInt64(index)] = UInt8(
        truncatingIfNeeded: value >> UInt64(8 * index))
    }
    if recordAccesses {
      accesses.append(
        AMLRegionAccess(isWrite: true, space: space, address: address, bitWidth: bitWidth, value: value))
    }
    return true
  }

  public mutating func notify(_ notification: AMLNotification) { notifications.append(notification) }
  public mutating func debugOutput(_ value: AMLValue) { debugLog.append(value) }
}
