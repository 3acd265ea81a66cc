/// Parsing bitmaps from text the way Linux does (lib/bitmap-str.c): `bitmap_parselist()` for the
/// list format that `cpulist_parse()` and sysfs list files accept, and `bitmap_parse()` for the
/// comma-separated hex format that `cpumask_parse()` accepts.

/// A bitmap parse failure: Linux's errno plus where in the text the parser gave up and why.
public struct BitmapParseError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What Linux returns: -EINVAL, -ERANGE or -EOVERFLOW.
  public let errno: Errno
  /// Offset (in UTF-8 bytes, 0-based) of the character the parser stopped at.
  public let offset: Int
  /// Why, in words.
  public let reason: String

  public init(_ errno: Errno, offset: Int, _ reason: String) {
    self.errno = errno
    self.offset = offset
    self.reason = reason
  }

  public var description: String {
    "\(errno.symbol) (\(errno.negated)) at offset \(offset): \(reason)"
  }
}

extension Bitmap {
  /// `bitmap_parselist(buf, maskp, nbits)`: parses the list format.
  ///
  /// Regions are separated by commas or white space (leading separators are allowed); each is
  /// `N`, `A-B`, or `A-B:used/group` (set the first `used` bits of every `group`-sized group from
  /// `A` to `B`); `all` means `0-(nbits-1)`, and `N` as a number means the last bit. The text ends
  /// at the end of the string, a NUL or a newline.
  ///
  /// Errors as Linux: -EINVAL for a malformed region or character, start > end, a zero group or
  /// used > group; -ERANGE when a region ends at or beyond `nbits`; -EOVERFLOW for a number that
  /// does not fit in 32 bits.
  public static func parseList(_ text: String, nbits: Int) throws(BitmapParseError) -> Bitmap {
    var bitmap = Bitmap(nbits: nbits)
    var scanner = ListScanner(bytes: Array(text.utf8), lastBit: UInt32(truncatingIfNeeded: nbits - 1))
    while true {
      scanner.skipSeparators()
      if scanner.atEndOfString { return bitmap }
      let regionStart = scanner.position
      let region = try scanner.parseRegion()
      if region.start > region.end {
        throw BitmapParseError(
          .EINVAL, offset: regionStart, "range start \(region.start) is above its end \(region.end)")
      }
      if region.groupLength == 0 {
        throw BitmapParseError(
          .EINVAL, offset: regionStart,
          region.explicitPattern ? "group size is 0" : "\(region.end) + 1 wraps to 0 in 32 bits")
      }
      if region.used > region.groupLength {
        throw BitmapParseError(
          .EINVAL, offset: regionStart,
          "used size \(region.used) is larger than group size \(region.groupLength)")
      }
      if Int(region.end) >= nbits {
        throw BitmapParseError(
          .ERANGE, offset: regionStart, "bit \(region.end) does not fit in a mask of \(nbits) bits")
      }
      // bitmap_set_region(): from every group start, set Swift.min(used, bits left) bits.
      var groupStart = Int(region.start)
      while groupStart <= Int(region.end) {
        bitmap.set(start: groupStart, count: Swift.min(Int(region.end) - groupStart + 1, Int(region.used)))
        groupStart += Int(region.groupLength)
      }
      if scanner.finished { return bitmap }
    }
  }

  /// `bitmap_parse(buf, UINT_MAX, maskp, nbits)`: parses the hex format that `%*pb` prints.
  ///
  /// The text (up to the first newline) is read from its end: each comma-separated chunk of at most
  /// 8 hex digits gives the next 32 bits; white space and empty chunks (`1,,5`, `,44`, `,`, ``)
  /// are allowed. -EINVAL for a character that is not a hex digit; -EOVERFLOW for a chunk of more
  /// than 8 digits, more chunks than the bitmap has, or a set bit at or beyond `nbits`.
  public static func parseHex(_ text: String, nbits: Int) throws(BitmapParseError) -> Bitmap {
    var bytes = Array(text.utf8)
    if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) { bytes.removeSubrange(newline...) }
    var chunks: [UInt32] = []
    let chunkCapacity = (nbits + 31) / 32
    var end = bytes.count - 1
    while true {
      while end >= 0 && isRegionSeparator(bytes[end]) { end -= 1 }
      if end < 0 { break }
      if chunks.count == chunkCapacity {
        throw BitmapParseError(
          .EOVERFLOW, offset: end, "more than \(chunkCapacity) 32-bit chunks for a mask of \(nbits) bits")
      }
      var value: UInt32 = 0
      var shift: UInt32 = 0
      var done = false
      // bitmap_get_x32_reverse(): up to 8 digits backwards, stopping at a separator.
      while shift < 32 {
        guard let digit = hexDigit(bytes[end]) else {
          throw BitmapParseError(.EINVAL, offset: end, "'\(printable(bytes[end]))' is not a hex digit")
        }
        value |= UInt32(digit) << shift
        end -= 1
        shift += 4
        if end < 0 || isRegionSeparator(bytes[end]) {
          done = true
          break
        }
      }
      if !done {
        // Eight digits read and the chunk goes on: a ninth hex digit overflows 32 bits. Linux
        // consumes the character either way.
        if hexDigit(bytes[end]) != nil {
          throw BitmapParseError(.EOVERFLOW, offset: end, "a chunk has more than 8 hex digits")
        }
        end -= 1
      }
      chunks.append(value)
    }
    var bitmap = Bitmap(nbits: nbits)
    for (index, chunk) in chunks.enumerated() {
      for bit in 0..<32 where chunk & (1 << UInt32(bit)) != 0 {
        let position = index * 32 + bit
        guard position < nbits else {
          throw BitmapParseError(
            .EOVERFLOW, offset: 0, "bit \(position) is set but the mask has only \(nbits) bits")
        }
        bitmap.set(position)
      }
    }
    return bitmap
  }
}

