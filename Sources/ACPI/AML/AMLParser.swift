/// Tells the parser how many arguments a name takes when it names a method (nil: not a method).
/// AML has no call opcode, so this is the only way to know where a call's argument list ends.
typealias AMLArityLookup = (AMLNameString) -> Int?

/// Reads AML bytes into `AMLTerm`s. Method bodies are kept as bytes (`.unparsed`) and parsed on
/// first call, as ACPICA does, so calls inside them see the whole namespace.
struct AMLParser {
  let bytes: [UInt8]
  /// Offset in the table of `bytes[0]`, for error messages.
  let baseOffset: Int
  var position: Int
  /// Methods declared earlier in the bytes being parsed (single segment → argument count), for
  /// calls to them later in the same method body.
  var declaredMethods: [AMLNameSeg: Int] = [:]
  /// Unknown opcodes skipped (table offset, opcode), as ACPICA skips them silently.
  var skippedOpcodes: [(offset: Int, opcode: UInt16)] = []
  var depth = 0

  static let maxDepth = 200

  init(bytes: [UInt8], baseOffset: Int) {
    self.bytes = bytes
    self.baseOffset = baseOffset
    self.position = 0
  }

  var tableOffset: Int { baseOffset + position }

  func fail(_ status: ACPIStatus, _ message: String, at offset: Int? = nil) -> AMLError {
    AMLError(status, message, tableOffset: offset ?? tableOffset)
  }

  mutating func byte() throws(AMLError) -> UInt8 {
    guard position < bytes.count else {
      throw fail(.AE_AML_NO_OPERAND, "AML ends in the middle of an operand")
    }
    defer { position += 1 }
    return bytes[position]
  }

  func peek(_ ahead: Int = 0) -> UInt8? {
    position + ahead < bytes.count ? bytes[position + ahead] : nil
  }

  mutating func fixed(_ count: Int) throws(AMLError) -> UInt64 {
    guard position + count <= bytes.count else {
      throw fail(.AE_AML_NO_OPERAND, "AML ends inside a \(count)-byte constant")
    }
    var value: UInt64 = 0
    for index in 0..<count { value |= UInt64(bytes[position + index]) << UInt64(8 * index) }
    position += count
    return value
  }

  // MARK: - PkgLength and names

  /// Reads a PkgLength and returns the end offset (in `bytes`) of the construct it measures.
  mutating func pkgEnd(limit: Int) throws(AMLError) -> Int {
    let start = position
    let lead = try byte()
    let extra = Int(lead >> 6)
    var length = extra == 0 ? Int(lead & 0x3F) : Int(lead & 0x0F)
    for index in 0..<extra { length |= Int(try byte()) << (4 + 8 * index) }
    let end = start + length
    guard length >= position - start else {
      throw fail(
        .AE_AML_BAD_OPCODE, "PkgLength \(length) is shorter than its own \(position - start) byte(s)",
        at: baseOffset + start)
    }
    guard end <= limit else {
      throw fail(
        .AE_AML_BAD_OPCODE,
        "PkgLength \(length) runs past the end of the enclosing object (ends at table offset 0x\(hex(UInt64(baseOffset + limit), 4)))",
        at: baseOffset + start)
    }
    return end
  }

  /// A field element width: PkgLength format, value is a bit count.
  mutating func fieldWidth() throws(AMLError) -> Int {
    let lead = try byte()
    let extra = Int(lead >> 6)
    var value = extra == 0 ? Int(lead & 0x3F) : Int(lead & 0x0F)
    for index in 0..<extra { value |= Int(try byte()) << (4 + 8 * index) }
    return value
  }

  mutating func nameSeg() throws(AMLError) -> AMLNameSeg {
    guard position + 4 <= bytes.count else { throw fail(.AE_AML_BAD_NAME, "AML ends inside a NameSeg") }
    let raw = bytes[position..<position + 4]
    guard AMLNameSeg.isLeadChar(raw.first!), raw.dropFirst().allSatisfy(AMLNameSeg.isNameChar) else {
      throw fail(.AE_AML_BAD_NAME, "invalid NameSeg bytes \(raw.map { hex2($0) }.joined(separator: " "))")
    }
    position += 4
    return AMLNameSeg(validated: raw)
  }

