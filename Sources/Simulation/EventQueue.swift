/// A deterministic discrete-event queue: events fire in order of virtual time, and events at the
/// same time in the order they were scheduled. A value type, so copying it is a snapshot.
///
/// A binary min-heap keyed by (time, sequence). Every event of the world goes through one of
/// these (the machine's and the kernel's), so the operations are `@inlinable`: the kernel's
/// `EventQueue<Int>` is then specialized in GuestKernel instead of running the generic code
/// through witness tables, and the sifts work on the heap's storage in place.
public struct EventQueue<Payload>: Sendable where Payload: Sendable {
  public struct Entry: Sendable {
    public let time: UInt64
    public let sequence: UInt64
    public let payload: Payload

    @inlinable
    init(time: UInt64, sequence: UInt64, payload: Payload) {
      self.time = time
      self.sequence = sequence
      self.payload = payload
    }
  }

  @usableFromInline var heap: [Entry] = []
  @usableFromInline var nextSequence: UInt64 = 0

  @inlinable
  public init() {}

  @inlinable public var isEmpty: Bool { heap.isEmpty }
  @inlinable public var count: Int { heap.count }
  /// The time of the earliest event, if any.
  @inlinable public var nextTime: UInt64? { heap.first?.time }
  @inlinable public var first: Entry? { heap.first }

  @inlinable
  static func precedes(_ a: Entry, _ b: Entry) -> Bool {
    a.time != b.time ? a.time < b.time : a.sequence < b.sequence
  }

  @inlinable
  public mutating func schedule(at time: UInt64, _ payload: Payload) {
    let entry = Entry(time: time, sequence: nextSequence, payload: payload)
    nextSequence += 1
    heap.append(entry)
    heap.withUnsafeMutableBufferPointer { heap in
      // Sift up: the new entry moves above every later parent.
      var child = heap.count - 1
      while child > 0 {
        let parent = (child - 1) / 2
        guard EventQueue.precedes(entry, heap[parent]) else { break }
        heap.swapAt(child, parent)
        child = parent
      }
    }
  }

  /// Removes and returns the earliest event.
  @inlinable
  public mutating func pop() -> Entry? {
    guard let last = heap.popLast() else { return nil }
    guard !heap.isEmpty else { return last }
    let top = heap[0]
    heap.withUnsafeMutableBufferPointer { heap in
      // Sift down: the last entry goes into the root's place, then down past smaller children.
      let count = heap.count
      var parent = 0
      while true {
        let left = 2 * parent + 1
        guard left < count else { break }
        let right = left + 1
        let child = right < count && EventQueue.precedes(heap[right], heap[left]) ? right : left
        guard EventQueue.precedes(heap[child], last) else { break }
        heap.swapAt(parent, child)
        parent = child
      }
      heap[parent] = last
    }
    return top
  }

  /// Removes every event for which `matches` is true (e.g. a vCPU's slices when it powers off).
  public mutating func removeAll(where matches: (Payload) -> Bool) {
    let kept = heap.filter { !matches($0.payload) }
    guard kept.count != heap.count else { return }
    heap = []
    for entry in kept.sorted(by: EventQueue.precedes) { heap.append(entry) }
  }

  /// The pending events in firing order (for `info` displays and tests).
  public var ordered: [Entry] { heap.sorted(by: EventQueue.precedes) }
}
