/// How a term list finished.
enum AMLFlow {
  case normal
  case breakLoop
  case continueLoop
  case returned(AMLValue?)
}

/// One method invocation (or the module-level code of a table being loaded).
struct AMLFrame {
  /// The method node (nil while loading a table).
  var method: Int?
  /// Scope for name lookup and for objects the code creates.
  var scope: Int
  var locals: [AMLValue?] = Array(repeating: nil, count: 8)
  var args: [AMLValue?] = Array(repeating: nil, count: 7)
  /// Objects created by this invocation, deleted when it returns.
  var temporaries: [Int] = []
  var loopDepth = 0
}

/// A few values by namespace node: the methods active in one evaluation (at most as many as
/// calls are nested, usually one or two). A list searched from the end, so an evaluation does
/// not allocate and hash a dictionary for them.
struct AMLNodeMap<Value> {
  private var entries: [(node: Int, value: Value)] = []

  subscript(node: Int) -> Value? {
    get { entries.last { $0.node == node }?.value }
    set {
      let index = entries.lastIndex { $0.node == node }
      switch (index, newValue) {
      case (let index?, let value?): entries[index].value = value
      case (let index?, nil): entries.remove(at: index)
      case (nil, let value?): entries.append((node, value))
      case (nil, nil): break
      }
    }
  }

  subscript(node: Int, default value: Value) -> Value { self[node] ?? value }
}

/// The execution engine for one load or one evaluation: it owns the namespace and the host for
/// the duration and hands them back after.
///
/// The host is held as an existential (`any AMLHost`) rather than a generic parameter: callers
/// in other modules (the guest kernel's ACPICA with the machine's host) would otherwise run the
/// whole interpreter as unspecialized generic code, looking up type metadata and witness
/// tables on every step; this way only the host's own calls are dynamic.
struct AMLMachine {
  var namespace: AMLNamespace
  var host: any AMLHost
  let convert: AMLConversions
  let limits: AMLLimits
  var frames: [AMLFrame] = []
  /// Virtual time for While limits: total loop iterations so far.
  var loopTicks = 0
  var steps = 0
  /// Virtual time in 100 ns units (the Timer opcode's unit): one tick per executed term plus
  /// whatever Sleep and Stall asked for. Never the wall clock.
  var virtualTime: UInt64 = 0
  var syncLevel = 0
  var activeCounts = AMLNodeMap<Int>()
  /// Acquired mutexes, most recent last (for ordering and auto-release).
  var heldMutexes: [Int] = []
  /// Serialized methods currently held: node → (depth, sync level to restore).
  var serialization = AMLNodeMap<(depth: Int, previousLevel: Int)>()

  init(namespace: AMLNamespace, host: any AMLHost, width: Int, limits: AMLLimits) {
    self.namespace = namespace
    self.host = host
    self.convert = AMLConversions(width: width)
    self.limits = limits
  }

  var ones: UInt64 { convert.mask }
  var frameIndex: Int { frames.count - 1 }
  var scope: Int { frames.last?.scope ?? AMLNamespace.root }

  func error(_ status: ACPIStatus, _ message: String) -> AMLError {
    AMLError(status, message, method: frames.last?.method.map { namespace.path(of: $0) })
  }

  /// Releases every mutex still held (end of a top-level evaluation) and drops temporaries.
  mutating func releaseAll() {
    for node in heldMutexes.reversed() {
      if case .mutex(var mutex) = namespace[node].object {
        mutex.depth = 0
        namespace.setObject(.mutex(mutex), of: node)
      }
    }
    heldMutexes = []
    serialization = AMLNodeMap()
    syncLevel = 0
    while let frame = frames.popLast() {
      for node in frame.temporaries.reversed() { namespace.remove(node) }
    }
  }

  // MARK: - Loading