  mutating func nameString() throws(AMLError) -> AMLNameString {
    var name = AMLNameString(segments: [])
    if peek() == 0x5C {
      name.isRooted = true
      position += 1
    } else {
      while peek() == 0x5E {
        name.parentPrefixes += 1
        position += 1
      }
    }
    guard let lead = peek() else { throw fail(.AE_AML_BAD_NAME, "AML ends inside a NameString") }
    switch lead {
    case 0x00: position += 1
    case 0x2E:
      position += 1
      name.segments = [try nameSeg(), try nameSeg()]
    case 0x2F:
      position += 1
      let count = Int(try byte())
      guard count > 0 else { throw fail(.AE_AML_BAD_NAME, "MultiNamePrefix with a segment count of 0") }
      for _ in 0..<count { name.segments.append(try nameSeg()) }
    default: name.segments = [try nameSeg()]
    }
    return name
  }

  static func isNameStart(_ byte: UInt8) -> Bool {
    byte == 0x5C || byte == 0x5E || byte == 0x2E || byte == 0x2F || AMLNameSeg.isLeadChar(byte)
  }

  // MARK: - Term lists

  mutating func termList(end: Int, arity: AMLArityLookup) throws(AMLError) -> [AMLTerm] {
    var terms: [AMLTerm] = []
    while position < end {
      if let term = try term(end: end, arity: arity) { terms.append(term) }
    }
    try within(end, "term list")
    return terms
  }

  /// One TermObj in statement position; nil when an unknown opcode was skipped.
  mutating func term(end: Int, arity: AMLArityLookup) throws(AMLError) -> AMLTerm? {
    guard let lead = peek() else { throw fail(.AE_AML_NO_OPERAND, "AML ends where a term was expected") }
    if lead == 0xA1 {
      // An Else that does not follow an If: ACPICA parses and ignores it.
      position += 1
      position = try pkgEnd(limit: end)
      return .noop
    }
    return try parse(end: end, arity: arity, allowStatements: true)
  }

  mutating func termArg(end: Int, arity: AMLArityLookup) throws(AMLError) -> AMLTerm {
    while true {
      if let term = try parse(end: end, arity: arity, allowStatements: false) { return term }
    }
  }

  mutating func superName(end: Int, arity: AMLArityLookup) throws(AMLError) -> AMLTerm {
    guard let lead = peek() else { throw fail(.AE_AML_NO_OPERAND, "AML ends where a SuperName was expected") }
    if lead == 0x00 { throw fail(.AE_AML_OPERAND_TYPE, "NullName where an object name is required") }
    // A method name in a SuperName slot names the method; it is not a call (ObjectType(MTH0) is 8).
    if Self.isNameStart(lead) { return .nameRef(try nameString()) }
    return try termArg(end: end, arity: arity)
  }

  mutating func target(end: Int, arity: AMLArityLookup) throws(AMLError) -> AMLTerm {
    guard let lead = peek() else { throw fail(.AE_AML_NO_OPERAND, "AML ends where a Target was expected") }
    if lead == 0x00 {
      position += 1
      return .nullTarget
    }
    if Self.isNameStart(lead) { return .nameRef(try nameString()) }
    return try termArg(end: end, arity: arity)
  }

  mutating func simpleName() throws(AMLError) -> AMLTerm {
    guard let lead = peek() else {
      throw fail(.AE_AML_NO_OPERAND, "AML ends where a SimpleName was expected")
    }
    switch lead {
    case 0x60...0x67:
      position += 1
      return .local(Int(lead - 0x60))
    case 0x68...0x6E:
      position += 1
      return .arg(Int(lead - 0x68))
    default:
      guard Self.isNameStart(lead) else {
        throw fail(.AE_AML_OPERAND_TYPE, "opcode 0x\(hex2(lead)) where a name, local or arg is required")
      }
      return .nameRef(try nameString())
    }
  }

