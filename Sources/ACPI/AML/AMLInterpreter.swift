/// Limits that keep any AML, however malformed or hostile, from running forever.
public struct AMLLimits: Equatable, Sendable {
  /// While-loop budget in iterations, counted in virtual time (never wall time): a loop fails
  /// with AE_AML_LOOP_TIMEOUT once more iterations (its own and nested loops') than this have run
  /// since it started. 0xFFFFF is the iteration cap mid-2017 ACPICA used before its timeout.
  public var maxLoopIterations: Int = 0xFFFFF
  /// A method may be active at most this many times at once (ACPICA: AE_AML_METHOD_LIMIT at 255).
  public var maxMethodReentrancy: Int = 255
  /// Nested method calls of any methods (a lab safeguard; ACPICA has no separate limit).
  public var maxCallDepth: Int = 255
  /// Terms executed by one evaluation before AE_LIMIT (a lab safeguard against non-loop blowups
  /// such as doubly-recursive methods; ACPICA has no such limit).
  public var maxSteps: Int = 50_000_000
  /// Largest Buffer/Package/String an AML expression may create (AE_NO_MEMORY beyond).
  public var maxObjectSize: Int = 1 << 20

  public init() {}
}

/// A table loaded into the namespace, kept for printing.
public struct AMLLoadedTable: Equatable, Sendable {
  public var header: SDTHeader
  /// The module-level terms in byte order (method bodies unparsed).
  public var terms: [AMLTerm]
  /// Unknown opcodes that were skipped, as ACPICA skips them.
  public var skippedOpcodes: [Int]
}

/// The AML interpreter: a namespace plus the tables loaded into it. A value: copy it to
/// snapshot the whole ACPI state, assign it back to restore.
public struct AMLInterpreter: Equatable, Sendable {
  public var namespace = AMLNamespace()
  /// 64, or 32 when the DSDT's revision is below 2 (fixed by the DSDT; SSDTs do not change it).
  public private(set) var integerWidth = 64
  public var limits = AMLLimits()
  public private(set) var tables: [AMLLoadedTable] = []
  /// The Timer opcode's clock, in 100 ns units, advanced only by executed AML (one tick per
  /// term, plus Sleep/Stall), so the same inputs always give the same readings.
  public private(set) var virtualTime: UInt64 = 0

  public init(limits: AMLLimits = AMLLimits()) {
    self.limits = limits
  }

  /// Validates a DSDT/SSDT (length, checksum) and loads it: named objects are created in byte
  /// order and module-level code runs in place; method bodies are only skipped, to be parsed when
  /// first called. Atomic: on error the namespace is unchanged.
  public mutating func load<Host: AMLHost>(_ table: [UInt8], host: inout Host) throws(AMLError) {
    let header: SDTHeader
    do {
      header = try SDTHeader.decode(table)
    } catch {
      throw AMLError(.AE_BAD_HEADER, error.description, tableOffset: error.offset)
    }
    guard header.signature == "DSDT" || header.signature == "SSDT" else {
      throw AMLError(
        .AE_BAD_SIGNATURE, "table \"\(header.signature)\" holds no AML (need DSDT or SSDT)", tableOffset: 0)
    }
    var width = integerWidth
    if header.signature == "DSDT" { width = header.revision < 2 ? 32 : 64 }
    var machine = AMLMachine(namespace: namespace, host: host, width: width, limits: limits)
    machine.virtualTime = virtualTime
    var parser = AMLParser(bytes: Array(table[SDTHeader.size...]), baseOffset: SDTHeader.size)
    let result = maybeOnLargeStack {
      () -> Result<[AMLTerm], AMLError> in
      do throws(AMLError) {
        return .success(
          try machine.loadTermList(parser: &parser, end: parser.bytes.count, scope: AMLNamespace.root))
      } catch {
        return .failure(error)
      }
    }
    // The machine worked on its own copy of the host (as `any AMLHost`); hand it back.
    host = machine.host as! Host
    machine.releaseAll()
    switch result {
    case .success(let terms):
      namespace = machine.namespace
      virtualTime = machine.virtualTime
      integerWidth = width
      tables.append(
        AMLLoadedTable(header: header, terms: terms, skippedOpcodes: parser.skippedOpcodes.map(\.offset)))
    case .failure(let error): throw error
    }
  }

