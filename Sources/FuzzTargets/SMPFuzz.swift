import VirtMachine

/// `-smp` text and the monitor's CPU commands. The first line is parsed as `-smp`; when it
/// gives a machine, each further line is a monitor command against its VMM:
/// `device_add DRIVER,key=value,...`, `device_del ID`, or `eject ID` (the guest's `_EJ0`).
/// A command that fails must leave the VMM exactly as it was; after every command the plugged
/// slots fit the machine, cold-plugged CPUs stay, and device ids stay unique.
enum SMPFuzz {
  static func run(_ bytes: [UInt8]) {
    let lines = String(decoding: bytes, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    let smp: SMPConfiguration
    do {
      smp = try SMPConfiguration.parse(lines.first ?? "")
    } catch {
      FuzzFailure.check(!error.message.isEmpty, "an -smp error without a message")
      return
    }
    FuzzFailure.check(
      smp.cpus >= 1 && smp.cpus <= smp.maxCPUs && smp.maxCPUs <= SMPConfiguration.machineMaxCPUs
        && smp.sockets * smp.clusters * smp.cores * smp.threads == smp.maxCPUs,
      "-smp \(lines[0]) gave an impossible topology \(smp.optionText)")
    // The topology read back from its own option text is the same.
    do {
      let again = try SMPConfiguration.parse(smp.optionText)
      FuzzFailure.check(again == smp, "\(smp.optionText) does not round-trip")
    } catch {
      FuzzFailure.check(false, "\(smp.optionText) does not parse: \(error)")
    }
    var vmm = VMM(smp: smp)
    for line in lines.dropFirst().prefix(64) {
      let before = vmm
      let words = line.split(separator: " ", maxSplits: 1).map(String.init)
      let argument = words.count > 1 ? words[1] : ""
      do throws(VMM.Error) {
        switch words.first {
        case "device_add":
          var items = argument.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
          let driver = items.isEmpty ? nil : items.removeFirst()
          let properties = items.map { item -> (key: String, value: String) in
            guard let equals = item.firstIndex(of: "=") else { return (item, "") }
            return (String(item[..<equals]), String(item[item.index(after: equals)...]))
          }
          let slot = try vmm.deviceAdd(driver: driver, properties: properties)
          FuzzFailure.check(
            vmm.slots[slot].plugged && !before.slots[slot].plugged, "device_add reused a slot")
        case "device_del":
          let slot = try vmm.deviceDel(argument)
          FuzzFailure.check(vmm == before, "device_del changed the VMM before the guest ejected")
          FuzzFailure.check(!vmm.slots[slot].coldPlugged, "device_del accepted a cold-plugged CPU")
        case "eject":
          guard let slot = vmm.slot(named: argument), !vmm.slots[slot].coldPlugged else { continue }
          vmm.unplugged(slot)
        default:
          continue
        }
      } catch {
        FuzzFailure.check(vmm == before, "a failed '\(line)' changed the VMM")
        FuzzFailure.check(!error.message.isEmpty, "'\(line)' failed without a message")
      }
      let plugged = vmm.slots.filter(\.plugged)
      FuzzFailure.check(plugged.count <= smp.maxCPUs, "more vCPUs than possible CPUs")
      FuzzFailure.check(vmm.slots.prefix(smp.cpus).allSatisfy(\.plugged), "a cold-plugged vCPU disappeared")
      let ids = plugged.compactMap(\.deviceID)
      FuzzFailure.check(Set(ids).count == ids.count, "two vCPUs share a device id")
      _ = vmm.hotpluggableCPUsText
      _ = vmm.cpusText
    }
  }
}