  mutating func nested<T>(_ body: (inout AMLParser) throws(AMLError) -> T) throws(AMLError) -> T {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maxDepth else {
      throw fail(.AE_STACK_OVERFLOW, "AML nests deeper than \(Self.maxDepth) levels")
    }
    return try body(&self)
  }

  // MARK: - The dispatcher

  mutating func parse(end: Int, arity: AMLArityLookup, allowStatements: Bool) throws(AMLError) -> AMLTerm? {
    try nested { (parser: inout AMLParser) throws(AMLError) -> AMLTerm? in
      try parser.dispatch(end: end, arity: arity, allowStatements: allowStatements)
    }
  }

  private mutating func dispatch(end: Int, arity: AMLArityLookup, allowStatements: Bool) throws(AMLError)
    -> AMLTerm?
  {
    guard position < end else {
      throw fail(.AE_AML_NO_OPERAND, "operand missing at the end of its enclosing object")
    }
    let start = position
    let lead = try byte()
    switch lead {
    case 0x00: return .integer(0)
    case 0x01: return .integer(1)
    case 0xFF: return .ones
    case 0x0A: return .integer(try fixed(1))
    case 0x0B: return .integer(try fixed(2))
    case 0x0C: return .integer(try fixed(4))
    case 0x0E: return .integer(try fixed(8))
    case 0x0D:
      var raw: [UInt8] = []
      while true {
        let char = try byte()
        if char == 0 { break }
        raw.append(char)
      }
      return .string(String(decoding: raw, as: UTF8.self))
    case 0x11:
      let pkgEnd = try pkgEnd(limit: end)
      let size = try termArg(end: pkgEnd, arity: arity)
      try within(pkgEnd, "Buffer")
      let data = Array(bytes[position..<pkgEnd])
      position = pkgEnd
      return .buffer(size: size, bytes: data)
    case 0x12:
      let pkgEnd = try pkgEnd(limit: end)
      let count = try byte()
      return .package(count: count, elements: try packageElements(end: pkgEnd, arity: arity))
    case 0x13:
      let pkgEnd = try pkgEnd(limit: end)
      let count = try termArg(end: pkgEnd, arity: arity)
      return .varPackage(count: count, elements: try packageElements(end: pkgEnd, arity: arity))
    case 0x60...0x67: return .local(Int(lead - 0x60))
    case 0x68...0x6E: return .arg(Int(lead - 0x68))
    case 0x5C, 0x5E, 0x2E, 0x2F, 0x41...0x5A, 0x5F:
      position = start
      let name = try nameString()
      if let count = declaredArity(name) ?? arity(name) {
        var arguments: [AMLTerm] = []
        // Arguments stop at the end of the enclosing object, as in ACPICA: missing ones stay
        // uninitialized (AE_AML_UNINITIALIZED_ARG if the callee touches them).
        for _ in 0..<count where position < end { arguments.append(try termArg(end: end, arity: arity)) }
        return .call(name, arguments)
      }
      return .nameRef(name)
    case 0xA0:
      let pkgEnd = try pkgEnd(limit: end)
      let predicate = try termArg(end: pkgEnd, arity: arity)
      let then = try termList(end: pkgEnd, arity: arity)
      var otherwise: [AMLTerm]? = nil
      if position < end, peek() == 0xA1 {
        position += 1
        let elseEnd = try self.pkgEnd(limit: end)
        otherwise = try termList(end: elseEnd, arity: arity)
      }
      return .ifElse(predicate: predicate, then: then, otherwise: otherwise)
    case 0xA2:
      let pkgEnd = try pkgEnd(limit: end)
      let predicate = try termArg(end: pkgEnd, arity: arity)
      return .whileLoop(predicate: predicate, body: try termList(end: pkgEnd, arity: arity))
    case 0xA3: return .noop
    case 0xA4: return .returnValue(try termArg(end: end, arity: arity))
    case 0xA5: return .breakLoop
    case 0x9F: return .continueLoop
    case 0xCC: return .breakPoint
    case 0x08:
      let name = try nameString()
      return .name(name, try termArg(end: end, arity: arity))
    case 0x06: return .alias(source: try nameString(), alias: try nameString())
    case 0x10:
      let pkgEnd = try pkgEnd(limit: end)
      let name = try nameString()
      return .scope(name, try termList(end: pkgEnd, arity: arity))
    case 0x14:
      let pkgEnd = try pkgEnd(limit: end)
      let name = try nameString()
      let flags = try byte()
      try within(pkgEnd, "Method")
      let body = Array(bytes[position..<pkgEnd])
      let method = AMLMethodDefinition(
        name: name, flags: flags, body: .unparsed(bytes: body, tableOffset: tableOffset))
      position = pkgEnd
      if name.segments.count == 1 { declaredMethods[name.segments[0]] = method.argumentCount }
      return .method(method)
    case 0x15:
      let name = try nameString()
      let type = try byte()
      let count = try byte()
      return .external(name, objectType: type, argumentCount: count)
    case 0x8A, 0x8B, 0x8C, 0x8D, 0x8F:
      let kind = AMLCreateFieldKind(rawValue: UInt16(lead))!
      let source = try termArg(end: end, arity: arity)
      let index = try termArg(end: end, arity: arity)
      return .createField(kind, source: source, index: index, bitCount: nil, name: try nameString())
    case 0x5B:
      return try extended(start: start, end: end, arity: arity)
    default:
      if let op = AMLOperator.byOpcode[UInt16(lead)] {
        return try operands(of: op, end: end, arity: arity)
      }
      skippedOpcodes.append((baseOffset + start, UInt16(lead)))
      return nil
    }
  }

