import A64
import CPUMask
import GuestKernel
import Lab
import LabScript
import Notebook
import VirtMachine

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One bad input: where it goes, the text, and the exact error it must produce. `$DIR` in the
/// input and in the error stands for the row's scratch directory.
struct BadInput: Sendable, CustomStringConvertible {
  enum Category: String, Sendable, CaseIterable {
    /// LabScript commands and expressions, with no machine.
    case command
    /// `machine virt -smp TEXT` while a booted machine exists.
    case smp
    /// `device_add` / `device_del` on a booted machine (through VirtMachine and VMM).
    case vmm
    /// Writes and reads of the guest's sysfs.
    case sysfs
    /// Lesson files (LessonParser.load).
    case lesson
    /// ACPI table files through `acpi decode`, `acpi asl`, `acpi eval` and `acpi dump`.
    case acpi
    /// Guest programs: `a64 asm`, `a64 disasm`, `a64 run`, `kernel trampoline`.
    case guest
  }

  var category: Category
  var input: String
  var error: String
  /// Files the row's scratch directory holds before the input runs, by name.
  var files: [String: [UInt8]] = [:]

  var description: String { "\(category.rawValue): \(input.debugDescription)" }
}

/// Runs bad inputs in a fresh world each, and captures everything an error must leave alone.
enum BadInputHarness {
  /// The booted machine the machine, VMM and sysfs rows start from: CPUs 0-1 online, CPU 2
  /// hot-added (present and enabled, offline), CPU 3 an empty slot.
  static let bootedSetup = """
    machine virt -smp 2,maxcpus=4
    boot
    settle
    device_add host-arm-cpu,core-id=2,id=cpu2
    settle
    """

  static let sysfsFiles = [
    "/sys/devices/system/cpu/possible", "/sys/devices/system/cpu/present", "/sys/devices/system/cpu/enabled",
    "/sys/devices/system/cpu/online", "/sys/devices/system/cpu/offline",
    "/sys/devices/system/cpu/cpu1/online",
    "/sys/devices/system/cpu/cpu2/online",
  ]

  /// What must not change: variables, settings, the machine's VMM slots and hotplug registers,
  /// the kernel's masks and CPU states, the sysfs files, and the scratch directory's files.
  struct State: Equatable {
    var variables: [String: String] = [:]
    var settings: [String: Int] = [:]
    var vmm: VMM?
    var hotplug: ACPICPUHotplug?
    var masks: CPUMasks?
    var cpuStates: [String] = []
    var sysfs: [String: String] = [:]
    var files: [String: [UInt8]] = [:]
  }

  static func state(_ session: Session, _ lab: Lab, directory: String) -> State {
    var state = State()
    for name in session.variableNames { state.variables[name] = session[name]?.literal }
    for name in ["NR_CPUS", "loop_limit"] { state.settings[name] = session.setting(name) }
    if let machine = lab.machine {
      state.vmm = machine.state.vmm
      state.hotplug = machine.state.hotplug
    }
    if let kernel = lab.kernel {
      state.masks = kernel.masks
      state.cpuStates = kernel.cpus.map { "\($0.state)" }
      for path in sysfsFiles {
        switch kernel.sysfsRead(path) {
        case .success(let text): state.sysfs[path] = text
        case .failure(let errno): state.sysfs[path] = "\(errno)"
        }
      }
    }
    state.files = TemporaryDirectory.contents(of: directory)
    return state
  }

  /// Runs one row; returns the rendered error (nil if there was none) and the names of the
  /// parts of the state that changed.
  static func run(_ row: BadInput) throws -> (error: String?, changed: [String]) {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    for (name, bytes) in row.files {
      try TemporaryDirectory.write(bytes, to: directory + "/" + name)
    }
    let input = row.input.replacingOccurrences("$DIR", with: directory)
    let (session, lab) = LabModules.makeLabSession(output: BufferedOutput())
    var failure: String?
    switch row.category {
    case .lesson:
      let path = directory + "/lesson.md"
      if row.files["lesson.md"] == nil { try TemporaryDirectory.write(Array(input.utf8), to: path) }
      let before = state(session, lab, directory: directory)
      do { _ = try LessonParser.load(path) } catch {
        return (render(error.render(color: false), directory), [])
      }
      return (nil, changedParts(before, state(session, lab, directory: directory)))
    case .command, .guest, .acpi:
      try session.run("let keep = [1, \"two\", cpulist(\"0-3\")]\nconfig NR_CPUS=64", name: "setup.hpl")
    case .smp, .vmm, .sysfs:
      try session.run(bootedSetup, name: "setup.hpl")
    }
    if row.category == .guest { try writeGuestPrograms(in: directory) }
    if row.category == .acpi {
      try session.run("machine virt -smp 1,maxcpus=2\nacpi dump \(directory)", name: "setup.hpl")
      try writeDamagedTables(in: directory)
    }
    let before = state(session, lab, directory: directory)
    do {
      try session.run(input, name: "t.hpl")
    } catch {
      failure = render(error.render(color: false), directory)
    }
    return (failure, changedParts(before, state(session, lab, directory: directory)))
  }

