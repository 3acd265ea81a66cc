/// The GICv3 CPU interface of one vCPU: the ICC_* system registers (Arm GIC architecture,
/// encodings op0=3 op1=0 CRn=4/12). The A64 engine routes MRS/MSR of these registers here.
public struct GICCPUInterface: Hashable, Sendable {
  /// ICC_SRE_EL1: SRE [0], DFB [1], DIB [2]; QEMU's value is 0x7 (system registers only).
  public var systemRegisterEnable: UInt64 = 0x7
  /// ICC_PMR_EL1: an interrupt is signalled only if its priority is numerically lower. Reset 0.
  public var priorityMask: UInt8 = 0
  /// ICC_BPR1_EL1
  public var binaryPoint: UInt8 = 0
  /// ICC_CTLR_EL1.EOImode: 1 = EOI only drops priority, ICC_DIR_EL1 deactivates.
  public var eoiMode = false
  /// ICC_IGRPEN1_EL1.Enable
  public var groupEnable1 = false
  /// Priorities and INTIDs of acknowledged, not yet EOI'd interrupts (innermost last).
  var activePriorities: [UInt8] = []
  var activeINTIDs: [Int] = []

  /// ICC_RPR_EL1: the running priority, 0xFF when idle.
  public var runningPriority: UInt8 { activePriorities.min() ?? 0xFF }

  /// ICC_CTLR_EL1: EOImode [1], PRIbits [10:8] = 4 (5 bits), IDbits [13:11] = 0 (16-bit), A3V [15].
  public var controlRegister: UInt64 {
    (eoiMode ? 1 << 1 : 0) | UInt64(GICv3.priorityBits - 1) << 8 | 1 << 15
  }

  /// The ICC registers by (op0, op1, CRn, CRm, op2).
  public enum Register: CaseIterable, Sendable {
    case PMR, IAR1, EOIR1, HPPIR1, BPR1, CTLR, SRE, IGRPEN1, SGI1R, ASGI1R, DIR, RPR, AP1R0, AP0R0, IGRPEN0

    public var encoding: (op0: Int, op1: Int, crn: Int, crm: Int, op2: Int) {
      switch self {
      case .PMR: (3, 0, 4, 6, 0)
      case .IAR1: (3, 0, 12, 12, 0)
      case .EOIR1: (3, 0, 12, 12, 1)
      case .HPPIR1: (3, 0, 12, 12, 2)
      case .BPR1: (3, 0, 12, 12, 3)
      case .CTLR: (3, 0, 12, 12, 4)
      case .SRE: (3, 0, 12, 12, 5)
      case .IGRPEN1: (3, 0, 12, 12, 7)
      case .IGRPEN0: (3, 0, 12, 12, 6)
      case .SGI1R: (3, 0, 12, 11, 5)
      case .ASGI1R: (3, 0, 12, 11, 6)
      case .DIR: (3, 0, 12, 11, 1)
      case .RPR: (3, 0, 12, 11, 3)
      case .AP1R0: (3, 0, 12, 9, 0)
      case .AP0R0: (3, 0, 12, 8, 4)
      }
    }

    public var name: String { "ICC_\(self)_EL1" }

    public init?(op0: Int, op1: Int, crn: Int, crm: Int, op2: Int) {
      guard let found = Register.allCases.first(where: { $0.encoding == (op0, op1, crn, crm, op2) }) else {
        return nil
      }
      self = found
    }
  }
}

extension GICv3 {
  /// MRS of an ICC register by `cpu`.
  public mutating func readSystemRegister(_ register: GICCPUInterface.Register, cpu: Int) -> UInt64 {
    let interface = cpuInterfaces[cpu]
    switch register {
    case .PMR: return UInt64(interface.priorityMask)
    case .IAR1: return UInt64(acknowledge(cpu: cpu))
    case .HPPIR1: return UInt64(highestPending(cpu: cpu).map { UInt32($0.intid) } ?? GICv3.spuriousINTID)
    case .BPR1: return UInt64(interface.binaryPoint)
    case .CTLR: return interface.controlRegister
    case .SRE: return interface.systemRegisterEnable
    case .IGRPEN1: return interface.groupEnable1 ? 1 : 0
    case .RPR: return UInt64(interface.runningPriority)
    case .IGRPEN0, .AP1R0, .AP0R0, .EOIR1, .SGI1R, .ASGI1R, .DIR: return 0
    }
  }

  /// MSR of an ICC register by `cpu`.
  public mutating func writeSystemRegister(_ register: GICCPUInterface.Register, cpu: Int, value: UInt64) {
    switch register {
    case .PMR: cpuInterfaces[cpu].priorityMask = UInt8(truncatingIfNeeded: value) & GICv3.priorityMask
    case .EOIR1: endOfInterrupt(cpu: cpu, intid: value)
    case .BPR1: cpuInterfaces[cpu].binaryPoint = UInt8(value & 0x7)
    case .CTLR: cpuInterfaces[cpu].eoiMode = value & 0b10 != 0
    case .SRE: break  // SRE is fixed at 1 on virt (no legacy memory-mapped interface)
    case .IGRPEN1: cpuInterfaces[cpu].groupEnable1 = value & 1 != 0
    case .SGI1R, .ASGI1R: generateSGI(from: cpu, value: value)
    case .DIR: deactivate(cpu: cpu, intid: Int(value & 0xFF_FFFF))
    case .IAR1, .HPPIR1, .RPR, .IGRPEN0, .AP1R0, .AP0R0: break
    }
  }
}
