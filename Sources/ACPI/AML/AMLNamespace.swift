/// What a namespace node holds.
public enum AMLObject: Equatable, Sendable {
  /// A scope with no object of its own (`\`, `\_PR_`, `\_GPE`, `\_TZ_`, `\_SI_`).
  case scope
  /// Integer, String, Buffer or Package created by Name().
  case data(AMLValue)
  case device
  case processor(id: UInt8)
  case thermalZone
  case powerResource
  case method(AMLMethodObject)
  case mutex(AMLMutexObject)
  case event(signals: Int)
  case region(AMLRegionObject)
  case fieldUnit(AMLFieldUnit)
  case bufferField(AMLBufferField)
  case alias(Int)
  /// Declared by External(); replaced if the real object appears later.
  case external(objectType: UInt8, argumentCount: Int)

  /// The ObjectType operator's number for this object: 0 uninitialized, 1 Integer, 2 String,
  /// 3 Buffer, 4 Package, 5 FieldUnit, 6 Device, 7 Event, 8 Method, 9 Mutex, 10 OperationRegion,
  /// 11 PowerResource, 12 Processor, 13 ThermalZone, 14 BufferField.
  public var typeNumber: UInt64 {
    switch self {
    case .scope: 0
    case .data(let value): value.typeNumber
    case .device: 6
    case .processor: 12
    case .thermalZone: 13
    case .powerResource: 11
    case .method: 8
    case .mutex: 9
    case .event: 7
    case .region: 10
    case .fieldUnit: 5
    case .bufferField: 14
    case .alias: 0
    case .external(let type, _): UInt64(type)
    }
  }

  public var typeName: String {
    switch self {
    case .scope: "Scope"
    case .data(let value): value.typeName
    case .device: "Device"
    case .processor: "Processor"
    case .thermalZone: "ThermalZone"
    case .powerResource: "PowerResource"
    case .method: "Method"
    case .mutex: "Mutex"
    case .event: "Event"
    case .region: "OperationRegion"
    case .fieldUnit: "FieldUnit"
    case .bufferField: "BufferField"
    case .alias: "Alias"
    case .external: "External"
    }
  }
}

public struct AMLMethodObject: Equatable, Sendable {
  public var definition: AMLMethodDefinition
  /// The body parsed on first call (ACPICA parses a method when it is first executed).
  public var parsedBody: [AMLTerm]?
  /// A method implemented by the interpreter itself (`\_OSI`).
  public internal(set) var builtin: Bool = false
}

public struct AMLMutexObject: Equatable, Sendable {
  public var syncLevel: Int
  /// Nesting depth of the current owner's acquisitions (0: free).
  public var depth: Int = 0
  /// The sync level in force before the outermost Acquire, restored by the last Release.
  public var previousSyncLevel: Int = 0
}

public struct AMLRegionObject: Equatable, Sendable {
  public var space: UInt8
  public var offset: UInt64
  public var length: UInt64
}

public struct AMLFieldUnit: Equatable, Sendable {
  public var region: Int
  public var bitOffset: Int
  public var bitLength: Int
  public var access: AMLFieldFlags.AccessType
  public var lock: Bool
  public var updateRule: AMLFieldFlags.UpdateRule
}

public struct AMLBufferField: Equatable, Sendable {
  /// Where the buffer lives (a named object, or a local/arg of the frame that created it).
  public var source: AMLReference
  public var bitOffset: Int
  public var bitLength: Int
  /// Made by CreateField (always read as a Buffer) rather than CreateXxxField.
  public var isCreateField: Bool
}

/// The ACPI namespace: a tree of named nodes. A value type: copying it snapshots the whole tree.
public struct AMLNamespace: Equatable, Sendable {
  public struct Node: Equatable, Sendable {
    public var name: AMLNameSeg
    public var parent: Int
    public var children: [AMLNameSeg: Int] = [:]
    public var object: AMLObject
    /// True while the node is part of the tree (dynamic method-local nodes are removed on exit).
    public var live = true
    /// Created by a method invocation and deleted when it returns.
    var temporary = false
  }

  public static let root = 0
  public private(set) var nodes: [Node]
  private var freeList: [Int] = []

  public init() {
    nodes = [Node(name: AMLNameSeg(validated: Array("\\___".utf8)), parent: 0, object: .scope)]
    for name in ["_GPE", "_PR_", "_SI_", "_TZ_"] {
      _ = try? add(AMLNameSeg(name)!, parent: Self.root, object: .scope)
    }
    _ = try? add(AMLNameSeg("_SB_")!, parent: Self.root, object: .device)
    _ = try? add(AMLNameSeg("_OS_")!, parent: Self.root, object: .data(.string("Microsoft Windows NT")))
    _ = try? add(AMLNameSeg("_REV")!, parent: Self.root, object: .data(.integer(2)))
    _ = try? add(AMLNameSeg("_GL_")!, parent: Self.root, object: .mutex(AMLMutexObject(syncLevel: 0)))
    let osi = AMLMethodDefinition(name: "_OSI", argumentCount: 1, body: [])
    _ = try? add(
      AMLNameSeg("_OSI")!, parent: Self.root, object: .method(AMLMethodObject(definition: osi, builtin: true))
    )
  }

  /// An empty tree that holds a namespace's place while an evaluation owns it.
  init(placeholder: ()) { nodes = [] }

  public subscript(node: Int) -> Node { nodes[node] }

