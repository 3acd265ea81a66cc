import A64
import GuestKernel
import VirtMachine

/// The guest kernel's `KernelPlatform` over the virt machine: what a vCPU of the board sees
/// (physical memory and MMIO, HVC to the board's PSCI firmware, its system registers and IRQ
/// line) and nothing of the VMM's own state. The boot CPU's instructions are the kernel model,
/// so its system registers are answered here as its vCPU would answer them.
final class VirtMachinePlatform: KernelPlatform {
  let machine: VirtMachine

  init(machine: VirtMachine) { self.machine = machine }

  var now: UInt64 { machine.state.clock }

  /// The EFI configuration table the board's firmware wrote, as the EFI stub hands it over.
  var bootInformation: UInt64 { VirtACPIBuild.efiConfigurationTableAddress }

  func read(_ address: UInt64, size: Int, cpu: Int) -> UInt64? {
    machine.physicalRead(address, size: size, cpu: cpu)
  }

  func write(_ address: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
    machine.physicalWrite(address, size: size, value: value, cpu: cpu)
  }

  func hvc(cpu: Int, x0: UInt64, x1: UInt64, x2: UInt64, x3: UInt64) -> UInt64 {
    switch machine.psci(caller: cpu, x0: x0, x1: x1, x2: x2, x3: x3) {
    case .returns(let value): return value
    // CPU_OFF, CPU_SUSPEND standby and SYSTEM_OFF do not return to the caller's next
    // instruction; the kernel model carries on, so it sees 0.
    case .poweredOff, .standby, .systemOff: return 0
    }
  }

  func readSystemRegister(_ register: SystemRegister, cpu: Int) -> UInt64? {
    switch register {
    // Every vCPU of the board is the `-cpu` model: one MIDR; MPIDR_EL1 has RES1 bit 31.
    case .midr: return machine.options.midr
    // The ID registers of the -cpu model (what QEMU's vCPU reports), for the kernel's hwcaps.
    case .ID_AA64PFR0_EL1: return machine.options.cpu.idAA64PFR0
    case .ID_AA64PFR1_EL1: return machine.options.cpu.idAA64PFR1
    case .ID_AA64ISAR0_EL1: return machine.options.cpu.idAA64ISAR0
    case .ID_AA64ISAR1_EL1: return machine.options.cpu.idAA64ISAR1
    case .mpidr: return CPUSlotID.affinity(index: cpu) | 0x8000_0000
    default:
      guard let icc = Self.interfaceRegister(register) else { return nil }
      return machine.readICC(icc, cpu: cpu)
    }
  }

  func writeSystemRegister(_ register: SystemRegister, value: UInt64, cpu: Int) -> Bool {
    guard let icc = Self.interfaceRegister(register) else { return false }
    machine.writeICC(icc, cpu: cpu, value: value)
    return true
  }

  func irqPending(cpu: Int) -> Bool { machine.irqAsserted(cpu: cpu) }

  func trace(_ source: String, _ event: String, cpu: Int?, _ details: String) {
    machine.record(source: source, event: event, cpu: cpu, details: details)
  }

  /// The GIC CPU interface register an encoding names, if it is one.
  static func interfaceRegister(_ r: SystemRegister) -> GICCPUInterface.Register? {
    GICCPUInterface.Register(
      op0: Int(r.op0), op1: Int(r.op1), crn: Int(r.crn), crm: Int(r.crm), op2: Int(r.op2))
  }
}
