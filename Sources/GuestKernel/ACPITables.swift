import ACPI
import CPUMask
import VirtMachine

/// Finding the firmware's ACPI tables in guest memory and reading them, as Linux does early in
/// setup_arch() (drivers/acpi/tables.c `acpi_table_init`, ACPICA tbxface/tbprint), and loading
/// the DSDT into ACPICA's namespace (`acpi_load_tables`).
extension Kernel {
  /// The RSDP's location, as UEFI hands it over in its configuration table.
  static var rsdpAddress: UInt64 { VirtACPIBuild.rsdpAddress }

  /// Reads a whole table (header first, for its length) from physical memory.
  static func readTable(_ platform: KernelPlatform, at address: UInt64) -> [UInt8] {
    let header = (0..<36).map { UInt8(truncatingIfNeeded: platform.read(address + UInt64($0), size: 1)) }
    let length = Int(header[4]) | Int(header[5]) << 8 | Int(header[6]) << 16 | Int(header[7]) << 24
    guard length >= 36, length < 16 << 20 else { return header }
    return (0..<length).map { UInt8(truncatingIfNeeded: platform.read(address + UInt64($0), size: 1)) }
  }

  /// `acpi_table_init()`: RSDP → XSDT → each table, printing one line per table as ACPICA's
  /// `acpi_tb_print_table_header()` does; the MADT is kept, the DSDT loaded into the namespace.
  static var acpiTableInit: KFunction {
    KFunction("acpi_table_init") { k, c in
      let p = c.platform
      let rsdpBytes = (0..<36).map {
        UInt8(truncatingIfNeeded: p.read(Kernel.rsdpAddress + UInt64($0), size: 1))
      }
      guard let rsdp = try? RSDP.decode(rsdpBytes) else {
        k.printk(.err, "ACPI: Unable to locate RSDP", c)
        return .returns(Kernel.err(.ENODEV))
      }
      k.printk(
        .info,
        "ACPI: RSDP 0x\(hex(Kernel.rsdpAddress, 16)) 000024 (v\(pad2(rsdp.revision)) \(rsdp.oemID.padded(6)))",
        c)
      let xsdtBytes = readTable(p, at: rsdp.xsdtAddress)
      guard let xsdt = try? XSDT.decode(xsdtBytes) else {
        k.printk(.err, "ACPI: XSDT at 0x\(hex(rsdp.xsdtAddress, 16)) is not valid", c)
        return .returns(Kernel.err(.ENODEV))
      }
      k.printk(.info, tableLine(xsdt.header, address: rsdp.xsdtAddress), c)
      var dsdtAddress: UInt64?
      for address in xsdt.entries {
        let bytes = readTable(p, at: address)
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
        let bytes = readTable(p, at: dsdtAddress)
        if let header = try? SDTHeader.decode(bytes) {
          k.printk(.info, tableLine(header, address: dsdtAddress), c)
          var host = p.amlHost(cpu: c.cpu)
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
