import ACPI
import CPUMask
import VirtMachine

/// The GICv3 driver's ACPI probe and per-CPU setup (drivers/irqchip/irq-gic-v3.c): distributor
/// init, redistributor discovery from the MADT (GICR structures, or per-GICC addresses with the
/// series' `broken_rdists` handling), the boot CPU's redistributor and CPU interface, and
/// `gic_handle_irq()`.
extension Kernel {
  /// `gic_acpi_init()`.
  static var gicACPIInit: KFunction {
    KFunction("gic_acpi_init") { k, c in
      let p = c.platform
      let gicd = MemoryMap.gicdBase
      let typer = p.read(gicd + 0x4, size: 4)
      let irqs = Int((typer & 0x1F) + 1) * 32
      // gic_dist_init(): disable, all SPIs Group 1, default priority, disabled, routed to CPU 0.
      p.write(gicd, size: 4, 0)
      for i in 1..<(irqs / 32) {
        p.write(gicd + 0x80 + UInt64(i) * 4, size: 4, 0xFFFF_FFFF)
        p.write(gicd + 0x180 + UInt64(i) * 4, size: 4, 0xFFFF_FFFF)
        p.write(gicd + 0x380 + UInt64(i) * 4, size: 4, 0xFFFF_FFFF)
      }
      for intid in stride(from: 32, to: irqs, by: 4) {
        p.write(gicd + 0x400 + UInt64(intid), size: 4, 0xA0A0_A0A0)
      }
      for intid in 32..<irqs { p.write(gicd + 0x6000 + UInt64(intid) * 8, size: 8, 0) }
      p.write(gicd, size: 4, 0x13)
      k.printk(.info, "GICv3: \(irqs - 32) SPIs implemented", c)
      k.printk(.info, "GICv3: 0 Extended SPIs implemented", c)
      k.printk(.info, "GICv3: GICv3 features: 16 PPIs", c)
      k.printk(.info, "GICv3: GICD_CTRL.DS=1, SCR_EL3.FIQ=0", c)
      return .call(gicACPIRedistributors) { k, c, error in
        if error != 0 || k.rdistRegions.isEmpty {
          // acpi_validate_gic_table() said no: the GICv3 driver never probes, and init_IRQ()
          // finds no interrupt controller.
          k.gicFailed = true
          k.panic("No interrupt controller found.", c)
          return .returns(error != 0 ? error : Kernel.err(.ENODEV))
        }
        return .tailCall(gicCPUInit(0))
      }
    }
  }

  /// Redistributor discovery: `gic_acpi_count_gicr_regions()` first; with no GICR structure,
  /// the GICC entries (`gic_acpi_match_gicc`, then `gic_acpi_parse_madt_gicc`).
  static var gicACPIRedistributors: KFunction {
    KFunction("gic_acpi_count_gicr_regions") { k, c in
      let structures = k.madt?.structures ?? []
      let gicrs = structures.compactMap { if case .gicr(let r) = $0 { r } else { nil } }
      if !gicrs.isEmpty {
        k.rdistRegions = gicrs.map { ($0.discoveryRangeBase, false) }
        return .returns(0)
      }
      // acpi_data.single_redist: one frame per Enabled GICC with a GICR address.
      k.rdistRegions = structures.compactMap {
        guard case .gicc(let g) = $0, g.flags & GICC.enabled != 0, g.gicrBaseAddress != 0 else { return nil }
        return (g.gicrBaseAddress, true)
      }
      for structure in structures {
        guard case .gicc(let gicc) = structure else { continue }
        // gic_acpi_match_gicc(): before patch 13 an Enabled GICC without a GICR address was an error.
        if !k.config.applied(.gicMatchGICCNoErrors) && gicc.flags & GICC.enabled != 0
          && gicc.gicrBaseAddress == 0
        {
          c.platform.trace(
            "gic", "gic_acpi_match_gicc", cpu: c.cpu,
            "UID \(gicc.acpiProcessorUID): Enabled, no GICR address -> -ENODEV")
          return .returns(Kernel.err(.ENODEV))
        }
      }
      for structure in structures {
        guard case .gicc(let gicc) = structure else { continue }
        // gic_acpi_parse_madt_gicc() (patch 14)
        let enabled = gicc.flags & GICC.enabled != 0
        let onlineCapable = gicc.flags & GICC.onlineCapable != 0
        if !enabled && onlineCapable && k.config.applied(.gicOnlineCapable) {
          k.printk(
            .warning,
            "GICv3: CPU \(gicc.acpiProcessorUID)'s redistributor is inaccessible: this CPU can't be brought online",
            c)
          // get_cpu_for_acpi_id()
          if let cpu = k.cpus.firstIndex(where: { $0.acpiUID == gicc.acpiProcessorUID }) {
            k.brokenRdists.insert(cpu)
          }
        }
      }
      return .returns(0)
    }
  }

