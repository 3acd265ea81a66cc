/// QEMU's `-smp` option: parsing (`qemu_smp_opts` in system/vl.c, util/qemu-option.c) and the
/// topology computation of `machine_parse_smp_config()` (hw/core/machine-smp.c), with QEMU's
/// error texts, for the `virt` machine (sockets, clusters, cores and threads are supported;
/// drawers, books, dies and modules must be absent or 1).
public struct SMPConfiguration: Hashable, Sendable {
  /// CPUs started at boot (`smp.cpus`).
  public var cpus: Int
  /// Possible CPUs (`smp.max_cpus`): every one gets a MADT GICC entry and a redistributor.
  public var maxCPUs: Int
  public var sockets: Int
  public var clusters: Int
  public var cores: Int
  public var threads: Int

  /// The keys `-smp` accepts, in QEMU's order.
  public static let keys = [
    "cpus", "maxcpus", "drawers", "books", "sockets", "dies", "clusters", "modules", "cores", "threads",
  ]
  /// `MachineClass::max_cpus` of `virt` (hw/arm/virt.c: 512).
  public static let machineMaxCPUs = 512
  /// The versioned machine type the `virt` alias resolves to in the modelled QEMU (9.1).
  public static let machineTypeName = "virt-9.1"

  public init(cpus: Int, maxCPUs: Int, sockets: Int, clusters: Int, cores: Int, threads: Int) {
    self.cpus = cpus
    self.maxCPUs = maxCPUs
    self.sockets = sockets
    self.clusters = clusters
    self.cores = cores
    self.threads = threads
  }

  /// A QEMU error, printed as `qemu-system-aarch64: <message>`.
  public struct Error: Swift.Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
  }

  /// Parses `-smp` text (`1,maxcpus=4`, `cpus=2,sockets=1,cores=2`); a bare leading number means
  /// `cpus`, and a repeated key keeps its last value, as QemuOpts does.
  public static func parse(_ text: String) throws(Error) -> SMPConfiguration {
    var given: [String: UInt64] = [:]
    let items =
      text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    for (index, item) in items.enumerated() {
      let key: String
      let value: String
      if let equals = item.firstIndex(of: "=") {
        key = String(item[..<equals])
        value = String(item[item.index(after: equals)...])
      } else if index == 0 {
        key = "cpus"
        value = item
      } else {
        // QemuOpts treats a bare later word as a boolean flag, which -smp does not have.
        throw Error(message: "-smp \(text): Invalid parameter '\(item)'")
      }
      guard keys.contains(key) else { throw Error(message: "-smp \(text): Invalid parameter '\(key)'") }
      given[key] = try number(key: key, value: value, text: text)
    }
    return try compute(given)
  }

  /// `parse_option_number()`: `qemu_strtou64(value, NULL, 0, ...)` — decimal, 0x hex or
  /// leading-zero octal, the whole text.
  private static func number(key: String, value: String, text: String) throws(Error) -> UInt64 {
    var digits = Substring(value)
    var radix = 10
    if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
      radix = 16
      digits = digits.dropFirst(2)
    } else if digits.count > 1 && digits.hasPrefix("0") {
      radix = 8
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit && Int(String($0), radix: radix) != nil }) else {
      throw Error(message: "-smp \(text): Parameter '\(key)' expects a number")
    }
    guard let n = UInt64(digits, radix: radix) else {
      throw Error(message: "-smp \(text): Value '\(value)' is too large for parameter '\(key)'")
    }
    return n
  }

  /// `machine_parse_smp_config()` for virt ("prefer cores", current machine types).
  static func compute(_ given: [String: UInt64]) throws(Error) -> SMPConfiguration {
    if given.values.contains(0) {
      throw Error(message: "Invalid CPU topology: CPU topology parameters must be greater than zero")
    }
    for level in ["modules", "dies", "books", "drawers"] where (given[level] ?? 0) > 1 {
      throw Error(message: "\(level) > 1 not supported by this machine's CPU topology")
    }
    // Values above 32 bits cannot be a topology; clamp so the arithmetic stays in range (the
    // checks below then report them).
    func value(_ key: String) -> Int { Int(Swift.min(given[key] ?? 0, UInt64(UInt32.max))) }
    var cpus = value("cpus")
    var maxcpus = value("maxcpus")
    var sockets = value("sockets")
    let clusters = Swift.max(value("clusters"), 1)
    var cores = value("cores")
    var threads = value("threads")
    if cpus == 0 && maxcpus == 0 {
      sockets = Swift.max(sockets, 1)
      cores = Swift.max(cores, 1)
      threads = Swift.max(threads, 1)
    } else {
      maxcpus = maxcpus > 0 ? maxcpus : cpus
      // Prefer cores over sockets; every division truncates. Three 32-bit values can overflow
      // a 64-bit product: it saturates, and the quotient is then 0, which the checks report.
      if cores == 0 {
        sockets = Swift.max(sockets, 1)
        threads = Swift.max(threads, 1)
        cores = maxcpus / saturatingProduct(sockets, clusters, threads)
      } else if sockets == 0 {
        threads = Swift.max(threads, 1)
        sockets = maxcpus / saturatingProduct(clusters, cores, threads)
      }
      if threads == 0 { threads = maxcpus / saturatingProduct(sockets, clusters, cores) }
    }
    let product = saturatingProduct(sockets, clusters, cores, threads)
    maxcpus = maxcpus > 0 ? maxcpus : product
    cpus = cpus > 0 ? cpus : maxcpus
    let hierarchy = "sockets (\(sockets)) * clusters (\(clusters)) * cores (\(cores)) * threads (\(threads))"
    if product != maxcpus {
      throw Error(
        message:
          "Invalid CPU topology: product of the hierarchy must match maxcpus: \(hierarchy) != maxcpus (\(maxcpus))"
      )
    }
    if maxcpus < cpus {
      throw Error(
        message:
          "Invalid CPU topology: maxcpus must be equal to or greater than smp: \(hierarchy) == maxcpus (\(maxcpus)) < smp_cpus (\(cpus))"
      )
    }
    if cpus < 1 {
      throw Error(
        message: "Invalid SMP CPUs \(cpus). The min CPUs supported by machine '\(machineTypeName)' is 1")
    }
    if maxcpus > machineMaxCPUs {
      throw Error(
        message:
          "Invalid SMP CPUs \(maxcpus). The max CPUs supported by machine '\(machineTypeName)' is \(machineMaxCPUs)"
      )
    }
    return SMPConfiguration(
      cpus: cpus, maxCPUs: maxcpus, sockets: sockets, clusters: clusters, cores: cores, threads: threads)
  }

  /// The product of positive numbers, or Int.max when it does not fit.
  private static func saturatingProduct(_ factors: Int...) -> Int {
    var product = 1
    for factor in factors {
      let (result, overflow) = product.multipliedReportingOverflow(by: factor)
      if overflow { return Int.max }
      product = result
    }
    return product
  }

  /// The text `-smp` would take to describe this configuration.
  public var optionText: String {
    "cpus=\(cpus),maxcpus=\(maxCPUs),sockets=\(sockets),clusters=\(clusters),cores=\(cores),threads=\(threads)"
  }
}
