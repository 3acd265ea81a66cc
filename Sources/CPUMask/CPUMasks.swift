/// The kernel's five global CPU masks (include/linux/cpumask.h, kernel/cpu.c), as one value.
///
/// possible = "populatable", present = "populated", enabled = "can be brought online" (new in
/// Linux 6.11 for arm64 vCPU hotplug), online = "available to the scheduler", active = "available
/// to migration". In normal operation each is a subset of the one before it.
public struct CPUMasks: Hashable, Sendable {
  /// The masks by name, in containment order.
  public enum Name: String, CaseIterable, Sendable {
    case possible, present, enabled, online, active

    /// The kernel variable (`cpu_possible_mask` ...).
    public var kernelSymbol: String { "cpu_\(rawValue)_mask" }
  }

  public var possible: CPUMask
  public var present: CPUMask
  public var enabled: CPUMask
  public var online: CPUMask
  public var active: CPUMask

  /// Five empty masks of `nrCPUs` bits.
  public init(nrCPUs: Int = CPUMask.defaultNRCPUs) {
    possible = CPUMask(nrCPUs: nrCPUs)
    present = possible
    enabled = possible
    online = possible
    active = possible
  }

  public subscript(name: Name) -> CPUMask {
    get {
      switch name {
      case .possible: possible
      case .present: present
      case .enabled: enabled
      case .online: online
      case .active: active
      }
    }
    set {
      switch name {
      case .possible: possible = newValue
      case .present: present = newValue
      case .enabled: enabled = newValue
      case .online: online = newValue
      case .active: active = newValue
      }
    }
  }

  /// The `offline` sysfs file: every CPU number below `nr_cpu_ids` that is not online, including
  /// CPUs that are not present or not enabled (drivers/base/cpu.c `print_cpus_offline`).
  public func offline(nrCPUIDs: Int) -> CPUMask {
    CPUMask(nrCPUs: online.nrCPUs, cpus: (0..<Swift.min(nrCPUIDs, online.nrCPUs)).filter { !online.test($0) })
  }

  /// One broken link of the chain active ⊆ online ⊆ enabled ⊆ present ⊆ possible.
  public struct Violation: Hashable, Sendable, CustomStringConvertible {
    /// The smaller mask, which should be a subset of `outer`.
    public let inner: Name
    public let outer: Name
    /// CPUs in `inner` but not in `outer`.
    public let cpus: CPUMask

    public var description: String {
      "\(inner) ⊄ \(outer): CPU \(cpus.listString) \(cpus.weight == 1 ? "is" : "are") \(inner) but not \(outer)"
    }
  }

  /// Every broken link of active ⊆ online ⊆ enabled ⊆ present ⊆ possible; empty when the
  /// invariant holds.
  public var violations: [Violation] {
    let chain = Name.allCases
    var result: [Violation] = []
    for index in 1..<chain.count {
      let inner = chain[index]
      let outer = chain[index - 1]
      let extra = self[inner].andNot(self[outer])
      if !extra.isEmpty { result.append(Violation(inner: inner, outer: outer, cpus: extra)) }
    }
    return result
  }

  /// Whether active ⊆ online ⊆ enabled ⊆ present ⊆ possible holds.
  public var invariantHolds: Bool { violations.isEmpty }
}