  mutating func loadTermList(parser: inout AMLParser, end: Int, scope: Int) throws(AMLError) -> [AMLTerm] {
    if frames.isEmpty { frames.append(AMLFrame(method: nil, scope: scope)) }
    var terms: [AMLTerm] = []
    while parser.position < end {
      let start = parser.tableOffset
      let saved = parser.position
      if let container = try containerHeader(&parser, end: end) {
        let node: Int
        do {
          node = try createContainer(container.kind, name: container.name, in: scope)
        } catch {
          throw located(error, start)
        }
        let outer = frames[frameIndex].scope
        frames[frameIndex].scope = node
        let children = try loadTermList(parser: &parser, end: container.end, scope: node)
        frames[frameIndex].scope = outer
        try parser.within(container.end, "object")
        terms.append(container.kind.term(container.name, children))
        continue
      }
      parser.position = saved
      var parsed: AMLTerm?
      do {
        let snapshot = namespace
        parsed = try parser.term(end: end, arity: { snapshot.methodArity($0, from: scope) })
      }
      guard let term = parsed else { continue }
      do {
        frames[frameIndex].scope = scope
        _ = try exec(term)
      } catch {
        // ACPICA tolerates failed lookups in module-level code during load (a forward
        // reference); the statement simply has no effect.
        let isCode: Bool
        switch term {
        case .op, .call, .nameRef: isCode = true
        default: isCode = false
        }
        if !(isCode && error.status == .AE_NOT_FOUND) { throw located(error, start) }
      }
      terms.append(term)
    }
    return terms
  }

  private func located(_ error: AMLError, _ offset: Int) -> AMLError {
    var result = error
    if result.tableOffset == nil { result.tableOffset = offset }
    return result
  }

  enum ContainerKind {
    case scope, device, thermalZone
    case processor(UInt8, UInt32, UInt8)
    case powerResource(UInt8, UInt16)

    func term(_ name: AMLNameString, _ children: [AMLTerm]) -> AMLTerm {
      switch self {
      case .scope: .scope(name, children)
      case .device: .device(name, children)
      case .thermalZone: .thermalZone(name, children)
      case .processor(let id, let address, let length):
        .processor(name, id: id, pblkAddress: address, pblkLength: length, children)
      case .powerResource(let level, let order):
        .powerResource(name, systemLevel: level, resourceOrder: order, children)
      }
    }
  }

  /// Reads the header of a Scope/Device/Processor/ThermalZone/PowerResource, or returns nil.
  private func containerHeader(_ parser: inout AMLParser, end: Int) throws(AMLError) -> (
    kind: ContainerKind, name: AMLNameString, end: Int
  )? {
    guard let lead = parser.peek() else { return nil }
    if lead == 0x10 {
      parser.position += 1
      let pkgEnd = try parser.pkgEnd(limit: end)
      return (.scope, try parser.nameString(), pkgEnd)
    }
    guard lead == 0x5B, let second = parser.peek(1), [0x82, 0x83, 0x84, 0x85].contains(second) else {
      return nil
    }
    parser.position += 2
    let pkgEnd = try parser.pkgEnd(limit: end)
    let name = try parser.nameString()
    switch second {
    case 0x82: return (.device, name, pkgEnd)
    case 0x85: return (.thermalZone, name, pkgEnd)
    case 0x83:
      let id = try parser.byte()
      let address = UInt32(try parser.fixed(4))
      let length = try parser.byte()
      return (.processor(id, address, length), name, pkgEnd)
    default:
      let level = try parser.byte()
      let order = UInt16(try parser.fixed(2))
      return (.powerResource(level, order), name, pkgEnd)
    }
  }

  mutating func createContainer(_ kind: ContainerKind, name: AMLNameString, in scope: Int) throws(AMLError)
    -> Int
  {
    if case .scope = kind {
      guard let node = namespace.lookup(name, from: scope) else {
        throw error(.AE_NOT_FOUND, "Scope(\(name)): \(name) does not exist")
      }
      switch namespace[node].object {
      case .scope, .device, .processor, .thermalZone, .powerResource, .method, .external: return node
      default:
        throw error(
          .AE_AML_OPERAND_TYPE,
          "Scope(\(name)): \(namespace.path(of: node)) is a \(namespace[node].object.typeName)")
      }
    }
    let object: AMLObject
    switch kind {
    case .device: object = .device
    case .thermalZone: object = .thermalZone
    case .processor(let id, _, _): object = .processor(id: id)
    case .powerResource: object = .powerResource
    case .scope: object = .scope
    }
    return try createNamed(name, object)
  }

