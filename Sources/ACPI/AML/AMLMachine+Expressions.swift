// Expression evaluation, Store and references.

extension AMLMachine {
  mutating func evaluate(_ term: AMLTerm) throws(AMLError) -> AMLValue {
    switch term {
    case .integer(let value): return .integer(value & ones)
    case .ones: return .integer(ones)
    case .string(let text): return .string(text)
    case .buffer(let sizeTerm, let bytes):
      let size = try integer(sizeTerm)
      guard size <= UInt64(limits.maxObjectSize) else {
        throw error(
          .AE_NO_MEMORY, "Buffer(\(size)) exceeds the lab's \(limits.maxObjectSize)-byte object limit")
      }
      var data = bytes
      if Int(size) > data.count { data += Array(repeating: 0, count: Int(size) - data.count) }
      return .buffer(data)
    case .package(let count, let elements):
      return .package(try packageElements(count: Int(count), elements))
    case .varPackage(let countTerm, let elements):
      let count = try integer(countTerm)
      guard count <= UInt64(limits.maxObjectSize / 16) else {
        throw error(.AE_NO_MEMORY, "VarPackage(\(count)) exceeds the lab's object size limit")
      }
      return .package(try packageElements(count: Int(count), elements))
    // RevisionOp answers the interpreter's version; ACPICA answers its release date, and this
    // model answers that of the ACPICA release it matches (verified against acpiexec).
    case .revision: return .integer(0x2020_0925)
    case .timer: return .integer(virtualTime)
    case .debug: throw error(.AE_AML_OPERAND_TYPE, "the Debug object cannot be read")
    case .local(let index):
      guard let value = frames[frameIndex].locals[index] else {
        throw error(.AE_AML_UNINITIALIZED_LOCAL, "Local\(index) is used before it is set")
      }
      return value
    case .arg(let index):
      guard let value = frames[frameIndex].args[index] else {
        throw error(.AE_AML_UNINITIALIZED_ARG, "Arg\(index) was not passed")
      }
      return value
    case .nameRef(let name):
      guard let node = namespace.lookup(name, from: scope) else {
        throw error(.AE_NOT_FOUND, "\(name) does not exist (looked up from \(namespace.path(of: scope)))")
      }
      return try readObject(node)
    case .call(let name, let argumentTerms):
      guard let node = namespace.lookup(name, from: scope) else {
        throw error(
          .AE_NOT_FOUND, "method \(name) does not exist (looked up from \(namespace.path(of: scope)))")
      }
      var arguments: [AMLValue] = []
      for argument in argumentTerms { arguments.append(try evaluate(argument)) }
      if case .external = namespace[node].object {
        throw error(.AE_NOT_FOUND, "\(namespace.path(of: node)) is only declared External")
      }
      guard let result = try invoke(node, arguments: arguments) else {
        throw error(
          .AE_AML_NO_RETURN_VALUE, "\(namespace.path(of: node)) returned no value where one is required")
      }
      return result
    case .nullTarget: return .integer(0)
    case .op(let op, let operands): return try evaluateOperator(op, operands)
    default:
      throw error(.AE_AML_BAD_OPCODE, "a statement appears where a value is required")
    }
  }

  private mutating func packageElements(count: Int, _ elements: [AMLTerm]) throws(AMLError) -> [AMLValue] {
    var values: [AMLValue] = []
    for element in elements.prefix(count) {
      if case .nameRef(let name) = element {
        if let node = namespace.lookup(name, from: scope) {
          // Names of data objects and fields resolve to their values when the package is built.
          switch namespace[node].object {
          case .data, .fieldUnit, .bufferField: values.append(try readObject(node))
          default: values.append(.reference(.node(node)))
          }
        } else {
          values.append(.uninitialized)
        }
      } else {
        values.append(try evaluate(element))
      }
    }
    while values.count < count { values.append(.uninitialized) }
    return values
  }

  /// The value of a named object: data as is, fields read through the host; objects without a
  /// value (devices, mutexes, …) become references to themselves.
  mutating func readObject(_ node: Int) throws(AMLError) -> AMLValue {
    switch namespace[node].object {
    case .data(let value): return value
    case .fieldUnit(let unit): return try readField(unit, node: node)
    case .bufferField(let field): return try readBufferField(field)
    case .method:
      guard let result = try invoke(node, arguments: []) else {
        throw error(
          .AE_AML_NO_RETURN_VALUE, "\(namespace.path(of: node)) returned no value where one is required")
      }
      return result
    case .external:
      throw error(.AE_NOT_FOUND, "\(namespace.path(of: node)) is only declared External")
    default: return .reference(.node(node))
    }
  }

