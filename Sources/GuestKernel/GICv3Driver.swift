import ACPI
import CPUMask

/// The GICv3 driver's ACPI probe and per-CPU setup (drivers/irqchip/irq-gic-v3.c): distributor
/// init, redistributor discovery from the MADT (GICR structures, or per-GICC addresses with the
/// series' `broken_rdists` handling), the boot CPU's redistributor and CPU interface, and
/// `gic_handle_irq()`.
/// The GICv3 register offsets and bits the driver uses (include/linux/irqchip/arm-gic-v3.h).
enum GICv3Registers {
  static let GICD_CTLR: UInt64 = 0x0000
  static let GICD_TYPER: UInt64 = 0x0004
  static let GICD_IGROUPR: UInt64 = 0x0080
  static let GICD_ISENABLER: UInt64 = 0x0100
  static let GICD_ICENABLER: UInt64 = 0x0180
  static let GICD_ICACTIVER: UInt64 = 0x0380
  static let GICD_IPRIORITYR: UInt64 = 0x0400
  static let GICD_ICFGR: UInt64 = 0x0C00
  static let GICD_IROUTER: UInt64 = 0x6000
  static let GICD_PIDR2: UInt64 = 0xFFE8
  /// GICD_CTLR: ARE_NS [4], EnableGrp1A [1], EnableGrp1 [0].
  static let GICD_CTLR_ARE_NS: UInt64 = 1 << 4
  static let GICD_CTLR_ENABLE_G1A: UInt64 = 1 << 1
  static let GICD_CTLR_ENABLE_G1: UInt64 = 1 << 0
  /// GICD_TYPER.ITLinesNumber [4:0].
  static let GICD_TYPER_ITLINES_MASK: UInt64 = 0x1F
  /// GICD_TYPER.LPIS [17] (`gic_dist_supports_lpis()`), IDbits [23:19].
  static let GICD_TYPER_LPIS: UInt64 = 1 << 17
  static func GICD_TYPER_ID_BITS(_ typer: UInt64) -> UInt64 { ((typer >> 19) & 0x1F) + 1 }

  static let GICR_CTLR: UInt64 = 0x0000
  static let GICR_CTLR_ENABLE_LPIS: UInt64 = 1 << 0
  static let GICR_PROPBASER: UInt64 = 0x0070
  static let GICR_PENDBASER: UInt64 = 0x0078
  /// GICR_TYPER.PLPIS [0] (`gic_rdists_supports_plpis()`).
  static let GICR_TYPER_PLPIS: UInt64 = 1 << 0
  /// The attributes `its_cpu_init_lpis()` asks for: Inner Shareable [11:10] = 1, inner
  /// cacheability RaWaWb [9:7] = 7; PENDBASER.PTZ [62]: the table is already zeroed.
  static let GICR_BASER_InnerShareable: UInt64 = 1 << 10
  static let GICR_BASER_RaWaWb: UInt64 = 7 << 7
  static let GICR_PENDBASER_PTZ: UInt64 = 1 << 62

  static let GICR_TYPER: UInt64 = 0x0008
  static let GICR_WAKER: UInt64 = 0x0014
  static let GICR_PIDR2: UInt64 = GICD_PIDR2
  static let GICR_WAKER_ProcessorSleep: UInt64 = 1 << 1
  static let GICR_TYPER_LAST: UInt64 = 1 << 4
  /// The SGI_base frame follows RD_base; in it, the SGI/PPI registers at the GICD offsets.
  static let SGI_BASE: UInt64 = 0x1_0000
  static let GICR_IGROUPR0 = GICD_IGROUPR
  static let GICR_ISENABLER0 = GICD_ISENABLER
  static let GICR_ICENABLER0 = GICD_ICENABLER
  static let GICR_ICACTIVER0 = GICD_ICACTIVER
  static let GICR_IPRIORITYR0 = GICD_IPRIORITYR
  /// A GICv3 redistributor is two 64 KiB frames (RD_base, SGI_base): `gic_iterate_rdists()`
  /// steps by this unless GICR_TYPER.VLPIS says there are four.
  static let GICR_FRAMES_STRIDE: UInt64 = 2 * 0x1_0000