  /// Loads with a simulated host (module-level region accesses go to zero-filled RAM).
  public mutating func load(_ table: [UInt8]) throws(AMLError) {
    var host = AMLSimulatedHost()
    try load(table, host: &host)
  }

  /// Evaluates the object at `path` (absolute, e.g. `\_SB.C001._STA`): a method is run with
  /// `arguments`; any other object yields its value. Returns nil when a method returns nothing.
  /// Mutexes still held when the evaluation ends are released, as ACPICA does.
  public mutating func evaluate(_ path: String, arguments: [AMLValue] = [], host: inout some AMLHost)
    throws(AMLError)
    -> AMLValue?
  {
    guard let node = namespace.lookup(path: path) else {
      throw AMLError(.AE_NOT_FOUND, "\(path) does not exist in the namespace")
    }
    return try evaluate(node: node, arguments: arguments, host: &host)
  }

  /// Evaluates a namespace node (see `evaluate(_:arguments:host:)`).
  public mutating func evaluate<Host: AMLHost>(node: Int, arguments: [AMLValue] = [], host: inout Host)
    throws(AMLError)
    -> AMLValue?
  {
    // Move the namespace into the machine (no copy-on-write of the whole tree) and back after.
    let moved = namespace
    namespace = AMLNamespace(placeholder: ())
    var machine = AMLMachine(namespace: consume moved, host: host, width: integerWidth, limits: limits)
    machine.virtualTime = virtualTime
    let result = maybeOnLargeStack {
      () -> Result<AMLValue?, AMLError> in
      do throws(AMLError) {
        return .success(try machine.evaluateTopLevel(node: node, arguments: arguments))
      } catch {
        return .failure(error)
      }
    }
    machine.releaseAll()
    // The machine worked on its own copy of the host (as `any AMLHost`); hand it back.
    host = machine.host as! Host
    namespace = machine.namespace
    virtualTime = machine.virtualTime
    return try result.get()
  }

  /// False only inside `withLargeStack`, where the caller already runs on a large stack.
  var needsOwnStack = true

  private func maybeOnLargeStack<T>(_ body: () -> T) -> T {
    needsOwnStack ? runOnLargeStack(body) : body()
  }

  /// Runs `body` on one large-stack thread with every interpreter's loads and evaluations done
  /// in place (no thread per call): for sweeps and worlds that evaluate many times.
  public static func withLargeStack<T>(_ body: () -> T) -> T { runOnLargeStack(body) }

  /// A device's `_STA` as ACPICA's AcpiUtExecute_STA reads it: the method's Integer result, or
  /// 0xFFFFFFFF (present, enabled, shown, functioning, all other bits set) when the device has
  /// no `_STA`. AE_AML_OPERAND_TYPE if `_STA` returns something other than an Integer.
  public mutating func deviceStatus(_ devicePath: String, host: inout some AMLHost) throws(AMLError) -> UInt32
  {
    guard let device = namespace.lookup(path: devicePath) else {
      throw AMLError(.AE_NOT_FOUND, "\(devicePath) does not exist in the namespace")
    }
    guard let sta = namespace[device].children[AMLNameSeg("_STA")!] else { return .max }
    switch try evaluate(node: namespace.resolveAlias(sta), host: &host) {
    case .integer(let value)?: return UInt32(truncatingIfNeeded: value)
    case let other:
      throw AMLError(
        .AE_AML_OPERAND_TYPE,
        "\(namespace.path(of: sta)) returned \(other?.typeName ?? "nothing"), expected an Integer")
    }
  }

  /// The argument count of the method at `path`, nil if it is not a method.
  public func argumentCount(of path: String) -> Int? {
    guard let node = namespace.lookup(path: path), case .method(let method) = namespace[node].object else {
      return nil
    }
    return method.definition.argumentCount
  }

  /// Parses a method's body (as its first call would) without running it.
  public func parsedBody(ofMethod node: Int) throws(AMLError) -> [AMLTerm] {
    guard case .method(let method) = namespace[node].object else {
      throw AMLError(.AE_TYPE, "\(namespace.path(of: node)) is not a method")
    }
    if let body = method.parsedBody { return body }
    return try AMLMachine.parseBody(method.definition, scope: node, namespace: namespace)
  }
}
