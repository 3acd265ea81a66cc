import A64
import ACPI

/// Everything the modelled kernel may touch, and nothing more: what Linux has on arm64. Guest
/// physical memory and MMIO (`readl`/`writel` on an ioremap; an access nothing answers is a bus
/// error), `invoke_psci_fn` through HVC, the boot CPU's system registers (MIDR_EL1, MPIDR_EL1,
/// the ICC_* CPU interface), its IRQ line, the arch timer's virtual time, and the trace. Every
/// fact about the board comes through here or from the firmware tables read through here: the
/// kernel finds those from the one address the boot loader hands over, `bootInformation`.
///
/// The Lab implements it over the virt machine; a test implements it over a fake board.
public protocol KernelPlatform: AnyObject {
  /// Virtual time in nanoseconds (what CNTVCT_EL0 counts).
  var now: UInt64 { get }

  /// The guest-physical address of the EFI configuration table the boot loader hands over (as
  /// the EFI stub passes the system table in `/chosen`): the kernel finds the RSDP in it.
  var bootInformation: UInt64 { get }

  /// A physical read of `size` bytes by `cpu`; nil is a bus error (nothing answers there).
  func read(_ address: UInt64, size: Int, cpu: Int) -> UInt64?

  /// A physical write by `cpu`; false is a bus error.
  func write(_ address: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool

  /// `HVC #0` on `cpu` with X0-X3 (SMCCC): X0 afterwards.
  func hvc(cpu: Int, x0: UInt64, x1: UInt64, x2: UInt64, x3: UInt64) -> UInt64

  /// MRS on `cpu`; nil for a register the CPU does not have (an UNDEFINED instruction).
  func readSystemRegister(_ register: SystemRegister, cpu: Int) -> UInt64?

  /// MSR on `cpu`; false for a register the CPU does not have.
  func writeSystemRegister(_ register: SystemRegister, value: UInt64, cpu: Int) -> Bool

  /// Whether `cpu`'s IRQ line is asserted (ISR_EL1.I).
  func irqPending(cpu: Int) -> Bool

  /// A trace record, beside the board's own.
  func trace(_ source: String, _ event: String, cpu: Int?, _ details: String)
}

extension KernelPlatform {
  /// `invoke_psci_fn()`: the PSCI call through HVC #0 (arm64 Linux uses the SMC64 ids for
  /// CPU_ON and AFFINITY_INFO); X0 as a signed value.
  func hvc(cpu: Int, _ x0: UInt64, _ x1: UInt64 = 0, _ x2: UInt64 = 0, _ x3: UInt64 = 0) -> Int64 {
    Int64(bitPattern: hvc(cpu: cpu, x0: x0, x1: x1, x2: x2, x3: x3))
  }

  /// The ACPICA operation-region host for AML run on `cpu`.
  func amlHost(cpu: Int) -> PlatformAMLHost { PlatformAMLHost(platform: self, cpu: cpu) }
}

/// ACPICA's SystemMemory region handler (`acpi_ex_system_memory_space_handler`) over the
/// platform's physical memory, so `_STA` reads the CPU hotplug registers as Linux does, and the
/// Notify calls AML makes, collected for the OS to dispatch (ACPICA defers them).
public struct PlatformAMLHost: AMLHost {
  let platform: any KernelPlatform
  /// The CPU the AML runs on.
  let cpu: Int
  public var notifications: [AMLNotification] = []
  public var debugOutput: [AMLValue] = []

  public mutating func regionRead(space: UInt8, address: UInt64, bitWidth: Int) -> UInt64? {
    guard space == AMLRegionSpace.systemMemory else { return nil }
    // A region over nothing reads as zero to the AML (ACPICA maps it and reads what is there).
    return platform.read(address, size: bitWidth / 8, cpu: cpu) ?? 0
  }

  public mutating func regionWrite(space: UInt8, address: UInt64, bitWidth: Int, value: UInt64) -> Bool {
    guard space == AMLRegionSpace.systemMemory else { return false }
    _ = platform.write(address, size: bitWidth / 8, value: value, cpu: cpu)
    return true
  }

  public mutating func notify(_ notification: AMLNotification) { notifications.append(notification) }
  public mutating func debugOutput(_ value: AMLValue) { debugOutput.append(value) }
}
