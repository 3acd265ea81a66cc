// OperationRegion fields and buffer fields (exfield.c, exfldio.c, exprep.c behaviour).

extension AMLMachine {
  mutating func createField(region: AMLNameString, flags: AMLFieldFlags, elements: [AMLFieldElement])
    throws(AMLError)
  {
    guard let regionNode = namespace.lookup(region, from: scope) else {
      throw error(.AE_NOT_FOUND, "Field: region \(region) does not exist")
    }
    guard case .region = namespace[regionNode].object else {
      throw error(
        .AE_AML_OPERAND_TYPE,
        "Field: \(namespace.path(of: regionNode)) is a \(namespace[regionNode].object.typeName), not an OperationRegion"
      )
    }
    var bitOffset = 0
    var access = flags.accessType
    for element in elements {
      switch element {
      case .reserved(let bits): bitOffset += bits
      case .accessAs(let type, _): access = type
      case .named(let seg, let bits):
        let unit = AMLFieldUnit(
          region: regionNode, bitOffset: bitOffset, bitLength: bits, access: access, lock: flags.lock,
          updateRule: flags.updateRule)
        _ = try createNamed(AMLNameString(segments: [seg]), .fieldUnit(unit))
        bitOffset += bits
      }
    }
  }

  /// Access width in bits: the declared one, or for AnyAcc the smallest that holds the field in
  /// one aligned unit (byte when none does).
  func accessBits(_ unit: AMLFieldUnit) -> Int {
    switch unit.access {
    case .byte, .buffer: return 8
    case .word: return 16
    case .dword: return 32
    case .qword: return 64
    case .any:
      for width in [8, 16, 32, 64] where unit.bitOffset % width + unit.bitLength <= width { return width }
      return 8
    }
  }

  private func region(of unit: AMLFieldUnit) throws(AMLError) -> AMLRegionObject {
    guard case .region(let region) = namespace[unit.region].object else {
      throw error(.AE_AML_OPERAND_TYPE, "field's region no longer exists")
    }
    return region
  }

  /// (address of datum i, datum count, bit position of the field in datum 0, access bits).
  private func layout(_ unit: AMLFieldUnit, node: Int?) throws(AMLError) -> (
    UInt64, Int, Int, Int, AMLRegionObject
  ) {
    let region = try region(of: unit)
    guard unit.bitLength <= limits.maxObjectSize * 8 else {
      throw error(
        .AE_NO_MEMORY,
        "a \(unit.bitLength)-bit field exceeds the lab's \(limits.maxObjectSize)-byte object limit")
    }
    let width = accessBits(unit)
    let bytes = width / 8
    let firstByte = (unit.bitOffset / width) * bytes
    let shift = unit.bitOffset % width
    let count = (shift + unit.bitLength + width - 1) / width
    let endByte = UInt64(firstByte) + UInt64(count * bytes)
    guard endByte <= region.length else {
      let name = node.map { "Field [\(namespace[$0].name.raw)]" } ?? "Field"
      throw error(
        .AE_AML_REGION_LIMIT,
        "\(name) access at byte offset \(firstByte + max(0, count - 1) * bytes) width \(bytes) is beyond the region's \(region.length) bytes"
      )
    }
    return (region.offset &+ UInt64(firstByte), count, shift, width, region)
  }

  mutating func readField(_ unit: AMLFieldUnit, node: Int) throws(AMLError) -> AMLValue {
    guard unit.bitLength > 0 else { return .integer(0) }
    let (base, count, shift, width, region) = try layout(unit, node: node)
    var bits = FieldBits(count: unit.bitLength)
    for index in 0..<count {
      let address = base &+ UInt64(index * width / 8)
      guard let datum = host.regionRead(space: region.space, address: address, bitWidth: width) else {
        throw error(.AE_NOT_EXIST, "no handler for \(AMLRegionSpace.name(of: region.space)) region accesses")
      }
      bits.insert(datum, width: width, at: index * width - shift)
    }
    if unit.bitLength <= convert.width { return .integer(bits.integer) }
    return .buffer(bits.bytes)
  }

  mutating func writeField(_ unit: AMLFieldUnit, _ value: AMLValue) throws(AMLError) {
    guard unit.bitLength > 0 else { return }
    let data = try fieldData(value, bitLength: unit.bitLength)
    let (base, count, shift, width, region) = try layout(unit, node: nil)
    let widthMask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
    for index in 0..<count {
      let first = index * width - shift
      let (mask, bits) = data.extract(width: width, at: first)
      let address = base &+ UInt64(index * width / 8)
      var merged = bits
      if mask != widthMask {
        switch unit.updateRule {
        case .preserve:
          guard let old = host.regionRead(space: region.space, address: address, bitWidth: width) else {
            throw error(
              .AE_NOT_EXIST, "no handler for \(AMLRegionSpace.name(of: region.space)) region accesses")
          }
          merged = (old & ~mask & widthMask) | bits
        case .writeAsOnes: merged = (~mask & widthMask) | bits
        case .writeAsZeros: merged = bits
        }
      }
      guard host.regionWrite(space: region.space, address: address, bitWidth: width, value: merged) else {
        throw error(.AE_NOT_EXIST, "no handler for \(AMLRegionSpace.name(of: region.space)) region accesses")
      }
    }
  }

  /// The bits a value contributes to a field of `bitLength` bits (zero-extended or truncated).
  private func fieldData(_ value: AMLValue, bitLength: Int) throws(AMLError) -> FieldBits {
    var bits = FieldBits(count: bitLength)
    switch value {
    case .integer(let number): bits.insert(number & ones, width: 64, at: 0)
    case .buffer(let bytes):
      for (index, byte) in bytes.enumerated() where index * 8 < bitLength {
        bits.insert(UInt64(byte), width: 8, at: index * 8)
      }
    case .string(let text):
      for (index, byte) in text.utf8.enumerated() where index * 8 < bitLength {
        bits.insert(UInt64(byte), width: 8, at: index * 8)
      }
    default:
      throw error(.AE_AML_OPERAND_TYPE, "cannot write a \(value.typeName) into a field")
    }
    return bits
  }

