import ACPI

/// The ACPI Generic Event Device driver (drivers/acpi/evged.c): at probe it walks the GED's
/// `_CRS` and requests each interrupt it names; each interrupt runs `_EVT` with the GSI in a
/// threaded handler.
extension Kernel {
  /// The GED's interrupt was requested (`request_threaded_irq(..., "ACPI:Ged", ...)`).
  var gedIRQRequested: Bool { gedDevice != nil && gedGSI != nil }

  /// `acpi_ged_probe()`: find `ACPI0013`, then `acpi_walk_resources(_CRS,
  /// acpi_ged_request_interrupt)`: the interrupt is configured and enabled in the distributor.
  static var acpiGEDProbe: KFunction {
    KFunction("acpi_ged_probe") { k, c in
      for node in k.aml.namespace.nodes.indices where k.aml.namespace[node].live {
        guard case .device = k.aml.namespace[node].object else { continue }
        let path = k.aml.namespace.path(of: node)
        guard let hid = k.aml.namespace.lookup(path: path + "._HID"),
          case .data(.string("ACPI0013")) = k.aml.namespace[hid].object
        else { continue }
        k.gedDevice = path
        guard case .success(.buffer(let resources)?) = k.evaluate(path + "._CRS", [], c),
          let interrupt = Kernel.extendedInterrupts(in: resources).first
        else {
          // acpi_walk_resources() failed, or found no interrupt: nothing is requested.
          k.printk(.err, "acpi-ged ACPI0013:00: unable to parse the _CRS record", c)
          return .returns(Kernel.err(.EINVAL))
        }
        let gsi = Int(interrupt.gsi)
        guard let gicd = k.gicdBase, gsi >= 32, gsi < 1020 else {
          k.printk(.err, "acpi-ged ACPI0013:00: failed to map GSI \(gsi)", c)
          return .returns(Kernel.err(.EINVAL))
        }
        k.gedGSI = gsi
        // acpi_register_gsi() → irq_create_fwspec_mapping(): a Linux IRQ number for the GSI.
        let irq = k.irqDomainAllocIRQ(hwirq: gsi)
        // acpi_register_gsi() → gic_irq_domain_translate(): GICD_ICFGR for the trigger; then
        // irq_enable(): GICD_ISENABLER. On arm64 a GSI is the INTID.
        typealias R = GICv3Registers
        let intid = UInt64(gsi)
        let icfgr = gicd + R.GICD_ICFGR + (intid / 16) * 4
        let edge: UInt64 = interrupt.edge ? 2 << ((intid % 16) * 2) : 0
        k.write(icfgr, size: 4, k.read(icfgr, size: 4, c) & ~(3 << ((intid % 16) * 2)) | edge, c)
        k.write(gicd + R.GICD_ISENABLER + (intid / 32) * 4, size: 4, 1 << (intid % 32), c)
        c.platform.trace(
          "acpi", "request_threaded_irq", cpu: c.cpu, "IRQ \(irq) (GSI \(intid)) \"ACPI:Ged\" for \(path)")
        return .returns(0)
      }
      return .returns(Kernel.err(.ENODEV))
    }
  }

  /// The Extended Interrupt descriptors of a resource template, in order, as
  /// `acpi_walk_resources()` hands them to its callback (one GSI each).
  static func extendedInterrupts(in bytes: [UInt8]) -> [(gsi: UInt32, edge: Bool)] {
    (ResourceDescriptor.decodeTemplate(bytes) ?? []).flatMap { descriptor -> [(gsi: UInt32, edge: Bool)] in
      guard case .extendedInterrupt(_, let edge, _, _, _, let interrupts) = descriptor else { return [] }
      return interrupts.map { ($0, edge) }
    }
  }

  /// `acpi_ged_irq_handler()`: `_EVT(gsi)`.
  static func acpiGEDIRQHandler(gsi: Int) -> KFunction {
    KFunction("acpi_ged_irq_handler", "GSI \(gsi)") { k, c in
      guard let ged = k.gedDevice else { return .returns(0) }
      if case .failure = k.evaluate(ged + "._EVT", [.integer(UInt64(gsi))], c) {
        k.printOnce("acpi-ged ACPI0013:00: IRQ method execution failed", c)
      }
      return .returns(0)
    }
  }
}
