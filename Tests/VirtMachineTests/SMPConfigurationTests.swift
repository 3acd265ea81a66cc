import Testing

@testable import VirtMachine

@Suite struct SMPConfigurationTests {
  @Test(arguments: [
    ("", 1, 1, 1, 1, 1, 1),
    ("8", 8, 8, 1, 1, 8, 1),
    ("1,maxcpus=3", 1, 3, 1, 1, 3, 1),
    ("cpus=1,maxcpus=4", 1, 4, 1, 1, 4, 1),
    ("cpus=1,maxcpus=3,cores=3,threads=1,sockets=1", 1, 3, 1, 1, 3, 1),
    ("2,maxcpus=6", 2, 6, 1, 1, 6, 1),
    ("4,maxcpus=8,sockets=2", 4, 8, 2, 1, 4, 1),
    ("maxcpus=8,cores=2,threads=2", 8, 8, 2, 1, 2, 2),
    ("sockets=2,cores=2", 4, 4, 2, 1, 2, 1),
    ("4,clusters=2", 4, 4, 1, 2, 2, 1),
    ("0x10", 16, 16, 1, 1, 16, 1),
    ("010", 8, 8, 1, 1, 8, 1),
    ("1,maxcpus=512", 1, 512, 1, 1, 512, 1),
    ("cpus=2,cpus=3", 3, 3, 1, 1, 3, 1),
    ("2,dies=1,modules=1,books=1,drawers=1", 2, 2, 1, 1, 2, 1),
  ])
  func valid(
    _ text: String, _ cpus: Int, _ maxCPUs: Int, _ sockets: Int, _ clusters: Int, _ cores: Int, _ threads: Int
  )
    throws
  {
    let smp = try SMPConfiguration.parse(text)
    #expect(
      smp
        == SMPConfiguration(
          cpus: cpus, maxCPUs: maxCPUs, sockets: sockets, clusters: clusters, cores: cores, threads: threads))
  }

  @Test(arguments: [
    // sockets = maxcpus / (clusters * cores * threads) = 2 / 3, truncated to 0.
    (
      "2,cores=3",
      "Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (0) * clusters (1) * cores (3) * threads (1) != maxcpus (2)"
    ),
    (
      "3,maxcpus=4,cores=3",
      "Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (1) * clusters (1) * cores (3) * threads (1) != maxcpus (4)"
    ),
    (
      "4,maxcpus=2",
      "Invalid CPU topology: maxcpus must be equal to or greater than smp: sockets (1) * clusters (1) * cores (2) * threads (1) == maxcpus (2) < smp_cpus (4)"
    ),
    ("0", "Invalid CPU topology: CPU topology parameters must be greater than zero"),
    ("2,cores=0", "Invalid CPU topology: CPU topology parameters must be greater than zero"),
    ("4,dies=2", "dies > 1 not supported by this machine's CPU topology"),
    ("4,modules=2", "modules > 1 not supported by this machine's CPU topology"),
    ("4,books=2", "books > 1 not supported by this machine's CPU topology"),
    ("4,drawers=2", "drawers > 1 not supported by this machine's CPU topology"),
    ("1,maxcpus=513", "Invalid SMP CPUs 513. The max CPUs supported by machine 'virt-9.1' is 512"),
    ("1000", "Invalid SMP CPUs 1000. The max CPUs supported by machine 'virt-9.1' is 512"),
    ("2,foo=1", "-smp 2,foo=1: Invalid parameter 'foo'"),
    ("2,maxcpus", "-smp 2,maxcpus: Invalid parameter 'maxcpus'"),
    ("two", "-smp two: Parameter 'cpus' expects a number"),
    ("2,maxcpus=-4", "-smp 2,maxcpus=-4: Parameter 'maxcpus' expects a number"),
    ("2,maxcpus=", "-smp 2,maxcpus=: Parameter 'maxcpus' expects a number"),
    (
      "99999999999999999999999",
      "-smp 99999999999999999999999: Value '99999999999999999999999' is too large for parameter 'cpus'"
    ),
  ])
  func invalid(_ text: String, _ message: String) {
    #expect(throws: SMPConfiguration.Error(message: message)) { try SMPConfiguration.parse(text) }
  }

  @Test func slotIdentity() throws {
    let smp = try SMPConfiguration.parse("1,maxcpus=40,sockets=2,clusters=2,threads=2")
    let slot = CPUSlotID(index: 19, smp: smp)
    // 5 cores per cluster, 20 CPUs per socket: slot 19 = socket 0, cluster 1, core 4, thread 1.
    #expect(slot.socket == 0 && slot.cluster == 1 && slot.core == 4 && slot.thread == 1)
    #expect(CPUSlotID.index(socket: 0, cluster: 1, core: 4, thread: 1, smp: smp) == 19)
    #expect(slot.mpidr == 0x103)
    #expect(slot.mpidrRegister == 0x8000_0103)
    #expect(CPUSlotID(index: 10, smp: smp).deviceName == "C00A")
    #expect(CPUSlotID(index: 16, smp: smp).deviceName == "C010")
    #expect(CPUSlotID(index: 0, smp: smp).deviceName == "C000")
    #expect(try CPUSlotID(index: 256, smp: SMPConfiguration.parse("1,maxcpus=512")).deviceName == "C100")
  }
}