  /// GICD_PIDR2/GICR_PIDR2.ArchRev [7:4] (`GIC_PIDR2_ARCH_MASK`): 3 for GICv3, 4 for GICv4.
  static let GIC_PIDR2_ARCH_MASK: UInt64 = 0xF0
  static let GIC_PIDR2_ARCH_GICv3: UInt64 = 0x30
  static let GIC_PIDR2_ARCH_GICv4: UInt64 = 0x40
  /// `ICC_IAR1_EL1` when nothing is pending (`ICC_IAR1_EL1_SPURIOUS`).
  static let spuriousINTID = 1023
  /// `DEFAULT_PMR_VALUE` and the default priority of each interrupt (`GICD_INT_DEF_PRI_X4`).
  static let DEFAULT_PMR_VALUE: UInt64 = 0xF0
  static let GICD_INT_DEF_PRI_X4: UInt64 = 0xA0A0_A0A0
}

extension Kernel {
  /// `irqchip_init()` → `acpi_probe_device_table(irqchip)`: the GICv3 entry matches the MADT's
  /// GICD (version 3 or 4), `acpi_validate_gic_table()` must accept the table, and only then does
  /// `gic_acpi_init()` run. Nothing probed: `init_IRQ()` panics.
  static var irqchipInit: KFunction {
    KFunction("irqchip_init") { k, c in
      let gicds = (k.madt?.structures ?? []).compactMap { if case .gicd(let d) = $0 { d } else { nil } }
      guard let gicd = gicds.first, gicd.version == 3 || gicd.version == 4 else {
        k.gicFailed = true
        k.panic("No interrupt controller found.", c)
        return .returns(Kernel.err(.ENODEV))
      }
      return .call(acpiValidateGICTable) { k, c, count in
        guard count > 0 else {
          // No region counted: the probe entry is skipped, no GIC line is printed.
          k.gicFailed = true
          k.panic("No interrupt controller found.", c)
          return .returns(count < 0 ? count : Kernel.err(.ENODEV))
        }
        return .tailCall(gicACPIInit(gicdBase: gicd.baseAddress))
      }
    }
  }

  /// `acpi_validate_gic_table()` → `gic_acpi_count_gicr_regions()`: the GICR structures, or
  /// with none the GICC entries that carry a redistributor address (`gic_acpi_match_gicc`).
  /// Returns the count (`acpi_data.nr_redist_regions`), or the match function's error.
  static var acpiValidateGICTable: KFunction {
    KFunction("acpi_validate_gic_table") { k, c in
      let structures = k.madt?.structures ?? []
      let gicrs = structures.compactMap { if case .gicr(let r) = $0 { r } else { nil } }
      if !gicrs.isEmpty { return .returns(gicrs.count) }
      var count = 0
      for structure in structures {
        guard case .gicc(let gicc) = structure else { continue }
        let usable = k.giccUsable(gicc.flags)
        if usable && gicc.gicrBaseAddress != 0 {
          count += 1
          continue
        }
        // gic_acpi_match_gicc(): before patch 13 a usable GICC without a GICR address failed
        // the whole count.
        if !k.config.applied(.gicMatchGICCNoErrors) && usable {
          c.platform.trace(
            "gic", "gic_acpi_match_gicc", cpu: c.cpu,
            "UID \(gicc.acpiProcessorUID): Enabled, no GICR address -> -ENODEV")
          return .returns(Kernel.err(.ENODEV))
        }
      }
      // acpi_data.single_redist: the redistributors come from the GICC entries.
      return .returns(count)
    }
  }

