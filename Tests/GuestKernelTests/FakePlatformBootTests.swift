import A64
import ACPI
import CPUMask
import Testing

@testable import GuestKernel

/// A board that is not the virt machine: 2 CPUs, a GICv3 at other addresses, a Cortex-A53, and
/// firmware tables the test writes itself. The kernel must boot on it with nothing but what the
/// platform interface gives, which is what shows that it reads no VirtMachine state.
final class FakeBoard: KernelPlatform {
  static let gicd: UInt64 = 0x2F00_0000
  static let gicr: UInt64 = 0x2F10_0000
  static let configTable: UInt64 = 0x5000_0000
  static let rsdp: UInt64 = 0x5000_1000
  static let xsdt: UInt64 = 0x5000_2000
  static let fadt: UInt64 = 0x5000_3000
  static let madt: UInt64 = 0x5000_4000
  static let dsdt: UInt64 = 0x5001_0000
  static let cortexA53: UInt64 = 0x410F_D034

  var now: UInt64 = 0
  var bootInformation: UInt64 { FakeBoard.configTable }
  var ram: [UInt64: UInt8] = [:]
  var mmio: [UInt64: UInt64] = [:]
  var cpuOn: [(mpidr: UInt64, entry: UInt64, context: UInt64)] = []
  var psciCalls: [UInt64] = []
  var traces: [String] = []
  var sysregWrites: [(SystemRegister, UInt64)] = []
  /// CPUs powered on (by MPIDR).
  var on: Set<UInt64> = [0]

  init(withTables: Bool = true) {
    guard withTables else { return }
    let gicc0 = GICC(acpiProcessorUID: 0, mpidr: 0, flags: GICC.enabled)
    let gicc1 = GICC(acpiProcessorUID: 1, mpidr: 1, flags: GICC.enabled)
    let madt = MADT(structures: [
      .gicd(GICD(baseAddress: FakeBoard.gicd, version: 3)), .gicc(gicc0), .gicc(gicc1),
      .gicr(GICR(discoveryRangeBase: FakeBoard.gicr, discoveryRangeLength: 0x4_0000)),
    ])
    let processors: [AMLTerm] = (0..<2).map { n in
      .device(
        AMLNameString(parsing: "C00\(n)")!,
        [.name("_HID", .string("ACPI0007")), .name("_UID", .integer(UInt64(n)))])
    }
    let dsdt = DefinitionBlock(terms: [.scope("\\_SB", processors)])
    place(RSDP(xsdtAddress: FakeBoard.xsdt).encodedBytes, at: FakeBoard.rsdp)
    place(XSDT(entries: [FakeBoard.fadt, FakeBoard.madt]).encodedBytes, at: FakeBoard.xsdt)
    place(FADT(xDSDT: FakeBoard.dsdt).encodedBytes, at: FakeBoard.fadt)
    place(madt.encodedBytes, at: FakeBoard.madt)
    place(dsdt.encodedBytes, at: FakeBoard.dsdt)
    // The EFI configuration table: one entry, ACPI 2.0 → the RSDP.
    func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    place(le64(1) + Kernel.acpi20TableGUID + le64(FakeBoard.rsdp), at: FakeBoard.configTable)
  }

  func place(_ bytes: [UInt8], at address: UInt64) {
    for (i, b) in bytes.enumerated() { ram[address + UInt64(i)] = b }
  }

  func isRAM(_ a: UInt64) -> Bool { a >= 0x4000_0000 && a < 0x8000_0000 }

  func read(_ address: UInt64, size: Int, cpu: Int) -> UInt64? {
    if isRAM(address) {
      return (0..<size).reduce(UInt64(0)) { $0 | UInt64(ram[address + UInt64($1)] ?? 0) << (8 * $1) }
    }
    if address >= FakeBoard.gicd && address < FakeBoard.gicd + 0x1_0000 {
      switch address - FakeBoard.gicd {
      case 0xFFE8: return 0x3B  // GICD_PIDR2: ArchRev 3
      case 0x0004: return 7  // GICD_TYPER: 256 INTIDs
      default: return mmio[address] ?? 0
      }
    }
    if address >= FakeBoard.gicr && address < FakeBoard.gicr + 0x4_0000 {
      let frame = (address - FakeBoard.gicr) / 0x2_0000
      switch (address - FakeBoard.gicr) % 0x2_0000 {
      case 0x8: return frame << 32 | (frame == 1 ? 0x10 : 0)  // GICR_TYPER: affinity, Last
      case 0x14: return mmio[address] ?? 0x6  // GICR_WAKER: ProcessorSleep, ChildrenAsleep
      case 0xFFE8: return 0x3B  // GICR_PIDR2: ArchRev 3
      default: return mmio[address] ?? 0
      }
    }
    return nil
  }

