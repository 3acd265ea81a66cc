/// Prints loaded tables, namespace objects and methods as ASL, in the ASL+ operator style of
/// `iasl -d` (`Local0 = (Arg0 + One)`, `If ((CPEN == One))`), so a reader sees what the firmware
/// does. The output compiles with iasl back to the same AML.
public struct ASLPrinter {
  /// Names are resolved here (to find method arities and scopes while printing).
  public let namespace: AMLNamespace
  private var lines: [String] = []

  public init(_ interpreter: AMLInterpreter) {
    self.namespace = interpreter.namespace
  }

  init(namespace: AMLNamespace) {
    self.namespace = namespace
  }

  /// One line of ASL for a term (the first line of a block), for error messages.
  static func summary(_ term: AMLTerm, namespace: AMLNamespace, scope: Int) -> String {
    let printer = ASLPrinter(namespace: namespace)
    switch term {
    // Blocks: only the header line, without printing (or parsing) their bodies.
    case .ifElse(let predicate, _, _): return "If (\(printer.expression(predicate, scope)))"
    case .whileLoop(let predicate, _): return "While (\(printer.expression(predicate, scope)))"
    case .scope(let name, _): return "Scope (\(name))"
    case .device(let name, _): return "Device (\(name))"
    case .thermalZone(let name, _): return "ThermalZone (\(name))"
    case .processor(let name, _, _, _, _): return "Processor (\(name), …)"
    case .powerResource(let name, _, _, _): return "PowerResource (\(name), …)"
    case .method(let definition): return "Method (\(definition.name), \(definition.argumentCount), …)"
    case .field(let region, _, _): return "Field (\(region), …)"
    default: return printer.statement(term, scope, indent: 0)
    }
  }

