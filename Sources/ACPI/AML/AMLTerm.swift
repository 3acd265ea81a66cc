/// One AML term: what the builder writes, what the parser reads, what the interpreter runs and
/// what the ASL printer prints. Encoding follows ACPI 6.5 §20 with iasl's canonical choices
/// (smallest integer prefix, ZeroOp/OneOp/OnesOp).
public indirect enum AMLTerm: Equatable, Sendable {
  // Data objects
  /// An integer constant: ZeroOp, OneOp or the smallest Byte/Word/DWord/QWord prefix.
  case integer(UInt64)
  /// OnesOp (0xFF): all bits set at the current integer width.
  case ones
  case string(String)
  /// BufferOp with its size expression and initial bytes.
  case buffer(size: AMLTerm, bytes: [UInt8])
  case package(count: UInt8, elements: [AMLTerm])
  case varPackage(count: AMLTerm, elements: [AMLTerm])
  case revision
  case debug
  case timer
  case local(Int)
  case arg(Int)
  /// A name used as a value or target (not a method call).
  case nameRef(AMLNameString)
  /// A method call: the name followed by exactly the callee's argument count of TermArgs.
  case call(AMLNameString, [AMLTerm])
  /// NullName (0x00) in a target slot: no target.
  case nullTarget
  case op(AMLOperator, [AMLTerm])

  // Control flow
  case ifElse(predicate: AMLTerm, then: [AMLTerm], otherwise: [AMLTerm]?)
  case whileLoop(predicate: AMLTerm, body: [AMLTerm])
  case returnValue(AMLTerm)
  case breakLoop
  case continueLoop
  case noop
  case breakPoint

  // Named objects
  case name(AMLNameString, AMLTerm)
  case alias(source: AMLNameString, alias: AMLNameString)
  case scope(AMLNameString, [AMLTerm])
  case device(AMLNameString, [AMLTerm])
  case processor(AMLNameString, id: UInt8, pblkAddress: UInt32, pblkLength: UInt8, [AMLTerm])
  case powerResource(AMLNameString, systemLevel: UInt8, resourceOrder: UInt16, [AMLTerm])
  case thermalZone(AMLNameString, [AMLTerm])
  case method(AMLMethodDefinition)
  case mutex(AMLNameString, syncLevel: UInt8)
  case event(AMLNameString)
  case operationRegion(AMLNameString, space: UInt8, offset: AMLTerm, length: AMLTerm)
  case field(region: AMLNameString, flags: AMLFieldFlags, elements: [AMLFieldElement])
  case createField(
    AMLCreateFieldKind, source: AMLTerm, index: AMLTerm, bitCount: AMLTerm?, name: AMLNameString)
  case external(AMLNameString, objectType: UInt8, argumentCount: UInt8)
}

/// A Method definition. Its body is either terms (built or already parsed) or the raw bytes the
/// loader skipped, to be parsed on first call as ACPICA does.
public struct AMLMethodDefinition: Equatable, Sendable {
  public var name: AMLNameString
  public var argumentCount: Int
  public var serialized: Bool
  public var syncLevel: Int
  public var body: AMLMethodBody

  public init(
    name: AMLNameString, argumentCount: Int, serialized: Bool = false, syncLevel: Int = 0, body: [AMLTerm]
  ) {
    self.name = name
    self.argumentCount = argumentCount
    self.serialized = serialized
    self.syncLevel = syncLevel
    self.body = .terms(body)
  }

  init(name: AMLNameString, flags: UInt8, body: AMLMethodBody) {
    self.name = name
    self.argumentCount = Int(flags & 7)
    self.serialized = flags & 8 != 0
    self.syncLevel = Int(flags >> 4)
    self.body = body
  }

  /// MethodFlags: bits 2-0 argument count, bit 3 serialized, bits 7-4 sync level.
  public var flags: UInt8 {
    UInt8(argumentCount & 7) | (serialized ? 8 : 0) | UInt8((syncLevel & 15) << 4)
  }
}

public enum AMLMethodBody: Equatable, Sendable {
  case terms([AMLTerm])
  /// Bytes of the TermList and their offset in the table they came from.
  case unparsed(bytes: [UInt8], tableOffset: Int)
}

/// FieldFlags: access type, lock rule, update rule.
public struct AMLFieldFlags: Equatable, Sendable {
  public enum AccessType: UInt8, Sendable, CaseIterable {
    case any = 0, byte, word, dword, qword, buffer
    public var aslName: String {
      ["AnyAcc", "ByteAcc", "WordAcc", "DWordAcc", "QWordAcc", "BufferAcc"][Int(rawValue)]
    }
  }

  public enum UpdateRule: UInt8, Sendable, CaseIterable {
    case preserve = 0, writeAsOnes, writeAsZeros
    public var aslName: String { ["Preserve", "WriteAsOnes", "WriteAsZeros"][Int(rawValue)] }
  }

