/// Generic Address Structure (GAS), 12 bytes (ACPI 6.5 §5.2.3.2).
public struct GenericAddress: ACPIEncodable, Equatable, Sendable {
  public static let size = 12

  public var spaceID: UInt8
  public var bitWidth: UInt8
  public var bitOffset: UInt8
  /// 0 undefined, 1 byte, 2 word, 3 dword, 4 qword.
  public var accessSize: UInt8
  public var address: UInt64

  public init(
    spaceID: UInt8 = 0, bitWidth: UInt8 = 0, bitOffset: UInt8 = 0, accessSize: UInt8 = 0, address: UInt64 = 0
  ) {
    self.spaceID = spaceID
    self.bitWidth = bitWidth
    self.bitOffset = bitOffset
    self.accessSize = accessSize
    self.address = address
  }

  public static let zero = GenericAddress()

  public func encode(into sink: inout ByteSink) {
    sink.byte(spaceID)
    sink.byte(bitWidth)
    sink.byte(bitOffset)
    sink.byte(accessSize)
    sink.u64(address)
  }

  static func decode(_ reader: ByteReader, at offset: Int, field: String) throws(ACPITableError)
    -> GenericAddress
  {
    try reader.require(offset, size, field: field)
    return GenericAddress(
      spaceID: try reader.u8(offset, field), bitWidth: try reader.u8(offset + 1, field),
      bitOffset: try reader.u8(offset + 2, field), accessSize: try reader.u8(offset + 3, field),
      address: try reader.u64(offset + 4, field))
  }

  func rows(at offset: Int, name: String) -> [ACPIFieldRow] {
    [
      ACPIFieldRow(offset, 1, "\(name) Space ID", hex(UInt64(spaceID), 2), AMLRegionSpace.name(of: spaceID)),
      ACPIFieldRow(offset + 1, 1, "\(name) Bit Width", hex(UInt64(bitWidth), 2), ""),
      ACPIFieldRow(offset + 2, 1, "\(name) Bit Offset", hex(UInt64(bitOffset), 2), ""),
      ACPIFieldRow(
        offset + 3, 1, "\(name) Access Size", hex(UInt64(accessSize), 2),
        accessSize <= 4 ? ["undefined", "byte", "word", "dword", "qword"][Int(accessSize)] : "reserved"),
      ACPIFieldRow(offset + 4, 8, "\(name) Address", hex(address, 16), ""),
    ]
  }
}