  /// `gic_acpi_init()`: the distributor at the MADT's GICD base, checked by its PIDR2
  /// (`gic_validate_dist_version()`), the redistributor regions (`gic_acpi_collect_gicr_base()`),
  /// then `gic_init_bases()`: `gic_dist_init()`, the boot CPU's `gic_cpu_init()` and, with LPIs,
  /// `its_init()`.
  static func gicACPIInit(gicdBase gicd: UInt64) -> KFunction {
    KFunction("gic_acpi_init") { k, c in
      typealias R = GICv3Registers
      let pidr2 = k.read(gicd + R.GICD_PIDR2, size: 4, c) & R.GIC_PIDR2_ARCH_MASK
      if k.panicked != nil { return .returns(Kernel.err(.EIO)) }
      guard pidr2 == R.GIC_PIDR2_ARCH_GICv3 || pidr2 == R.GIC_PIDR2_ARCH_GICv4 else {
        // %p of the ioremap before the CRNG is ready prints as "(____ptrval____)".
        k.printk(.err, "GICv3: No distributor detected at @(____ptrval____), giving up", c)
        k.gicFailed = true
        k.panic("No interrupt controller found.", c)
        return .returns(Kernel.err(.ENODEV))
      }
      k.gicdBase = gicd
      k.gicACPICollectGICRBase(c)
      if k.rdistRegions.isEmpty {
        k.printk(.info, "GICv3: No valid GICR entries exist", c)
        k.gicFailed = true
        k.panic("No interrupt controller found.", c)
        return .returns(Kernel.err(.ENODEV))
      }
      let typer = k.read(gicd + R.GICD_TYPER, size: 4, c)
      let irqs = Int((typer & R.GICD_TYPER_ITLINES_MASK) + 1) * 32
      // gic_dist_init(): disable, all SPIs Group 1, default priority, disabled, routed to CPU 0.
      k.write(gicd + R.GICD_CTLR, size: 4, 0, c)
      for i in 1..<(irqs / 32) {
        k.write(gicd + R.GICD_IGROUPR + UInt64(i) * 4, size: 4, 0xFFFF_FFFF, c)
        k.write(gicd + R.GICD_ICENABLER + UInt64(i) * 4, size: 4, 0xFFFF_FFFF, c)
        k.write(gicd + R.GICD_ICACTIVER + UInt64(i) * 4, size: 4, 0xFFFF_FFFF, c)
      }
      for intid in stride(from: 32, to: irqs, by: 4) {
        k.write(gicd + R.GICD_IPRIORITYR + UInt64(intid), size: 4, R.GICD_INT_DEF_PRI_X4, c)
      }
      for intid in 32..<irqs { k.write(gicd + R.GICD_IROUTER + UInt64(intid) * 8, size: 8, 0, c) }
      k.write(
        gicd + R.GICD_CTLR, size: 4, R.GICD_CTLR_ARE_NS | R.GICD_CTLR_ENABLE_G1A | R.GICD_CTLR_ENABLE_G1, c)
      k.printk(.info, "GICv3: \(irqs - 32) SPIs implemented", c)
      k.printk(.info, "GICv3: 0 Extended SPIs implemented", c)
      k.printk(.info, "GICv3: GICv3 features: 16 PPIs", c)
      k.printk(.info, "GICv3: GICD_CTRL.DS=1, SCR_EL3.FIQ=0", c)
      return .call(gicCPUInit(0)) { k, c, error in
        if error != 0 { return .returns(error) }
        // gic_smp_init(): the eight non-secure SGIs become the IPIs, Linux IRQs 1-8.
        for sgi in 0..<8 { _ = k.irqDomainAllocIRQ(hwirq: sgi) }
        // gic_init_bases(): with LPIs, its_init() and the boot CPU's its_cpu_init().
        guard typer & R.GICD_TYPER_LPIS != 0 else { return .returns(0) }
        return .tailCall(itsInit(gicdTyper: typer))
      }
    }
  }

  /// `gic_acpi_collect_gicr_base()`: the GICR structures' ranges (counted already), or one frame
  /// per Enabled GICC with an address (`gic_acpi_parse_madt_gicc()`), where an Online Capable
  /// but disabled GICC has no redistributor the driver can reach (patch 14: `broken_rdists`).
  mutating func gicACPICollectGICRBase(_ c: KContext) {
    let structures = madt?.structures ?? []
    let gicrs = structures.compactMap { if case .gicr(let r) = $0 { r } else { nil } }
    rdistRegions = gicrs.map { ($0.discoveryRangeBase, false) }
    guard gicrs.isEmpty else { return }
    for structure in structures {
      guard case .gicc(let gicc) = structure else { continue }
      let enabled = gicc.flags & GICC.enabled != 0
      let onlineCapable = gicc.flags & GICC.onlineCapable != 0
      if enabled {
        if gicc.gicrBaseAddress != 0 { rdistRegions.append((gicc.gicrBaseAddress, true)) }
      } else if onlineCapable && config.applied(.gicOnlineCapable) {
        // get_cpu_for_acpi_id(): -EINVAL prints as %u.
        let cpu = cpus.firstIndex { $0.acpiUID == gicc.acpiProcessorUID }
        let shown = cpu.map(String.init) ?? String(UInt32(bitPattern: Int32(Kernel.err(.EINVAL))))
        printk(
          .warning, "GICv3: CPU \(shown)'s redistributor is inaccessible: this CPU can't be brought online", c
        )
        if let cpu { brokenRdists.insert(cpu) }
      }
    }
  }

  /// `gic_populate_rdist()` → `gic_iterate_rdists()`: each region frame by frame until
  /// GICR_TYPER's affinity matches, the Last bit, or (single_redist) after its one frame. The
  /// redistributor's RD_base and the region's index, or nil.
  mutating func populateRdist(_ affinity: UInt64, _ c: KContext) -> (UInt64, Int)? {
    typealias R = GICv3Registers
    for index in rdistRegions.indices {
      let r = rdistRegions[index]
      var frame = r.base
      while true {
        let typer = read(frame + R.GICR_TYPER, size: 8, c)
        if panicked != nil || killedThread != nil { return nil }
        if typer == 0 && read(frame + R.GICR_PIDR2, size: 4, c) == 0 { break }
        if typer >> 32 == (affinity & 0xFF_FFFF) | ((affinity >> 32) & 0xFF) << 24 { return (frame, index) }
        if r.single || typer & R.GICR_TYPER_LAST != 0 { break }
        frame += R.GICR_FRAMES_STRIDE
      }
    }
    return nil
  }

