/// The GICv3 interrupt controller of the virt board: one distributor (GICD), one redistributor
/// per *possible* CPU (GICR: RD_base + SGI_base frames), and one CPU interface per CPU (the ICC_*
/// system registers). Modelled on the Arm GICv3 architecture and QEMU's hw/intc/arm_gicv3_*;
/// register offsets and bits as in Linux's include/linux/irqchip/arm-gic-v3.h.
///
/// Only Group 1 non-secure operation with affinity routing (ARE) is modelled, which is what a
/// Linux guest on virt uses; the distributor has DS = 1 (a single security state).
public struct GICv3: Sendable {
  /// INTIDs implemented: 256, i.e. 224 SPIs — what a real Linux 6.12 guest reported on QEMU
  /// virt ("GICv3: 224 SPIs implemented", real-linux-captures.md), GICD_TYPER.ITLinesNumber 7.
  public static let numberOfIRQs = 256
  public static let spuriousINTID: UInt32 = 1023
  /// Priority bits implemented (ICC_CTLR_EL1.PRIbits + 1): QEMU implements 5.
  public static let priorityBits = 5
  static let priorityMask: UInt8 = 0xF8

  public var distributor = GICDistributor()
  public var redistributors: [GICRedistributor]
  public var cpuInterfaces: [GICCPUInterface]
  /// MPIDR affinity (no bit 31) of each possible CPU, in index order.
  public let affinities: [UInt64]
  /// CPU index by the Aff3:Aff2:Aff1:Aff0 value GICD_IROUTER holds (an index, not a search,
  /// for each routed SPI: interrupts are re-evaluated for every CPU after every access).
  let cpuByRoute: [UInt64: Int]
  /// Whether each CPU interface is accessible: RFC-V5 marks the interface of a vCPU that is not
  /// plugged inaccessible, so SGIs are not delivered to it. Its redistributor stays decodable.
  public var accessible: [Bool]
  /// What happened, for the machine's trace (drained by the machine after each access).
  public var notes: [DeviceNote] = []

  /// Redistributors in the first region: the frame at index `firstRegionCount - 1` carries the
  /// Last bit too (QEMU sets Last at the end of each redistributor region).
  public let firstRegionCount: Int

  public init(affinities: [UInt64], firstRegionCount: Int = Int.max) {
    self.affinities = affinities
    var byRoute: [UInt64: Int] = [:]
    for (index, a) in affinities.enumerated() where byRoute[GICv3.routeKey(a)] == nil {
      byRoute[GICv3.routeKey(a)] = index
    }
    cpuByRoute = byRoute
    self.firstRegionCount = firstRegionCount
    redistributors = affinities.indices.map { GICRedistributor(cpu: $0) }
    cpuInterfaces = Array(repeating: GICCPUInterface(), count: affinities.count)
    accessible = Array(repeating: true, count: affinities.count)
  }

  public var cpuCount: Int { affinities.count }

  // MARK: Interrupt state, by INTID and CPU

  /// The state of one interrupt as the given CPU sees it (private interrupts are per CPU).
  public struct InterruptState: Sendable {
    public var enabled: Bool
    public var pending: Bool
    public var active: Bool
    public var group1: Bool
    public var priority: UInt8
  }

  public func state(_ intid: Int, cpu: Int) -> InterruptState {
    if intid < 32 {
      let r = redistributors[cpu]
      let bit = UInt32(1) << UInt32(intid)
      return InterruptState(
        enabled: r.enabled & bit != 0, pending: r.pending & bit != 0, active: r.active & bit != 0,
        group1: r.group & bit != 0, priority: r.priority[intid])
    }
    let d = distributor
    return InterruptState(
      enabled: d.enabled.test(intid),
      pending: d.pending.test(intid) || (d.level.test(intid) && !d.isEdge(intid)),
      active: d.active.test(intid), group1: d.group.test(intid), priority: d.priority[intid])
  }

  /// The CPU an SPI is routed to (GICD_IROUTER), or nil when no CPU matches.
  public func target(ofSPI intid: Int) -> Int? {
    let route = distributor.router[intid]
    if route & (1 << 31) != 0 {
      // 1 of N: any participating PE; deterministically the lowest-numbered eligible one.
      return cpuInterfaces.indices.first {
        accessible[$0] && cpuInterfaces[$0].groupEnable1 && redistributors[$0].awake
      }
    }
    return cpuByRoute[GICv3.routeKey(route)]
  }

  /// Aff3:Aff2:Aff1:Aff0 packed in 32 bits, from an MPIDR or an IROUTER value (same layout).
  static func routeKey(_ value: UInt64) -> UInt64 { (value & 0xFF_FFFF) | ((value >> 32) & 0xFF) << 24 }

