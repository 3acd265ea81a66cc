// The operators: arithmetic, logic, conversions, data objects, references, synchronization, Notify.

extension AMLMachine {
  mutating func evaluateOperator(_ op: AMLOperator, _ o: [AMLTerm]) throws(AMLError) -> AMLValue {
    guard o.count == op.operandCount else {
      throw error(.AE_AML_NO_OPERAND, "\(op.aslName) needs \(op.operandCount) operands, has \(o.count)")
    }
    switch op {
    case .store:
      let value = try evaluate(o[0])
      try store(value, to: o[1])
      return value
    case .copyObject:
      let value = try evaluate(o[0])
      try copyObject(value, to: o[1])
      return value
    case .add: return try arithmetic(o) { a, b in a &+ b }
    case .subtract: return try arithmetic(o) { a, b in a &- b }
    case .multiply: return try arithmetic(o) { a, b in a &* b }
    case .and: return try arithmetic(o) { a, b in a & b }
    case .nand: return try arithmetic(o) { a, b in ~(a & b) }
    case .or: return try arithmetic(o) { a, b in a | b }
    case .nor: return try arithmetic(o) { a, b in ~(a | b) }
    case .xor: return try arithmetic(o) { a, b in a ^ b }
    case .shiftLeft:
      let width = UInt64(convert.width)
      return try arithmetic(o) { a, b in b >= width ? 0 : a << b }
    case .shiftRight:
      let width = UInt64(convert.width)
      return try arithmetic(o) { a, b in b >= width ? 0 : a >> b }
    case .mod:
      let a = try integer(o[0])
      let b = try integer(o[1])
      guard b != 0 else { throw error(.AE_AML_DIVIDE_BY_ZERO, "Mod by zero") }
      return try result(.integer(a % b), o[2])
    case .divide:
      let a = try integer(o[0])
      let b = try integer(o[1])
      guard b != 0 else { throw error(.AE_AML_DIVIDE_BY_ZERO, "Divide by zero") }
      try store(.integer(a % b), to: o[2])
      return try result(.integer(a / b), o[3])
    case .not:
      return try result(.integer(~(try integer(o[0])) & ones), o[1])
    case .findSetLeftBit:
      let value = try integer(o[0])
      return try result(.integer(value == 0 ? 0 : UInt64(64 - value.leadingZeroBitCount)), o[1])
    case .findSetRightBit:
      let value = try integer(o[0])
      return try result(.integer(value == 0 ? 0 : UInt64(value.trailingZeroBitCount + 1)), o[1])
    case .increment, .decrement:
      let value = try toInteger(try evaluate(o[0]))
      let updated = (op == .increment ? value &+ 1 : value &- 1) & ones
      try store(.integer(updated), to: o[0])
      return .integer(updated)
    case .lAnd:
      let a = try integer(o[0])
      let b = try integer(o[1])
      return logical(a != 0 && b != 0)
    case .lOr:
      let a = try integer(o[0])
      let b = try integer(o[1])
      return logical(a != 0 || b != 0)
    case .lNot:
      return logical(try integer(o[0]) == 0)
    case .lEqual: return logical(try compare(o) == .equal)
    case .lGreater: return logical(try compare(o) == .greater)
    case .lLess: return logical(try compare(o) == .less)
    case .concatenate:
      let joined = try concatenate(try evaluate(o[0]), try evaluate(o[1]))
      try checkSize(joined)
      return try result(joined, o[2])
    case .concatenateResTemplate:
      let a = try resourceBody(try evaluate(o[0]))
      let b = try resourceBody(try evaluate(o[1]))
      return try result(.buffer(a + b + [0x79, 0x00]), o[2])
    case .toInteger:
      let value = try evaluate(o[0])
      let number: UInt64
      switch value {
      case .string(let text): number = convert.explicitInteger(from: text)
      default: number = try toInteger(value)
      }
      return try result(.integer(number), o[1])
    case .toBuffer:
      return try result(.buffer(try toBuffer(try evaluate(o[0]))), o[1])
    case .toHexString:
      let value = try evaluate(o[0])
      let text: String
      switch value {
      case .integer(let number): text = convert.hexString(number)
      case .string(let string): text = string
      case .buffer(let bytes): text = convert.explicitHexString(from: bytes)
      default:
        throw error(
          .AE_AML_OPERAND_TYPE, "ToHexString needs an Integer, String or Buffer, found a \(value.typeName)")
      }
      return try result(.string(text), o[1])
    case .toDecimalString:
      let value = try evaluate(o[0])
      let text: String
      switch value {
      case .integer(let number): text = String(number & ones)
      case .string(let string): text = string
      case .buffer(let bytes): text = convert.decimalString(from: bytes)
      default:
        throw error(
          .AE_AML_OPERAND_TYPE,
          "ToDecimalString needs an Integer, String or Buffer, found a \(value.typeName)")
      }
      return try result(.string(text), o[1])
    case .toString:
      let bytes = try toBuffer(try evaluate(o[0]))
      let limit = try integer(o[1])
      var out: [UInt8] = []
      for byte in bytes {
        if byte == 0 || (limit != ones && UInt64(out.count) >= limit) { break }
        out.append(byte)
      }
      return try result(.string(String(decoding: out, as: UTF8.self)), o[2])
    case .mid:
      let source = try evaluate(o[0])
      let start = try integer(o[1])
      let length = try integer(o[2])
      func slice(_ bytes: [UInt8]) -> [UInt8] {
        guard start < UInt64(bytes.count) else { return [] }
        let end = min(UInt64(bytes.count), start &+ length < start ? UInt64(bytes.count) : start + length)
        return Array(bytes[Int(start)..<Int(end)])
      }
      switch source {
      case .string(let text):
        return try result(.string(String(decoding: slice(Array(text.utf8)), as: UTF8.self)), o[3])
      default:
        return try result(.buffer(slice(try toBuffer(source))), o[3])
      }
    case .sizeOf:
      var value = try evaluate(o[0])
      if case .reference(let reference) = value { value = try read(reference) }
      switch value {
      case .string(let text): return .integer(UInt64(text.utf8.count))
      case .buffer(let bytes): return .integer(UInt64(bytes.count))
      case .package(let elements): return .integer(UInt64(elements.count))
      // ACPICA answers the integer width in bytes for an Integer.
      case .integer: return .integer(UInt64(convert.byteWidth))
      default:
        throw error(
          .AE_AML_OPERAND_TYPE, "SizeOf needs a String, Buffer or Package, found a \(value.typeName)")
      }
    case .objectType:
      return .integer(try objectType(o[0]))
    case .index:
      let reference = try indexReference(o[0], try integer(o[1]))
      return try result(.reference(reference), o[2])
    case .derefOf:
      let value = try evaluate(o[0])
      switch value {
      case .reference(let reference): return try read(reference)
      case .string(let path):
        guard let name = AMLNameString(parsing: path), let node = namespace.lookup(name, from: scope) else {
          throw error(.AE_NOT_FOUND, "DerefOf(\"\(path)\"): no such object")
        }
        return try readObject(node)
      default: throw error(.AE_AML_OPERAND_TYPE, "DerefOf needs a reference, found a \(value.typeName)")
      }
    case .refOf:
      return .reference(try reference(to: o[0]))
    case .condRefOf:
      let found: AMLReference?
      switch o[0] {
      case .nameRef(let name): found = namespace.lookup(name, from: scope).map { .node($0) }
      case .local(let index):
        found = frames[frameIndex].locals[index] == nil ? nil : .local(frame: frameIndex, index)
      case .arg(let index):
        found = frames[frameIndex].args[index] == nil ? nil : .arg(frame: frameIndex, index)
      default: found = try reference(to: o[0])
      }
      guard let found else { return .integer(0) }
      try store(.reference(found), to: o[1])
      return .integer(ones)
    case .notify:
      try notify(o[0], value: try integer(o[1]))
      return .integer(0)
    case .acquire:
      return try acquire(try mutexNode(o[0]), timeout: try integer(o[1]))
    case .release:
      try release(try mutexNode(o[0]))
      return .integer(0)
    case .sleep, .stall:
      // Sleep is in milliseconds, Stall in microseconds; both only advance virtual time.
      let amount = try integer(o[0])
      let microseconds = op == .sleep ? amount.multipliedReportingOverflow(by: 1000).partialValue : amount
      virtualTime &+= microseconds.multipliedReportingOverflow(by: 10).partialValue
      host.delay(microseconds: microseconds)
      return .integer(0)
    case .signal, .reset, .wait:
      let node = try objectNode(o[0], what: "an Event")
      guard case .event(let signals) = namespace[node].object else {
        throw error(
          .AE_AML_OPERAND_TYPE,
          "\(namespace.path(of: node)) is a \(namespace[node].object.typeName), not an Event")
      }
      switch op {
      case .signal: namespace.setObject(.event(signals: signals + 1), of: node)
      case .reset: namespace.setObject(.event(signals: 0), of: node)
      default:
        _ = try integer(o[1])
        // Nothing else runs while AML waits here, so an unsignalled event can only time out.
        guard signals > 0 else { return .integer(ones) }
        namespace.setObject(.event(signals: signals - 1), of: node)
      }
      return .integer(0)
    case .fatal:
      let argument = try integer(o[2])
      host.debugOutput(.string("Fatal(\(o[0].integerValue ?? 0), \(o[1].integerValue ?? 0), \(argument))"))
      return .integer(0)
    case .match:
      return try match(o)
    }
  }