  /// Creates a named object from the current frame's scope (method-local objects are temporary).
  mutating func createNamed(_ name: AMLNameString, _ object: AMLObject) throws(AMLError) -> Int {
    let (parent, seg): (Int, AMLNameSeg)
    do {
      (parent, seg) = try namespace.placement(of: name, from: scope)
    } catch {
      throw self.error(error.status, error.message)
    }
    let temporary = frames.last?.method != nil
    do {
      let node = try namespace.add(seg, parent: parent, object: object, temporary: temporary)
      if temporary { frames[frameIndex].temporaries.append(node) }
      return node
    } catch {
      throw self.error(error.status, error.message)
    }
  }

  // MARK: - Methods

  mutating func evaluateTopLevel(node: Int, arguments: [AMLValue]) throws(AMLError) -> AMLValue? {
    switch namespace[node].object {
    case .method:
      return try invoke(node, arguments: arguments)
    case .data(let value):
      return value
    case .fieldUnit, .bufferField:
      frames.append(AMLFrame(method: nil, scope: namespace[node].parent))
      defer { frames.removeLast() }
      return try readObject(node)
    case let other:
      throw error(
        .AE_TYPE, "\(namespace.path(of: node)) is a \(other.typeName), which has no value to evaluate")
    }
  }

  static func parseBody(_ definition: AMLMethodDefinition, scope: Int, namespace: AMLNamespace)
    throws(AMLError)
    -> [AMLTerm]
  {
    switch definition.body {
    case .terms(let terms): return terms
    case .unparsed(let bytes, let offset):
      var parser = AMLParser(bytes: bytes, baseOffset: offset)
      return try parser.termList(end: bytes.count) { namespace.methodArity($0, from: scope) }
    }
  }

  mutating func invoke(_ node: Int, arguments: [AMLValue]) throws(AMLError) -> AMLValue? {
    guard case .method(var method) = namespace[node].object else {
      throw error(.AE_AML_OPERAND_TYPE, "\(namespace.path(of: node)) is not a method")
    }
    if method.builtin { return osi(arguments) }
    let active = activeCounts[node, default: 0]
    guard active < limits.maxMethodReentrancy else {
      throw error(
        .AE_AML_METHOD_LIMIT,
        "\(namespace.path(of: node)) reached the maximum reentrancy limit (\(limits.maxMethodReentrancy))")
    }
    guard frames.count <= limits.maxCallDepth else {
      throw error(.AE_AML_METHOD_LIMIT, "call depth exceeds \(limits.maxCallDepth) nested method calls")
    }
    let body: [AMLTerm]
    if let parsed = method.parsedBody {
      body = parsed
    } else {
      do {
        body = try Self.parseBody(method.definition, scope: node, namespace: namespace)
      } catch {
        var located = error
        located.method = namespace.path(of: node)
        throw located
      }
      method.parsedBody = body
      namespace.setObject(.method(method), of: node)
    }
    let definition = method.definition
    if definition.serialized {
      guard syncLevel <= definition.syncLevel else {
        throw error(
          .AE_AML_MUTEX_ORDER,
          "cannot run serialized method \(namespace.path(of: node)) (SyncLevel \(definition.syncLevel)) while holding SyncLevel \(syncLevel)"
        )
      }
      if let held = serialization[node] {
        serialization[node] = (held.depth + 1, held.previousLevel)
      } else {
        serialization[node] = (1, syncLevel)
        syncLevel = definition.syncLevel
      }
    }
    var frame = AMLFrame(method: node, scope: node)
    for (index, argument) in arguments.prefix(min(definition.argumentCount, 7)).enumerated() {
      frame.args[index] = argument
    }
    frames.append(frame)
    activeCounts[node] = active + 1
    var outcome: Result<AMLValue?, AMLError>
    do throws(AMLError) {
      switch try run(body) {
      case .returned(let value): outcome = .success(value)
      case .breakLoop, .continueLoop, .normal: outcome = .success(nil)
      }
    } catch {
      var located = error
      if located.method == nil { located.method = namespace.path(of: node) }
      outcome = .failure(located)
    }
    let finished = frames.removeLast()
    for temporary in finished.temporaries.reversed() { namespace.remove(temporary) }
    activeCounts[node] = active
    if definition.serialized, let held = serialization[node] {
      if held.depth == 1 {
        serialization[node] = nil
        syncLevel = held.previousLevel
      } else {
        serialization[node] = (held.depth - 1, held.previousLevel)
      }
    }
    return try outcome.get()
  }