  /// `gic_populate_rdist()` → `gic_iterate_rdists()`: each region frame by frame until
  /// GICR_TYPER's affinity matches, the Last bit, or (single_redist) after its one frame. The
  /// redistributor's RD_base and the region's index, or nil.
  func populateRdist(_ affinity: UInt64, _ p: KernelPlatform) -> (UInt64, Int)? {
    for (index, r) in rdistRegions.enumerated() {
      var frame = r.base
      while true {
        let typer = p.read(frame + 0x8, size: 8)
        if typer == 0 && p.read(frame + 0xFFE8, size: 4) == 0 { break }
        if typer >> 32 == (affinity & 0xFF_FFFF) | ((affinity >> 32) & 0xFF) << 24 { return (frame, index) }
        if r.single || typer & 0x10 != 0 { break }
        frame += GICRedistributor.stride
      }
    }
    return nil
  }

  /// `gic_cpu_init()` for the boot CPU: find its redistributor, wake it, configure SGIs/PPIs,
  /// then the CPU interface (`gic_cpu_sys_reg_init`).
  static func gicCPUInit(_ cpu: Int) -> KFunction {
    KFunction("gic_cpu_init", "cpu\(cpu)") { k, c in
      let p = c.platform
      let affinity = k.cpus[cpu].mpidr
      let found = k.populateRdist(affinity, p)
      guard let (rd, region) = found else {
        // gic_populate_rdist(): WARN(true, ...), so no "GICv3: " prefix.
        k.warn("CPU\(cpu): mpidr \(lhex(affinity, 1)) has no re-distributor!", c)
        return .returns(Kernel.err(.ENODEV))
      }
      k.printk(
        .info,
        "GICv3: CPU\(cpu): found redistributor \(lhex(affinity, 1)) region \(region):0x\(lhex(rd, 16))", c)
      // gic_enable_redist(true)
      p.write(rd + 0x14, size: 4, p.read(rd + 0x14, size: 4) & ~0x2)
      let sgi = rd + 0x10000
      p.write(sgi + 0x80, size: 4, 0xFFFF_FFFF)
      p.write(sgi + 0x380, size: 4, 0xFFFF_FFFF)
      p.write(sgi + 0x180, size: 4, 0xFFFF_FFFF)
      for i in stride(from: 0, to: 32, by: 4) { p.write(sgi + 0x400 + UInt64(i), size: 4, 0xA0A0_A0A0) }
      p.write(sgi + 0x100, size: 4, 0xFFFF)  // the IPIs
      // gic_cpu_sys_reg_init(): EOImode 0 (no EL2 at boot), PMR 0xf0, BPR1 0, Group 1 on.
      p.machine.writeICC(.SRE, cpu: cpu, value: 0x7)
      p.machine.writeICC(.PMR, cpu: cpu, value: 0xF0)
      p.machine.writeICC(.BPR1, cpu: cpu, value: 0)
      p.machine.writeICC(.CTLR, cpu: cpu, value: 0)
      p.machine.writeICC(.IGRPEN1, cpu: cpu, value: 1)
      return .returns(0)
    }
  }

  /// `gic_handle_irq()` on CPU 0: acknowledge, dispatch, EOI. The GED's interrupt wakes its
  /// threaded handler (`irq/41-ACPI:Ged`).
  static var gicHandleIRQ: KFunction {
    KFunction("gic_handle_irq") { k, c in
      let intid = Int(c.platform.machine.readICC(.IAR1, cpu: c.cpu))
      if intid == 1023 {
        k.irqActive = false
        return .returns(0)
      }
      c.platform.machine.writeICC(.EOIR1, cpu: c.cpu, value: UInt64(intid))
      if intid == MemoryMap.gedINTID, k.gedIRQRequested {
        k.spawn("irq/41-ACPI:Ged", cpu: 0, acpiGEDIRQHandler, at: c.now + Kernel.stepCost)
      } else {
        c.platform.trace("gic", "irq.spurious", cpu: c.cpu, "INTID \(intid): no handler")
      }
      k.irqActive = false
      return .returns(0)
    }
  }
}
