import Foundation
import Testing

/// The randomized soak against the reference model. `swift test` runs a short soak;
/// `Scripts/soak N [--seed S]` runs a long one through the same test with HPLAB_SOAK_OPS and
/// HPLAB_SOAK_SEED set.
@Suite struct SoakTests {
  static var environment: [String: String] { ProcessInfo.processInfo.environment }

  /// The short run: 20 000 operations in a release build (Scripts/test), fewer in a debug one.
  @Test func randomizedSoakAgainstTheReference() throws {
    #if DEBUG
      let defaultOperations = 2_500
    #else
      let defaultOperations = 20_000
    #endif
    var options = Soak.Options()
    options.operations = Self.environment["HPLAB_SOAK_OPS"].flatMap { Int($0) } ?? defaultOperations
    options.seed = Self.environment["HPLAB_SOAK_SEED"].flatMap { UInt64($0) } ?? 20_251_125
    options.progressEvery = Self.environment["HPLAB_SOAK_PROGRESS"].flatMap { Int($0) } ?? 0
    let result = Soak.run(options)
    print("\(result.summary) (seed \(options.seed))")
    for found in result.found {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent(
        "hplab-soak-\(options.seed)-\(found.configuration).hpl")
      try? found.reproducer.write(to: file, atomically: true, encoding: .utf8)
      Issue.record(
        """
        \(found.failure.kind): \(found.failure)
        reproducer (\(file.path), shrunk from \(found.originalLength) operations):
        \(found.reproducer)
        """)
    }
  }
}
