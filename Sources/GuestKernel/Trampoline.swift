#if canImport(Foundation)
  import Foundation
#endif

extension Kernel {
  /// The shipped `secondary_entry.S` (Sources/GuestKernel/Resources), read from the module's
  /// resource bundle.
  public static let defaultTrampoline: String = {
    guard let url = Bundle.module.url(forResource: "secondary_entry", withExtension: "S"),
      let text = try? String(contentsOf: url, encoding: .utf8)
    else { return "" }
    return text
  }()
}
