import A64
import Testing

@testable import Simulation

@Suite struct EventQueueTests {
  /// A SplitMix64 stream, so every run schedules the same events.
  struct Random {
    var generator: SplitMix64
    init(state: UInt64) { generator = SplitMix64(seed: state) }
    mutating func below(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
  }

  /// Random schedules and pops against a list kept in (time, order scheduled) order: the heap
  /// must fire events in exactly that order, ties in the order they were scheduled.
  @Test func firesByTimeThenSchedulingOrder() {
    var random = Random(state: 42)
    var queue = EventQueue<Int>()
    var reference: [(time: UInt64, payload: Int)] = []
    var next = 0
    for _ in 0..<20_000 {
      if random.below(3) != 0 || reference.isEmpty {
        // Few distinct times, so many events tie.
        let time = UInt64(random.below(64))
        queue.schedule(at: time, next)
        let place = reference.firstIndex { $0.time > time } ?? reference.count
        reference.insert((time, next), at: place)
        next += 1
      } else {
        #expect(queue.first?.payload == reference.first?.payload)
        let popped = queue.pop()
        let expected = reference.removeFirst()
        #expect(popped?.time == expected.time && popped?.payload == expected.payload)
      }
      #expect(queue.count == reference.count)
      #expect(queue.nextTime == reference.first?.time)
    }
    #expect(queue.ordered.map(\.payload) == reference.map(\.payload))
    queue.removeAll { $0 % 2 == 0 }
    reference.removeAll { $0.payload % 2 == 0 }
    while let popped = queue.pop() { #expect(popped.payload == reference.removeFirst().payload) }
    #expect(reference.isEmpty && queue.isEmpty && queue.pop() == nil)
  }

  @Test func aCopyIsASnapshot() {
    var queue = EventQueue<String>()
    queue.schedule(at: 5, "b")
    queue.schedule(at: 1, "a")
    let saved = queue
    #expect(queue.pop()?.payload == "a")
    queue.schedule(at: 0, "z")
    #expect(saved.ordered.map(\.payload) == ["a", "b"])
    #expect(queue.ordered.map(\.payload) == ["z", "b"])
  }
}
