import A64
import Testing

@testable import CPUMask

@Suite struct BitmapStringTests {
  struct ListCase: CustomTestStringConvertible, Sendable {
    let bits: [Int]
    let nbits: Int
    let text: String
    var testDescription: String { "\(text.isEmpty ? "(empty)" : text) over \(nbits)" }
  }

  static let listCases: [ListCase] = [
    .init(bits: [], nbits: 512, text: ""),
    .init(bits: [0], nbits: 1, text: "0"),
    .init(bits: [5], nbits: 512, text: "5"),
    .init(bits: [7, 8], nbits: 512, text: "7-8"),
    .init(bits: [0, 1, 2, 3, 5, 7, 8], nbits: 512, text: "0-3,5,7-8"),
    .init(bits: [31, 32], nbits: 512, text: "31-32"),
    .init(bits: [31, 33], nbits: 512, text: "31,33"),
    .init(bits: [63, 64], nbits: 512, text: "63-64"),
    .init(bits: [63], nbits: 64, text: "63"),
    .init(bits: [511], nbits: 512, text: "511"),
    .init(bits: Array(0..<512), nbits: 512, text: "0-511"),
    .init(bits: Array(0..<4096), nbits: 4096, text: "0-4095"),
    .init(bits: [0, 2, 3], nbits: 4, text: "0,2-3"),
  ]

  @Test(arguments: listCases) func listFormat(_ c: ListCase) throws {
    let b = Bitmap(nbits: c.nbits, setting: c.bits)
    #expect(b.listString == c.text)
    #expect(try Bitmap.parseList(c.text, nbits: c.nbits) == b)
  }

  struct HexCase: CustomTestStringConvertible, Sendable {
    let bits: [Int]
    let nbits: Int
    let text: String
    var testDescription: String { "\(text) over \(nbits)" }
  }

  static let hexCases: [HexCase] = [
    .init(bits: [], nbits: 0, text: ""),
    .init(bits: [0, 1, 2, 3], nbits: 4, text: "f"),
    .init(bits: [0], nbits: 1, text: "1"),
    .init(bits: [], nbits: 4, text: "0"),
    .init(bits: [0, 1], nbits: 8, text: "03"),
    .init(bits: [0], nbits: 32, text: "00000001"),
    .init(bits: [31], nbits: 32, text: "80000000"),
    .init(bits: [32], nbits: 33, text: "1,00000000"),
    .init(bits: [0, 1, 2, 3], nbits: 40, text: "00,0000000f"),
    .init(bits: [31, 32], nbits: 64, text: "00000001,80000000"),
    .init(bits: [63, 64], nbits: 65, text: "1,80000000,00000000"),
    .init(bits: [0, 1, 2, 3, 8], nbits: 64, text: "00000000,0000010f"),
    .init(
      bits: [0, 1, 2, 3, 8], nbits: 512,
      text: Array(repeating: "00000000", count: 15).joined(separator: ",") + ",0000010f"),
    .init(
      bits: [511], nbits: 512,
      text: "80000000," + Array(repeating: "00000000", count: 15).joined(separator: ",")),
  ]

  @Test(arguments: hexCases) func mapFormat(_ c: HexCase) throws {
    let b = Bitmap(nbits: c.nbits, setting: c.bits)
    #expect(b.hexString == c.text)
    #expect(try Bitmap.parseHex(c.text, nbits: c.nbits) == b)
  }

  @Test func randomRoundTrips() throws {
    var rng = SplitMix64(seed: 2024)  // A64's generator: the same round trips on every run
    for round in 0..<2000 {
      let nbits = [1, 31, 32, 33, 63, 64, 65, 100, 512, 4096][round % 10]
      let density = Double.random(in: 0...1, using: &rng)
      let bits = (0..<nbits).filter { _ in Double.random(in: 0..<1, using: &rng) < density }
      let b = Bitmap(nbits: nbits, setting: bits)
      #expect(try Bitmap.parseList(b.listString, nbits: nbits) == b)
      #expect(try Bitmap.parseHex(b.hexString, nbits: nbits) == b)
    }
  }
}
