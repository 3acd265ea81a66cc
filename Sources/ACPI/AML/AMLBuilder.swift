// Builder vocabulary: ASL-shaped constructors over `AMLTerm`, so firmware code reads like the
// ASL it generates (`.method("_STA", serialized: true, [.returnValue(.call("CSTA", [.integer(0)]))])`).

extension AMLTerm {
  public static let zero = AMLTerm.integer(0)
  public static let one = AMLTerm.integer(1)

  public static func method(
    _ name: AMLNameString, args: Int = 0, serialized: Bool = false, syncLevel: Int = 0, _ body: [AMLTerm]
  ) -> AMLTerm {
    .method(
      AMLMethodDefinition(
        name: name, argumentCount: args, serialized: serialized, syncLevel: syncLevel, body: body))
  }

  public static func ref(_ name: AMLNameString) -> AMLTerm { .nameRef(name) }

  public static func store(_ value: AMLTerm, _ target: AMLTerm) -> AMLTerm { .op(.store, [value, target]) }
  public static func add(_ a: AMLTerm, _ b: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.add, [a, b, target])
  }
  public static func subtract(_ a: AMLTerm, _ b: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.subtract, [a, b, target])
  }
  public static func multiply(_ a: AMLTerm, _ b: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.multiply, [a, b, target])
  }
  public static func divide(
    _ a: AMLTerm, _ b: AMLTerm, remainder: AMLTerm = .nullTarget, quotient: AMLTerm = .nullTarget
  ) -> AMLTerm {
    .op(.divide, [a, b, remainder, quotient])
  }
  public static func mod(_ a: AMLTerm, _ b: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.mod, [a, b, target])
  }
  public static func and(_ a: AMLTerm, _ b: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.and, [a, b, target])
  }
  public static func or(_ a: AMLTerm, _ b: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.or, [a, b, target])
  }
  public static func xor(_ a: AMLTerm, _ b: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.xor, [a, b, target])
  }
  public static func shiftLeft(_ a: AMLTerm, _ b: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.shiftLeft, [a, b, target])
  }
  public static func shiftRight(_ a: AMLTerm, _ b: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.shiftRight, [a, b, target])
  }
  public static func not(_ a: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm { .op(.not, [a, target]) }
  public static func increment(_ a: AMLTerm) -> AMLTerm { .op(.increment, [a]) }
  public static func decrement(_ a: AMLTerm) -> AMLTerm { .op(.decrement, [a]) }
  public static func lEqual(_ a: AMLTerm, _ b: AMLTerm) -> AMLTerm { .op(.lEqual, [a, b]) }
  public static func lLess(_ a: AMLTerm, _ b: AMLTerm) -> AMLTerm { .op(.lLess, [a, b]) }
  public static func lGreater(_ a: AMLTerm, _ b: AMLTerm) -> AMLTerm { .op(.lGreater, [a, b]) }
  public static func lNot(_ a: AMLTerm) -> AMLTerm { .op(.lNot, [a]) }
  /// LNotEqual is encoded as LNot(LEqual(a, b)).
  public static func lNotEqual(_ a: AMLTerm, _ b: AMLTerm) -> AMLTerm { .lNot(.lEqual(a, b)) }
  /// LLessEqual is encoded as LNot(LGreater(a, b)).
  public static func lLessEqual(_ a: AMLTerm, _ b: AMLTerm) -> AMLTerm { .lNot(.lGreater(a, b)) }
  /// LGreaterEqual is encoded as LNot(LLess(a, b)).
  public static func lGreaterEqual(_ a: AMLTerm, _ b: AMLTerm) -> AMLTerm { .lNot(.lLess(a, b)) }
  public static func lAnd(_ a: AMLTerm, _ b: AMLTerm) -> AMLTerm { .op(.lAnd, [a, b]) }
  public static func lOr(_ a: AMLTerm, _ b: AMLTerm) -> AMLTerm { .op(.lOr, [a, b]) }
  public static func notify(_ object: AMLTerm, _ value: AMLTerm) -> AMLTerm { .op(.notify, [object, value]) }
  /// Acquire(mutex, timeout): 0xFFFF waits forever.
  public static func acquire(_ mutex: AMLTerm, timeout: UInt16 = 0xFFFF) -> AMLTerm {
    .op(.acquire, [mutex, .integer(UInt64(timeout))])
  }
  public static func release(_ mutex: AMLTerm) -> AMLTerm { .op(.release, [mutex]) }
  public static func index(_ source: AMLTerm, _ index: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.index, [source, index, target])
  }
  public static func derefOf(_ reference: AMLTerm) -> AMLTerm { .op(.derefOf, [reference]) }
  public static func sizeOf(_ object: AMLTerm) -> AMLTerm { .op(.sizeOf, [object]) }
  public static func objectType(_ object: AMLTerm) -> AMLTerm { .op(.objectType, [object]) }
  public static func refOf(_ object: AMLTerm) -> AMLTerm { .op(.refOf, [object]) }
  public static func concatenate(_ a: AMLTerm, _ b: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.concatenate, [a, b, target])
  }
  public static func toInteger(_ a: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.toInteger, [a, target])
  }
  public static func toBuffer(_ a: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.toBuffer, [a, target])
  }
  public static func toHexString(_ a: AMLTerm, _ target: AMLTerm = .nullTarget) -> AMLTerm {
    .op(.toHexString, [a, target])
  }

  public static func ifThen(_ predicate: AMLTerm, _ then: [AMLTerm], else otherwise: [AMLTerm]? = nil)
    -> AMLTerm
  {
    .ifElse(predicate: predicate, then: then, otherwise: otherwise)
  }
  public static func whileLoop(_ predicate: AMLTerm, _ body: [AMLTerm]) -> AMLTerm {
    .whileLoop(predicate: predicate, body: body)
  }
  public static func returning(_ value: AMLTerm) -> AMLTerm { .returnValue(value) }

  /// A Buffer whose size is its byte count.
  public static func bufferLiteral(_ bytes: [UInt8]) -> AMLTerm {
    .buffer(size: .integer(UInt64(bytes.count)), bytes: bytes)
  }

  /// A Package of `elements` with NumElements equal to their count (at most 255).
  public static func package(_ elements: [AMLTerm]) -> AMLTerm {
    .package(count: UInt8(min(elements.count, 255)), elements: elements)
  }

  public static func opRegion(_ name: AMLNameString, space: UInt8, offset: UInt64, length: UInt64) -> AMLTerm
  {
    .operationRegion(name, space: space, offset: .integer(offset), length: .integer(length))
  }

  /// EISAID("PNP0A06") as the compressed 32-bit integer iasl emits; nil for a malformed id.
  public static func eisaID(_ id: String) -> AMLTerm? {
    guard let value = eisaIDValue(id) else { return nil }
    return .integer(UInt64(value))
  }

  /// A ResourceTemplate: a Buffer of the descriptors followed by an End Tag (`79 00`).
  public static func resourceTemplate(_ descriptors: [ResourceDescriptor]) -> AMLTerm {
    var sink = ByteSink()
    for descriptor in descriptors { sink.append(descriptor) }
    sink.append([0x79, 0x00])
    return .bufferLiteral(sink.bytes)
  }
}

