import Testing

@testable import CPUMask

@Suite struct CPUMaskTests {
  @Test func defaultWidthIsNRCPUs512() {
    #expect(CPUMask().nrCPUs == 512)
    #expect(CPUMask.maximumNRCPUs == 4096)
  }

  @Test func parsesAndPrintsLikeSysfs() throws {
    let m = try CPUMask(cpulist: "0-3,8")
    #expect(m.weight == 5)
    #expect(m.listString == "0-3,8")
    #expect(m.description == "0-3,8")
    #expect(try CPUMask(cpulist: "0-3,8", nrCPUs: 64).mapString == "00000000,0000010f")
    #expect(try CPUMask(cpumap: "10f", nrCPUs: 64) == CPUMask(nrCPUs: 64, cpus: [0, 1, 2, 3, 8]))
    #expect(throws: BitmapParseError(.ERANGE, offset: 0, "bit 4 does not fit in a mask of 4 bits")) {
      try CPUMask(cpulist: "4", nrCPUs: 4)
    }
  }

  @Test func kernelOperations() {
    var m = CPUMask(nrCPUs: 8, cpus: [1, 3])
    let other = CPUMask(nrCPUs: 8, cpus: [3, 4])
    #expect(m.and(other).listString == "3")
    #expect(m.or(other).listString == "1,3-4")
    #expect(m.xor(other).listString == "1,4")
    #expect(m.andNot(other).listString == "1")
    #expect(m.complement().listString == "0,2,4-7")
    #expect(m.first == 1)
    #expect(m.last == 3)
    #expect(m.next(after: 1) == 3)
    #expect(m.next(after: 3) == nil)
    #expect(m.nextWrapping(after: 3) == 1)
    #expect(m.nextWrapping(after: 1) == 3)
    #expect(m.firstZero == 0)
    #expect(m.testAndSet(5) == false)
    #expect(m.testAndClear(5) == true)
    #expect(m.isValid(cpu: 7) && !m.isValid(cpu: 8) && !m.isValid(cpu: -1))
    m.setAll()
    #expect(m.isFull && m.weight == 8)
    m.clearAll()
    #expect(m.isEmpty && m.first == nil)
    #expect(Array(CPUMask(nrCPUs: 8, cpus: [6, 2])) == [2, 6])
    #expect(CPUMask(nrCPUs: 8, cpus: [1, 7]).resized(to: 4).listString == "1")
  }
}

@Suite struct CPUMasksTests {
  func masks(_ possible: String, _ present: String, _ enabled: String, _ online: String, _ active: String)
    throws -> CPUMasks
  {
    var m = CPUMasks(nrCPUs: 8)
    m.possible = try CPUMask(cpulist: possible, nrCPUs: 8)
    m.present = try CPUMask(cpulist: present, nrCPUs: 8)
    m.enabled = try CPUMask(cpulist: enabled, nrCPUs: 8)
    m.online = try CPUMask(cpulist: online, nrCPUs: 8)
    m.active = try CPUMask(cpulist: active, nrCPUs: 8)
    return m
  }

  @Test func invariantHoldsForTheFactSheetBootVector() throws {
    // -smp cpus=1,maxcpus=4 after boot: P=0-3 Pr=0-3 E=0 O=0.
    let m = try masks("0-3", "0-3", "0", "0", "0")
    #expect(m.invariantHolds)
    #expect(m.offline(nrCPUIDs: 4).listString == "1-3")
  }

  @Test func everyBrokenLinkIsReported() throws {
    let m = try masks("0-3", "0-2", "0-3", "0,5", "0-1")
    #expect(
      m.violations.map(\.description) == [
        "enabled ⊄ present: CPU 3 is enabled but not present",
        "online ⊄ enabled: CPU 5 is online but not enabled",
        "active ⊄ online: CPU 1 is active but not online",
      ])
    #expect(!m.invariantHolds)
    #expect(
      try masks("0", "0", "0", "0", "0-1").violations.map(\.description) == [
        "active ⊄ online: CPU 1 is active but not online"
      ])
    #expect(try masks("0", "0-2", "0", "0", "0").violations.first?.cpus.listString == "1-2")
  }

  @Test func subscriptAndKernelSymbols() {
    var m = CPUMasks(nrCPUs: 4)
    m[.enabled] = CPUMask(nrCPUs: 4, cpus: [2])
    #expect(m.enabled.listString == "2")
    #expect(
      CPUMasks.Name.allCases.map(\.kernelSymbol) == [
        "cpu_possible_mask", "cpu_present_mask", "cpu_enabled_mask", "cpu_online_mask", "cpu_active_mask",
      ])
  }
}
