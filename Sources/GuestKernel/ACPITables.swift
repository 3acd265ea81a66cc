import ACPI
import CPUMask

/// Finding the firmware's ACPI tables in guest memory and reading them, as Linux does early in
/// setup_arch() (drivers/acpi/tables.c `acpi_table_init`, ACPICA tbxface/tbprint), and loading
/// the DSDT into ACPICA's namespace (`acpi_load_tables`).
extension Kernel {
  /// EFI_ACPI_20_TABLE_GUID (include/linux/efi.h `ACPI_20_TABLE_GUID`) as EFI_GUID stores it.
  static let acpi20TableGUID: [UInt8] = [
    0x71, 0xE8, 0x68, 0x88, 0xF1, 0xE4, 0xD3, 0x11, 0xBC, 0x22, 0x00, 0x80, 0xC7, 0x3C, 0x88, 0x81,
  ]

  /// `efi_config_parse_tables()`: the RSDP's address from the EFI configuration table the boot
  /// loader handed over (`efi.acpi20`, which `acpi_os_get_root_pointer()` returns), or nil.
  mutating func acpiRootPointer(_ c: KContext) -> UInt64? {
    let table = c.platform.bootInformation
    let count = read(table, size: 8, c)
    // Each entry: a 16-byte VendorGuid, then the 8-byte VendorTable.
    for i in 0..<min(count, 64) {
      let entry = table + 8 + i * 24
      let guid = (0..<16).map { UInt8(truncatingIfNeeded: read(entry + UInt64($0), size: 1, c)) }
      if guid == Kernel.acpi20TableGUID { return read(entry + 16, size: 8, c) }
    }
    return nil
  }

  /// Reads a whole table (header first, for its length) from physical memory.
  mutating func readTable(at address: UInt64, _ c: KContext) -> [UInt8] {
    let header = (0..<36).map { UInt8(truncatingIfNeeded: read(address + UInt64($0), size: 1, c)) }
    let length = Int(header[4]) | Int(header[5]) << 8 | Int(header[6]) << 16 | Int(header[7]) << 24
    guard length >= 36, length < 16 << 20 else { return header }
    return (0..<length).map { UInt8(truncatingIfNeeded: read(address + UInt64($0), size: 1, c)) }
  }

  /// `acpi_table_init()`: RSDP → XSDT → each table, printing one line per table as ACPICA's
  /// `acpi_tb_print_table_header()` does; the MADT is kept, the DSDT loaded into the namespace.
  static var acpiTableInit: KFunction {
    KFunction("acpi_table_init") { k, c in
      guard let rsdpAddress = k.acpiRootPointer(c) else {
        k.printk(.err, "ACPI: Unable to locate RSDP", c)
        return .returns(Kernel.err(.ENODEV))
      }
      let rsdpBytes = (0..<36).map { UInt8(truncatingIfNeeded: k.read(rsdpAddress + UInt64($0), size: 1, c)) }
      guard let rsdp = try? RSDP.decode(rsdpBytes) else {
        k.printk(.err, "ACPI: Unable to locate RSDP", c)
        return .returns(Kernel.err(.ENODEV))
      }
      k.printk(
        .info,
        "ACPI: RSDP 0x\(hex(rsdpAddress, 16)) 000024 (v\(pad2(rsdp.revision)) \(rsdp.oemID.padded(6)))",
        c)
      let xsdtBytes = k.readTable(at: rsdp.xsdtAddress, c)
      guard let xsdt = try? XSDT.decode(xsdtBytes) else {
        k.printk(.err, "ACPI: XSDT at 0x\(hex(rsdp.xsdtAddress, 16)) is not valid", c)
        return .returns(Kernel.err(.ENODEV))
      }
      k.printk(.info, tableLine(xsdt.header, address: rsdp.xsdtAddress), c)
      var dsdtAddress: UInt64?
      for address in xsdt.entries {
        let bytes = k.readTable(at: address, c)
        guard let header = try? SDTHeader.decode(bytes) else {
          k.printk(.warning, "ACPI: Table at 0x\(hex(address, 16)) has a bad header or checksum, ignored", c)
          continue
        }
        k.printk(.info, tableLine(header, address: address), c)
        switch header.signature {
        case FADT.signature:
          if let fadt = try? FADT.decode(bytes) { dsdtAddress = fadt.xDSDT }
        case MADT.signature:
          k.madt = try? MADT.decode(bytes)
        default:
          break
        }
      }
      if let dsdtAddress {
        let bytes = k.readTable(at: dsdtAddress, c)
        if let header = try? SDTHeader.decode(bytes) {
          k.printk(.info, tableLine(header, address: dsdtAddress), c)
          var host = c.platform.amlHost(cpu: c.cpu)
          do {
            try k.aml.load(bytes, host: &host)
          } catch {
            k.printk(.err, "ACPI: Unable to load the DSDT: \(error)", c)
          }
        }
      }
      if k.madt == nil { k.printk(.err, "ACPI: No MADT: no CPUs to describe", c) }
      return .returns(0)
    }
  }

  /// `ACPI: APIC 0x000000007F003000 0000C4 (v06 HPLAB  HPLABVRT 00000001 HPLB 00000001)`
  static func tableLine(_ h: SDTHeader, address: UInt64) -> String {
    "ACPI: \(h.signature) 0x\(hex(address, 16)) \(hex(UInt64(h.length), 6)) (v\(pad2(h.revision)) \(h.oemID.padded(6)) "
      + "\(h.oemTableID.padded(8)) \(hex(UInt64(h.oemRevision), 8)) \(h.creatorID.padded(4)) \(hex(UInt64(h.creatorRevision), 8)))"
  }
}

/// Upper-case hex, zero-padded.
func hex(_ value: UInt64, _ digits: Int) -> String {
  let s = String(value, radix: 16, uppercase: true)
  return s.count >= digits ? s : String(repeating: "0", count: digits - s.count) + s
}

/// Lower-case hex, zero-padded (Linux's %010lx and friends).
func lhex(_ value: UInt64, _ digits: Int) -> String {
  let s = String(value, radix: 16)
  return s.count >= digits ? s : String(repeating: "0", count: digits - s.count) + s
}

func pad2(_ n: UInt8) -> String { n < 10 ? "0\(n)" : "\(n)" }

extension String {
  func padded(_ width: Int) -> String {
    count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
  }
}
