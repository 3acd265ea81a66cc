import Testing

@testable import CPUMask

@Suite struct BitmapParseListTests {
  struct Accepted: CustomTestStringConvertible, Sendable {
    let text: String
    let nbits: Int
    let bits: [Int]
    var testDescription: String { "\(text.debugDescription) over \(nbits)" }
  }

  static let accepted: [Accepted] = [
    .init(text: "", nbits: 8, bits: []),
    .init(text: ",, ,", nbits: 8, bits: []),
    .init(text: "\n", nbits: 8, bits: []),
    .init(text: "0-3,8", nbits: 512, bits: [0, 1, 2, 3, 8]),
    .init(text: " 0-3 , 8 ", nbits: 512, bits: [0, 1, 2, 3, 8]),
    .init(text: "1-3 5\t7", nbits: 8, bits: [1, 2, 3, 5, 7]),
    .init(text: "3,1,2,1", nbits: 8, bits: [1, 2, 3]),
    .init(text: "5\ngarbage after the newline", nbits: 8, bits: [5]),
    .init(text: "0-1023:2/256", nbits: 1024, bits: [0, 1, 256, 257, 512, 513, 768, 769]),
    .init(text: "0-15:1/4", nbits: 16, bits: [0, 4, 8, 12]),
    .init(text: "2-9:3/4", nbits: 16, bits: [2, 3, 4, 6, 7, 8]),
    .init(text: "0-3:0/2", nbits: 8, bits: []),
    .init(text: "0-3:4/4", nbits: 8, bits: [0, 1, 2, 3]),
    .init(text: "N", nbits: 8, bits: [7]),
    .init(text: "0-N", nbits: 4, bits: [0, 1, 2, 3]),
    .init(text: "N-N", nbits: 4, bits: [3]),
    .init(text: "all", nbits: 3, bits: [0, 1, 2]),
    .init(text: "ALL", nbits: 3, bits: [0, 1, 2]),
    .init(text: "all:1/2", nbits: 6, bits: [0, 2, 4]),
    .init(text: "0-N:1/2,N", nbits: 6, bits: [0, 2, 4, 5]),
    .init(text: "511", nbits: 512, bits: [511]),
    .init(text: "4095", nbits: 4096, bits: [4095]),
    .init(text: "007", nbits: 8, bits: [7]),
  ]

  @Test(arguments: accepted) func accepts(_ c: Accepted) throws {
    #expect(Array(try Bitmap.parseList(c.text, nbits: c.nbits)) == c.bits)
  }

  struct Rejected: CustomTestStringConvertible, Sendable {
    let text: String
    let nbits: Int
    let errno: Errno
    let offset: Int
    let reason: String
    var testDescription: String { "\(text.debugDescription) → \(errno)" }
  }