  private func logical(_ value: Bool) -> AMLValue { .integer(value ? ones : 0) }

  /// AE_NO_MEMORY for a String or Buffer larger than the lab's object limit.
  func checkSize(_ value: AMLValue) throws(AMLError) {
    let size: Int
    switch value {
    case .string(let text): size = text.utf8.count
    case .buffer(let bytes): size = bytes.count
    default: return
    }
    guard size <= limits.maxObjectSize else {
      throw error(
        .AE_NO_MEMORY,
        "a \(size)-byte \(value.typeName) exceeds the lab's \(limits.maxObjectSize)-byte object limit")
    }
  }

  private mutating func arithmetic(_ o: [AMLTerm], _ body: (UInt64, UInt64) -> UInt64) throws(AMLError)
    -> AMLValue
  {
    let a = try integer(o[0])
    let b = try integer(o[1])
    return try result(.integer(body(a, b) & ones), o[2])
  }

  /// Stores an operator's result into its target (if any) and returns it.
  private mutating func result(_ value: AMLValue, _ target: AMLTerm) throws(AMLError) -> AMLValue {
    try store(value, to: target)
    return value
  }

  enum Ordering { case less, equal, greater }

  /// LEqual/LGreater/LLess: the second operand is converted to the first one's type.
  private mutating func compare(_ o: [AMLTerm]) throws(AMLError) -> Ordering {
    let a = try evaluate(o[0])
    let b = try evaluate(o[1])
    switch a {
    case .integer(let x):
      let y = try toInteger(b)
      let x = x & ones
      return x < y ? .less : (x == y ? .equal : .greater)
    case .string(let text):
      return compareBytes(Array(text.utf8), Array(try toStringImplicit(b).utf8))
    case .buffer(let bytes):
      return compareBytes(bytes, try toBuffer(b))
    default:
      throw error(.AE_AML_OPERAND_TYPE, "cannot compare a \(a.typeName)")
    }
  }