  mutating func setObject(_ object: AMLObject, of node: Int) { nodes[node].object = object }

  /// Adds a child; AE_ALREADY_EXISTS if the name is taken (an External placeholder is replaced).
  @discardableResult
  mutating func add(_ name: AMLNameSeg, parent: Int, object: AMLObject, temporary: Bool = false)
    throws(AMLError) -> Int
  {
    if let existing = nodes[parent].children[name] {
      if case .external = nodes[existing].object {
        nodes[existing].object = object
        return existing
      }
      throw AMLError(.AE_ALREADY_EXISTS, "\(path(of: existing)) already exists")
    }
    let node = Node(name: name, parent: parent, object: object, temporary: temporary)
    let id: Int
    if let free = freeList.popLast() {
      nodes[free] = node
      id = free
    } else {
      nodes.append(node)
      id = nodes.count - 1
    }
    nodes[parent].children[name] = id
    return id
  }

  /// Removes a node and its subtree.
  mutating func remove(_ node: Int) {
    guard node != Self.root, nodes[node].live else { return }
    for child in nodes[node].children.values { remove(child) }
    let parent = nodes[node].parent
    if nodes[parent].children[nodes[node].name] == node { nodes[parent].children[nodes[node].name] = nil }
    nodes[node] = Node(name: nodes[node].name, parent: 0, object: .scope, live: false)
    freeList.append(node)
  }

  /// Absolute ASL path of a node (`\_SB.C001._STA`).
  public func path(of node: Int) -> String {
    if node == Self.root { return "\\" }
    var parts: [String] = []
    var current = node
    var guardCount = 0
    while current != Self.root && guardCount < 300 {
      parts.append(nodes[current].name.description)
      current = nodes[current].parent
      guardCount += 1
    }
    return "\\" + parts.reversed().joined(separator: ".")
  }

  /// Resolves `name` from `scope` as ACPICA does: a single segment without prefix searches the
  /// scope and then each enclosing scope up to the root; any other form names one place.
  /// Aliases resolve to their target.
  public func lookup(_ name: AMLNameString, from scope: Int) -> Int? {
    var start = name.isRooted ? Self.root : scope
    if !name.isRooted {
      for _ in 0..<name.parentPrefixes {
        if start == Self.root { return nil }
        start = nodes[start].parent
      }
    }
    if name.segments.isEmpty { return start }
    if name.isSingleSegment {
      var current = scope
      while true {
        if let found = nodes[current].children[name.segments[0]] { return resolveAlias(found) }
        if current == Self.root { return nil }
        current = nodes[current].parent
      }
    }
    var current = start
    for seg in name.segments {
      guard let next = nodes[current].children[seg] else { return nil }
      current = resolveAlias(next)
    }
    return current
  }

  func resolveAlias(_ node: Int) -> Int {
    var current = node
    for _ in 0..<16 {
      guard case .alias(let target) = nodes[current].object else { return current }
      current = target
    }
    return current
  }

  /// Looks up an absolute or root-relative ASL path string.
  public func lookup(path text: String) -> Int? {
    guard let name = AMLNameString(parsing: text) else { return nil }
    var rooted = name
    if !rooted.isRooted && rooted.parentPrefixes == 0 && !rooted.isSingleSegment { rooted.isRooted = true }
    return lookup(rooted, from: Self.root)
  }

  /// Argument count of the method `name` resolves to (methods, aliases of methods, and
  /// External(..., MethodObj, n) declarations); nil if it is not a method.
  func methodArity(_ name: AMLNameString, from scope: Int) -> Int? {
    guard let node = lookup(name, from: scope) else { return nil }
    switch nodes[node].object {
    case .method(let method): return method.definition.argumentCount
    case .external(let type, let count) where type == 8: return count
    default: return nil
    }
  }

  /// Children of a node, sorted by creation order is not kept; sorted by name for stable output.
  public func children(of node: Int) -> [Int] {
    nodes[node].children.sorted { $0.key < $1.key }.map(\.value)
  }

  /// Resolves where a new object named `name` goes from `scope`: (parent node, final segment).
  func placement(of name: AMLNameString, from scope: Int) throws(AMLError) -> (Int, AMLNameSeg) {
    guard let last = name.segments.last else {
      throw AMLError(.AE_AML_BAD_NAME, "a named object cannot use the NullName")
    }
    var prefix = name
    prefix.segments.removeLast()
    var parent: Int
    if prefix.segments.isEmpty {
      parent = name.isRooted ? Self.root : scope
      for _ in 0..<name.parentPrefixes {
        guard parent != Self.root else { throw AMLError(.AE_NOT_FOUND, "\(name): '^' goes above the root") }
        parent = nodes[parent].parent
      }
    } else {
      prefix.isRooted = name.isRooted
      guard let found = lookupExact(prefix, from: scope) else {
        throw AMLError(.AE_NOT_FOUND, "\(name): scope \(prefix) does not exist")
      }
      parent = found
    }
    return (parent, last)
  }

  /// Like lookup, but never searches upward (multi-segment prefixes of a new name).
  private func lookupExact(_ name: AMLNameString, from scope: Int) -> Int? {
    var current = name.isRooted ? Self.root : scope
    for _ in 0..<name.parentPrefixes {
      if current == Self.root { return nil }
      current = nodes[current].parent
    }
    for seg in name.segments {
      guard let next = nodes[current].children[seg] else { return nil }
      current = resolveAlias(next)
    }
    return current
  }
}
