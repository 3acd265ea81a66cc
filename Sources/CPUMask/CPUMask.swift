/// `struct cpumask` (include/linux/cpumask.h): a bitmap with one bit per CPU number.
///
/// Linux sizes cpumasks by the compile-time `NR_CPUS` and prints and parses them over the boot-time
/// `nr_cpu_ids`. Here a mask carries its width in `nrCPUs`; the guest kernel uses `nr_cpu_ids`
/// for the masks it shows, and the language uses the session's `NR_CPUS` for masks a user makes.
public struct CPUMask: Hashable, Sendable {
  /// `CONFIG_NR_CPUS` default used by HotplugLab: Debian's arm64 6.12 kernel (the fact sheets'
  /// captures) has NR_CPUS=512.
  public static let defaultNRCPUs = 512
  /// The largest `CONFIG_NR_CPUS` arm64 accepts (arch/arm64/Kconfig: `range 2 4096`).
  public static let maximumNRCPUs = 4096

  public private(set) var bits: Bitmap

  /// The number of CPU numbers this mask holds (`nr_cpumask_bits`).
  public var nrCPUs: Int { bits.nbits }

  /// An empty mask (`cpumask_clear`).
  public init(nrCPUs: Int = CPUMask.defaultNRCPUs) {
    bits = Bitmap(nbits: nrCPUs)
  }

  public init(bits: Bitmap) {
    self.bits = bits
  }

  /// A mask with the given CPUs set; each must be below `nrCPUs`.
  public init<S: Sequence>(nrCPUs: Int = CPUMask.defaultNRCPUs, cpus: S) where S.Element == Int {
    bits = Bitmap(nbits: nrCPUs, setting: cpus)
  }

  /// `cpulist_parse()`: the list format (`0-3,8`, `0-15:2/4`, `N`), with Linux's errors.
  public init(cpulist: String, nrCPUs: Int = CPUMask.defaultNRCPUs) throws(BitmapParseError) {
    bits = try Bitmap.parseList(cpulist, nbits: nrCPUs)
  }

  /// `cpumask_parse()`: the hex map format (`ff,00000001`), with Linux's errors.
  public init(cpumap: String, nrCPUs: Int = CPUMask.defaultNRCPUs) throws(BitmapParseError) {
    bits = try Bitmap.parseHex(cpumap, nbits: nrCPUs)
  }

  /// Whether `cpu` is a valid CPU number for this mask (`cpumask_check` would warn otherwise).
  public func isValid(cpu: Int) -> Bool { bits.contains(bit: cpu) }

  /// `cpumask_test_cpu`
  public func test(_ cpu: Int) -> Bool { bits.test(cpu) }
  /// `cpumask_set_cpu`
  public mutating func set(_ cpu: Int) { bits.set(cpu) }
  /// `cpumask_clear_cpu`
  public mutating func clear(_ cpu: Int) { bits.clear(cpu) }
  /// `set_cpu_possible()` and friends: set or clear one CPU.
  public mutating func assign(_ cpu: Int, _ value: Bool) { bits.assign(cpu, value) }
  /// `cpumask_test_and_set_cpu`
  @discardableResult public mutating func testAndSet(_ cpu: Int) -> Bool { bits.testAndSet(cpu) }
  /// `cpumask_test_and_clear_cpu`
  @discardableResult public mutating func testAndClear(_ cpu: Int) -> Bool { bits.testAndClear(cpu) }
  /// `cpumask_setall`
  public mutating func setAll() { bits.fill() }
  /// `cpumask_clear`
  public mutating func clearAll() { bits.zero() }

  /// `cpumask_and`
  public func and(_ other: CPUMask) -> CPUMask { CPUMask(bits: bits.and(other.bits)) }
  /// `cpumask_or`
  public func or(_ other: CPUMask) -> CPUMask { CPUMask(bits: bits.or(other.bits)) }
  /// `cpumask_xor`
  public func xor(_ other: CPUMask) -> CPUMask { CPUMask(bits: bits.xor(other.bits)) }
  /// `cpumask_andnot`: the CPUs of `self` that are not in `other`.
  public func andNot(_ other: CPUMask) -> CPUMask { CPUMask(bits: bits.andNot(other.bits)) }
  /// `cpumask_complement`
  public func complement() -> CPUMask { CPUMask(bits: bits.complement()) }

  /// `cpumask_weight`
  public var weight: Int { bits.weight }
  /// `cpumask_empty`
  public var isEmpty: Bool { bits.isEmpty }
  /// `cpumask_full`
  public var isFull: Bool { bits.isFull }
  /// `cpumask_subset`
  public func isSubset(of other: CPUMask) -> Bool { bits.isSubset(of: other.bits) }
  /// `cpumask_intersects`
  public func intersects(_ other: CPUMask) -> Bool { bits.intersects(other.bits) }

  /// `cpumask_first`; `nil` where Linux returns `nr_cpu_ids`.
  public var first: Int? { bits.firstSet }
  /// `cpumask_last`
  public var last: Int? { bits.lastSet }
  /// `cpumask_next(n, mask)`: the first CPU after `n`.
  public func next(after cpu: Int) -> Int? { bits.nextSet(from: cpu + 1) }
  /// `cpumask_next_wrap(n, mask)`: the first CPU after `n`, wrapping around (and reaching `n`
  /// itself last).
  public func nextWrapping(after cpu: Int) -> Int? { bits.nextSetWrapping(from: cpu + 1) }
  /// `cpumask_first_zero`
  public var firstZero: Int? { bits.nextClear(from: 0) }

  /// The list format sysfs prints (`%*pbl`): `0-3,8`, or "" when empty.
  public var listString: String { bits.listString }
  /// The hex map format sysfs prints (`%*pb`, `cpumap`): `00000000,0000010f` for 64 CPUs.
  public var mapString: String { bits.hexString }

  /// This mask at another width: CPUs at or above `nrCPUs` are dropped.
  public func resized(to nrCPUs: Int) -> CPUMask {
    CPUMask(nrCPUs: nrCPUs, cpus: self.filter { $0 < nrCPUs })
  }
}

extension CPUMask: Sequence {
  /// `for_each_cpu`
  public func makeIterator() -> Bitmap.Iterator { bits.makeIterator() }
}

extension CPUMask: CustomStringConvertible {
  public var description: String { listString }
}