/// Compresses a 7-character EISA id (three letters, four hex digits) as ASL's EISAID does.
public func eisaIDValue(_ id: String) -> UInt32? {
  let raw = Array(id.utf8)
  guard raw.count == 7, raw[0..<3].allSatisfy({ (0x41...0x5A).contains($0) }),
    let product = UInt32(String(decoding: raw[3..<7], as: UTF8.self), radix: 16)
  else { return nil }
  let letters = (UInt32(raw[0] - 0x40) << 26) | (UInt32(raw[1] - 0x40) << 21) | (UInt32(raw[2] - 0x40) << 16)
  return (letters | product).byteSwapped
}

/// Decodes an EISAID integer back to its 7-character form, when it looks like one.
public func eisaIDString(_ value: UInt64) -> String? {
  guard value <= 0xFFFF_FFFF else { return nil }
  let swapped = UInt32(value).byteSwapped
  guard swapped & 0x8000_0000 == 0 else { return nil }
  var text = ""
  for shift in [26, 21, 16] as [UInt32] {
    let letter = (swapped >> shift) & 0x1F
    guard (1...26).contains(letter) else { return nil }
    text.append(Character(UnicodeScalar(UInt8(letter + 0x40))))
  }
  return text + hex(UInt64(swapped & 0xFFFF), 4)
}

