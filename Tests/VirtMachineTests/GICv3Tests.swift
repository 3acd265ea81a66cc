import Testing

@testable import VirtMachine

@Suite struct GICv3Tests {
  /// A GIC for `n` CPUs with affinities as QEMU assigns them.
  func gic(_ n: Int) -> GICv3 { GICv3(affinities: (0..<n).map { CPUSlotID.affinity(index: $0) }) }

  /// What Linux's gic_dist_init and gic_cpu_init do, through registers only.
  func linuxInit(_ g: inout GICv3, cpus: [Int]) {
    g.writeDistributor(offset: 0x0, size: 4, value: 0)
    for i in 1..<8 { g.writeDistributor(offset: 0x80 + UInt64(i) * 4, size: 4, value: 0xFFFF_FFFF) }
    for intid in stride(from: 32, to: 256, by: 4) {
      g.writeDistributor(offset: 0x400 + UInt64(intid), size: 4, value: 0xA0A0_A0A0)
    }
    for intid in 32..<256 { g.writeDistributor(offset: 0x6000 + UInt64(intid) * 8, size: 8, value: 0) }
    g.writeDistributor(offset: 0x0, size: 4, value: 0x13)
    for cpu in cpus {
      let rd = UInt64(cpu) * 0x20000
      g.writeRedistributor(offset: rd + 0x14, size: 4, value: 0)  // wake
      g.writeRedistributor(offset: rd + 0x10080, size: 4, value: 0xFFFF_FFFF)
      g.writeRedistributor(offset: rd + 0x10180, size: 4, value: 0xFFFF_FFFF)
      for i in stride(from: 0, to: 32, by: 4) {
        g.writeRedistributor(offset: rd + 0x10400 + UInt64(i), size: 4, value: 0xA0A0_A0A0)
      }
      g.writeSystemRegister(.PMR, cpu: cpu, value: 0xF0)
      g.writeSystemRegister(.IGRPEN1, cpu: cpu, value: 1)
      g.writeRedistributor(offset: rd + 0x10100, size: 4, value: 0xFFFF)  // enable SGIs
    }
  }

  @Test func distributorIdentification() {
    var g = gic(4)
    // ITLinesNumber 7 (224 SPIs), IDbits 15, LPIS
    #expect(g.readDistributor(offset: 0x4, size: 4) == 7 | 15 << 19 | 1 << 17)
    #expect(g.readDistributor(offset: 0x8, size: 4) == 0x43B)
    #expect(g.readDistributor(offset: 0xFFE8, size: 4) & 0xF0 == 0x30)
    g.writeDistributor(offset: 0, size: 4, value: 0x13)
    #expect(g.readDistributor(offset: 0, size: 4) == 0x53)  // DS stays set, RWP reads 0
  }