  /// Fails when an operand read past the end of the object whose PkgLength is `end`.
  func within(_ end: Int, _ what: String) throws(AMLError) {
    guard position <= end else {
      throw fail(
        .AE_AML_BAD_OPCODE,
        "\(what) contents run past its PkgLength (ends at table offset 0x\(hex(UInt64(baseOffset + end), 4)))"
      )
    }
  }

  private func declaredArity(_ name: AMLNameString) -> Int? {
    guard name.isSingleSegment else { return nil }
    return declaredMethods[name.segments[0]]
  }

  private mutating func packageElements(end: Int, arity: AMLArityLookup) throws(AMLError) -> [AMLTerm] {
    var elements: [AMLTerm] = []
    while position < end {
      guard let lead = peek() else { break }
      if Self.isNameStart(lead) {
        // Names inside a package are references, never calls.
        elements.append(.nameRef(try nameString()))
      } else {
        elements.append(try termArg(end: end, arity: arity))
      }
    }
    try within(end, "Package")
    return elements
  }

  private mutating func operands(of op: AMLOperator, end: Int, arity: AMLArityLookup) throws(AMLError)
    -> AMLTerm
  {
    var values: [AMLTerm] = []
    for kind in op.operands {
      switch kind {
      case .termArg: values.append(try termArg(end: end, arity: arity))
      case .superName: values.append(try superName(end: end, arity: arity))
      case .target: values.append(try target(end: end, arity: arity))
      case .simpleName: values.append(try simpleName())
      case .byteData: values.append(.integer(try fixed(1)))
      case .wordData: values.append(.integer(try fixed(2)))
      case .dwordData: values.append(.integer(try fixed(4)))
      }
    }
    return .op(op, values)
  }

