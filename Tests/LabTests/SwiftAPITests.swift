import Lab
import LabScript
import Testing

/// The README's "Experiments in Swift" example, kept true.
@Suite struct SwiftAPITests {
  @Test func theReadmeExampleRuns() throws {
    let (session, lab) = LabModules.makeLabSession(output: BufferedOutput())
    try session.run("machine virt -smp cpus=1,maxcpus=8\nboot\nsettle")
    for core in 1..<8 { try session.run("device_add host-arm-cpu,core-id=\(core),id=cpu\(core)") }
    lab.settle()
    #expect(lab.kernel!.masks.enabled.listString == "0-7")
    #expect(lab.machine!.state.trace.matching("psci.cpu_on").count == 7)  // the DENIED ones at boot
  }

  @Test func stepEventSysfsWriteAndSnapshots() throws {
    let (session, lab) = LabModules.makeLabSession(output: BufferedOutput())
    try session.run("machine virt -smp cpus=2,maxcpus=4\nboot")
    while lab.stepEvent() != nil {}
    #expect(lab.isIdle)
    lab.saveSnapshot("booted")
    guard case .success = lab.sysfsWrite("/sys/devices/system/cpu/cpu1/online", "0") else {
      Issue.record("the write to cpu1/online was refused")
      return
    }
    guard case .failure(let errno) = lab.sysfsWrite("/sys/devices/system/cpu/cpu3/online", "1") else {
      Issue.record("a write to a CPU that does not exist was accepted")
      return
    }
    #expect(errno == .ENOENT)
    #expect(lab.settle() != nil)
    #expect(lab.kernel!.masks.online.listString == "0")
    #expect(lab.restoreSnapshot("booted"))
    #expect(lab.kernel!.masks.online.listString == "0-1")
    #expect(!lab.restoreSnapshot("nonexistent"))
  }
}
