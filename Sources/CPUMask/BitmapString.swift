/// Printing bitmaps the way Linux's `%*pbl` and `%*pb` printk formats do (lib/vsprintf.c
/// `bitmap_list_string` and `bitmap_string`), which is what sysfs shows through
/// `cpumap_print_to_pagebuf()` / `bitmap_print_to_pagebuf()`.
extension Bitmap {
  /// The list format, `%*pbl`: ascending comma-separated decimal bit numbers, runs of two or more
  /// bits written `first-last` (`0-3,5,7-8`). An empty bitmap gives an empty string.
  public var listString: String {
    var out = ""
    for run in runs {
      if !out.isEmpty { out += "," }
      out += String(run.lowerBound)
      if run.upperBound != run.lowerBound { out += "-" + String(run.upperBound) }
    }
    return out
  }

  /// The hex map format, `%*pb`: 32-bit chunks, most significant first, separated by commas.
  /// Every chunk is printed, leading zero chunks included; the first chunk holds the `nbits % 32`
  /// top bits (or 32) and is zero-padded to `DIV_ROUND_UP(bits, 4)` digits, the others to 8.
  /// `nbits == 0` prints nothing.
  public var hexString: String {
    guard nbits > 0 else { return "" }
    var out = ""
    var chunkBits = nbits % 32 == 0 ? 32 : nbits % 32
    var start = (nbits + 31) / 32 * 32 - 32
    while start >= 0 {
      let word = words[start / 64] >> UInt64(start % 64)
      let value = word & ((UInt64(1) << UInt64(chunkBits)) - 1)
      if !out.isEmpty { out += "," }
      let digits = String(value, radix: 16)
      let width = (chunkBits + 3) / 4
      out += String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
      chunkBits = 32
      start -= 32
    }
    return out
  }
}
