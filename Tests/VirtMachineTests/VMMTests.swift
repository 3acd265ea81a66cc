import Testing

@testable import VirtMachine

@Suite struct VMMTests {
  func vmm(_ smp: String = "cpus=1,maxcpus=3,cores=3,threads=1,sockets=1") throws -> VMM {
    VMM(smp: try SMPConfiguration.parse(smp))
  }

  func props(_ text: String) -> [(key: String, value: String)] {
    text.split(separator: ",").map { item in
      let parts = item.split(separator: "=", maxSplits: 1)
      return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }
  }

  @Test func plugAndInfoHotpluggableCPUs() throws {
    var v = try vmm()
    #expect(try v.deviceAdd(driver: "host-arm-cpu", properties: props("id=cpu1,core-id=1")) == 1)
    #expect(
      v.hotpluggableCPUsText == """
        Hotpluggable CPUs:
          type: "host-arm-cpu"
          vcpus_count: "1"
          CPUInstance Properties:
            socket-id: "0"
            cluster-id: "0"
            core-id: "2"
            thread-id: "0"
          type: "host-arm-cpu"
          vcpus_count: "1"
          qom_path: "/machine/peripheral/cpu1"
          CPUInstance Properties:
            socket-id: "0"
            cluster-id: "0"
            core-id: "1"
            thread-id: "0"
          type: "host-arm-cpu"
          vcpus_count: "1"
          qom_path: "/machine/unattached/device[0]"
          CPUInstance Properties:
            socket-id: "0"
            cluster-id: "0"
            core-id: "0"
            thread-id: "0"

        """)
  }

  @Test func infoCPUsInCreationOrder() throws {
    var v = try vmm("1,maxcpus=4")
    _ = try v.deviceAdd(driver: "host-arm-cpu", properties: props("core-id=2"))
    _ = try v.deviceAdd(driver: "host-arm-cpu", properties: props("core-id=1,id=c1"))
    #expect(v.cpusText == "* CPU #0: thread_id=4243\n  CPU #2: thread_id=4244\n  CPU #1: thread_id=4245\n")
    #expect(v.slots[2].qomPath == "/machine/peripheral-anon/device[0]")
  }

  @Test(arguments: [
    ("", "core-id=1", "Parameter 'driver' is missing"),
    ("virtio-net-pci", "core-id=1", "'virtio-net-pci' is not a valid device model name"),
    ("host-arm-cpu", "core-id=1,foo=2", "Property 'host-arm-cpu.foo' not found"),
    ("max-arm-cpu", "core-id=1", "Invalid CPU type, expected cpu type: 'host-arm-cpu'"),
    ("host-arm-cpu", "core-id=abc", "Parameter 'core-id' expects int32"),
    ("host-arm-cpu", "core-id=3", "Invalid core-id 3 specified, correct range 0:2"),
    ("host-arm-cpu", "core-id=-1", "Invalid core-id -1 specified, correct range 0:2"),
    ("host-arm-cpu", "core-id=1,thread-id=-1", "Invalid thread-id 4294967295 specified, correct range 0:0"),
    ("host-arm-cpu", "core-id=1,cluster-id=1", "Invalid cluster-id 1 specified, correct range 0:0"),
    ("host-arm-cpu", "core-id=1,socket-id=2", "Invalid socket-id 2 specified, correct range 0:0"),
    ("host-arm-cpu", "id=cpu9", "cpu(id0=0:0:0:0) with arch-id 0 exist"),
  ])
  func deviceAddErrors(_ driver: String, _ properties: String, _ message: String) throws {
    var v = try vmm()
    #expect(throws: VMM.Error(message: message)) {
      _ = try v.deviceAdd(driver: driver.isEmpty ? nil : driver, properties: props(properties))
    }
  }

  @Test func duplicateIDsAndOccupiedSlots() throws {
    var v = try vmm("1,maxcpus=40")
    _ = try v.deviceAdd(driver: "host-arm-cpu", properties: props("id=cpu1,core-id=17"))
    #expect(throws: VMM.Error(message: "Duplicate device ID 'cpu1'")) {
      _ = try v.deviceAdd(driver: "host-arm-cpu", properties: props("id=cpu1,core-id=2"))
    }
    // arch-id is the MPIDR in decimal: slot 17 = Aff1 1, Aff0 1 = 257.
    #expect(throws: VMM.Error(message: "cpu(id17=0:0:17:0) with arch-id 257 exist")) {
      _ = try v.deviceAdd(driver: "host-arm-cpu", properties: props("id=x,core-id=17"))
    }
  }

  @Test func deviceDelChecksAndUnplug() throws {
    var v = try vmm()
    _ = try v.deviceAdd(driver: "host-arm-cpu", properties: props("id=cpu1,core-id=1"))
    #expect(try v.deviceDel("cpu1") == 1)
    #expect(try v.deviceDel("/machine/peripheral/cpu1") == 1)
    #expect(throws: VMM.Error(message: "Device 'cpu2' not found")) { _ = try v.deviceDel("cpu2") }
    #expect(throws: VMM.Error(message: "Hot-unplug of cold-booted CPU not supported!")) {
      _ = try v.deviceDel("/machine/unattached/device[0]")
    }
    v.unplugged(1)
    #expect(throws: VMM.Error(message: "Device 'cpu1' not found")) { _ = try v.deviceDel("cpu1") }
    #expect(try v.deviceAdd(driver: "host-arm-cpu", properties: props("id=cpu1,core-id=1")) == 1)
  }
}
