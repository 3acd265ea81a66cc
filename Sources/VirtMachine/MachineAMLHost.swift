import ACPI

/// The ACPICA operation-region handler of a guest running on the machine: SystemMemory accesses
/// from AML become physical accesses (so `_STA` reads the CPU hotplug registers), and Notify
/// calls are collected for the OS to dispatch, as ACPICA defers them.
public struct MachineAMLHost: AMLHost {
  public let machine: VirtMachine
  /// The CPU the AML runs on (for the trace).
  public var cpu: Int
  public var notifications: [AMLNotification] = []
  public var debugOutput: [AMLValue] = []

  public init(machine: VirtMachine, cpu: Int = 0) {
    self.machine = machine
    self.cpu = cpu
  }

  public mutating func regionRead(space: UInt8, address: UInt64, bitWidth: Int) -> UInt64? {
    guard space == AMLRegionSpace.systemMemory else { return nil }
    return machine.physicalRead(address, size: bitWidth / 8, cpu: cpu) ?? 0
  }

  public mutating func regionWrite(space: UInt8, address: UInt64, bitWidth: Int, value: UInt64) -> Bool {
    guard space == AMLRegionSpace.systemMemory else { return false }
    machine.physicalWrite(address, size: bitWidth / 8, value: value, cpu: cpu)
    return true
  }

  public mutating func notify(_ notification: AMLNotification) { notifications.append(notification) }
  public mutating func debugOutput(_ value: AMLValue) { debugOutput.append(value) }
}