  /// The highest-priority interrupt that may be signalled to `cpu` now, if any: pending, not
  /// active, enabled, Group 1 with the group enabled, priority below PMR and below the running
  /// priority; the redistributor must be awake (GICR_WAKER.ProcessorSleep = 0).
  public func highestPending(cpu: Int) -> (intid: Int, priority: UInt8)? {
    guard cpu < cpuCount, accessible[cpu], redistributors[cpu].awake else { return nil }
    let interface = cpuInterfaces[cpu]
    var best: (Int, UInt8)?
    func consider(_ intid: Int) {
      let s = state(intid, cpu: cpu)
      guard s.pending, !s.active, s.enabled, s.group1 else { return }
      if best == nil || s.priority < best!.1 { best = (intid, s.priority) }
    }
    // SGIs and PPIs: only the bits that are pending, enabled, Group 1 and not active.
    let r = redistributors[cpu]
    var candidates = r.pending & r.enabled & r.group & ~r.active
    while candidates != 0 {
      let intid = candidates.trailingZeroBitCount
      candidates &= candidates - 1
      consider(intid)
    }
    if distributor.groupEnable1 {
      // Only the words with something pending (edge latched, or a level input high).
      for index in 1..<distributor.pending.words.count {
        var word = distributor.pending.words[index] | distributor.level.words[index]
        while word != 0 {
          let bit = word.trailingZeroBitCount
          word &= word - 1
          let intid = index * 32 + bit
          if state(intid, cpu: cpu).pending && target(ofSPI: intid) == cpu { consider(intid) }
        }
      }
    }
    guard let (intid, priority) = best else { return nil }
    guard priority < interface.priorityMask, priority < interface.runningPriority else { return nil }
    return (intid, priority)
  }

  /// Whether the CPU's IRQ line is asserted (it then takes the exception if PSTATE.I = 0, and
  /// leaves WFI even when PSTATE.I = 1).
  public func irqAsserted(cpu: Int) -> Bool {
    cpuInterfaces[cpu].groupEnable1 && highestPending(cpu: cpu) != nil
  }

  // MARK: Inputs from devices and CPUs

  /// An edge on an SPI (the GED pulses SPI 9 = INTID 41 once per event): it becomes pending.
  public mutating func pulseSPI(_ intid: Int) {
    guard intid >= 32 && intid < GICv3.numberOfIRQs else { return }
    distributor.pending.set(intid)
    notes.append(
      DeviceNote(source: "gic", event: "gic.spi", cpu: target(ofSPI: intid), details: "INTID \(intid) edge"))
  }

  /// A level-sensitive SPI input (the PL011 UART): pending while high.
  public mutating func setSPILevel(_ intid: Int, _ high: Bool) {
    guard intid >= 32 && intid < GICv3.numberOfIRQs else { return }
    distributor.level.assign(intid, high)
  }

  /// A private peripheral interrupt becoming pending (e.g. the virtual timer, PPI 27).
  public mutating func setPPIPending(_ intid: Int, cpu: Int) {
    guard (16..<32).contains(intid), cpu < cpuCount else { return }
    redistributors[cpu].pending |= 1 << UInt32(intid)
  }

  /// A write to ICC_SGI1R_EL1 by `sender` (Arm GIC ICC_SGI1R_EL1: TargetList [15:0],
  /// Aff1 [23:16], INTID [27:24], Aff2 [39:32], IRM [40], RS [47:44], Aff3 [55:48]).
  public mutating func generateSGI(from sender: Int, value: UInt64) {
    let intid = Int((value >> 24) & 0xF)
    let irm = value & (1 << 40) != 0
    var targets: [Int] = []
    if irm {
      targets = affinities.indices.filter { $0 != sender }
    } else {
      let aff1 = (value >> 16) & 0xFF
      let aff2 = (value >> 32) & 0xFF
      let aff3 = (value >> 48) & 0xFF
      let rangeSelector = (value >> 44) & 0xF  // no RSS: treated as 0
      _ = rangeSelector
      let list = value & 0xFFFF
      for (cpu, affinity) in affinities.enumerated() {
        let aff0 = affinity & 0xFF
        guard (affinity >> 8) & 0xFF == aff1, (affinity >> 16) & 0xFF == aff2,
          (affinity >> 32) & 0xFF == aff3,
          aff0 < 16, list & (1 << aff0) != 0
        else { continue }
        targets.append(cpu)
      }
    }
    // RFC-V5: SGIs are not delivered to the CPU interface of a vCPU that is not plugged.
    targets = targets.filter { accessible[$0] }
    for cpu in targets { redistributors[cpu].pending |= 1 << UInt32(intid) }
    notes.append(
      DeviceNote(
        source: "gic", event: "gic.sgi", cpu: sender,
        details:
          "SGI \(intid) -> \(targets.isEmpty ? "no CPU" : targets.map { "cpu\($0)" }.joined(separator: ","))")
    )
  }