  /// A whole loaded table: `DefinitionBlock (...) { ... }`.
  public static func table(_ table: AMLLoadedTable, in interpreter: AMLInterpreter) -> String {
    var printer = ASLPrinter(interpreter)
    let header = table.header
    func clean(_ text: String) -> String {
      String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }).trimmingTrailingSpaces
    }
    printer.lines.append(
      "DefinitionBlock (\"\", \"\(header.signature)\", \(header.revision), \"\(clean(header.oemID))\", \"\(clean(header.oemTableID))\", 0x\(hex(UInt64(header.oemRevision), 8)))"
    )
    printer.lines.append("{")
    printer.termList(table.terms, indent: 1, scope: AMLNamespace.root)
    printer.lines.append("}")
    return printer.lines.joined(separator: "\n")
  }

  /// Terms as a DefinitionBlock (used for builder output before it is loaded).
  public static func definitionBlock(_ block: DefinitionBlock) -> String {
    var interpreter = AMLInterpreter()
    if (try? interpreter.load(block.encodedBytes)) == nil {
      interpreter = AMLInterpreter()
    }
    let table = AMLLoadedTable(header: block.header, terms: block.terms, skippedOpcodes: [])
    return Self.table(table, in: interpreter)
  }

  /// The definition of the object at `node` as it appears in the loaded tables (a Method with
  /// its body, a Device with its contents, a Name, a Field entry…), or nil if no table defines it.
  public static func object(_ node: Int, in interpreter: AMLInterpreter) -> String? {
    for table in interpreter.tables {
      if let text = find(node, in: table.terms, scope: AMLNamespace.root, interpreter) { return text }
    }
    return nil
  }

  private static func find(_ node: Int, in terms: [AMLTerm], scope: Int, _ interpreter: AMLInterpreter)
    -> String?
  {
    let namespace = interpreter.namespace
    for term in terms {
      var printer = ASLPrinter(interpreter)
      switch term {
      case .scope(let name, let children), .device(let name, let children),
        .thermalZone(let name, let children),
        .processor(let name, _, _, _, let children), .powerResource(let name, _, _, let children):
        guard let child = namespace.lookup(name, from: scope) else { continue }
        if child == node, case .scope = term {
          // A Scope is not a definition; keep looking inside for the object itself.
        } else if child == node {
          printer.term(term, indent: 0, scope: scope)
          return printer.lines.joined(separator: "\n")
        }
        if let found = find(node, in: children, scope: child, interpreter) { return found }
      case .name(let name, _), .mutex(let name, _), .event(let name), .operationRegion(let name, _, _, _),
        .alias(_, let name), .createField(_, _, _, _, let name):
        if namespace.lookup(name, from: scope) == node {
          printer.term(term, indent: 0, scope: scope)
          return printer.lines.joined(separator: "\n")
        }
      case .method(let definition):
        if namespace.lookup(definition.name, from: scope) == node {
          printer.term(term, indent: 0, scope: scope)
          return printer.lines.joined(separator: "\n")
        }
      case .field(_, _, let elements):
        for element in elements {
          if case .named(let seg, _) = element,
            namespace.lookup(AMLNameString(segments: [seg]), from: scope) == node
          {
            printer.term(term, indent: 0, scope: scope)
            return printer.lines.joined(separator: "\n")
          }
        }
      default: continue
      }
    }
    return nil
  }

  // MARK: - Statements

  private mutating func termList(_ terms: [AMLTerm], indent: Int, scope: Int) {
    for (index, term) in terms.enumerated() {
      let isBlock = self.isBlock(term)
      self.term(term, indent: indent, scope: scope)
      if isBlock && index + 1 < terms.count { lines.append("") }
    }
  }

  private func isBlock(_ term: AMLTerm) -> Bool {
    switch term {
    case .scope, .device, .processor, .thermalZone, .powerResource, .method, .field, .ifElse, .whileLoop: true
    default: false
    }
  }

  private mutating func block(_ header: String, _ body: [AMLTerm], indent: Int, scope: Int) {
    let pad = String(repeating: "    ", count: indent)
    lines.append(pad + header)
    lines.append(pad + "{")
    termList(body, indent: indent + 1, scope: scope)
    lines.append(pad + "}")
  }

  private func childScope(_ name: AMLNameString, _ scope: Int) -> Int {
    namespace.lookup(name, from: scope) ?? scope
  }

  mutating func term(_ term: AMLTerm, indent: Int, scope: Int) {
    let pad = String(repeating: "    ", count: indent)
    switch term {
    case .scope(let name, let body):
      block("Scope (\(name))", body, indent: indent, scope: childScope(name, scope))
    case .device(let name, let body):
      block("Device (\(name))", body, indent: indent, scope: childScope(name, scope))
    case .thermalZone(let name, let body):
      block("ThermalZone (\(name))", body, indent: indent, scope: childScope(name, scope))
    case .processor(let name, let id, let address, let length, let body):
      block(
        "Processor (\(name), \(number(UInt64(id))), \(hexLiteral(UInt64(address), 8)), \(number(UInt64(length))))",
        body, indent: indent, scope: childScope(name, scope))
    case .powerResource(let name, let level, let order, let body):
      block(
        "PowerResource (\(name), \(number(UInt64(level))), \(hexLiteral(UInt64(order), 4)))", body,
        indent: indent,
        scope: childScope(name, scope))
    case .method(let definition):
      let node = namespace.lookup(definition.name, from: scope)
      var header =
        "Method (\(definition.name), \(definition.argumentCount), \(definition.serialized ? "Serialized" : "NotSerialized")"
      if definition.syncLevel != 0 { header += ", \(definition.syncLevel)" }
      header += ")" + Self.reservedComment(definition.name)
      let body: [AMLTerm]
      switch definition.body {
      case .terms(let terms): body = terms
      case .unparsed(let bytes, let offset):
        let arityScope = node ?? scope
        let namespace = self.namespace
        var parser = AMLParser(bytes: bytes, baseOffset: offset)
        do {
          body = try parser.termList(end: bytes.count) { namespace.methodArity($0, from: arityScope) }
        } catch {
          lines.append(pad + header)
          lines.append(pad + "{")
          lines.append(pad + "    /* body could not be parsed: \(error) */")
          lines.append(pad + "}")
          return
        }
      }
      block(header, body, indent: indent, scope: node ?? scope)
    case .field(let region, let flags, let elements):
      lines.append(
        pad
          + "Field (\(region), \(flags.accessType.aslName), \(flags.lock ? "Lock" : "NoLock"), \(flags.updateRule.aslName))"
      )
      lines.append(pad + "{")
      var bit = 0
      var entries: [String] = []
      for element in elements {
        switch element {
        case .named(let seg, let bits):
          entries.append("\(seg),   \(bits)")
          bit += bits
        case .reserved(let bits):
          bit += bits
          entries.append(bit % 8 == 0 ? "Offset (\(hexLiteral(UInt64(bit / 8), 2)))" : ",   \(bits)")
        case .accessAs(let type, let attribute):
          entries.append("AccessAs (\(type.aslName), \(hexLiteral(UInt64(attribute), 2)))")
        }
      }
      for (index, entry) in entries.enumerated() {
        lines.append(pad + "    " + entry + (index + 1 < entries.count ? "," : ""))
      }
      lines.append(pad + "}")
    case .ifElse(let predicate, let then, let otherwise):
      block("If (\(expression(predicate, scope)))", then, indent: indent, scope: scope)
      if let otherwise {
        if otherwise.count == 1, case .ifElse = otherwise[0] {
          // iasl prints Else { If … } as ElseIf.
          var nested = ASLPrinter(namespace: namespace)
          nested.term(otherwise[0], indent: indent, scope: scope)
          if let first = nested.lines.first {
            lines.append(pad + "ElseIf" + first.dropFirst(pad.count + 2))
            lines.append(contentsOf: nested.lines.dropFirst())
          }
        } else {
          block("Else", otherwise, indent: indent, scope: scope)
        }
      }
    case .whileLoop(let predicate, let body):
      block("While (\(expression(predicate, scope)))", body, indent: indent, scope: scope)
    default:
      lines.append(pad + statement(term, scope, indent: indent))
    }
  }

  /// What iasl -d appends to a predefined name: `  // _STA: Status`.
  static func reservedComment(_ name: AMLNameString) -> String {
    guard let last = name.segments.last, let meaning = reservedNames[last.raw] else { return "" }
    return "  // \(last): \(meaning)"
  }

  static let reservedNames: [String: String] = [
    "_ADR": "Address", "_CID": "Compatible ID", "_CRS": "Current Resource Settings",
    "_DSM": "Device-Specific Method",
    "_EJ0": "Eject Device, x=0-9", "_EVT": "Event", "_HID": "Hardware ID", "_INI": "Initialize",
    "_MAT": "Multiple APIC Table Entry", "_OSC": "Operating System Capabilities",
    "_OST": "OSPM Status Indication",
    "_PRS": "Possible Resource Settings", "_PRW": "Power Resources for Wake", "_PS0": "Power State 0",
    "_PS3": "Power State 3", "_PXM": "Device Proximity", "_STA": "Status", "_UID": "Unique ID",
    "_SRS": "Set Resource Settings",
    "_DIS": "Disable Device", "_REG": "Region Availability", "_PSC": "Power State Current",
  ]

  func statement(_ term: AMLTerm, _ scope: Int, indent: Int) -> String {
    switch term {
    case .name(let name, let value):
      if let eisa = eisaComment(name, value) { return "Name (\(name), \(eisa))" + Self.reservedComment(name) }
      return "Name (\(name), \(expression(value, scope, indent: indent)))" + Self.reservedComment(name)
    case .alias(let source, let alias): return "Alias (\(source), \(alias))"
    case .mutex(let name, let level): return "Mutex (\(name), \(hexLiteral(UInt64(level), 2)))"
    case .event(let name): return "Event (\(name))"
    case .operationRegion(let name, let space, let offset, let length):
      return
        "OperationRegion (\(name), \(AMLRegionSpace.name(of: space)), \(expression(offset, scope)), \(expression(length, scope)))"
    case .createField(let kind, let source, let index, let bits, let name):
      let count = bits.map { ", " + expression($0, scope) } ?? ""
      return "\(kind.aslName) (\(expression(source, scope)), \(expression(index, scope))\(count), \(name))"
    case .external(let name, let type, let count):
      let types = [
        "UnknownObj", "IntObj", "StrObj", "BuffObj", "PkgObj", "FieldUnitObj", "DeviceObj", "EventObj",
        "MethodObj",
        "MutexObj", "OpRegionObj", "PowerResObj", "ProcessorObj", "ThermalZoneObj", "BuffFieldObj",
        "DDBHandleObj",
      ]
      let typeName = Int(type) < types.count ? types[Int(type)] : "UnknownObj"
      return type == 8
        ? "External (\(name), MethodObj)    // \(count) Arguments" : "External (\(name), \(typeName))"
    case .returnValue(let value): return "Return (\(expression(value, scope)))"
    case .breakLoop: return "Break"
    case .continueLoop: return "Continue"
    case .noop: return "Noop"
    case .breakPoint: return "BreakPoint"
    case .op(.notify, let operands):
      let value = operands[1].integerValue
      let comment = value.map { " // " + AMLNotification.meaning(of: $0) } ?? ""
      return "Notify (\(expression(operands[0], scope)), \(expression(operands[1], scope)))\(comment)"
    default: return expression(term, scope, indent: indent)
    }
  }

  private func eisaComment(_ name: AMLNameString, _ value: AMLTerm) -> String? {
    guard let last = name.segments.last, ["_HID", "_CID"].contains(last.raw),
      case .integer(let number) = value,
      let id = eisaIDString(number)
    else { return nil }
    return "EisaId (\"\(id)\")"
  }

  // MARK: - Expressions

  private func number(_ value: UInt64) -> String {
    switch value {
    case 0: "Zero"
    case 1: "One"
    default: hexLiteral(value, value <= 0xFF ? 2 : value <= 0xFFFF ? 4 : value <= 0xFFFF_FFFF ? 8 : 16)
    }
  }

  private func hexLiteral(_ value: UInt64, _ digits: Int) -> String { "0x" + hex(value, digits) }

  private func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      default:
        if scalar.value < 0x20 || scalar.value >= 0x7F {
          out += "\\x" + hex(UInt64(scalar.value & 0xFF), 2)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  private static let infix: [AMLOperator: String] = [
    .add: "+", .subtract: "-", .multiply: "*", .mod: "%", .shiftLeft: "<<", .shiftRight: ">>", .and: "&",
    .or: "|",
    .xor: "^",
  ]

  func expression(_ term: AMLTerm, _ scope: Int, indent: Int = 0) -> String {
    switch term {
    case .integer(let value): return number(value)
    case .ones: return "Ones"
    case .string(let text): return quoted(text)
    case .buffer(let size, let bytes):
      if case .integer(let count) = size, count == UInt64(bytes.count),
        let descriptors = ResourceDescriptor.decodeTemplate(bytes)
      {
        return "ResourceTemplate () { " + descriptors.map(resourceText).joined(separator: " ") + " }"
      }
      let list = bytes.map { hexLiteral(UInt64($0), 2) }.joined(separator: ", ")
      return "Buffer (\(expression(size, scope))) {" + (list.isEmpty ? "}" : " \(list) }")
    case .package(let count, let elements):
      return "Package (\(hexLiteral(UInt64(count), 2))) {" + elementList(elements, scope)
    case .varPackage(let count, let elements):
      return "Package (\(expression(count, scope))) {" + elementList(elements, scope)
    case .revision: return "Revision"
    case .debug: return "Debug"
    case .timer: return "Timer"
    case .local(let index): return "Local\(index)"
    case .arg(let index): return "Arg\(index)"
    case .nameRef(let name): return name.description
    case .call(let name, let arguments):
      return "\(name) (" + arguments.map { expression($0, scope) }.joined(separator: ", ") + ")"
    case .nullTarget: return ""
    case .op(let op, let o): return operatorText(op, o, scope)
    default:
      var printer = ASLPrinter(namespace: namespace)
      printer.term(term, indent: indent, scope: scope)
      return printer.lines.map { $0.trimmingLeadingSpaces }.joined(separator: " ")
    }
  }

  private func elementList(_ elements: [AMLTerm], _ scope: Int) -> String {
    elements.isEmpty ? "}" : " " + elements.map { expression($0, scope) }.joined(separator: ", ") + " }"
  }

  private func resourceText(_ descriptor: ResourceDescriptor) -> String {
    switch descriptor {
    case .extendedInterrupt(let consumer, let edge, let activeLow, let shared, let wake, let interrupts):
      let sharing = (shared ? "Shared" : "Exclusive") + (wake ? "AndWake" : "")
      return
        "Interrupt (\(consumer ? "ResourceConsumer" : "ResourceProducer"), \(edge ? "Edge" : "Level"), \(activeLow ? "ActiveLow" : "ActiveHigh"), \(sharing), ,, ) { "
        + interrupts.map { hexLiteral(UInt64($0), 8) }.joined(separator: ", ") + " }"
    case .memory32Fixed(let readWrite, let base, let length):
      return
        "Memory32Fixed (\(readWrite ? "ReadWrite" : "ReadOnly"), \(hexLiteral(UInt64(base), 8)), \(hexLiteral(UInt64(length), 8)), )"
    }
  }

  private func operatorText(_ op: AMLOperator, _ o: [AMLTerm], _ scope: Int) -> String {
    func e(_ index: Int) -> String { expression(o[index], scope) }
    func assign(_ target: AMLTerm, _ value: String) -> String {
      if case .nullTarget = target { return value }
      return "\(expression(target, scope)) = \(value)"
    }
    if let symbol = Self.infix[op] { return assign(o[2], "(\(e(0)) \(symbol) \(e(1)))") }
    switch op {
    case .store: return "\(e(1)) = \(e(0))"
    case .increment: return "\(e(0))++"
    case .decrement: return "\(e(0))--"
    case .not: return assign(o[1], "~\(e(0))")
    case .lAnd: return "(\(e(0)) && \(e(1)))"
    case .lOr: return "(\(e(0)) || \(e(1)))"
    case .lEqual: return "(\(e(0)) == \(e(1)))"
    case .lGreater: return "(\(e(0)) > \(e(1)))"
    case .lLess: return "(\(e(0)) < \(e(1)))"
    case .lNot:
      if case .op(let inner, let io) = o[0], io.count == 2 {
        let a = expression(io[0], scope)
        let b = expression(io[1], scope)
        switch inner {
        case .lEqual: return "(\(a) != \(b))"
        case .lGreater: return "(\(a) <= \(b))"
        case .lLess: return "(\(a) >= \(b))"
        default: break
        }
      }
      return "!\(e(0))"
    case .index:
      return assign(o[2], "\(e(0)) [\(e(1))]")
    case .acquire:
      return "Acquire (\(e(0)), \(hexLiteral(o[1].integerValue ?? 0, 4)))"
    case .match:
      let ops = ["MTR", "MEQ", "MLE", "MLT", "MGE", "MGT"]
      func matchOp(_ term: AMLTerm) -> String {
        let value = Int(term.integerValue ?? 0)
        return value < ops.count ? ops[value] : "MTR"
      }
      return "Match (\(e(0)), \(matchOp(o[1])), \(e(2)), \(matchOp(o[3])), \(e(4)), \(e(5)))"
    case .fatal:
      return
        "Fatal (\(hexLiteral(o[0].integerValue ?? 0, 2)), \(hexLiteral(o[1].integerValue ?? 0, 8)), \(e(2)))"
    default:
      var parts: [String] = []
      for (kind, operand) in zip(op.operands, o) {
        if kind == .target, case .nullTarget = operand {
          continue
        }
        parts.append(expression(operand, scope))
      }
      // Trailing null targets are omitted; inner ones must stay as empty slots.
      if op == .divide, case .nullTarget = o[2] {
        return assign(o[3], "(\(e(0)) / \(e(1)))")
      }
      return "\(op.aslName) (" + parts.joined(separator: ", ") + ")"
    }
  }
}