  /// Damaged copies of the dumped tables: cut short, a wrong checksum, a Length that does not
  /// match, the wrong kind of table, an empty file, AML that breaks off mid-method.
  static func writeDamagedTables(in directory: String) throws {
    let facp = try TemporaryDirectory.read(directory + "/FACP.dat")
    let apic = try TemporaryDirectory.read(directory + "/APIC.dat")
    let dsdt = try TemporaryDirectory.read(directory + "/DSDT.aml")
    func write(_ name: String, _ bytes: [UInt8]) throws {
      try TemporaryDirectory.write(bytes, to: directory + "/" + name)
    }
    try write("empty.dat", [])
    try write("short.dat", Array(facp.prefix(20)))
    try write("header-only.dat", Array(facp.prefix(36)))
    var badSum = facp
    badSum[9] &+= 1
    try write("badsum.dat", badSum)
    var longer = apic
    longer[4] &+= 4
    try write("badlen.dat", longer)
    try write("extra.dat", apic + [0, 0])
    // The DSDT cut in half with its Length and checksum made to match: the AML breaks off.
    var cut = Array(dsdt.prefix(dsdt.count / 2))
    let length = UInt32(cut.count)
    for i in 0..<4 { cut[4 + i] = UInt8(truncatingIfNeeded: length >> UInt32(8 * i)) }
    cut[9] = 0
    cut[9] = 0 &- cut.reduce(UInt8(0)) { $0 &+ $1 }
    try write("cut.aml", cut)
    var badRSDP = try TemporaryDirectory.read(directory + "/RSDP.dat")
    badRSDP[8] &+= 1
    try write("badrsdp.dat", badRSDP)
  }

  /// Assembly sources with one mistake each, a good one, and binaries for disasm and run.
  static func writeGuestPrograms(in directory: String) throws {
    let sources = [
      "bad-mnemonic.S": "  mov x0, #1\n  frob x1, x2\n",
      "bad-register.S": "  add x0, x1, x32\n",
      "bad-imm.S": "  add x0, x1, #4097\n",
      "undefined-label.S": "  b nowhere\n",
      "duplicate-label.S": "a:\n  nop\na:\n  nop\n",
      "missing-operand.S": "  add x0, x1\n",
      "far-branch.S": "  b.eq 0x50000000\n",
      "bad-directive.S": "  .frobnicate 3\n",
      "ok.S": "  mov x0, #1\n  brk #0\n",
      "udf.S": "  udf #0\n",
      "spin.S": "1: b 1b\n",
    ]
    for (name, text) in sources { try TemporaryDirectory.write(Array(text.utf8), to: directory + "/" + name) }
    try TemporaryDirectory.write([0x1F, 0x20, 0x03, 0xD5, 0x00, 0x00], to: directory + "/odd.bin")
    try TemporaryDirectory.write([1, 2, 3, 4], to: directory + "/existing.bin")
  }

  static func render(_ text: String, _ directory: String) -> String {
    text.replacingOccurrences(directory, with: "$DIR")
  }

  static func changedParts(_ a: State, _ b: State) -> [String] {
    var parts: [String] = []
    if a.variables != b.variables { parts.append("variables") }
    if a.settings != b.settings { parts.append("settings") }
    if a.vmm != b.vmm { parts.append("VMM slots") }
    if a.hotplug != b.hotplug { parts.append("hotplug registers") }
    if a.masks != b.masks { parts.append("kernel masks") }
    if a.cpuStates != b.cpuStates { parts.append("CPU states") }
    if a.sysfs != b.sysfs { parts.append("sysfs") }
    if a.files != b.files { parts.append("files") }
    return parts
  }
}

/// Scratch directories under /tmp for tests that touch host files.
enum TemporaryDirectory {
  static func make() throws -> String {
    var template = Array("/tmp/hplab-reliability-XXXXXX".utf8CString)
    guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
      throw HostError(message: "mkdtemp: \(String(cString: strerror(errno)))")
    }
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  struct HostError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
  }

  /// Every regular file directly in `directory`, by name (sub-directories as empty markers).
  static func contents(of directory: String) -> [String: [UInt8]] {
    guard let dir = opendir(directory) else { return [:] }
    defer { closedir(dir) }
    var files: [String: [UInt8]] = [:]
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if name == "." || name == ".." { continue }
      files[name] = (try? read(directory + "/" + name)) ?? [0xFF, 0xFE]
    }
    return files
  }

  static func read(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else {
      throw HostError(message: "\(path): \(String(cString: strerror(errno)))")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&buffer, 1, buffer.count, file)
      bytes += buffer[0..<n]
      if n < buffer.count { break }
    }
    if ferror(file) != 0 { throw HostError(message: "\(path): read error") }
    return bytes
  }

  static func write(_ bytes: [UInt8], to path: String) throws {
    guard let file = fopen(path, "wb") else {
      throw HostError(message: "\(path): \(String(cString: strerror(errno)))")
    }
    defer { fclose(file) }
    guard fwrite(bytes, 1, bytes.count, file) == bytes.count else {
      throw HostError(message: "\(path): short write")
    }
  }

  /// Removes a directory tree (made writable first, so tests that remove permissions clean up).
  static func remove(_ path: String) {
    chmod(path, 0o755)
    if let dir = opendir(path) {
      var names: [String] = []
      while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        if name != "." && name != ".." { names.append(name) }
      }
      closedir(dir)
      for name in names { remove(path + "/" + name) }
      rmdir(path)
    } else {
      unlink(path)
    }
  }
}

extension String {
  func replacingOccurrences(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var result = ""
    var rest = Substring(self)
    while let range = rest.firstRange(of: target) {
      result += rest[..<range.lowerBound]
      result += replacement
      rest = rest[range.upperBound...]
    }
    return result + rest
  }
}