  /// `gic_cpu_init()` for the boot CPU: find its redistributor, wake it, configure SGIs/PPIs,
  /// then the CPU interface (`gic_cpu_sys_reg_init`).
  static func gicCPUInit(_ cpu: Int) -> KFunction {
    KFunction("gic_cpu_init", "cpu\(cpu)") { k, c in
      typealias R = GICv3Registers
      let affinity = k.cpus[cpu].mpidr
      let found = k.populateRdist(affinity, c)
      guard let (rd, region) = found else {
        // gic_populate_rdist(): WARN(true, ...), so no "GICv3: " prefix.
        k.warn("CPU\(cpu): mpidr \(lhex(affinity, 1)) has no re-distributor!", c)
        return .returns(Kernel.err(.ENODEV))
      }
      k.printk(
        .info,
        "GICv3: CPU\(cpu): found redistributor \(lhex(affinity, 1)) region \(region):0x\(lhex(rd, 16))", c)
      k.cpus[cpu].redistributor = rd
      // gic_enable_redist(true): clear GICR_WAKER.ProcessorSleep.
      k.write(
        rd + R.GICR_WAKER, size: 4, k.read(rd + R.GICR_WAKER, size: 4, c) & ~R.GICR_WAKER_ProcessorSleep, c)
      let sgi = rd + R.SGI_BASE
      k.write(sgi + R.GICR_IGROUPR0, size: 4, 0xFFFF_FFFF, c)
      k.write(sgi + R.GICR_ICACTIVER0, size: 4, 0xFFFF_FFFF, c)
      k.write(sgi + R.GICR_ICENABLER0, size: 4, 0xFFFF_FFFF, c)
      for i in stride(from: 0, to: 32, by: 4) {
        k.write(sgi + R.GICR_IPRIORITYR0 + UInt64(i), size: 4, R.GICD_INT_DEF_PRI_X4, c)
      }
      k.write(sgi + R.GICR_ISENABLER0, size: 4, 0xFFFF, c)  // the IPIs
      // gic_cpu_sys_reg_init(): SRE (with DIB, DFB), EOImode 0 (no EL2 at boot), PMR 0xf0,
      // BPR1 0, Group 1 on.
      k.writeSysreg(.ICC_SRE_EL1, 0x7, c)
      k.writeSysreg(.ICC_PMR_EL1, R.DEFAULT_PMR_VALUE, c)
      k.writeSysreg(.ICC_BPR1_EL1, 0, c)
      k.writeSysreg(.ICC_CTLR_EL1, 0, c)
      k.writeSysreg(.ICC_IGRPEN1_EL1, 1, c)
      return .returns(0)
    }
  }

  /// `irq_domain_alloc_irqs()` for one GIC interrupt: the lowest free Linux IRQ number.
  mutating func irqDomainAllocIRQ(hwirq: Int) -> Int {
    irqHwirqs.append(hwirq)
    return irqHwirqs.count
  }

  /// `gic_handle_irq()` on CPU 0: acknowledge, dispatch, EOI. The GED's interrupt wakes its
  /// threaded handler (`irq/<Linux IRQ>-ACPI:Ged`, named by `setup_irq_thread()`).
  static var gicHandleIRQ: KFunction {
    KFunction("gic_handle_irq") { k, c in
      let intid = Int(k.readSysreg(.ICC_IAR1_EL1, c) & 0xFF_FFFF)
      if intid == GICv3Registers.spuriousINTID {
        k.irqActive = false
        return .returns(0)
      }
      k.writeSysreg(.ICC_EOIR1_EL1, UInt64(intid), c)
      if let ged = k.gedGSI, intid == ged, k.gedIRQRequested, let irq = k.gedIRQ {
        k.spawn("irq/\(irq)-ACPI:Ged", cpu: 0, acpiGEDIRQHandler(gsi: ged), at: c.now + Kernel.stepCost)
      } else {
        c.platform.trace("gic", "irq.spurious", cpu: c.cpu, "INTID \(intid): no handler")
      }
      k.irqActive = false
      return .returns(0)
    }
  }
}