  private mutating func extended(start: Int, end: Int, arity: AMLArityLookup) throws(AMLError) -> AMLTerm? {
    let second = try byte()
    switch second {
    case 0x01:
      let name = try nameString()
      return .mutex(name, syncLevel: try byte() & 0x0F)
    case 0x02: return .event(try nameString())
    case 0x13:
      let source = try termArg(end: end, arity: arity)
      let index = try termArg(end: end, arity: arity)
      let count = try termArg(end: end, arity: arity)
      return .createField(.field, source: source, index: index, bitCount: count, name: try nameString())
    case 0x30: return .revision
    case 0x31: return .debug
    case 0x33: return .timer
    case 0x80:
      let name = try nameString()
      let space = try byte()
      let offset = try termArg(end: end, arity: arity)
      let length = try termArg(end: end, arity: arity)
      return .operationRegion(name, space: space, offset: offset, length: length)
    case 0x81:
      let pkgEnd = try pkgEnd(limit: end)
      let region = try nameString()
      let flagsByte = try byte()
      guard let flags = AMLFieldFlags(byte: flagsByte) else {
        throw fail(
          .AE_AML_OPERAND_VALUE, "Field flags 0x\(hex2(flagsByte)) use a reserved access type or update rule")
      }
      return .field(region: region, flags: flags, elements: try fieldElements(end: pkgEnd))
    case 0x82:
      let pkgEnd = try pkgEnd(limit: end)
      let name = try nameString()
      return .device(name, try termList(end: pkgEnd, arity: arity))
    case 0x83:
      let pkgEnd = try pkgEnd(limit: end)
      let name = try nameString()
      let id = try byte()
      let address = UInt32(try fixed(4))
      let length = try byte()
      return .processor(
        name, id: id, pblkAddress: address, pblkLength: length, try termList(end: pkgEnd, arity: arity))
    case 0x84:
      let pkgEnd = try pkgEnd(limit: end)
      let name = try nameString()
      let level = try byte()
      let order = UInt16(try fixed(2))
      return .powerResource(
        name, systemLevel: level, resourceOrder: order, try termList(end: pkgEnd, arity: arity))
    case 0x85:
      let pkgEnd = try pkgEnd(limit: end)
      let name = try nameString()
      return .thermalZone(name, try termList(end: pkgEnd, arity: arity))
    case 0x86, 0x87, 0x88, 0x1F, 0x20, 0x2A, 0x28, 0x29:
      let names: [UInt8: String] = [
        0x86: "IndexField", 0x87: "BankField", 0x88: "DataTableRegion", 0x1F: "LoadTable", 0x20: "Load",
        0x2A: "Unload", 0x28: "FromBCD", 0x29: "ToBCD",
      ]
      throw fail(
        .AE_SUPPORT,
        "\(names[second] ?? "opcode") (0x5B 0x\(hex2(second))) is outside this model's AML subset",
        at: baseOffset + start)
    default:
      let opcode = 0x5B00 | UInt16(second)
      if let op = AMLOperator.byOpcode[opcode] { return try operands(of: op, end: end, arity: arity) }
      skippedOpcodes.append((baseOffset + start, opcode))
      return nil
    }
  }

  private mutating func fieldElements(end: Int) throws(AMLError) -> [AMLFieldElement] {
    var elements: [AMLFieldElement] = []
    while position < end {
      let lead = bytes[position]
      switch lead {
      case 0x00:
        position += 1
        elements.append(.reserved(bits: try fieldWidth()))
      case 0x01:
        position += 1
        let typeByte = try byte()
        let attribute = try byte()
        guard let type = AMLFieldFlags.AccessType(rawValue: typeByte & 0x0F) else {
          throw fail(.AE_AML_OPERAND_VALUE, "AccessAs with reserved access type 0x\(hex2(typeByte))")
        }
        elements.append(.accessAs(type, attribute: attribute))
      case 0x02, 0x03:
        throw fail(.AE_SUPPORT, "Connection/ExtendedAccessField entries are outside this model's AML subset")
      default:
        let seg = try nameSeg()
        elements.append(.named(seg, bits: try fieldWidth()))
      }
      guard position <= end else {
        throw fail(.AE_AML_BAD_OPCODE, "field list entry runs past the end of the Field")
      }
    }
    return elements
  }
}