  private func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Ordering {
    for (x, y) in zip(a, b) where x != y { return x < y ? .less : .greater }
    return a.count == b.count ? .equal : (a.count < b.count ? .less : .greater)
  }

  private func concatenate(_ a: AMLValue, _ b: AMLValue) throws(AMLError) -> AMLValue {
    switch a {
    case .integer(let x):
      return .buffer(convert.bytes(of: x) + convert.bytes(of: try toInteger(b)))
    case .buffer(let bytes):
      return .buffer(bytes + (try toBuffer(b)))
    case .string(let text):
      switch b {
      case .package: return .string(text + "[Package Object]")
      case .reference: return .string(text + "[Reference Object]")
      default: return .string(text + (try toStringImplicit(b)))
      }
    default:
      throw error(.AE_AML_OPERAND_TYPE, "Concatenate cannot start with a \(a.typeName)")
    }
  }

  private func resourceBody(_ value: AMLValue) throws(AMLError) -> [UInt8] {
    guard case .buffer(let bytes) = value else {
      throw error(.AE_AML_OPERAND_TYPE, "ConcatenateResTemplate needs Buffers, found a \(value.typeName)")
    }
    if bytes.count >= 2, bytes[bytes.count - 2] == 0x79 { return Array(bytes.dropLast(2)) }
    return bytes
  }

