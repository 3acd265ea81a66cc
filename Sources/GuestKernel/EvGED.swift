import ACPI
import VirtMachine

/// The ACPI Generic Event Device driver (drivers/acpi/evged.c): at probe it requests the
/// interrupts of the GED's `_CRS`; each interrupt runs `_EVT` with the GSI in a threaded handler.
extension Kernel {
  /// The GED's interrupt was requested (`request_threaded_irq(..., "ACPI:Ged", ...)`).
  var gedIRQRequested: Bool { gedDevice != nil }

  /// `acpi_ged_probe()`: find `ACPI0013`, enable its interrupt in the distributor.
  static var acpiGEDProbe: KFunction {
    KFunction("acpi_ged_probe") { k, c in
      for node in k.aml.namespace.nodes.indices where k.aml.namespace[node].live {
        guard case .device = k.aml.namespace[node].object else { continue }
        let path = k.aml.namespace.path(of: node)
        guard let hid = k.aml.namespace.lookup(path: path + "._HID"),
          case .data(.string("ACPI0013")) = k.aml.namespace[hid].object
        else { continue }
        k.gedDevice = path
        // irq_enable(): GICD_ISENABLER for INTID 41, edge-triggered.
        let intid = UInt64(MemoryMap.gedINTID)
        c.platform.write(
          MemoryMap.gicdBase + 0xC00 + (intid / 16) * 4, size: 4,
          c.platform.read(MemoryMap.gicdBase + 0xC00 + (intid / 16) * 4, size: 4) | 2 << ((intid % 16) * 2))
        c.platform.write(MemoryMap.gicdBase + 0x100 + (intid / 32) * 4, size: 4, 1 << (intid % 32))
        c.platform.trace("acpi", "request_threaded_irq", cpu: c.cpu, "GSI \(intid) \"ACPI:Ged\" for \(path)")
        return .returns(0)
      }
      return .returns(Kernel.err(.ENODEV))
    }
  }

  /// `acpi_ged_irq_handler()`: `_EVT(gsi)`.
  static var acpiGEDIRQHandler: KFunction {
    KFunction("acpi_ged_irq_handler", "GSI \(MemoryMap.gedINTID)") { k, c in
      guard let ged = k.gedDevice else { return .returns(0) }
      if case .failure = k.evaluate(ged + "._EVT", [.integer(UInt64(MemoryMap.gedINTID))], c) {
        k.printOnce("acpi-ged ACPI0013:00: IRQ method execution failed", c)
      }
      return .returns(0)
    }
  }
}
