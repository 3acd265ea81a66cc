// ELF64 little-endian AArch64 executables (as made by clang --target=aarch64-none-elf and
// ld.lld): PT_LOAD segments are copied to their physical addresses (MMU off), bss is zeroed,
// execution starts at e_entry.

/// Why an ELF file cannot be loaded.
public enum ELFError: Error, Equatable, Sendable, CustomStringConvertible {
  case notELF
  case notELF64
  case notLittleEndian
  case notAArch64(machine: UInt16)
  case notExecutable(type: UInt16)
  case truncated(String)
  case badProgramHeader(index: Int, reason: String)
  case noLoadableSegments

  public var description: String {
    switch self {
    case .notELF: return "not an ELF file (bad magic)"
    case .notELF64: return "not a 64-bit ELF file (EI_CLASS is not ELFCLASS64)"
    case .notLittleEndian: return "not a little-endian ELF file (EI_DATA is not ELFDATA2LSB)"
    case .notAArch64(let m): return "not an AArch64 ELF file (e_machine = \(m), expected 183 EM_AARCH64)"
    case .notExecutable(let t): return "not an executable (e_type = \(t), expected ET_EXEC)"
    case .truncated(let what): return "truncated ELF file: \(what) lies outside the file"
    case .badProgramHeader(let i, let reason): return "program header \(i): \(reason)"
    case .noLoadableSegments: return "no PT_LOAD segments"
    }
  }
}

/// A loadable image: segments at physical addresses and the entry point.
public struct ELFImage: Sendable, Equatable {
  public struct Segment: Sendable, Equatable {
    /// Physical load address (p_paddr).
    public var address: UInt64
    /// File contents (p_filesz bytes).
    public var bytes: [UInt8]
    /// p_memsz: bytes past the file contents are zero.
    public var memorySize: UInt64
  }

  public var entry: UInt64
  public var segments: [Segment]

  public static func isELF(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 4 && bytes[0] == 0x7F && bytes[1] == 0x45 && bytes[2] == 0x4C && bytes[3] == 0x46
  }

  /// Parses an ELF64 AArch64 executable; every offset and size is bounds-checked.
  public static func parse(_ b: [UInt8]) throws(ELFError) -> ELFImage {
    guard isELF(b) else { throw .notELF }
    guard b.count >= 64 else { throw .truncated("the ELF header") }
    guard b[4] == 2 else { throw .notELF64 }
    guard b[5] == 1 else { throw .notLittleEndian }
    func u16(_ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
    func u32(_ o: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[o + $1]) << (8 * UInt32($1)) } }
    func u64(_ o: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[o + $1]) << (8 * UInt64($1)) } }
    let type = u16(16)
    let machine = u16(18)
    guard machine == 183 else { throw .notAArch64(machine: machine) }
    guard type == 2 else { throw .notExecutable(type: type) }
    let entry = u64(24)
    let phoff = u64(32)
    let phentsize = Int(u16(54))
    let phnum = Int(u16(56))
    guard phnum == 0 || phentsize >= 56 else {
      throw .badProgramHeader(index: 0, reason: "e_phentsize \(phentsize) < 56")
    }
    guard phoff <= UInt64(b.count), UInt64(b.count) - phoff >= UInt64(phnum * phentsize) else {
      throw .truncated("the program header table")
    }
    var segments: [Segment] = []
    for i in 0..<phnum {
      let o = Int(phoff) + i * phentsize
      guard u32(o) == 1 else { continue }  // PT_LOAD
      let offset = u64(o + 8)
      let paddr = u64(o + 24)
      let filesz = u64(o + 32)
      let memsz = u64(o + 40)
      guard filesz <= memsz else { throw .badProgramHeader(index: i, reason: "p_filesz > p_memsz") }
      guard memsz <= 1 << 32 else { throw .badProgramHeader(index: i, reason: "p_memsz larger than 4 GiB") }
      guard paddr <= UInt64.max - memsz else {
        throw .badProgramHeader(index: i, reason: "segment wraps the address space")
      }
      guard offset <= UInt64(b.count), UInt64(b.count) - offset >= filesz else {
        throw .truncated("segment \(i)'s contents")
      }
      segments.append(
        Segment(address: paddr, bytes: Array(b[Int(offset)..<Int(offset + filesz)]), memorySize: memsz))
    }
    guard !segments.isEmpty else { throw .noLoadableSegments }
    return ELFImage(entry: entry, segments: segments)
  }
}