  private mutating func copyObject(_ value: AMLValue, to target: AMLTerm) throws(AMLError) {
    switch target {
    case .local(let index): frames[frameIndex].locals[index] = value
    case .arg(let index): frames[frameIndex].args[index] = value
    case .nameRef(let name):
      guard let node = namespace.lookup(name, from: scope) else {
        throw error(.AE_NOT_FOUND, "\(name) does not exist (looked up from \(namespace.path(of: scope)))")
      }
      switch namespace[node].object {
      case .fieldUnit, .bufferField: try storeToNode(node, value)
      case .data, .scope, .external: namespace.setObject(.data(value), of: node)
      case let other:
        throw error(
          .AE_AML_TARGET_TYPE, "cannot CopyObject into \(namespace.path(of: node)), a \(other.typeName)")
      }
    default:
      throw error(.AE_AML_OPERAND_TYPE, "CopyObject needs a name, local or arg as target")
    }
  }

  private mutating func objectType(_ term: AMLTerm) throws(AMLError) -> UInt64 {
    switch term {
    case .nameRef(let name):
      guard let node = namespace.lookup(name, from: scope) else {
        throw error(.AE_NOT_FOUND, "\(name) does not exist (looked up from \(namespace.path(of: scope)))")
      }
      return namespace[node].object.typeNumber
    case .local(let index):
      return try valueType(frames[frameIndex].locals[index])
    case .arg(let index):
      return try valueType(frames[frameIndex].args[index])
    case .debug:
      return 16
    default:
      return try valueType(try evaluate(term))
    }
  }

  private mutating func valueType(_ value: AMLValue?) throws(AMLError) -> UInt64 {
    guard let value else { return 0 }
    if case .reference(let reference) = value {
      if case .node(let node) = reference { return namespace[node].object.typeNumber }
      return try read(reference).typeNumber
    }
    return value.typeNumber
  }

  private mutating func indexReference(_ source: AMLTerm, _ index: UInt64) throws(AMLError) -> AMLReference {
    let base: AMLReference
    switch source {
    case .local, .arg, .nameRef:
      base = try reference(to: source)
    default:
      let value = try evaluate(source)
      if case .reference(let reference) = value {
        base = reference
      } else {
        try checkIndex(value, index)
        return .temporaryElement(value, Int(index))
      }
    }
    try checkIndex(try read(base), index)
    return .element(base, Int(index))
  }

  private func checkIndex(_ container: AMLValue, _ index: UInt64) throws(AMLError) {
    switch container {
    case .package(let elements):
      guard index < UInt64(elements.count) else {
        throw error(
          .AE_AML_PACKAGE_LIMIT, "Index \(index) is beyond the package's \(elements.count) elements")
      }
    case .buffer(let bytes):
      guard index < UInt64(bytes.count) else {
        throw error(.AE_AML_BUFFER_LIMIT, "Index \(index) is beyond the buffer's \(bytes.count) bytes")
      }
    case .string(let text):
      guard index < UInt64(text.utf8.count) else {
        throw error(
          .AE_AML_STRING_LIMIT, "Index \(index) is beyond the string's \(text.utf8.count) characters")
      }
    default:
      throw error(
        .AE_AML_OPERAND_TYPE, "Index needs a Package, Buffer or String, found a \(container.typeName)")
    }
  }

  /// Match(Package, op1, obj1, op2, obj2, start): index of the first element satisfying both, or Ones.
  private mutating func match(_ o: [AMLTerm]) throws(AMLError) -> AMLValue {
    let source = try evaluate(o[0])
    guard case .package(let elements) = source else {
      throw error(.AE_AML_OPERAND_TYPE, "Match needs a Package, found a \(source.typeName)")
    }
    let op1 = o[1].integerValue ?? 0
    let op2 = o[3].integerValue ?? 0
    guard op1 <= 5, op2 <= 5 else { throw error(.AE_AML_OPERAND_VALUE, "Match operator above MGT (5)") }
    let obj1 = try integer(o[2])
    let obj2 = try integer(o[4])
    let start = try integer(o[5])
    guard start < UInt64(elements.count) else {
      throw error(
        .AE_AML_PACKAGE_LIMIT, "Match start index \(start) is beyond the package's \(elements.count) elements"
      )
    }
    func test(_ op: UInt64, _ element: UInt64, _ object: UInt64) -> Bool {
      switch op {
      case 0: true
      case 1: element == object
      case 2: element <= object
      case 3: element < object
      case 4: element >= object
      default: element > object
      }
    }
    for index in Int(start)..<elements.count {
      guard let value = try? toInteger(elements[index]) else { continue }
      if test(op1, value, obj1) && test(op2, value, obj2) { return .integer(UInt64(index)) }
    }
    return .integer(ones)
  }