  public var accessType: AccessType
  public var lock: Bool
  public var updateRule: UpdateRule

  public init(accessType: AccessType, lock: Bool = false, updateRule: UpdateRule) {
    self.accessType = accessType
    self.lock = lock
    self.updateRule = updateRule
  }

  public var byte: UInt8 { accessType.rawValue | (lock ? 0x10 : 0) | updateRule.rawValue << 5 }

  /// Decodes a FieldFlags byte; nil when the access type or update rule is reserved.
  public init?(byte: UInt8) {
    guard let access = AccessType(rawValue: byte & 0x0F), let rule = UpdateRule(rawValue: (byte >> 5) & 3)
    else {
      return nil
    }
    self.init(accessType: access, lock: byte & 0x10 != 0, updateRule: rule)
  }
}

/// One entry of a Field's list.
public enum AMLFieldElement: Equatable, Sendable {
  case named(AMLNameSeg, bits: Int)
  case reserved(bits: Int)
  /// AccessAs(type, attribute) changes the access type for the entries that follow.
  case accessAs(AMLFieldFlags.AccessType, attribute: UInt8)
}

public enum AMLCreateFieldKind: UInt16, Sendable, CaseIterable {
  case bit = 0x8D
  case byte = 0x8C
  case word = 0x8B
  case dword = 0x8A
  case qword = 0x8F
  case field = 0x5B13

  /// Field width in bits for the fixed-size forms; CreateBitField's index is in bits.
  var fixedBits: Int? {
    switch self {
    case .bit: 1
    case .byte: 8
    case .word: 16
    case .dword: 32
    case .qword: 64
    case .field: nil
    }
  }

  public var aslName: String {
    switch self {
    case .bit: "CreateBitField"
    case .byte: "CreateByteField"
    case .word: "CreateWordField"
    case .dword: "CreateDWordField"
    case .qword: "CreateQWordField"
    case .field: "CreateField"
    }
  }
}

/// Operation region address spaces.
public enum AMLRegionSpace {
  public static let systemMemory: UInt8 = 0x00
  public static let systemIO: UInt8 = 0x01

  static let names: [UInt8: String] = [
    0x00: "SystemMemory", 0x01: "SystemIO", 0x02: "PCI_Config", 0x03: "EmbeddedControl", 0x04: "SMBus",
    0x05: "SystemCMOS", 0x06: "PCIBARTarget", 0x07: "IPMI", 0x08: "GeneralPurposeIo",
    0x09: "GenericSerialBus",
    0x0A: "PCC", 0x7F: "FFixedHW",
  ]

  /// ASL keyword for a RegionSpace byte (OEM spaces print as hex).
  public static func name(of space: UInt8) -> String {
    names[space] ?? "0x" + hex(UInt64(space), 2)
  }
}