  func write(_ address: UInt64, size: Int, value: UInt64, cpu: Int) -> Bool {
    if isRAM(address) {
      for i in 0..<size { ram[address + UInt64(i)] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
      return true
    }
    guard read(address, size: size, cpu: cpu) != nil else { return false }
    mmio[address] = value
    return true
  }

  func hvc(cpu: Int, x0: UInt64, x1: UInt64, x2: UInt64, x3: UInt64) -> UInt64 {
    psciCalls.append(x0)
    switch x0 {
    case 0x8400_0000: return 0x1_0001  // PSCI_VERSION 1.1
    case 0x8400_0006: return 2  // MIGRATE_INFO_TYPE: no Trusted OS
    case 0xC400_0003:
      // CPU_ON: the secondary's entry code reports in through its boot block at once, as the
      // trampoline does (status 1, its RD_base).
      cpuOn.append((x1, x2, x3))
      on.insert(x1)
      place(
        (0..<8).map { UInt8(truncatingIfNeeded: (FakeBoard.gicr + x1 * 0x2_0000) >> (8 * $0)) }, at: x3 + 32)
      place([1, 0, 0, 0, 0, 0, 0, 0], at: x3 + 16)
      return 0
    case 0xC400_0004: return on.contains(x1) ? 0 : 1  // AFFINITY_INFO
    default: return UInt64(bitPattern: -1)  // NOT_SUPPORTED
    }
  }

  func readSystemRegister(_ register: SystemRegister, cpu: Int) -> UInt64? {
    switch register {
    case .midr: return FakeBoard.cortexA53
    // A Cortex-A53's ID registers: FP, AdvSIMD, AES+PMULL, SHA1, SHA2, CRC32.
    case .ID_AA64PFR0_EL1: return 0x2222
    case .ID_AA64ISAR0_EL1: return 0x1_1120
    case .ID_AA64PFR1_EL1, .ID_AA64ISAR1_EL1: return 0
    case .mpidr: return 0x8000_0000 | UInt64(cpu)
    default:
      return register.name?.hasPrefix("ICC_") == true ? (register.name == "ICC_IAR1_EL1" ? 1023 : 0) : nil
    }
  }

  func writeSystemRegister(_ register: SystemRegister, value: UInt64, cpu: Int) -> Bool {
    sysregWrites.append((register, value))
    return register.name?.hasPrefix("ICC_") == true
  }

  func irqPending(cpu: Int) -> Bool { false }

  func trace(_ source: String, _ event: String, cpu: Int?, _ details: String) {
    traces.append("\(event) \(details)")
  }

  /// Runs the kernel to idle, advancing virtual time to each of its events.
  func run(_ kernel: inout Kernel, limit: Int = 100_000) {
    var steps = 0
    while let next = kernel.nextEventTime, steps < limit {
      now = max(now, next)
      kernel.stepNext(self)
      kernel.wakeWaiters(self)
      steps += 1
    }
  }
}

@Suite struct FakePlatformBootTests {
  @Test func bootsOnABoardThatIsNotTheVirtMachine() throws {
    let board = FakeBoard()
    var kernel = Kernel(config: KernelConfig(), trampoline: Kernel.defaultTrampoline)
    kernel.boot(board)
    board.run(&kernel)
    let log = kernel.log.entries.map(\.text)
    #expect(kernel.panicked == nil, "\(log)")
    #expect(kernel.booted)
    // The MIDR comes from MIDR_EL1, not from any VMM option.
    #expect(log.first == "Booting Linux on physical CPU 0x0000000000 [0x410fd034]")
    #expect(log.contains("ACPI: RSDP 0x0000000050001000 000024 (v02 HPLAB )"))
    // The distributor and the redistributors are where this board's MADT says.
    #expect(kernel.gicdBase == FakeBoard.gicd)
    #expect(log.contains("GICv3: CPU0: found redistributor 0 region 0:0x000000002f100000"))
    #expect(board.cpuOn.count == 1 && board.cpuOn[0].mpidr == 1)
    #expect(log.contains("CPU1: Booted secondary processor 0x0000000001 [0x410fd034]"))
    #expect(kernel.masks.online.listString == "0-1")
    #expect(board.sysregWrites.contains { $0.0 == .ICC_IGRPEN1_EL1 && $0.1 == 1 })
  }

  @Test func noConfigurationTableMeansNoRSDP() {
    let board = FakeBoard(withTables: false)
    var kernel = Kernel(config: KernelConfig(), trampoline: Kernel.defaultTrampoline)
    kernel.boot(board)
    board.run(&kernel)
    #expect(kernel.log.entries.map(\.text).contains("ACPI: Unable to locate RSDP"))
    #expect(!kernel.booted)
  }

  @Test func anMMIOReadFromNothingIsAnOops() {
    let board = FakeBoard()
    var kernel = Kernel(config: KernelConfig(), trampoline: Kernel.defaultTrampoline)
    kernel.spawn(
      "kworker/u8:0", cpu: 0,
      KFunction("test") { k, c in
        _ = k.read(0x1000, size: 4, c)
        return .returns(0)
      }, at: 0)
    board.run(&kernel)
    #expect(
      kernel.log.entries.map(\.text) == [
        "Internal error: synchronous external abort: 0000000096000010 [#1] SMP"
      ])
    // A kworker is killed, not the kernel: no panic, and the thread is gone.
    #expect(kernel.panicked == nil)
    #expect(kernel.threadList.isEmpty)
  }

  @Test func theGEDInterruptComesFromCRS() {
    let resources = AMLTerm.resourceTemplate([
      .extendedInterrupt(edge: true, activeLow: false, shared: false, interrupts: [42, 43])
    ])
    guard case .buffer(_, let bytes) = resources else {
      Issue.record("a resource template is a buffer")
      return
    }
    #expect(Kernel.extendedInterrupts(in: bytes).map(\.gsi) == [42, 43])
    #expect(Kernel.extendedInterrupts(in: [0x79, 0x00]).isEmpty)
    #expect(Kernel.extendedInterrupts(in: [0x89, 0xFF]).isEmpty)
  }
}
