/// The virt board's memory map and interrupt numbers (hw/arm/virt.c `base_memmap[]` and
/// `a15irqmap[]`), for the devices the model implements.
public enum MemoryMap {
  public static let gicdBase: UInt64 = 0x0800_0000
  public static let gicdSize: UInt64 = 0x0001_0000
  public static let itsBase: UInt64 = 0x0808_0000
  /// GIC redistributors, region 0: one 0x20000 frame pair per CPU; 123 fit.
  public static let gicrBase: UInt64 = 0x080A_0000
  public static let gicrSize: UInt64 = 0x00F6_0000
  public static let uartBase: UInt64 = PL011.base
  public static let gedBase: UInt64 = GenericEventDevice.base
  public static let cpuHotplugBase: UInt64 = ACPICPUHotplug.base
  public static let ramBase: UInt64 = 0x4000_0000

  /// Redistributors that fit in region 0; more CPUs need the high region.
  public static let region0Redistributors = Int(gicrSize / GICRedistributor.stride)
  /// The high redistributor region (64 MiB, 512 GICv3 redistributors), placed above 1 TiB as
  /// QEMU's `highmem-redists` does.
  public static let highGICRBase: UInt64 = 0x40_0000_0000
  public static let highGICRSize: UInt64 = 0x0400_0000

  /// RD_base of a CPU's redistributor: region 0 first, then the high region.
  public static func redistributorBase(of cpu: Int) -> UInt64 {
    cpu < region0Redistributors
      ? gicrBase + UInt64(cpu) * GICRedistributor.stride
      : highGICRBase + UInt64(cpu - region0Redistributors) * GICRedistributor.stride
  }

  /// UART0 is SPI 1 (INTID 33); the GED is SPI 9 (INTID 41).
  public static let uartINTID = 33
  public static let gedINTID = GenericEventDevice.gsiv
}
