import Foundation
import GuestKernel
import Lab
import Testing

/// `workload`: chunks of A64 code run on the online CPUs through IPI_CALL_FUNC.
@Suite struct WorkloadTests {
  static let mix: String = {
    // Tests run from the package root.
    "Lessons/workloads/mix.S"
  }()

  /// The function of mix.S computed in Swift: the checksum must match what the vCPUs computed.
  static func mix(_ chunk: UInt64) -> UInt64 {
    var x = chunk
    for round in stride(from: UInt64(20000), to: 0, by: -1) {
      x ^= x >> 12
      x ^= x << 25
      x = x &* 0x7F4A_7C15 &+ round
    }
    return x
  }

  func run(workers: Int, chunks: Int) throws -> (LabHarness, Workload) {
    let h = try LabHarness.booted("cpus=\(workers + 1),maxcpus=8")
    try h.run("workload run \(WorkloadTests.mix) chunks=\(chunks)\nsettle")
    return (h, try #require(h.kernel.workload))
  }

  @Test func chunksRunOnEveryOnlineCPUButCPU0AndComputeTheRightResults() throws {
    let (h, w) = try run(workers: 3, chunks: 12)
    #expect(w.finished != nil)
    #expect(w.done == [1: 4, 2: 4, 3: 4])
    #expect(w.resultSum == (0..<12).reduce(UInt64(0)) { $0 &+ WorkloadTests.mix($1) })
    let ipis = h.trace("gic.sgi").map(\.details)
    #expect(ipis.filter { $0.hasPrefix("SGI 1 ->") }.count == 12)
    #expect(try h.run("workload").contains("chunks per CPU: cpu1=4 cpu2=4 cpu3=4"))
  }

  @Test func moreCPUsFinishSooner() throws {
    let one = try run(workers: 1, chunks: 12).1.duration!
    let three = try run(workers: 3, chunks: 12).1.duration!
    #expect(three * 5 / 2 < one)  // close to 3x
    #expect(one > 12 * 100_000)  // 12 chunks of ~100k instructions at 1 ns each
  }

  @Test func aWorkloadWaitsForAWorkerAndUsesCPUsAsTheyComeOnline() throws {
    let h = try LabHarness.booted("cpus=1,maxcpus=4")
    try h.run("workload run \(WorkloadTests.mix) chunks=100\nsettle")  // settles: nothing can run
    #expect(h.kernel.workload?.completed == 0)
    #expect(try h.session.evaluate("workload_ns()") == .none)
    try h.run(
      """
      device_add host-arm-cpu,core-id=1,id=cpu1
      device_add host-arm-cpu,core-id=2,id=cpu2
      settle
      echo 1 > /sys/devices/system/cpu/cpu1/online
      echo 1 > /sys/devices/system/cpu/cpu2/online
      settle
      """)
    // The second write finds device_hotplug_lock taken by the first, sleeps 5 ms and restarts
    // (lock_device_hotplug_sysfs()), so CPU 2 joins about 5 ms after CPU 1.
    let w = try #require(h.kernel.workload)
    #expect(w.completed == 100)
    #expect(Set(w.done.keys) == [1, 2])
    #expect(try h.session.evaluate("workload_done()") == .int(100))
  }

  @Test func offliningAWorkerMidwayLosesNoChunk() throws {
    let h = try LabHarness.booted("cpus=3,maxcpus=4")
    try h.run(
      "workload run \(WorkloadTests.mix) chunks=10\nstep 50\necho 0 > /sys/devices/system/cpu/cpu2/online\nsettle"
    )
    let w = try #require(h.kernel.workload)
    #expect(w.completed == 10)
    #expect(w.resultSum == (0..<10).reduce(UInt64(0)) { $0 &+ WorkloadTests.mix($1) })
    #expect(try h.cpuFile("online") == "0-1")
  }

  @Test func badWorkloadsAreClearErrors() throws {
    let h = try LabHarness.booted("cpus=2,maxcpus=4")
    #expect(h.failure("workload run /nonexistent.S")?.contains("No such file or directory") == true)
    let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).S")
    try "work: frobnicate x0\n".write(to: bad, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: bad) }
    let error = try #require(h.failure("workload run \(bad.path)"))
    #expect(error.contains(":1:"))
    #expect(h.failure("workload run \(WorkloadTests.mix) chunks=0")?.contains("chunks must be") == true)
    try h.run("workload run \(WorkloadTests.mix) chunks=4")
    #expect(h.failure("workload run \(WorkloadTests.mix) chunks=4")?.contains("still running") == true)
    try h.run("settle")
    #expect(try h.run("workload").contains("finished"))
  }

  @Test func showListsAddressesAndEncodings() throws {
    let h = LabHarness()
    let listing = try h.run("workload show \(WorkloadTests.mix)")
    #expect(listing.contains("41000000  aa0003e1          mov     x1, x0"))
    #expect(listing.contains("41000028  d65f03c0          ret"))
    #expect(listing.hasPrefix("                    // mix.S"))
  }
}
