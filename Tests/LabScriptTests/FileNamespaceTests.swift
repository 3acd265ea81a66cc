import CPUMask
import Testing

@testable import LabScript

@Suite struct FileNamespaceTests {
  func session() -> (Session, MemoryFiles) {
    let s = Session()
    let files = MemoryFiles([
      "/sys/devices/system/cpu/online": "0\n",
      "/sys/devices/system/cpu/cpu1/online": "0\n",
      "/sys/devices/system/cpu/possible": "0-3\n",
    ])
    files.rejectWrites["/sys/devices/system/cpu/possible"] = .EPERM
    s.files.mount(files, at: "/sys")
    return (s, files)
  }

  @Test func normalizesPaths() {
    #expect(FileNamespace.normalize("/sys//devices/./system/../system/cpu/") == "/sys/devices/system/cpu")
    #expect(FileNamespace.normalize("sys/x") == "/sys/x")
    #expect(FileNamespace.normalize("/..") == "/")
  }

  @Test func catLsAndEcho() {
    let (s, files) = session()
    #expect(
      output("cat /sys/devices/system/cpu/online /sys/devices/system/cpu/possible", in: s) == "0\n0-3\n")
    #expect(output("ls /sys/devices/system/cpu", in: s) == "cpu1 online possible\n")
    #expect(output("ls /", in: s) == "sys\n")
    #expect(output("echo 1 > /sys/devices/system/cpu/cpu1/online", in: s) == "")
    #expect(files.files["/sys/devices/system/cpu/cpu1/online"] == "1\n")
    #expect(output("echo -n x >> /sys/devices/system/cpu/cpu1/online", in: s) == "")
    #expect(files.files["/sys/devices/system/cpu/cpu1/online"] == "1\nx")
    #expect(output("let c = 1; echo 0 > /sys/devices/system/cpu/cpu${c}/online", in: s) == "")
    #expect(files.files["/sys/devices/system/cpu/cpu1/online"] == "0\n")
  }

  @Test func writeErrorsReportTheErrno() {
    let (s, _) = session()
    #expect(
      run("echo 1 > /sys/devices/system/cpu/possible", in: s).error == """
        test.hpl:1:8: error: /sys/devices/system/cpu/possible: Operation not permitted
        echo 1 > /sys/devices/system/cpu/possible
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """)
    #expect(
      run("echo 1 > /sys/devices/system/cpu/cpu3/online", in: s).error?.contains(
        "/sys/devices/system/cpu/cpu3/online: No such file or directory") == true)
    #expect(run("ls /sys/devices/system/cpu/online", in: s).error?.contains("Not a directory") == true)
  }

  @Test func aFailedCommandWritesNothing() {
    let (s, files) = session()
    #expect(run("echo --bad > /sys/devices/system/cpu/cpu1/online", in: s).error != nil)
    #expect(files.files["/sys/devices/system/cpu/cpu1/online"] == "0\n")
  }

  @Test func errnoMessagesAreGlibcs() {
    #expect(Errno.EINVAL.message == "Invalid argument")
    #expect(Errno.EBUSY.message == "Device or resource busy")
    #expect(FileError(.ENOENT, "/x").message == "/x: No such file or directory")
  }
}
