import ACPI

/// The LPI side of the GICv3 driver (drivers/irqchip/irq-gic-v3-its.c): `its_init()` finds the
/// ITS in the MADT and allocates the LPI tables (`allocate_lpi_tables()`: one property table,
/// and one pending table per possible CPU, all at boot), and `its_cpu_init_lpis()` points each
/// CPU's redistributor at them the first time that CPU comes up. The ITS itself (device and
/// collection tables, MSI translation) is not modelled: no device here uses MSIs.
extension Kernel {
  /// Guest memory of the LPI tables: the property table, then 64 KiB per possible CPU.
  static let lpiTables: UInt64 = 0x4200_0000
  /// LPI_PROPBASE_SZ and LPI_PENDBASE_SZ for 16 LPI ID bits, each rounded up to 64 KiB.
  static let lpiTableSize: UInt64 = 0x1_0000
  /// ITS_MAX_LPI_NRBITS
  static let itsMaxLPIBits: UInt64 = 16

  /// The pending table `allocate_lpi_tables()` gave `cpu` (`gic_data_rdist_cpu(cpu)->pend_page`).
  static func lpiPendingTable(_ cpu: Int) -> UInt64 { lpiTables + lpiTableSize * UInt64(cpu + 1) }

  /// `its_init()` → `its_acpi_probe()`, `allocate_lpi_tables()` → `its_setup_lpi_prop_table()`,
  /// then `its_cpu_init()` for the boot CPU.
  static func itsInit(gicdTyper: UInt64) -> KFunction {
    KFunction("its_init") { k, c in
      let hasITS = (k.madt?.structures ?? []).contains { if case .its = $0 { true } else { false } }
      guard hasITS else {
        k.printk(.warning, "ITS: No ITS available, not enabling LPIs", c)
        return .returns(Kernel.err(.ENXIO))
      }
      let idBits = Swift.min(GICv3Registers.GICD_TYPER_ID_BITS(gicdTyper), Kernel.itsMaxLPIBits)
      k.lpiIDBits = idBits
      k.lpiPropertyTable = Kernel.lpiTables
      k.printk(.info, "GICv3: using LPI property table @0x\(lhex(Kernel.lpiTables, 16))", c)
      return .tailCall(itsCPUInit(0))
    }
  }

  /// `its_cpu_init()` → `redist_disable_lpis()`, `its_cpu_init_lpis()` on `cpu`: nothing when the
  /// CPU's redistributor was set up in an earlier bring-up (RD_LOCAL_LPI_ENABLED).
  static func itsCPUInit(_ cpu: Int) -> KFunction {
    KFunction("its_cpu_init_lpis", "cpu\(cpu)") { k, c in
      k.itsCPUInitLPIs(cpu, c)
      return .returns(0)
    }
  }

  /// The body of `its_cpu_init_lpis()`, on `cpu` (the boot CPU at boot, a secondary from
  /// `gic_starting_cpu()` in `secondary_start_kernel()`).
  mutating func itsCPUInitLPIs(_ cpu: Int, _ c: KContext) {
    typealias R = GICv3Registers
    guard let property = lpiPropertyTable, !cpus[cpu].lpisEnabled, let rd = cpus[cpu].redistributor else {
      return
    }
    guard read(rd + R.GICR_TYPER, size: 8, c) & R.GICR_TYPER_PLPIS != 0 else {
      printk(.info, "CPU\(cpu): LPIs not supported", c)
      return
    }
    let pending = Kernel.lpiPendingTable(cpu)
    let attributes = R.GICR_BASER_InnerShareable | R.GICR_BASER_RaWaWb
    write(rd + R.GICR_PROPBASER, size: 8, property | attributes | (lpiIDBits - 1), c)
    write(rd + R.GICR_PENDBASER, size: 8, pending | attributes | R.GICR_PENDBASER_PTZ, c)
    write(rd + R.GICR_CTLR, size: 4, read(rd + R.GICR_CTLR, size: 4, c) | R.GICR_CTLR_ENABLE_LPIS, c)
    if panicked != nil || killedThread != nil { return }
    cpus[cpu].lpisEnabled = true
    printk(.info, "GICv3: CPU\(cpu): using allocated LPI pending table @0x\(lhex(pending, 16))", c)
  }
}