extension AMLTerm: ACPIEncodable {
  public func encode(into sink: inout ByteSink) {
    switch self {
    case .integer(let value): Self.encodeInteger(value, into: &sink)
    case .ones: sink.byte(0xFF)
    case .string(let text):
      sink.byte(0x0D)
      sink.append(Array(text.utf8))
      sink.byte(0)
    case .buffer(let size, let bytes):
      Self.encodePackage(opcode: [0x11], into: &sink) { body in
        body.append(size)
        body.append(bytes)
      }
    case .package(let count, let elements):
      Self.encodePackage(opcode: [0x12], into: &sink) { body in
        body.byte(count)
        for element in elements { body.append(element) }
      }
    case .varPackage(let count, let elements):
      Self.encodePackage(opcode: [0x13], into: &sink) { body in
        body.append(count)
        for element in elements { body.append(element) }
      }
    case .revision: sink.append([0x5B, 0x30])
    case .debug: sink.append([0x5B, 0x31])
    case .timer: sink.append([0x5B, 0x33])
    case .local(let index): sink.byte(0x60 + UInt8(index & 7))
    case .arg(let index): sink.byte(0x68 + UInt8(min(index, 6)))
    case .nameRef(let name): sink.append(name)
    case .call(let name, let arguments):
      sink.append(name)
      for argument in arguments { sink.append(argument) }
    case .nullTarget: sink.byte(0x00)
    case .op(let op, let operands):
      sink.append(op.opcodeBytes)
      for (kind, operand) in zip(op.operands, operands) {
        switch kind {
        case .byteData: sink.byte(UInt8(truncatingIfNeeded: operand.integerValue ?? 0))
        case .wordData: sink.u16(UInt16(truncatingIfNeeded: operand.integerValue ?? 0))
        case .dwordData: sink.u32(UInt32(truncatingIfNeeded: operand.integerValue ?? 0))
        default: sink.append(operand)
        }
      }
    case .ifElse(let predicate, let then, let otherwise):
      Self.encodePackage(opcode: [0xA0], into: &sink) { body in
        body.append(predicate)
        for term in then { body.append(term) }
      }
      if let otherwise {
        Self.encodePackage(opcode: [0xA1], into: &sink) { body in
          for term in otherwise { body.append(term) }
        }
      }
    case .whileLoop(let predicate, let terms):
      Self.encodePackage(opcode: [0xA2], into: &sink) { body in
        body.append(predicate)
        for term in terms { body.append(term) }
      }
    case .returnValue(let value):
      sink.byte(0xA4)
      sink.append(value)
    case .breakLoop: sink.byte(0xA5)
    case .continueLoop: sink.byte(0x9F)
    case .noop: sink.byte(0xA3)
    case .breakPoint: sink.byte(0xCC)
    case .name(let name, let value):
      sink.byte(0x08)
      sink.append(name)
      sink.append(value)
    case .alias(let source, let alias):
      sink.byte(0x06)
      sink.append(source)
      sink.append(alias)
    case .scope(let name, let terms): Self.encodeContainer([0x10], name, terms, into: &sink)
    case .device(let name, let terms): Self.encodeContainer([0x5B, 0x82], name, terms, into: &sink)
    case .thermalZone(let name, let terms): Self.encodeContainer([0x5B, 0x85], name, terms, into: &sink)
    case .processor(let name, let id, let address, let length, let terms):
      Self.encodePackage(opcode: [0x5B, 0x83], into: &sink) { body in
        body.append(name)
        body.byte(id)
        body.u32(address)
        body.byte(length)
        for term in terms { body.append(term) }
      }
    case .powerResource(let name, let level, let order, let terms):
      Self.encodePackage(opcode: [0x5B, 0x84], into: &sink) { body in
        body.append(name)
        body.byte(level)
        body.u16(order)
        for term in terms { body.append(term) }
      }
    case .method(let method):
      Self.encodePackage(opcode: [0x14], into: &sink) { body in
        body.append(method.name)
        body.byte(method.flags)
        switch method.body {
        case .terms(let terms): for term in terms { body.append(term) }
        case .unparsed(let bytes, _): body.append(bytes)
        }
      }
    case .mutex(let name, let level):
      sink.append([0x5B, 0x01])
      sink.append(name)
      sink.byte(level & 0x0F)
    case .event(let name):
      sink.append([0x5B, 0x02])
      sink.append(name)
    case .operationRegion(let name, let space, let offset, let length):
      sink.append([0x5B, 0x80])
      sink.append(name)
      sink.byte(space)
      sink.append(offset)
      sink.append(length)
    case .field(let region, let flags, let elements):
      Self.encodePackage(opcode: [0x5B, 0x81], into: &sink) { body in
        body.append(region)
        body.byte(flags.byte)
        for element in elements {
          switch element {
          case .named(let seg, let bits):
            body.append(seg.bytes)
            body.append(PkgLength.encode(bitWidth: bits))
          case .reserved(let bits):
            body.byte(0)
            body.append(PkgLength.encode(bitWidth: bits))
          case .accessAs(let type, let attribute):
            body.append([0x01, type.rawValue, attribute])
          }
        }
      }
    case .createField(let kind, let source, let index, let bitCount, let name):
      if kind == .field {
        sink.append([0x5B, 0x13])
      } else {
        sink.byte(UInt8(kind.rawValue))
      }
      sink.append(source)
      sink.append(index)
      if let bitCount { sink.append(bitCount) }
      sink.append(name)
    case .external(let name, let type, let count):
      sink.byte(0x15)
      sink.append(name)
      sink.byte(type)
      sink.byte(count)
    }
  }

  static func encodeInteger(_ value: UInt64, into sink: inout ByteSink) {
    switch value {
    case 0: sink.byte(0x00)
    case 1: sink.byte(0x01)
    case 0...0xFF:
      sink.byte(0x0A)
      sink.byte(UInt8(value))
    case 0...0xFFFF:
      sink.byte(0x0B)
      sink.u16(UInt16(value))
    case 0...0xFFFF_FFFF:
      sink.byte(0x0C)
      sink.u32(UInt32(value))
    default:
      sink.byte(0x0E)
      sink.u64(value)
    }
  }

  /// Writes `opcode`, then a PkgLength covering itself and `body`, then `body`.
  static func encodePackage(opcode: [UInt8], into sink: inout ByteSink, body: (inout ByteSink) -> Void) {
    var inner = ByteSink()
    body(&inner)
    sink.append(opcode)
    sink.append(PkgLength.encode(payload: inner.count))
    sink.append(inner.bytes)
  }

  static func encodeContainer(
    _ opcode: [UInt8], _ name: AMLNameString, _ terms: [AMLTerm], into sink: inout ByteSink
  ) {
    encodePackage(opcode: opcode, into: &sink) { body in
      body.append(name)
      for term in terms { body.append(term) }
    }
  }

  var integerValue: UInt64? {
    if case .integer(let value) = self { return value }
    return nil
  }
}