  // MARK: - Conversions of operands

  func toInteger(_ value: AMLValue) throws(AMLError) -> UInt64 {
    switch value {
    case .integer(let number): return number & ones
    case .string(let text): return convert.implicitInteger(from: text)
    case .buffer(let bytes): return convert.integer(from: bytes)
    default:
      throw error(.AE_AML_OPERAND_TYPE, "needed an Integer, found a \(value.typeName)")
    }
  }

  func toBuffer(_ value: AMLValue) throws(AMLError) -> [UInt8] {
    switch value {
    case .integer(let number): return convert.bytes(of: number)
    case .string(let text): return convert.buffer(from: text)
    case .buffer(let bytes): return bytes
    default: throw error(.AE_AML_OPERAND_TYPE, "needed a Buffer, found a \(value.typeName)")
    }
  }

  func toStringImplicit(_ value: AMLValue) throws(AMLError) -> String {
    switch value {
    case .integer(let number): return convert.hexString(number)
    case .string(let text): return text
    case .buffer(let bytes): return convert.implicitString(from: bytes)
    default: throw error(.AE_AML_OPERAND_TYPE, "needed a String, found a \(value.typeName)")
    }
  }

  // MARK: - References

  /// Resolves a SuperName to the reference it designates (for Store, Index, RefOf, …).
  mutating func reference(to term: AMLTerm) throws(AMLError) -> AMLReference {
    switch term {
    case .local(let index): return .local(frame: frameIndex, index)
    case .arg(let index):
      if case .reference(let inner)? = frames[frameIndex].args[index] { return inner }
      return .arg(frame: frameIndex, index)
    case .nameRef(let name):
      guard let node = namespace.lookup(name, from: scope) else {
        throw error(.AE_NOT_FOUND, "\(name) does not exist (looked up from \(namespace.path(of: scope)))")
      }
      return .node(node)
    default:
      let value = try evaluate(term)
      guard case .reference(let reference) = value else {
        throw error(.AE_AML_OPERAND_TYPE, "needed an object reference, found a \(value.typeName)")
      }
      return reference
    }
  }

  /// The current value behind a reference.
  mutating func read(_ reference: AMLReference) throws(AMLError) -> AMLValue {
    switch reference {
    case .node(let node):
      guard node < namespace.nodes.count, namespace[node].live else {
        throw error(.AE_AML_UNINITIALIZED_NODE, "the referenced object no longer exists")
      }
      return try readObject(node)
    case .local(let frame, let index):
      guard frame < frames.count, let value = frames[frame].locals[index] else {
        throw error(.AE_AML_UNINITIALIZED_LOCAL, "referenced Local\(index) is not set")
      }
      return value
    case .arg(let frame, let index):
      guard frame < frames.count, let value = frames[frame].args[index] else {
        throw error(.AE_AML_UNINITIALIZED_ARG, "referenced Arg\(index) is not set")
      }
      return value
    case .element(let base, let index):
      return try element(of: try read(base), index)
    case .temporaryElement(let value, let index):
      return try element(of: value, index)
    }
  }

  private func element(of container: AMLValue, _ index: Int) throws(AMLError) -> AMLValue {
    switch container {
    case .package(let elements):
      guard index < elements.count else {
        throw error(
          .AE_AML_PACKAGE_LIMIT, "index \(index) is beyond the package's \(elements.count) elements")
      }
      if case .uninitialized = elements[index] {
        throw error(.AE_AML_UNINITIALIZED_ELEMENT, "package element \(index) is not initialized")
      }
      return elements[index]
    case .buffer(let bytes):
      guard index < bytes.count else {
        throw error(.AE_AML_BUFFER_LIMIT, "index \(index) is beyond the buffer's \(bytes.count) bytes")
      }
      return .integer(UInt64(bytes[index]))
    case .string(let text):
      let bytes = Array(text.utf8)
      guard index < bytes.count else {
        throw error(.AE_AML_STRING_LIMIT, "index \(index) is beyond the string's \(bytes.count) characters")
      }
      return .integer(UInt64(bytes[index]))
    default:
      throw error(
        .AE_AML_OPERAND_TYPE, "Index needs a Package, Buffer or String, found a \(container.typeName)")
    }
  }

