/// An append-only history that copies cheaply: full chunks are shared between copies and only
/// the short tail is copied. The kernel's log, its uevents, the VMM's QMP events and the Lab's
/// timeline grow for the whole session and go into every undo checkpoint (one per command); as
/// plain arrays, each command after a checkpoint copied the whole history, and dropping an old
/// checkpoint freed it again, so a long session slowed down quadratically. (`Trace` does the
/// same for trace records, with packing on top.)
public struct AppendLog<Element> {
  static var chunkSize: Int { 256 }
  /// Full chunks, never changed once here.
  private var chunks: [[Element]] = []
  private var tail: [Element] = []

  public init() {}

  public init<S: Sequence>(_ elements: S) where S.Element == Element {
    for element in elements { append(element) }
  }

  public mutating func append(_ element: Element) {
    if tail.isEmpty { tail.reserveCapacity(Self.chunkSize) }
    tail.append(element)
    if tail.count == Self.chunkSize {
      chunks.append(tail)
      tail = []
    }
  }
}

extension AppendLog: RandomAccessCollection {
  public var startIndex: Int { 0 }
  public var endIndex: Int { chunks.count * Self.chunkSize + tail.count }

  public subscript(position: Int) -> Element {
    let chunked = chunks.count * Self.chunkSize
    return position < chunked
      ? chunks[position / Self.chunkSize][position % Self.chunkSize] : tail[position - chunked]
  }
}

extension AppendLog: ExpressibleByArrayLiteral {
  public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension AppendLog: Equatable where Element: Equatable {
  public static func == (a: AppendLog, b: AppendLog) -> Bool { a.elementsEqual(b) }
}

extension AppendLog: Hashable where Element: Hashable {
  public func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    for element in self { hasher.combine(element) }
  }
}

extension AppendLog: Sendable where Element: Sendable {}
