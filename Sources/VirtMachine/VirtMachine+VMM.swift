/// The VMM side of hotplug: the monitor's `device_add` and `device_del` and what a guest eject
/// does (hw/arm/virt.c RFC-V5 `virt_cpu_plug`, `virt_cpu_unplug_request`, `virt_cpu_unplug`;
/// hw/acpi/cpu.c `acpi_cpu_plug_cb`, `acpi_cpu_unplug_request_cb`, `acpi_cpu_unplug_cb`).
extension VirtMachine {
  /// `device_add DRIVER,prop=value...`: plugs a vCPU into its slot (its CPU interface becomes
  /// accessible; it stays PSCI OFF until a CPU_ON), marks the slot inserting and signals the
  /// guest through the GED. Returns the slot.
  @discardableResult
  public func deviceAdd(driver: String?, properties: [(key: String, value: String)]) throws(VMM.Error) -> Int
  {
    let slot = try state.vmm.deviceAdd(driver: driver, properties: properties)
    state.hotplug.slots[slot].plugged = true
    state.hotplug.slots[slot].enabled = true
    state.hotplug.slots[slot].inserting = true
    state.hotplug.slots[slot].present = true
    state.gic.accessible[slot] = true
    state.power[slot] = .off
    let id = state.vmm.slots[slot].deviceID.map { " id=\($0)" } ?? ""
    note(
      source: "vmm", event: "vmm.device_add", cpu: slot,
      details: "\(driver ?? "") slot \(slot) (\(state.vmm.slots[slot].id.idsText))\(id): CPEN=1 CINS=1")
    raiseCPUHotplugEvent()
    return slot
  }

  /// `device_del ID`: asks the guest to eject (remove pending + GED event) and returns at once;
  /// the vCPU leaves only when the guest's `_EJ0` writes the eject bit.
  @discardableResult
  public func deviceDel(_ id: String) throws(VMM.Error) -> Int {
    let slot = try state.vmm.deviceDel(id)
    state.hotplug.slots[slot].removing = true
    note(
      source: "vmm", event: "vmm.device_del", cpu: slot,
      details: "\(id) slot \(slot): CRMV=1 (eject requested)")
    raiseCPUHotplugEvent()
    return slot
  }

  /// GED event bit 0x8 and a pulse on SPI 9 (INTID 41).
  func raiseCPUHotplugEvent() {
    state.ged.raise(.cpuHotplug)
    state.gic.pulseSPI(MemoryMap.gedINTID)
    note(source: "ged", event: "ged.event", cpu: nil, details: "ESEL |= 0x8 (CPU hotplug), pulse GSIV 41")
    interruptsChanged()
  }

  /// The guest ejected the slot (`CEJ0`): the vCPU is unrealized at once.
  func unplug(_ slot: Int) {
    let id = state.vmm.slots[slot].deviceID
    let path = state.vmm.slots[slot].qomPath ?? ""
    state.hotplug.slots[slot].plugged = false
    state.hotplug.slots[slot].enabled = false
    state.hotplug.slots[slot].removing = false
    if state.presentOnlyWhilePlugged { state.hotplug.slots[slot].present = false }
    state.gic.accessible[slot] = false
    powerOff(slot)
    state.vmm.unplugged(slot)
    if let id {
      state.qmpEvents.append(
        "{\"event\":\"DEVICE_DELETED\",\"data\":{\"device\":\"\(id)\",\"path\":\"\(path)\"}}")
    }
    note(
      source: "vmm", event: "vmm.unplug", cpu: slot,
      details: "slot \(slot)\(id.map { " (\($0))" } ?? ""): vCPU removed, CPEN=0")
    onUnplug?(slot)
  }

  /// The firmware faults in force (`firmware`); they act from the next firmware call on.
  public var faults: FirmwareFaults {
    get { state.faults }
    set { state.faults = newValue }
  }

  /// Switches slot presence to x86 semantics (present only while plugged), or back to arm's
  /// persistent presence.
  public func setPresentOnlyWhilePlugged(_ on: Bool) {
    state.presentOnlyWhilePlugged = on
    for i in state.hotplug.slots.indices {
      state.hotplug.slots[i].present = on ? state.hotplug.slots[i].plugged : true
    }
  }

  /// `_STA` as QEMU's AML computes it from the registers (0xF plugged, 0xD empty), for displays.
  public func firmwareStatus(of slot: Int) -> UInt32 {
    let s = state.hotplug.slots[slot]
    return s.present ? (s.enabled ? 0x0F : 0x0D) : 0
  }
}
