import Testing

@testable import Simulation

/// AppendLog behaves as an array that only grows, across chunk boundaries, and copies are
/// independent values.
@Suite struct AppendLogTests {
  @Test(arguments: [0, 1, 255, 256, 257, 512, 1000])
  func readsBackWhatWasAppended(count: Int) {
    var log = AppendLog<Int>()
    for i in 0..<count { log.append(i * 3) }
    #expect(log.count == count)
    #expect(Array(log) == (0..<count).map { $0 * 3 })
    if count > 0 {
      #expect(log.last == (count - 1) * 3)
      #expect(log[count / 2] == count / 2 * 3)
    }
    #expect(Array(log.suffix(2)) == Array((0..<count).map { $0 * 3 }.suffix(2)))
  }

  @Test func aCopyDoesNotSeeLaterAppends() {
    var a: AppendLog<String> = ["x"]
    for i in 0..<300 { a.append("line \(i)") }
    let snapshot = a
    for i in 300..<600 { a.append("line \(i)") }
    #expect(snapshot.count == 301)
    #expect(a.count == 601)
    #expect(snapshot.last == "line 299")
    #expect(Array(a.prefix(301)) == Array(snapshot))
    #expect(a != snapshot)
    #expect(AppendLog(Array(snapshot)) == snapshot)
    #expect(AppendLog(Array(snapshot)).hashValue == snapshot.hashValue)
  }
}
