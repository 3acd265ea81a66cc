/// The PL011 UART at 0x0900_0000 (Arm PrimeCell UART), as much of it as a guest's console
/// output needs: the data register (UARTDR) collects characters into lines, and the flag
/// register (UARTFR) reports an always-empty transmit FIFO.
public struct PL011: Hashable, Sendable {
  public static let base: UInt64 = 0x0900_0000
  public static let length: UInt64 = 0x1000

  enum Register {
    static let DR: UInt64 = 0x000
    static let FR: UInt64 = 0x018
    static let CR: UInt64 = 0x030
    static let PeriphID0: UInt64 = 0xFE0
  }

  /// Completed lines, in order.
  public var lines: [String] = []
  /// Characters since the last newline.
  public var partial: [UInt8] = []
  var control: UInt32 = 0x300

  public init() {}

  public func read(offset: UInt64, size: Int) -> UInt64 {
    switch offset {
    case Register.FR: return 0x90  // TXFE | RXFE: never busy, nothing received
    case Register.CR: return UInt64(control)
    case Register.PeriphID0: return 0x11
    case 0xFE4: return 0x10
    case 0xFE8: return 0x14
    case 0xFEC: return 0x00
    default: return 0
    }
  }

  /// Returns true when a line was completed.
  @discardableResult
  public mutating func write(offset: UInt64, size: Int, value: UInt64) -> Bool {
    switch offset {
    case Register.DR:
      let byte = UInt8(truncatingIfNeeded: value)
      if byte == 0x0A {
        lines.append(String(decoding: partial, as: UTF8.self))
        partial.removeAll()
        return true
      }
      if byte != 0x0D { partial.append(byte) }
    case Register.CR:
      control = UInt32(truncatingIfNeeded: value)
    default:
      break
    }
    return false
  }
}
