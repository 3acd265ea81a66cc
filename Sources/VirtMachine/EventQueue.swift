/// A deterministic discrete-event queue: events fire in order of virtual time, and events at the
/// same time in the order they were scheduled. A value type, so copying it is a snapshot.
public struct EventQueue<Payload>: Sendable where Payload: Sendable {
  public struct Entry: Sendable {
    public let time: UInt64
    public let sequence: UInt64
    public let payload: Payload
  }

  private var heap: [Entry] = []
  private var nextSequence: UInt64 = 0

  public init() {}

  public var isEmpty: Bool { heap.isEmpty }
  public var count: Int { heap.count }
  /// The time of the earliest event, if any.
  public var nextTime: UInt64? { heap.first?.time }
  public var first: Entry? { heap.first }

  private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
    a.time != b.time ? a.time < b.time : a.sequence < b.sequence
  }

  public mutating func schedule(at time: UInt64, _ payload: Payload) {
    heap.append(Entry(time: time, sequence: nextSequence, payload: payload))
    nextSequence += 1
    var child = heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard EventQueue.precedes(heap[child], heap[parent]) else { break }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  /// Removes and returns the earliest event.
  public mutating func pop() -> Entry? {
    guard !heap.isEmpty else { return nil }
    let top = heap[0]
    let last = heap.removeLast()
    if !heap.isEmpty {
      heap[0] = last
      var parent = 0
      while true {
        let left = 2 * parent + 1
        let right = left + 1
        var best = parent
        if left < heap.count && EventQueue.precedes(heap[left], heap[best]) { best = left }
        if right < heap.count && EventQueue.precedes(heap[right], heap[best]) { best = right }
        if best == parent { break }
        heap.swapAt(parent, best)
        parent = best
      }
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