  /// ICC_IAR1_EL1 read: acknowledges the highest pending interrupt (it becomes active, edge
  /// pending state is consumed) and returns its INTID, or 1023.
  public mutating func acknowledge(cpu: Int) -> UInt32 {
    guard cpuInterfaces[cpu].groupEnable1, let (intid, priority) = highestPending(cpu: cpu) else {
      return GICv3.spuriousINTID
    }
    if intid < 32 {
      let bit = UInt32(1) << UInt32(intid)
      redistributors[cpu].active |= bit
      redistributors[cpu].pending &= ~bit
    } else {
      distributor.active.set(intid)
      distributor.pending.clear(intid)
    }
    cpuInterfaces[cpu].activePriorities.append(priority)
    cpuInterfaces[cpu].activeINTIDs.append(intid)
    notes.append(DeviceNote(source: "gic", event: "gic.ack", cpu: cpu, details: "INTID \(intid)"))
    return UInt32(intid)
  }

  /// ICC_EOIR1_EL1 write: drops the running priority and, with EOImode = 0, deactivates.
  public mutating func endOfInterrupt(cpu: Int, intid value: UInt64) {
    let intid = Int(value & 0xFF_FFFF)
    guard let index = cpuInterfaces[cpu].activeINTIDs.lastIndex(of: intid) else { return }
    cpuInterfaces[cpu].activeINTIDs.remove(at: index)
    cpuInterfaces[cpu].activePriorities.remove(at: index)
    if !cpuInterfaces[cpu].eoiMode { deactivate(cpu: cpu, intid: intid) }
    notes.append(DeviceNote(source: "gic", event: "gic.eoi", cpu: cpu, details: "INTID \(intid)"))
  }

  /// ICC_DIR_EL1 write (EOImode = 1) or the deactivation part of EOI.
  public mutating func deactivate(cpu: Int, intid: Int) {
    if intid < 32 {
      redistributors[cpu].active &= ~(UInt32(1) << UInt32(intid))
    } else if intid < GICv3.numberOfIRQs {
      distributor.active.clear(intid)
    }
  }

  // MARK: MMIO

  /// GICD frame access (64 KiB at 0x0800_0000).
  public mutating func readDistributor(offset: UInt64, size: Int) -> UInt64 {
    distributor.read(offset: offset, size: size)
  }

  public mutating func writeDistributor(offset: UInt64, size: Int, value: UInt64) {
    distributor.write(offset: offset, size: size, value: value)
  }

  /// GICR region access: `offset` from the region base (0x080A_0000); each CPU has 0x20000.
  public mutating func readRedistributor(offset: UInt64, size: Int) -> UInt64 {
    let cpu = Int(offset / GICRedistributor.stride)
    guard cpu < cpuCount else { return 0 }
    return redistributors[cpu].read(
      offset: offset % GICRedistributor.stride, size: size, affinity: affinities[cpu],
      last: cpu == cpuCount - 1 || cpu == firstRegionCount - 1)
  }

  public mutating func writeRedistributor(offset: UInt64, size: Int, value: UInt64) {
    let cpu = Int(offset / GICRedistributor.stride)
    guard cpu < cpuCount else { return }
    let wasAwake = redistributors[cpu].awake
    redistributors[cpu].write(offset: offset % GICRedistributor.stride, size: size, value: value)
    if wasAwake != redistributors[cpu].awake {
      notes.append(
        DeviceNote(
          source: "gic", event: redistributors[cpu].awake ? "gicr.wake" : "gicr.sleep", cpu: cpu,
          details: "GICR_WAKER.ProcessorSleep=\(redistributors[cpu].awake ? 0 : 1)"))
    }
  }
}

/// Something a device reports for the trace.
public struct DeviceNote: Hashable, Sendable {
  public var source: String
  public var event: String
  public var cpu: Int?
  public var details: String
}

/// A fixed-size set of interrupt bits.
public struct IRQBits: Hashable, Sendable {
  var words: [UInt32]

  init(count: Int) { words = Array(repeating: 0, count: (count + 31) / 32) }

  func test(_ n: Int) -> Bool { words[n / 32] & (1 << UInt32(n % 32)) != 0 }
  mutating func set(_ n: Int) { words[n / 32] |= 1 << UInt32(n % 32) }
  mutating func clear(_ n: Int) { words[n / 32] &= ~(1 << UInt32(n % 32)) }
  mutating func assign(_ n: Int, _ v: Bool) { if v { set(n) } else { clear(n) } }
}