  /// `\_OSI(String)`: Ones for the interfaces ACPICA 20200925 enables by default (utosi.c):
  /// "Windows 2000" … "Windows 2019" and "Extended Address Space Descriptor". The feature-group
  /// strings ("Module Device", "Processor Device", …) are optional there and off unless the host
  /// enables them (Linux's osi.c does); acpiexec additionally removes "Windows 2006" in its own
  /// setup, which this model does not copy.
  private func osi(_ arguments: [AMLValue]) -> AMLValue {
    guard case .string(let text)? = arguments.first else { return .integer(0) }
    let supported: Set<String> = [
      "Windows 2000", "Windows 2001", "Windows 2001 SP1", "Windows 2001.1", "Windows 2001 SP2",
      "Windows 2001.1 SP1",
      "Windows 2006", "Windows 2006.1", "Windows 2006 SP1", "Windows 2006 SP2", "Windows 2009",
      "Windows 2012",
      "Windows 2013", "Windows 2015", "Windows 2016", "Windows 2017", "Windows 2017.2", "Windows 2018",
      "Windows 2018.2", "Windows 2019", "Extended Address Space Descriptor",
    ]
    return .integer(supported.contains(text) ? ones : 0)
  }

  // MARK: - Statements

  mutating func run(_ terms: [AMLTerm]) throws(AMLError) -> AMLFlow {
    for term in terms {
      let flow = try exec(term)
      if case .normal = flow { continue }
      return flow
    }
    return .normal
  }

  mutating func step() throws(AMLError) {
    steps += 1
    virtualTime &+= 1
    if steps > limits.maxSteps {
      throw error(.AE_LIMIT, "evaluation exceeded the lab's budget of \(limits.maxSteps) executed terms")
    }
  }

  mutating func exec(_ term: AMLTerm) throws(AMLError) -> AMLFlow {
    do {
      return try execute(term)
    } catch {
      var located = error
      if located.statement == nil, frames.last?.method != nil {
        located.statement = ASLPrinter.summary(term, namespace: namespace, scope: scope)
      }
      throw located
    }
  }