  static let rejected: [Rejected] = [
    .init(text: "a", nbits: 8, errno: .EINVAL, offset: 0, reason: "expected a number or 'N', found 'a'"),
    .init(text: "-1", nbits: 8, errno: .EINVAL, offset: 0, reason: "expected a number or 'N', found '-'"),
    .init(
      text: "1-", nbits: 8, errno: .EINVAL, offset: 2,
      reason: "expected a number or 'N', found the end of the list"),
    .init(text: "1-,2", nbits: 8, errno: .EINVAL, offset: 2, reason: "expected a number or 'N', found ','"),
    .init(text: "3-1", nbits: 8, errno: .EINVAL, offset: 0, reason: "range start 3 is above its end 1"),
    .init(
      text: "0x1", nbits: 8, errno: .EINVAL, offset: 1,
      reason: "expected '-', ',' or the end of the list, found 'x'"),
    .init(
      text: "1,2x", nbits: 8, errno: .EINVAL, offset: 3,
      reason: "expected '-', ',' or the end of the list, found 'x'"),
    .init(
      text: "1-2-3", nbits: 8, errno: .EINVAL, offset: 3,
      reason: "expected ':', ',' or the end of the list, found '-'"),
    .init(
      text: "1:1/2", nbits: 8, errno: .EINVAL, offset: 1,
      reason: "expected '-', ',' or the end of the list, found ':'"),
    .init(
      text: "0-3:1", nbits: 8, errno: .EINVAL, offset: 5,
      reason: "expected '/' after the used size, found the end of the list"),
    .init(
      text: "0-3:1-2", nbits: 8, errno: .EINVAL, offset: 5,
      reason: "expected '/' after the used size, found '-'"),
    .init(text: "0-3:/2", nbits: 8, errno: .EINVAL, offset: 4, reason: "expected a number or 'N', found '/'"),
    .init(
      text: "0-3:3/2", nbits: 8, errno: .EINVAL, offset: 0, reason: "used size 3 is larger than group size 2"),
    .init(text: "0-3:1/0", nbits: 8, errno: .EINVAL, offset: 0, reason: "group size is 0"),
    .init(
      text: "0-3:1/2x", nbits: 8, errno: .EINVAL, offset: 7, reason: "expected a number or 'N', found 'x'"),
    .init(text: "al", nbits: 8, errno: .EINVAL, offset: 0, reason: "expected a number or 'N', found 'a'"),
    .init(
      text: "allx", nbits: 8, errno: .EINVAL, offset: 3,
      reason: "expected ':', ',' or the end of the list, found 'x'"),
    .init(text: "n", nbits: 8, errno: .EINVAL, offset: 0, reason: "expected a number or 'N', found 'n'"),
    .init(text: "8", nbits: 8, errno: .ERANGE, offset: 0, reason: "bit 8 does not fit in a mask of 8 bits"),
    .init(
      text: "0-3,512", nbits: 512, errno: .ERANGE, offset: 4,
      reason: "bit 512 does not fit in a mask of 512 bits"),
    .init(
      text: "0-512", nbits: 512, errno: .ERANGE, offset: 0,
      reason: "bit 512 does not fit in a mask of 512 bits"),
    .init(
      text: "4096", nbits: 4096, errno: .ERANGE, offset: 0,
      reason: "bit 4096 does not fit in a mask of 4096 bits"),
    // A lone UINT_MAX: its one-bit group size, end + 1, wraps to 0, so Linux says -EINVAL.
    .init(
      text: "4294967295", nbits: 8, errno: .EINVAL, offset: 0, reason: "4294967295 + 1 wraps to 0 in 32 bits"),
    .init(
      text: "4294967295-4294967295:1/1", nbits: 8, errno: .ERANGE, offset: 0,
      reason: "bit 4294967295 does not fit in a mask of 8 bits"),
    .init(
      text: "4294967296", nbits: 8, errno: .EOVERFLOW, offset: 0, reason: "4294967296 does not fit in 32 bits"
    ),
    .init(
      text: "1-99999999999999999999", nbits: 8, errno: .EOVERFLOW, offset: 2,
      reason: "99999999999999999999 does not fit in 32 bits"),
    .init(text: "N", nbits: 0, errno: .EINVAL, offset: 0, reason: "4294967295 + 1 wraps to 0 in 32 bits"),
    .init(text: "0", nbits: 0, errno: .ERANGE, offset: 0, reason: "bit 0 does not fit in a mask of 0 bits"),
    .init(text: "é", nbits: 8, errno: .EINVAL, offset: 0, reason: "expected a number or 'N', found '\\xc3'"),
  ]

  @Test(arguments: rejected) func rejects(_ c: Rejected) {
    #expect(throws: BitmapParseError(c.errno, offset: c.offset, c.reason)) {
      try Bitmap.parseList(c.text, nbits: c.nbits)
    }
  }

  @Test func errorDescriptionNamesTheErrno() {
    let e = BitmapParseError(.ERANGE, offset: 4, "bit 512 does not fit in a mask of 512 bits")
    #expect(e.description == "-ERANGE (-34) at offset 4: bit 512 does not fit in a mask of 512 bits")
    #expect(Errno.EINVAL.negated == -22)
    #expect(Errno.EOVERFLOW.symbol == "-EOVERFLOW")
  }
}