  @Test func redistributorTyperHasAffinityProcessorNumberAndLastOnTheFinalFrame() {
    var g = gic(18)
    let t17 = g.readRedistributor(offset: 17 * 0x20000 + 0x8, size: 8)
    #expect(t17 >> 32 == 0x101)  // CPU 17: Aff1 = 1, Aff0 = 1
    #expect((t17 >> 8) & 0xFFFF == 17)
    #expect(t17 & 0x10 != 0)
    #expect(g.readRedistributor(offset: 16 * 0x20000 + 0x8, size: 8) & 0x10 == 0)
    #expect(
      g.readRedistributor(offset: 0x8, size: 4)
        == UInt64(UInt32(truncatingIfNeeded: g.readRedistributor(offset: 0x8, size: 8))))
    #expect(g.readRedistributor(offset: 18 * 0x20000 + 0x8, size: 8) == 0)  // beyond the last CPU
  }

  @Test func wakerHandshakeCompletesAtOnce() {
    var g = gic(2)
    #expect(g.readRedistributor(offset: 0x20000 + 0x14, size: 4) == 0x6)
    g.writeRedistributor(offset: 0x20000 + 0x14, size: 4, value: 0)
    #expect(g.readRedistributor(offset: 0x20000 + 0x14, size: 4) == 0)
    #expect(g.notes.last?.event == "gicr.wake" && g.notes.last?.cpu == 1)
    g.writeRedistributor(offset: 0x20000 + 0x14, size: 4, value: 0x2)
    #expect(g.readRedistributor(offset: 0x20000 + 0x14, size: 4) == 0x6)
    #expect(g.notes.last?.event == "gicr.sleep")
  }

  @Test func sgiBetweenTwoCPUs() {
    var g = gic(2)
    linuxInit(&g, cpus: [0, 1])
    // CPU 0 sends SGI 1 to Aff0 = 1 in cluster 0.
    g.writeSystemRegister(.SGI1R, cpu: 0, value: 1 << 24 | 0b10)
    #expect(g.irqAsserted(cpu: 1))
    #expect(!g.irqAsserted(cpu: 0))
    #expect(g.readSystemRegister(.HPPIR1, cpu: 1) == 1)
    #expect(g.readSystemRegister(.IAR1, cpu: 1) == 1)
    #expect(g.readSystemRegister(.RPR, cpu: 1) == 0xA0)
    #expect(!g.irqAsserted(cpu: 1))
    #expect(g.readSystemRegister(.IAR1, cpu: 1) == 1023)
    g.writeSystemRegister(.EOIR1, cpu: 1, value: 1)
    #expect(g.readSystemRegister(.RPR, cpu: 1) == 0xFF)
    #expect(g.readRedistributor(offset: 0x20000 + 0x10300, size: 4) == 0)  // no longer active
  }

  @Test func sgiIsLatchedWhileDisabledOrAsleep() {
    var g = gic(2)
    g.writeSystemRegister(.SGI1R, cpu: 0, value: 3 << 24 | 0b10)
    #expect(!g.irqAsserted(cpu: 1))  // asleep, nothing enabled
    linuxInit(&g, cpus: [1])
    #expect(g.readSystemRegister(.IAR1, cpu: 1) == 3)
  }

  @Test func broadcastSGIExcludesTheSenderAndInaccessibleCPUs() {
    var g = gic(4)
    linuxInit(&g, cpus: [0, 1, 2, 3])
    g.accessible[3] = false
    g.writeSystemRegister(.SGI1R, cpu: 1, value: 1 << 40 | 5 << 24)
    #expect(g.irqAsserted(cpu: 0) && g.irqAsserted(cpu: 2))
    #expect(!g.irqAsserted(cpu: 1) && !g.irqAsserted(cpu: 3))
    #expect(g.notes.last?.details == "SGI 5 -> cpu0,cpu2")
  }

  @Test func sgiTargetsUseAffinityClusters() {
    var g = gic(20)
    linuxInit(&g, cpus: Array(0..<20))
    g.writeSystemRegister(.SGI1R, cpu: 0, value: 2 << 24 | 1 << 16 | 0b1000)  // Aff1 = 1, Aff0 = 3 -> CPU 19
    #expect((0..<20).filter { g.irqAsserted(cpu: $0) } == [19])
  }

  @Test func edgeSPIRoutedByIRouter() {
    var g = gic(2)
    linuxInit(&g, cpus: [0, 1])
    g.writeDistributor(offset: 0x100 + 4, size: 4, value: 1 << 9)  // enable INTID 41
    g.pulseSPI(41)
    #expect(g.irqAsserted(cpu: 0) && !g.irqAsserted(cpu: 1))
    g.writeDistributor(offset: 0x6000 + 41 * 8, size: 8, value: 1)  // route to Aff0 = 1
    #expect(g.irqAsserted(cpu: 1) && !g.irqAsserted(cpu: 0))
    #expect(g.readSystemRegister(.IAR1, cpu: 1) == 41)
    #expect(g.readDistributor(offset: 0x300 + 4, size: 4) == 1 << 9)  // active
    g.writeSystemRegister(.EOIR1, cpu: 1, value: 41)
    #expect(g.readDistributor(offset: 0x300 + 4, size: 4) == 0)
    #expect(!g.irqAsserted(cpu: 1))
  }

  @Test func masksThatBlockSignalling() {
    var g = gic(1)
    linuxInit(&g, cpus: [0])
    g.writeSystemRegister(.SGI1R, cpu: 0, value: 1)
    g.writeSystemRegister(.PMR, cpu: 0, value: 0xA0)  // priority 0xA0 is not lower than PMR
    #expect(!g.irqAsserted(cpu: 0))
    g.writeSystemRegister(.PMR, cpu: 0, value: 0xF0)
    g.writeSystemRegister(.IGRPEN1, cpu: 0, value: 0)
    #expect(!g.irqAsserted(cpu: 0))
    #expect(g.readSystemRegister(.IAR1, cpu: 0) == 1023)
    g.writeSystemRegister(.IGRPEN1, cpu: 0, value: 1)
    g.writeRedistributor(offset: 0x14, size: 4, value: 0x2)  // redistributor asleep
    #expect(!g.irqAsserted(cpu: 0))
  }

  @Test func levelSPIFollowsItsInputAndEOImodeSplitsDeactivation() {
    var g = gic(1)
    linuxInit(&g, cpus: [0])
    g.writeDistributor(offset: 0x100 + 4, size: 4, value: 1 << 1)  // INTID 33 (UART)
    g.setSPILevel(33, true)
    #expect(g.irqAsserted(cpu: 0))
    g.writeSystemRegister(.CTLR, cpu: 0, value: 0b10)
    #expect(g.readSystemRegister(.CTLR, cpu: 0) & 0x702 == 0x402)
    #expect(g.readSystemRegister(.IAR1, cpu: 0) == 33)
    g.writeSystemRegister(.EOIR1, cpu: 0, value: 33)
    #expect(g.readDistributor(offset: 0x300 + 4, size: 4) == 1 << 1)  // still active with EOImode 1
    g.writeSystemRegister(.DIR, cpu: 0, value: 33)
    #expect(g.readDistributor(offset: 0x300 + 4, size: 4) == 0)
    g.setSPILevel(33, false)
    #expect(!g.irqAsserted(cpu: 0))
  }

  @Test func priorityRegistersAreByteAccessibleAndKeepFiveBits() {
    var g = gic(1)
    g.writeDistributor(offset: 0x400 + 41, size: 1, value: 0xA7)
    #expect(g.readDistributor(offset: 0x400 + 41, size: 1) == 0xA0)
    #expect(g.readDistributor(offset: 0x400 + 40, size: 4) == 0xA000)
    g.writeDistributor(offset: 0x400 + 8, size: 4, value: 0xFFFF_FFFF)  // INTIDs < 32: RAZ/WI
    #expect(g.readDistributor(offset: 0x400 + 8, size: 4) == 0)
  }

  @Test func systemRegisterEncodings() {
    #expect(GICCPUInterface.Register(op0: 3, op1: 0, crn: 12, crm: 12, op2: 0) == .IAR1)
    #expect(GICCPUInterface.Register(op0: 3, op1: 0, crn: 4, crm: 6, op2: 0) == .PMR)
    #expect(GICCPUInterface.Register(op0: 3, op1: 0, crn: 12, crm: 11, op2: 5) == .SGI1R)
    #expect(GICCPUInterface.Register(op0: 3, op1: 0, crn: 1, crm: 0, op2: 0) == nil)
    #expect(GICCPUInterface.Register.SRE.name == "ICC_SRE_EL1")
  }
}
