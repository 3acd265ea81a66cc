/// The PSCI firmware the VMM provides through HVC (Arm DEN0022 PSCI 1.1; QEMU's
/// target/arm/psci.c and arm-powerctl.c with the RFC-V5 vCPU-hotplug policy).
///
/// The model is pure: `call` decides the result and what must happen (a CPU to start, the caller
/// to power off); the machine applies it.
public enum PSCI {
  /// Function IDs (Linux include/uapi/linux/psci.h): SMC32 0x8400_00nn, SMC64 0xC400_00nn.
  public enum Function: UInt32, CaseIterable, Sendable {
    case PSCI_VERSION = 0x8400_0000
    case CPU_SUSPEND = 0x8400_0001
    case CPU_SUSPEND_64 = 0xC400_0001
    case CPU_OFF = 0x8400_0002
    case CPU_ON = 0x8400_0003
    case CPU_ON_64 = 0xC400_0003
    case AFFINITY_INFO = 0x8400_0004
    case AFFINITY_INFO_64 = 0xC400_0004
    case MIGRATE = 0x8400_0005
    case MIGRATE_64 = 0xC400_0005
    case MIGRATE_INFO_TYPE = 0x8400_0006
    case SYSTEM_OFF = 0x8400_0008
    case SYSTEM_RESET = 0x8400_0009
    case PSCI_FEATURES = 0x8400_000A
    /// SMCCC_VERSION (ARM_SMCCC_VERSION_FUNC_ID), answered only by firmware that implements it.
    case SMCCC_VERSION = 0x8000_0000
    // PSCI 0.1 IDs that QEMU also accepts.
    case CPU_SUSPEND_0_1 = 0x95C1_BA5E
    case CPU_OFF_0_1 = 0x95C1_BA5F
    case CPU_ON_0_1 = 0x95C1_BA60
    case MIGRATE_0_1 = 0x95C1_BA61

    /// The name Linux and the specification use (SMC64 forms get `_64`? no: the same name).
    public var name: String {
      switch self {
      case .CPU_SUSPEND, .CPU_SUSPEND_64, .CPU_SUSPEND_0_1: "CPU_SUSPEND"
      case .CPU_ON, .CPU_ON_64, .CPU_ON_0_1: "CPU_ON"
      case .CPU_OFF, .CPU_OFF_0_1: "CPU_OFF"
      case .AFFINITY_INFO, .AFFINITY_INFO_64: "AFFINITY_INFO"
      case .MIGRATE, .MIGRATE_64, .MIGRATE_0_1: "MIGRATE"
      default: "\(self)"
      }
    }
  }

  /// Return codes (DEN0022 §5.2.2), sign-extended into X0.
  public enum ReturnCode: Int32, Sendable, CaseIterable {
    case SUCCESS = 0
    case NOT_SUPPORTED = -1
    case INVALID_PARAMETERS = -2
    case DENIED = -3
    case ALREADY_ON = -4
    case ON_PENDING = -5
    case INTERNAL_FAILURE = -6
    case NOT_PRESENT = -7
    case DISABLED = -8
    case INVALID_ADDRESS = -9

    /// X0 as the caller reads it.
    public var register: UInt64 { UInt64(bitPattern: Int64(rawValue)) }
  }

  /// PSCI 1.1, as QEMU reports.
  public static let version: UInt64 = 0x0001_0001

  /// A vCPU's PSCI power state (AFFINITY_INFO: 0 ON, 1 OFF, 2 ON_PENDING).
  public enum PowerState: Int, Hashable, Sendable {
    case on = 0
    case off = 1
    case onPending = 2
  }

  /// What the firmware sees of the machine when a call arrives.
  public struct Environment {
    /// MPIDR affinity (no bit 31) of every possible CPU.
    public var affinities: [UInt64]
    /// Whether each slot holds a vCPU the VMM has enabled (plugged).
    public var plugged: [Bool]
    public var power: [PowerState]
    /// CPU_ON answers forced per target (FirmwareFaults.cpuOn).
    public var forcedCPUOn: [Int: ReturnCode] = [:]
    /// SMCCC_VERSION's answer, or nil when it is not implemented (the `-cpu` model's firmware).
    public var smcccVersion: UInt32?

    public init(affinities: [UInt64], plugged: [Bool], power: [PowerState]) {
      self.affinities = affinities
      self.plugged = plugged
      self.power = power
    }
  }

  /// What the machine must do after a call.
  public enum Outcome: Hashable, Sendable {
    /// Write `x0` and continue after the HVC.
    case returns(UInt64)
    /// Return SUCCESS to the caller and start `target` at `entry` with x0 = `context`.
    case startCPU(target: Int, entry: UInt64, context: UInt64)
    /// The caller powers off (CPU_OFF): it does not return.
    case powerOff
    /// Return 0 and wait for an interrupt (CPU_SUSPEND standby).
    case standby
    case systemOff
    case systemReset
  }

  /// The result of one call, with a line for the trace.
  public struct Call: Hashable, Sendable {
    public var outcome: Outcome
    public var traceEvent: String
    public var details: String
  }

  /// IDs PSCI_FEATURES reports as implemented (QEMU: everything in its table except MIGRATE).
  static let implemented: Set<UInt32> = [
    Function.PSCI_VERSION, .CPU_SUSPEND, .CPU_SUSPEND_64, .CPU_OFF, .CPU_ON, .CPU_ON_64, .AFFINITY_INFO,
    .AFFINITY_INFO_64, .MIGRATE_INFO_TYPE, .SYSTEM_OFF, .SYSTEM_RESET, .PSCI_FEATURES,
  ].reduce(into: []) { $0.insert($1.rawValue) }