  /// Replaces the value at a reference without conversion (locals, args, package elements).
  mutating func overwrite(_ reference: AMLReference, with value: AMLValue) throws(AMLError) {
    switch reference {
    case .node(let node):
      try storeToNode(node, value)
    case .local(let frame, let index):
      guard frame < frames.count else {
        throw error(.AE_AML_OPERAND_TYPE, "reference to a Local of a finished method")
      }
      frames[frame].locals[index] = value
    case .arg(let frame, let index):
      guard frame < frames.count else {
        throw error(.AE_AML_OPERAND_TYPE, "reference to an Arg of a finished method")
      }
      frames[frame].args[index] = value
    case .element(let base, let index):
      var container = try rawContainer(base)
      switch container {
      case .package(var elements):
        guard index < elements.count else {
          throw error(
            .AE_AML_PACKAGE_LIMIT, "index \(index) is beyond the package's \(elements.count) elements")
        }
        elements[index] = value
        container = .package(elements)
      case .buffer(var bytes):
        guard index < bytes.count else {
          throw error(.AE_AML_BUFFER_LIMIT, "index \(index) is beyond the buffer's \(bytes.count) bytes")
        }
        bytes[index] = UInt8(truncatingIfNeeded: try toInteger(value))
        container = .buffer(bytes)
      case .string(let text):
        var bytes = Array(text.utf8)
        guard index < bytes.count else {
          throw error(.AE_AML_STRING_LIMIT, "index \(index) is beyond the string's \(bytes.count) characters")
        }
        bytes[index] = UInt8(truncatingIfNeeded: try toInteger(value))
        container = .string(String(decoding: bytes, as: UTF8.self))
      default:
        throw error(.AE_AML_OPERAND_TYPE, "Index target is a \(container.typeName)")
      }
      try replaceRaw(base, with: container)
    case .temporaryElement:
      break  // The container lives nowhere; the store has no lasting effect.
    }
  }

  /// The value stored at a reference, without reading fields or calling methods.
  private mutating func rawContainer(_ reference: AMLReference) throws(AMLError) -> AMLValue {
    if case .node(let node) = reference, case .data(let value) = namespace[node].object { return value }
    return try read(reference)
  }

  private mutating func replaceRaw(_ reference: AMLReference, with value: AMLValue) throws(AMLError) {
    if case .node(let node) = reference {
      if case .data = namespace[node].object {
        namespace.setObject(.data(value), of: node)
        return
      }
      try storeToNode(node, value)
      return
    }
    try overwrite(reference, with: value)
  }

  // MARK: - Store

  /// Store(value, target) with ACPICA's target rules (exstore.c).
  mutating func store(_ value: AMLValue, to target: AMLTerm) throws(AMLError) {
    switch target {
    case .nullTarget: return
    case .debug: host.debugOutput(value)
    case .local(let index): frames[frameIndex].locals[index] = value
    case .arg(let index):
      if case .reference(let inner)? = frames[frameIndex].args[index] {
        try storeThrough(inner, value)
      } else {
        frames[frameIndex].args[index] = value
      }
    case .nameRef(let name):
      guard let node = namespace.lookup(name, from: scope) else {
        throw error(.AE_NOT_FOUND, "\(name) does not exist (looked up from \(namespace.path(of: scope)))")
      }
      try storeToNode(node, value)
    default:
      let destination = try evaluate(target)
      guard case .reference(let reference) = destination else {
        throw error(.AE_AML_OPERAND_TYPE, "cannot store into a \(destination.typeName)")
      }
      try storeThrough(reference, value)
    }
  }

  /// Store through an object reference (Index, RefOf, DerefOf).
  mutating func storeThrough(_ reference: AMLReference, _ value: AMLValue) throws(AMLError) {
    switch reference {
    case .node(let node): try storeToNode(node, value)
    default: try overwrite(reference, with: value)
    }
  }

  /// Store into a named object: converted to the target's type, written to fields.
  mutating func storeToNode(_ node: Int, _ value: AMLValue) throws(AMLError) {
    switch namespace[node].object {
    case .data(let current):
      let converted: AMLValue
      switch current {
      case .integer: converted = .integer(try toInteger(value))
      case .string: converted = .string(try toStringImplicit(value))
      case .buffer(let old):
        var bytes = try toBuffer(value)
        if bytes.count < old.count {
          bytes += Array(repeating: 0, count: old.count - bytes.count)
        } else if bytes.count > old.count && !old.isEmpty {
          bytes = Array(bytes.prefix(old.count))
        }
        converted = .buffer(bytes)
      default: converted = value
      }
      namespace.setObject(.data(converted), of: node)
    case .fieldUnit(let unit): try writeField(unit, value)
    case .bufferField(let field): try writeBufferField(field, value)
    case .scope, .external:
      namespace.setObject(.data(value), of: node)
    case let other:
      throw error(.AE_AML_TARGET_TYPE, "cannot store into \(namespace.path(of: node)), a \(other.typeName)")
    }
  }
}