extension ASLPrinter {
  /// The namespace as a tree, one object per line with its type and, for data, its value —
  /// what acpiexec's `namespace` command shows.
  public static func namespaceTree(_ interpreter: AMLInterpreter, from start: Int = AMLNamespace.root)
    -> String
  {
    let namespace = interpreter.namespace
    var lines: [String] = []
    func describe(_ node: Int) -> String {
      switch namespace[node].object {
      case .data(let value):
        switch value {
        case .integer(let number): return "Integer 0x" + hex(number, 1)
        case .string(let text): return "String \"\(text)\""
        case .buffer(let bytes): return "Buffer (\(bytes.count) bytes)"
        case .package(let elements): return "Package (\(elements.count) elements)"
        default: return value.typeName
        }
      case .method(let method):
        let definition = method.definition
        return "Method Args \(definition.argumentCount)"
          + (definition.serialized ? " Serialized SyncLevel \(definition.syncLevel)" : "")
      case .mutex(let mutex): return "Mutex SyncLevel \(mutex.syncLevel)"
      case .region(let region):
        return
          "OperationRegion \(AMLRegionSpace.name(of: region.space)) 0x\(hex(region.offset, 1)) length 0x\(hex(region.length, 1))"
      case .fieldUnit(let unit):
        return
          "FieldUnit \(namespace[unit.region].name) bit offset \(unit.bitOffset) width \(unit.bitLength) \(unit.access.aslName) \(unit.updateRule.aslName)"
      case .alias(let target): return "Alias -> \(namespace.path(of: target))"
      case let object: return object.typeName
      }
    }
    func walk(_ node: Int, depth: Int) {
      for child in namespace.children(of: node) {
        let pad = String(repeating: "    ", count: depth)
        lines.append(pad + namespace[child].name.raw + "  " + describe(child))
        walk(child, depth: depth + 1)
      }
    }
    lines.append(namespace.path(of: start) + (start == AMLNamespace.root ? "" : "  " + describe(start)))
    walk(start, depth: 1)
    return lines.joined(separator: "\n")
  }
}

extension String {
  var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