  /// Handles an HVC #0 from `caller` with the given X0-X3. The function ID is W0 (SMCCC).
  public static func call(
    caller: Int, x0: UInt64, x1: UInt64, x2: UInt64, x3: UInt64, environment env: Environment
  )
    -> Call
  {
    let id = UInt32(truncatingIfNeeded: x0)
    func result(_ code: ReturnCode, _ name: String, _ details: String) -> Call {
      Call(
        outcome: .returns(code.register), traceEvent: "psci.\(name.lowercased())",
        details: "\(details) -> \(code)")
    }
    guard let function = Function(rawValue: id) else {
      return result(.NOT_SUPPORTED, "unknown", "function 0x\(String(id, radix: 16))")
    }
    switch function {
    case .PSCI_VERSION:
      return Call(outcome: .returns(version), traceEvent: "psci.version", details: "-> 1.1")
    case .CPU_ON, .CPU_ON_64, .CPU_ON_0_1:
      let details =
        "target=0x\(String(x1, radix: 16)) entry=0x\(String(x2, radix: 16)) context=0x\(String(x3, radix: 16))"
      // QEMU checks the entry's alignment before looking the target up.
      if x2 & 3 != 0 { return result(.INVALID_PARAMETERS, "cpu_on", details) }
      guard let target = env.affinities.firstIndex(of: x1) else {
        return result(.INVALID_PARAMETERS, "cpu_on", details)
      }
      if let forced = env.forcedCPUOn[target] {
        return result(forced, "cpu_on", details + " (firmware fault)")
      }
      // RFC-V5 policy: a possible CPU the VMM has not plugged is refused with DENIED.
      guard env.plugged[target] else { return result(.DENIED, "cpu_on", details) }
      switch env.power[target] {
      case .on: return result(.ALREADY_ON, "cpu_on", details)
      case .onPending: return result(.ON_PENDING, "cpu_on", details)
      case .off:
        return Call(
          outcome: .startCPU(target: target, entry: x2, context: x3), traceEvent: "psci.cpu_on",
          details: "\(details) -> SUCCESS")
      }
    case .CPU_OFF, .CPU_OFF_0_1:
      return Call(outcome: .powerOff, traceEvent: "psci.cpu_off", details: "cpu\(caller) powers off")
    case .AFFINITY_INFO, .AFFINITY_INFO_64:
      let details = "target=0x\(String(x1, radix: 16)) level=\(x2)"
      if x2 > 0 {
        return Call(outcome: .returns(0), traceEvent: "psci.affinity_info", details: "\(details) -> 0 (ON)")
      }
      guard let target = env.affinities.firstIndex(of: x1), env.plugged[target] else {
        return result(.INVALID_PARAMETERS, "affinity_info", details)
      }
      let state = env.power[target]
      return Call(
        outcome: .returns(UInt64(state.rawValue)), traceEvent: "psci.affinity_info",
        details:
          "\(details) -> \(state.rawValue) (\(state == .on ? "ON" : state == .off ? "OFF" : "ON_PENDING"))")
    case .CPU_SUSPEND, .CPU_SUSPEND_64, .CPU_SUSPEND_0_1:
      let details = "power_state=0x\(String(x1, radix: 16))"
      if x1 & 0xFFFE_0000 != 0 { return result(.INVALID_PARAMETERS, "cpu_suspend", details) }
      return Call(outcome: .standby, traceEvent: "psci.cpu_suspend", details: "\(details) -> standby (WFI)")
    case .MIGRATE, .MIGRATE_64, .MIGRATE_0_1:
      return result(.NOT_SUPPORTED, "migrate", "")
    case .MIGRATE_INFO_TYPE:
      return Call(outcome: .returns(2), traceEvent: "psci.migrate_info_type", details: "-> 2 (no trusted OS)")
    case .SYSTEM_OFF:
      return Call(outcome: .systemOff, traceEvent: "psci.system_off", details: "")
    case .SYSTEM_RESET:
      return Call(outcome: .systemReset, traceEvent: "psci.system_reset", details: "")
    case .SMCCC_VERSION:
      // TCG's PSCI does not know the call at all (Linux never makes it once PSCI_FEATURES has
      // said NOT_SUPPORTED); NOT_SUPPORTED stands in for that.
      guard let version = env.smcccVersion else { return result(.NOT_SUPPORTED, "smccc_version", "") }
      return Call(
        outcome: .returns(UInt64(version)), traceEvent: "psci.smccc_version",
        details: "-> \(version >> 16).\(version & 0xFFFF)")
    case .PSCI_FEATURES:
      let asked = UInt32(truncatingIfNeeded: x1)
      let known =
        implemented.contains(asked) || (asked == Function.SMCCC_VERSION.rawValue && env.smcccVersion != nil)
      return Call(
        outcome: .returns(known ? 0 : ReturnCode.NOT_SUPPORTED.register), traceEvent: "psci.features",
        details: "function 0x\(String(asked, radix: 16)) -> \(known ? "0" : "NOT_SUPPORTED")")
    }
  }

  /// Linux's `psci_to_linux_errno()` (drivers/firmware/psci/psci.c).
  public static func linuxErrno(_ code: Int32) -> Int32 {
    switch code {
    case 0: 0
    case -1: -95  // -EOPNOTSUPP
    case -2, -9: -22  // -EINVAL
    case -3: -1  // -EPERM
    default: -22
    }
  }
}
