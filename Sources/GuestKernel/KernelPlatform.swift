import ACPI
import VirtMachine

/// The hardware the modelled kernel runs on, reached only the way Linux reaches it: physical
/// memory and MMIO, PSCI calls through HVC, the GIC CPU interface of CPU 0, and the trace.
public final class KernelPlatform {
  public let machine: VirtMachine

  public init(machine: VirtMachine) {
    self.machine = machine
  }

  /// The world's virtual time.
  public var now: UInt64 { machine.state.clock }

  public func trace(_ source: String, _ event: String, cpu: Int?, _ details: String) {
    machine.record(source: source, event: event, cpu: cpu, details: details)
  }

  /// `invoke_psci_fn` through HVC #0 (arm64 Linux uses the SMC64 ids for CPU_ON and
  /// AFFINITY_INFO); returns X0 as a signed value.
  public func hvc(cpu: Int, _ x0: UInt64, _ x1: UInt64 = 0, _ x2: UInt64 = 0, _ x3: UInt64 = 0) -> Int64 {
    switch machine.psci(caller: cpu, x0: x0, x1: x1, x2: x2, x3: x3) {
    case .returns(let value): return Int64(bitPattern: value)
    case .poweredOff, .standby, .systemOff: return 0
    }
  }

  public func read(_ address: UInt64, size: Int) -> UInt64 { machine.physicalRead(address, size: size) ?? 0 }
  public func write(_ address: UInt64, size: Int, _ value: UInt64) {
    machine.physicalWrite(address, size: size, value: value)
  }

  /// The ACPICA operation-region host for AML run on `cpu`.
  public func amlHost(cpu: Int) -> MachineAMLHost { MachineAMLHost(machine: machine, cpu: cpu) }
}
