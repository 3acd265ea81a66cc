/// The VMM's view of the vCPUs: which possible-CPU slots hold a vCPU, under which device id,
/// and the monitor operations that change that — QEMU's qdev monitor (`device_add`, `device_del`)
/// with the RFC-V5 arm CPU hotplug callbacks of hw/arm/virt.c (`virt_cpu_pre_plug`,
/// `virt_cpu_plug`, `virt_cpu_unplug_request`, `virt_cpu_unplug`), and their error texts.
public struct VMM: Hashable, Sendable {
  /// One possible-CPU slot.
  public struct Slot: Hashable, Sendable {
    public let id: CPUSlotID
    /// A vCPU object exists in the slot.
    public var plugged = false
    /// It was created with the machine (`-smp`), not by `device_add`.
    public var coldPlugged = false
    /// The `id=` given to `device_add`, if any.
    public var deviceID: String?
    /// The QOM path of its vCPU object, when plugged.
    public var qomPath: String?
    /// Order of creation, for `info cpus`.
    public var creation = 0
    /// A stable stand-in for the host thread id `info cpus` prints.
    public var threadID = 0
  }

  public let smp: SMPConfiguration
  /// The `-cpu` model: hot-added CPUs must be of this type.
  public let cpuType: String
  public var slots: [Slot]
  private var nextCreation = 0
  private var nextAnonymous = 0

  /// CPU models `device_add` knows (QEMU `*-arm-cpu` types).
  public static let cpuModels = [
    "host-arm-cpu", "max-arm-cpu", "cortex-a57-arm-cpu", "cortex-a53-arm-cpu", "cortex-a72-arm-cpu",
    "cortex-a76-arm-cpu", "neoverse-n1-arm-cpu",
  ]
  /// The properties a CPU device takes (RFC-V5 adds the topology ids to arm CPUs).
  public static let cpuProperties = ["id", "socket-id", "cluster-id", "core-id", "thread-id"]

  /// A monitor error, printed by HMP as `Error: <message>`.
  public struct Error: Swift.Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    /// What HMP prints on the next line (`error_append_hint()`; QMP drops it).
    public var hint: String?
    public var description: String { message }