@Suite struct BitmapParseHexTests {
  struct Accepted: CustomTestStringConvertible, Sendable {
    let text: String
    let nbits: Int
    let bits: [Int]
    var testDescription: String { "\(text.debugDescription) over \(nbits)" }
  }

  static let accepted: [Accepted] = [
    .init(text: "", nbits: 64, bits: []),
    .init(text: ",", nbits: 64, bits: []),
    .init(text: "f", nbits: 4, bits: [0, 1, 2, 3]),
    .init(text: "F\n", nbits: 4, bits: [0, 1, 2, 3]),
    .init(text: " f ", nbits: 4, bits: [0, 1, 2, 3]),
    .init(text: "10f", nbits: 64, bits: [0, 1, 2, 3, 8]),
    // Separators are skipped, so empty chunks do not count: "1,,5" is 0x1_00000005.
    .init(text: "1,,5", nbits: 96, bits: [0, 2, 32]),
    .init(text: ",44", nbits: 64, bits: [2, 6]),
    .init(text: "ff,00000001", nbits: 64, bits: [0, 32, 33, 34, 35, 36, 37, 38, 39]),
    .init(text: "1,0", nbits: 64, bits: [32]),
    .init(text: "00000000,00000000,00000001", nbits: 65, bits: [0]),
    .init(text: "80000000", nbits: 32, bits: [31]),
    // bitmap_get_x32_reverse() consumes the character before an 8-digit chunk whatever it is.
    .init(text: "x12345678", nbits: 32, bits: [3, 4, 5, 6, 9, 10, 12, 14, 18, 20, 21, 25, 28]),
  ]

  @Test(arguments: accepted) func accepts(_ c: Accepted) throws {
    #expect(Array(try Bitmap.parseHex(c.text, nbits: c.nbits)) == c.bits)
  }

  struct Rejected: CustomTestStringConvertible, Sendable {
    let text: String
    let nbits: Int
    let errno: Errno
    let offset: Int
    let reason: String
    var testDescription: String { "\(text.debugDescription) → \(errno)" }
  }

  static let rejected: [Rejected] = [
    .init(text: "g", nbits: 8, errno: .EINVAL, offset: 0, reason: "'g' is not a hex digit"),
    .init(text: "0x1", nbits: 8, errno: .EINVAL, offset: 1, reason: "'x' is not a hex digit"),
    .init(text: "1-2", nbits: 8, errno: .EINVAL, offset: 1, reason: "'-' is not a hex digit"),
    .init(
      text: "123456789", nbits: 64, errno: .EOVERFLOW, offset: 0, reason: "a chunk has more than 8 hex digits"
    ),
    .init(
      text: "1f", nbits: 4, errno: .EOVERFLOW, offset: 0, reason: "bit 4 is set but the mask has only 4 bits"),
    .init(
      text: "100", nbits: 8, errno: .EOVERFLOW, offset: 0, reason: "bit 8 is set but the mask has only 8 bits"
    ),
    .init(
      text: "1,00000000,00000000", nbits: 64, errno: .EOVERFLOW, offset: 0,
      reason: "more than 2 32-bit chunks for a mask of 64 bits"),
    .init(
      text: "1", nbits: 0, errno: .EOVERFLOW, offset: 0,
      reason: "more than 0 32-bit chunks for a mask of 0 bits"),
  ]

  @Test(arguments: rejected) func rejects(_ c: Rejected) {
    #expect(throws: BitmapParseError(c.errno, offset: c.offset, c.reason)) {
      try Bitmap.parseHex(c.text, nbits: c.nbits)
    }
  }
}
