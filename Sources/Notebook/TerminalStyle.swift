/// ANSI styling for the terminal. The caller decides whether colour is on (only on a terminal,
/// never with NO_COLOR); when it is off every function returns its text unchanged.
public struct TerminalStyle: Sendable {
  public let enabled: Bool

  public init(enabled: Bool) { self.enabled = enabled }

  private func wrap(_ text: String, _ code: String) -> String {
    enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  public func bold(_ text: String) -> String { wrap(text, "1") }
  public func dim(_ text: String) -> String { wrap(text, "2") }
  public func italic(_ text: String) -> String { wrap(text, "3") }
  public func underline(_ text: String) -> String { wrap(text, "4") }
  public func red(_ text: String) -> String { wrap(text, "1;31") }
  public func green(_ text: String) -> String { wrap(text, "32") }
  public func yellow(_ text: String) -> String { wrap(text, "33") }
  public func cyan(_ text: String) -> String { wrap(text, "36") }
  public func boldGreen(_ text: String) -> String { wrap(text, "1;32") }
  public func boldBlue(_ text: String) -> String { wrap(text, "1;34") }
}