    public init(message: String, hint: String? = nil) {
      self.message = message
      self.hint = hint
    }
  }

  /// util/id.c `id_wellformed()`: a letter, then letters, digits, '-', '.' or '_'.
  public static func idWellFormed(_ id: String) -> Bool {
    guard let first = id.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else {
      return false
    }
    return id.unicodeScalars.dropFirst().allSatisfy {
      $0.isASCII
        && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-._".unicodeScalars.contains($0))
    }
  }

  /// The QOM containers a path can name instead of a device (`object_resolve_path_at()` of ""
  /// from /machine/peripheral is the container itself).
  static let containers: Set<String> = [
    "", "/", "/machine", "/machine/peripheral", "/machine/peripheral-anon", "/machine/unattached",
  ]

  public init(smp: SMPConfiguration, cpuType: String = "host-arm-cpu") {
    self.smp = smp
    self.cpuType = cpuType
    slots = (0..<smp.maxCPUs).map { Slot(id: CPUSlotID(index: $0, smp: smp)) }
    for index in 0..<smp.cpus {
      slots[index].plugged = true
      slots[index].coldPlugged = true
      slots[index].qomPath = "/machine/unattached/device[\(index)]"
      created(index)
    }
  }

  private mutating func created(_ index: Int) {
    slots[index].creation = nextCreation
    slots[index].threadID = 4243 + nextCreation
    nextCreation += 1
  }

  /// The slot a device id (or an absolute QOM path) names.
  public func slot(named name: String) -> Int? {
    slots.firstIndex { $0.plugged && ($0.deviceID == name || (name.hasPrefix("/") && $0.qomPath == name)) }
  }

  /// `device_add DRIVER,prop=value,...`: validates as QEMU does, in QEMU's order, and plugs the
  /// vCPU into its slot. The caller then raises the GED CPU hotplug event.
  public mutating func deviceAdd(driver: String?, properties: [(key: String, value: String)]) throws(Error)
    -> Int
  {
    // qemu_opts_from_qdict() → qemu_opts_create(): the id is checked before the driver.
    if let id = properties.first(where: { $0.key == "id" })?.value, !VMM.idWellFormed(id) {
      throw Error(
        message: "Parameter 'id' expects an identifier",
        hint: "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.")
    }
    guard let driver, !driver.isEmpty else { throw Error(message: "Parameter 'driver' is missing") }
    guard VMM.cpuModels.contains(driver) else {
      throw Error(message: "'\(driver)' is not a valid device model name")
    }
    var values: [String: Int64] = [:]
    var id: String?
    for (key, value) in properties where key == "id" { id = value }
    if let id, slots.contains(where: { $0.plugged && $0.deviceID == id }) {
      throw Error(message: "Duplicate device ID '\(id)'")
    }
    for (key, value) in properties where key != "id" {
      guard VMM.cpuProperties.contains(key) else {
        throw Error(message: "Property '\(driver).\(key)' not found")
      }
      guard let number = Int64(value) ?? parseHex(value), number >= Int64(Int32.min),
        number <= Int64(Int32.max)
      else {
        throw Error(message: "Parameter '\(key)' expects int32")
      }
      values[key] = number
    }
    guard driver == cpuType else { throw Error(message: "Invalid CPU type, expected cpu type: '\(cpuType)'") }
    func check(_ key: String, _ count: Int, signed: Bool) throws(Error) -> Int {
      let v = values[key] ?? 0
      guard v >= 0 && v < count else {
        let shown = signed ? String(v) : String(UInt32(truncatingIfNeeded: v))
        throw Error(message: "Invalid \(key) \(shown) specified, correct range 0:\(count - 1)")
      }
      return Int(v)
    }
    let thread = try check("thread-id", smp.threads, signed: false)
    let core = try check("core-id", smp.cores, signed: true)
    let cluster = try check("cluster-id", smp.clusters, signed: false)
    let socket = try check("socket-id", smp.sockets, signed: false)
    let index = CPUSlotID.index(socket: socket, cluster: cluster, core: core, thread: thread, smp: smp)
    if slots[index].plugged {
      let s = slots[index].id
      throw Error(message: "cpu(id\(index)=\(s.idsText)) with arch-id \(s.mpidr) exist")
    }
    slots[index].plugged = true
    slots[index].coldPlugged = false
    slots[index].deviceID = id
    if let id {
      slots[index].qomPath = "/machine/peripheral/\(id)"
    } else {
      slots[index].qomPath = "/machine/peripheral-anon/device[\(nextAnonymous)]"
      nextAnonymous += 1
    }
    created(index)
    return index
  }

  /// `device_del ID`: checks, then only *requests* the eject; the vCPU stays until the guest
  /// ejects it through `_EJ0`. Repeating it before that is not an error.
  public func deviceDel(_ name: String) throws(Error) -> Int {
    // find_device_state(): a path that resolves to a container is not a device.
    if VMM.containers.contains(name) { throw Error(message: "\(name) is not a hotpluggable device") }
    guard let index = slot(named: name) else { throw Error(message: "Device '\(name)' not found") }
    if slots[index].coldPlugged { throw Error(message: "Hot-unplug of cold-booted CPU not supported!") }
    return index
  }

  /// `virt_cpu_unplug`: the guest's eject removed the vCPU; its id is free again.
  public mutating func unplugged(_ index: Int) {
    slots[index].plugged = false
    slots[index].deviceID = nil
    slots[index].qomPath = nil
  }

  private func parseHex(_ text: String) -> Int64? {
    guard text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
    return Int64(text.dropFirst(2), radix: 16)
  }

  // MARK: HMP info commands

  /// `info hotpluggable-cpus`: every possible slot, highest index first.
  public var hotpluggableCPUsText: String {
    var out = "Hotpluggable CPUs:\n"
    for slot in slots.reversed() {
      out += "  type: \"\(cpuType)\"\n"
      out += "  vcpus_count: \"\(smp.threads)\"\n"
      if let path = slot.qomPath { out += "  qom_path: \"\(path)\"\n" }
      out += "  CPUInstance Properties:\n"
      out += "    socket-id: \"\(slot.id.socket)\"\n"
      out += "    cluster-id: \"\(slot.id.cluster)\"\n"
      out += "    core-id: \"\(slot.id.core)\"\n"
      out += "    thread-id: \"\(slot.id.thread)\"\n"
    }
    return out
  }

  /// `info cpus`: one line per vCPU in creation order; `*` marks the monitor's CPU (CPU 0).
  public var cpusText: String {
    slots.filter(\.plugged).sorted { $0.creation < $1.creation }.map { slot in
      "\(slot.id.index == 0 ? "*" : " ") CPU #\(slot.id.index): thread_id=\(slot.threadID)\n"
    }.joined()
  }
}