  // MARK: - Notify and synchronization

  private mutating func objectNode(_ term: AMLTerm, what: String) throws(AMLError) -> Int {
    switch term {
    case .nameRef(let name):
      guard let node = namespace.lookup(name, from: scope) else {
        throw error(.AE_NOT_FOUND, "\(name) does not exist (looked up from \(namespace.path(of: scope)))")
      }
      return node
    default:
      let value = try evaluate(term)
      if case .reference(.node(let node)) = value { return node }
      throw error(.AE_AML_OPERAND_TYPE, "needed \(what), found a \(value.typeName)")
    }
  }

  private mutating func notify(_ term: AMLTerm, value: UInt64) throws(AMLError) {
    let node = try objectNode(term, what: "a Device, Processor or ThermalZone")
    let object = namespace[node].object
    switch object {
    case .device, .processor, .thermalZone:
      host.notify(
        AMLNotification(
          node: node, path: namespace.path(of: node), value: value & 0xFF, objectType: object.typeName))
    default:
      throw error(
        .AE_AML_OPERAND_TYPE,
        "Unexpected notify object type: \(namespace.path(of: node)) is a \(object.typeName); only Device, Processor and ThermalZone objects can be notified"
      )
    }
  }

  private mutating func mutexNode(_ term: AMLTerm) throws(AMLError) -> Int {
    let node = try objectNode(term, what: "a Mutex")
    guard case .mutex = namespace[node].object else {
      throw error(
        .AE_AML_OPERAND_TYPE,
        "\(namespace.path(of: node)) is a \(namespace[node].object.typeName), not a Mutex")
    }
    return node
  }

  /// Acquire (exmutex.c): the current sync level must not exceed the mutex's; an owner may
  /// acquire again (nesting). Returns 0 (acquired); with one thread nothing can time out.
  private mutating func acquire(_ node: Int, timeout: UInt64) throws(AMLError) -> AMLValue {
    guard case .mutex(var mutex) = namespace[node].object else { return .integer(ones) }
    guard syncLevel <= mutex.syncLevel else {
      throw error(
        .AE_AML_MUTEX_ORDER,
        "cannot acquire Mutex [\(namespace[node].name.raw)] at SyncLevel \(mutex.syncLevel) while holding SyncLevel \(syncLevel)"
      )
    }
    if mutex.depth > 0 {
      mutex.depth += 1
    } else {
      mutex.depth = 1
      mutex.previousSyncLevel = syncLevel
      syncLevel = mutex.syncLevel
      heldMutexes.append(node)
    }
    namespace.setObject(.mutex(mutex), of: node)
    return .integer(0)
  }

  /// Release: must be owned (AE_AML_MUTEX_NOT_ACQUIRED) and at the current sync level
  /// (AE_AML_MUTEX_ORDER: mutexes are released in reverse order of acquisition).
  private mutating func release(_ node: Int) throws(AMLError) {
    guard case .mutex(var mutex) = namespace[node].object else { return }
    guard mutex.depth > 0 else {
      throw error(
        .AE_AML_MUTEX_NOT_ACQUIRED, "Mutex [\(namespace[node].name.raw)] is not acquired, cannot release")
    }
    guard mutex.syncLevel == syncLevel else {
      throw error(
        .AE_AML_MUTEX_ORDER,
        "cannot release Mutex [\(namespace[node].name.raw)], SyncLevel mismatch: mutex \(mutex.syncLevel) current \(syncLevel)"
      )
    }
    let previous: Int
    if let last = heldMutexes.last, case .mutex(let head) = namespace[last].object {
      previous = head.previousSyncLevel
    } else {
      previous = mutex.previousSyncLevel
    }
    mutex.depth -= 1
    if mutex.depth == 0 {
      syncLevel = previous
      if let position = heldMutexes.lastIndex(of: node) { heldMutexes.remove(at: position) }
    }
    namespace.setObject(.mutex(mutex), of: node)
  }
}