/// `__end_of_region()`: white space or a comma.
private func isRegionSeparator(_ c: UInt8) -> Bool {
  c == UInt8(ascii: ",") || isSpace(c)
}

/// The kernel's `isspace()` for the C locale: space, \t, \n, \v, \f, \r.
private func isSpace(_ c: UInt8) -> Bool {
  c == 0x20 || (0x09...0x0D).contains(c)
}

private func hexDigit(_ c: UInt8) -> UInt8? {
  switch c {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
  default: nil
  }
}

private func printable(_ c: UInt8) -> String {
  (0x20..<0x7F).contains(c) ? String(UnicodeScalar(c)) : "\\x" + String(c, radix: 16)
}

/// One region of the list format: `start-end:used/groupLength` (`struct region`).
private struct Region {
  var start: UInt32 = 0
  var end: UInt32 = 0
  var used: UInt32 = 0
  var groupLength: UInt32 = 0
  /// Whether `:used/group` was written; without it the group is `end + 1` bits.
  var explicitPattern = false
}

/// A cursor over the list-format text with the kernel's tokenizing rules.
private struct ListScanner {
  let bytes: [UInt8]
  let lastBit: UInt32
  var position = 0
  /// Set when a region ended exactly at the end of the string (the kernel's NULL return).
  var finished = false

  init(bytes: [UInt8], lastBit: UInt32) {
    self.bytes = bytes
    self.lastBit = lastBit
  }

  var current: UInt8 { position < bytes.count ? bytes[position] : 0 }

  /// `end_of_str()`: NUL (or the end of the Swift string) or a newline.
  var atEndOfString: Bool { current == 0 || current == UInt8(ascii: "\n") }

  /// `end_of_region()`
  var atEndOfRegion: Bool { atEndOfString || isRegionSeparator(current) }

  /// `bitmap_find_region()`
  mutating func skipSeparators() {
    while position < bytes.count && isRegionSeparator(bytes[position]) { position += 1 }
  }

  /// `bitmap_parse_region()`
  mutating func parseRegion() throws(BitmapParseError) -> Region {
    var region = Region()
    if matchesAll() {
      region.start = 0
      region.end = lastBit
      position += 3
    } else {
      region.start = try number()
      if atEndOfRegion {
        region.end = region.start
        return finishWithoutPattern(region)
      }
      guard current == UInt8(ascii: "-") else {
        throw unexpected("'-', ',' or the end of the list")
      }
      position += 1
      region.end = try number()
    }
    if atEndOfRegion { return finishWithoutPattern(region) }
    guard current == UInt8(ascii: ":") else { throw unexpected("':', ',' or the end of the list") }
    position += 1
    region.used = try number()
    guard current == UInt8(ascii: "/") else { throw unexpected("'/' after the used size") }
    position += 1
    region.groupLength = try number()
    region.explicitPattern = true
    return region
  }

  private mutating func finishWithoutPattern(_ region: Region) -> Region {
    var region = region
    // No pattern: one group that covers the whole range.
    region.used = region.end &+ 1
    region.groupLength = region.end &+ 1
    if atEndOfString { finished = true }
    return region
  }

  /// `strncasecmp(str, "all", 3)`
  private func matchesAll() -> Bool {
    guard position + 3 <= bytes.count else { return false }
    return bytes[position..<position + 3].map { $0 | 0x20 } == Array("all".utf8)
  }

  /// `bitmap_getnum()`: `N` for the last bit, or an unsigned decimal that fits in 32 bits.
  private mutating func number() throws(BitmapParseError) -> UInt32 {
    if current == UInt8(ascii: "N") {
      position += 1
      return lastBit
    }
    let start = position
    var value: UInt64 = 0
    var overflow = false
    while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
      let (times10, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[position] - UInt8(ascii: "0")))
      overflow = overflow || o1 || o2
      value = sum
      position += 1
    }
    if position == start { throw unexpected("a number or 'N'") }
    if overflow || value > UInt64(UInt32.max) {
      throw BitmapParseError(
        .EOVERFLOW, offset: start,
        "\(String(decoding: bytes[start..<position], as: UTF8.self)) does not fit in 32 bits")
    }
    return UInt32(value)
  }

  private func unexpected(_ expected: String) -> BitmapParseError {
    let found = atEndOfString ? "the end of the list" : "'\(printable(current))'"
    return BitmapParseError(.EINVAL, offset: position, "expected \(expected), found \(found)")
  }
}