  private mutating func execute(_ term: AMLTerm) throws(AMLError) -> AMLFlow {
    try step()
    switch term {
    case .ifElse(let predicate, let then, let otherwise):
      if try truth(predicate) { return try run(then) }
      if let otherwise { return try run(otherwise) }
      return .normal
    case .whileLoop(let predicate, let body):
      let start = loopTicks
      frames[frameIndex].loopDepth += 1
      defer { frames[frameIndex].loopDepth -= 1 }
      while try truth(predicate) {
        loopTicks += 1
        if loopTicks - start > limits.maxLoopIterations {
          throw error(
            .AE_AML_LOOP_TIMEOUT,
            "While loop exceeded the maximum execution time (\(limits.maxLoopIterations) iterations of virtual time)"
          )
        }
        switch try run(body) {
        case .breakLoop: return .normal
        case .returned(let value): return .returned(value)
        case .continueLoop, .normal: continue
        }
      }
      return .normal
    case .returnValue(let value):
      if case .nullTarget = value { return .returned(nil) }
      return .returned(try evaluate(value))
    case .breakLoop, .continueLoop:
      guard frames[frameIndex].loopDepth > 0 else {
        throw error(.AE_AML_NO_WHILE, "\(term == .breakLoop ? "Break" : "Continue") outside of a While loop")
      }
      return term == .breakLoop ? .breakLoop : .continueLoop
    case .noop, .breakPoint, .external:
      if case .external(let name, let type, let count) = term, namespace.lookup(name, from: scope) == nil {
        _ = try createNamed(name, .external(objectType: type, argumentCount: Int(count)))
      }
      return .normal
    case .name(let name, let value):
      _ = try createNamed(name, .data(try evaluate(value)))
    case .method(let definition):
      _ = try createNamed(definition.name, .method(AMLMethodObject(definition: definition)))
    case .mutex(let name, let level):
      _ = try createNamed(name, .mutex(AMLMutexObject(syncLevel: Int(level))))
    case .event(let name):
      _ = try createNamed(name, .event(signals: 0))
    case .alias(let source, let alias):
      guard let target = namespace.lookup(source, from: scope) else {
        throw error(.AE_NOT_FOUND, "Alias source \(source) does not exist")
      }
      _ = try createNamed(alias, .alias(target))
    case .operationRegion(let name, let space, let offset, let length):
      let start = try integer(offset)
      let size = try integer(length)
      _ = try createNamed(name, .region(AMLRegionObject(space: space, offset: start, length: size)))
    case .field(let region, let flags, let elements):
      try createField(region: region, flags: flags, elements: elements)
    case .createField(let kind, let source, let index, let bitCount, let name):
      try createBufferField(kind, source: source, index: index, bitCount: bitCount, name: name)
    case .scope(let name, let body):
      return try runContainer(.scope, name, body)
    case .device(let name, let body):
      return try runContainer(.device, name, body)
    case .thermalZone(let name, let body):
      return try runContainer(.thermalZone, name, body)
    case .processor(let name, let id, let address, let length, let body):
      return try runContainer(.processor(id, address, length), name, body)
    case .powerResource(let name, let level, let order, let body):
      return try runContainer(.powerResource(level, order), name, body)
    case .call(let name, let argumentTerms):
      // A call as a statement: its result, if any, is discarded.
      guard let node = namespace.lookup(name, from: scope) else {
        throw error(
          .AE_NOT_FOUND, "method \(name) does not exist (looked up from \(namespace.path(of: scope)))")
      }
      var arguments: [AMLValue] = []
      for argument in argumentTerms { arguments.append(try evaluate(argument)) }
      if case .external = namespace[node].object {
        throw error(.AE_NOT_FOUND, "\(namespace.path(of: node)) is only declared External")
      }
      _ = try invoke(node, arguments: arguments)
    case .nameRef(let name):
      // A bare name as a statement does nothing. At load time ACPICA tolerates a name that
      // does not exist yet (a call to a method defined later parses as one); inside a method
      // the name must exist.
      if frames[frameIndex].method != nil && namespace.lookup(name, from: scope) == nil {
        throw error(.AE_NOT_FOUND, "\(name) does not exist (looked up from \(namespace.path(of: scope)))")
      }
    default:
      _ = try evaluate(term)
    }
    return .normal
  }

  private mutating func runContainer(_ kind: ContainerKind, _ name: AMLNameString, _ body: [AMLTerm])
    throws(AMLError)
    -> AMLFlow
  {
    let node = try createContainer(kind, name: name, in: scope)
    let outer = frames[frameIndex].scope
    frames[frameIndex].scope = node
    defer { frames[frameIndex].scope = outer }
    return try run(body)
  }

  mutating func truth(_ predicate: AMLTerm) throws(AMLError) -> Bool {
    try integer(predicate) != 0
  }

  mutating func integer(_ term: AMLTerm) throws(AMLError) -> UInt64 {
    try toInteger(try evaluate(term))
  }
}