/// Resource descriptors used inside a ResourceTemplate (ACPI 6.5 §6.4).
public enum ResourceDescriptor: ACPIEncodable, Equatable, Sendable {
  /// Extended Interrupt (large tag 0x89), ASL `Interrupt(...)`.
  case extendedInterrupt(
    consumer: Bool = true, edge: Bool, activeLow: Bool, shared: Bool, wakeCapable: Bool = false,
    interrupts: [UInt32])
  /// Memory32Fixed (large tag 0x86).
  case memory32Fixed(readWrite: Bool, base: UInt32, length: UInt32)

  public func encode(into sink: inout ByteSink) {
    switch self {
    case .extendedInterrupt(let consumer, let edge, let activeLow, let shared, let wake, let interrupts):
      sink.byte(0x89)
      sink.u16(UInt16(2 + 4 * interrupts.count))
      var flags: UInt8 = consumer ? 1 : 0
      if edge { flags |= 2 }
      if activeLow { flags |= 4 }
      if shared { flags |= 8 }
      if wake { flags |= 16 }
      sink.byte(flags)
      sink.byte(UInt8(interrupts.count))
      for interrupt in interrupts { sink.u32(interrupt) }
    case .memory32Fixed(let readWrite, let base, let length):
      sink.byte(0x86)
      sink.u16(9)
      sink.byte(readWrite ? 1 : 0)
      sink.u32(base)
      sink.u32(length)
    }
  }

  /// Decodes the descriptors of a resource template buffer up to its End Tag; nil if the bytes
  /// are not a well-formed template of descriptors this model knows.
  public static func decodeTemplate(_ bytes: [UInt8]) -> [ResourceDescriptor]? {
    var result: [ResourceDescriptor] = []
    var offset = 0
    while offset < bytes.count {
      let tag = bytes[offset]
      if tag == 0x79 { return offset + 2 == bytes.count ? result : nil }
      guard tag & 0x80 != 0, offset + 3 <= bytes.count else { return nil }
      let length = Int(bytes[offset + 1]) | Int(bytes[offset + 2]) << 8
      guard offset + 3 + length <= bytes.count else { return nil }
      let body = Array(bytes[offset + 3..<offset + 3 + length])
      func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(body[at + $1]) << UInt32(8 * $1) } }
      switch tag {
      case 0x89:
        guard length >= 2, Int(body[1]) >= 1, length == 2 + 4 * Int(body[1]) else { return nil }
        let flags = body[0]
        result.append(
          .extendedInterrupt(
            consumer: flags & 1 != 0, edge: flags & 2 != 0, activeLow: flags & 4 != 0, shared: flags & 8 != 0,
            wakeCapable: flags & 16 != 0, interrupts: (0..<Int(body[1])).map { u32(2 + 4 * $0) }))
      case 0x86:
        guard length == 9 else { return nil }
        result.append(.memory32Fixed(readWrite: body[0] & 1 != 0, base: u32(1), length: u32(5)))
      default:
        return nil
      }
      offset += 3 + length
    }
    return nil
  }
}