  // MARK: - Buffer fields

  mutating func createBufferField(
    _ kind: AMLCreateFieldKind, source: AMLTerm, index: AMLTerm, bitCount: AMLTerm?, name: AMLNameString
  ) throws(AMLError) {
    let location: AMLReference
    switch source {
    case .nameRef, .local, .arg: location = try reference(to: source)
    default:
      let value = try evaluate(source)
      guard case .reference(let reference) = value else {
        throw error(.AE_AML_OPERAND_TYPE, "\(kind.aslName) needs a named Buffer, found a \(value.typeName)")
      }
      location = reference
    }
    let target = try read(location)
    guard case .buffer(let bytes) = target else {
      throw error(.AE_AML_OPERAND_TYPE, "\(kind.aslName) needs a Buffer, found a \(target.typeName)")
    }
    let position = try integer(index)
    let bitOffset: UInt64
    let bitLength: UInt64
    if let fixed = kind.fixedBits {
      bitOffset = kind == .bit ? position : position &* 8
      bitLength = UInt64(fixed)
    } else {
      bitOffset = position
      bitLength = try integer(bitCount ?? .integer(0))
      guard bitLength > 0 else {
        throw error(.AE_AML_OPERAND_VALUE, "CreateField [\(name)] has a length of zero bits")
      }
    }
    let available = UInt64(bytes.count) * 8
    guard bitOffset <= available, bitLength <= available - bitOffset else {
      throw error(
        .AE_AML_BUFFER_LIMIT,
        "Field [\(name)] at bit offset/length \(bitOffset)/\(bitLength) exceeds size of target Buffer (\(available) bits)"
      )
    }
    let field = AMLBufferField(
      source: location, bitOffset: Int(bitOffset), bitLength: Int(bitLength), isCreateField: kind == .field)
    _ = try createNamed(name, .bufferField(field))
  }

  mutating func readBufferField(_ field: AMLBufferField) throws(AMLError) -> AMLValue {
    let source = try read(field.source)
    guard case .buffer(let bytes) = source else {
      throw error(.AE_AML_OPERAND_TYPE, "the buffer field's source is now a \(source.typeName)")
    }
    guard field.bitOffset + field.bitLength <= bytes.count * 8 else {
      throw error(.AE_AML_BUFFER_LIMIT, "buffer field lies beyond its buffer's \(bytes.count) bytes")
    }
    var bits = FieldBits(count: field.bitLength)
    for index in 0..<bits.count {
      let bit = field.bitOffset + index
      if bytes[bit / 8] >> UInt8(bit % 8) & 1 == 1 { bits.set(index) }
    }
    if !field.isCreateField && field.bitLength <= convert.width { return .integer(bits.integer) }
    return .buffer(bits.bytes)
  }

  mutating func writeBufferField(_ field: AMLBufferField, _ value: AMLValue) throws(AMLError) {
    let source = try read(field.source)
    guard case .buffer(var bytes) = source else {
      throw error(.AE_AML_OPERAND_TYPE, "the buffer field's source is now a \(source.typeName)")
    }
    guard field.bitOffset + field.bitLength <= bytes.count * 8 else {
      throw error(.AE_AML_BUFFER_LIMIT, "buffer field lies beyond its buffer's \(bytes.count) bytes")
    }
    let data = try fieldData(value, bitLength: field.bitLength)
    for index in 0..<field.bitLength {
      let bit = field.bitOffset + index
      if data.get(index) {
        bytes[bit / 8] |= 1 << UInt8(bit % 8)
      } else {
        bytes[bit / 8] &= ~(1 << UInt8(bit % 8))
      }
    }
    if case .node(let node) = field.source, case .data = namespace[node].object {
      namespace.setObject(.data(.buffer(bytes)), of: node)
    } else {
      try overwrite(field.source, with: .buffer(bytes))
    }
  }
}

/// A little-endian bit string of fixed length.
struct FieldBits {
  var words: [UInt64]
  let count: Int

  init(count: Int) {
    self.count = count
    words = Array(repeating: 0, count: (count + 63) / 64)
  }

  func get(_ index: Int) -> Bool { words[index / 64] >> UInt64(index % 64) & 1 == 1 }
  mutating func set(_ index: Int) { words[index / 64] |= 1 << UInt64(index % 64) }

  /// Puts the `width` low bits of `value` at bit `position` (bits outside 0..<count are dropped).
  mutating func insert(_ value: UInt64, width: Int, at position: Int) {
    for bit in 0..<width where value >> UInt64(bit) & 1 == 1 {
      let target = position + bit
      if target >= 0 && target < count { set(target) }
    }
  }

  /// The bits `position ..< position + width` as a datum, with the mask of those inside the field.
  func extract(width: Int, at position: Int) -> (mask: UInt64, bits: UInt64) {
    var mask: UInt64 = 0
    var bits: UInt64 = 0
    for bit in 0..<width {
      let source = position + bit
      guard source >= 0 && source < count else { continue }
      mask |= 1 << UInt64(bit)
      if get(source) { bits |= 1 << UInt64(bit) }
    }
    return (mask, bits)
  }

  var integer: UInt64 { words.first ?? 0 }

  var bytes: [UInt8] {
    (0..<(count + 7) / 8).map { UInt8(truncatingIfNeeded: words[$0 / 8] >> UInt64(($0 % 8) * 8)) }
  }
}
