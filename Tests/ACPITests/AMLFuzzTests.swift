import A64
import Testing
import VirtMachine

@testable import ACPI

/// Mutated AML through load and evaluate: every input must end in a value or an AMLError —
/// never a crash (the test process would die) and never a hang (limits end every loop,
/// recursion and allocation). 1,000,000 inputs in release builds (Scripts/test), fewer in
/// debug builds so a developer's `swift test` stays quick.
@Suite struct AMLFuzzTests {
  #if DEBUG
    static let totalInputs = 16_000
  #else
    static let totalInputs = 1_000_000
  #endif
  static let shards = 8

  static let seeds: [[UInt8]] = {
    let kitchen: [AMLTerm] = [
      .name("INT0", .integer(5)),
      .name("STR0", .string("abc")),
      .name("BUF0", .bufferLiteral([1, 2, 3, 4, 5, 6, 7, 8])),
      .name("PKG0", .package([.one, .string("two"), .bufferLiteral([3])])),
      .mutex("MTX0", syncLevel: 2),
      .opRegion("RGN0", space: 0, offset: 0x1000, length: 0x10),
      .field(
        region: "RGN0", flags: AMLFieldFlags(accessType: .byte, updateRule: .writeAsZeros),
        elements: [
          .reserved(bits: 32), .named(AMLNameSeg("FLD0")!, bits: 1), .named(AMLNameSeg("FLD1")!, bits: 7),
        ]),
      .field(
        region: "RGN0", flags: AMLFieldFlags(accessType: .dword, updateRule: .preserve),
        elements: [
          .named(AMLNameSeg("SEL0")!, bits: 32), .reserved(bits: 32), .named(AMLNameSeg("DAT0")!, bits: 32),
        ]),
      .method(
        "ARIT", args: 2,
        [
          .store(.add(.arg(0), .arg(1)), .local(0)), .store(.multiply(.local(0), .integer(3)), .local(1)),
          .divide(.local(1), .add(.arg(1), .one), remainder: .local(2), quotient: .local(3)),
          .returning(.xor(.shiftLeft(.local(3), .integer(4)), .not(.local(2)))),
        ]),
      .method(
        "CONV",
        [
          .store(.concatenate(.ref("STR0"), .toHexString(.ref("INT0"))), .local(0)),
          .store(.toBuffer(.local(0)), .local(1)), .store(.sizeOf(.local(1)), .ref("INT0")),
          .returning(.lEqual(.toInteger(.string("0x10")), .integer(16))),
        ]),
      .method(
        "LOOP",
        [
          .store(.zero, .local(0)),
          .whileLoop(
            .lLess(.local(0), .integer(20)),
            [
              .increment(.local(0)), .ifThen(.and(.local(0), .one), [.continueLoop]),
              .store(.local(0), .index(.ref("BUF0"), .and(.local(0), .integer(7)))),
            ]),
          .returning(.derefOf(.index(.ref("PKG0"), .one))),
        ]),
      .method(
        "REGS", serialized: true,
        [
          .acquire(.ref("MTX0")), .store(.integer(3), .ref("SEL0")), .store(.one, .ref("FLD0")),
          .store(.ref("DAT0"), .local(0)), .release(.ref("MTX0")), .returning(.local(0)),
        ]),
      .method(
        "BFLD",
        [
          .createField(.dword, source: .ref("BUF0"), index: .integer(2), bitCount: nil, name: "DW00"),
          .store(.integer(0xAABB_CCDD), .ref("DW00")),
          .createField(.field, source: .ref("BUF0"), index: .integer(3), bitCount: .integer(9), name: "FL00"),
          .returning(.ref("FL00")),
        ]),
      .device(
        "DEV0", [.name("_HID", .string("ACPI0007")), .method("_STA", [.returning(.call("\\REGS", []))])]),
      .method("NTFY", args: 1, [.notify(.ref("DEV0"), .arg(0)), .returning(.objectType(.ref("DEV0")))]),
    ]
    return [
      DefinitionBlock(terms: kitchen).encodedBytes,
      DefinitionBlock(revision: 1, terms: Array(kitchen.prefix(9))).encodedBytes,
      // The board's DSDT (GED, hotplug registers, CPUS methods, two processor devices).
      VirtACPIBuild(
        smp: SMPConfiguration(cpus: 1, maxCPUs: 2, sockets: 1, clusters: 1, cores: 2, threads: 1),
        options: VirtOptions()
      ).dsdt.encodedBytes,
    ]
  }()

  /// A64's SplitMix64 stream, so every run mutates the same way.
  struct Generator {
    var generator: SplitMix64
    init(state: UInt64) { generator = SplitMix64(seed: state) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
  }

  static let interesting: [UInt8] = [
    0x00, 0x01, 0xFF, 0x5B, 0x10, 0x14, 0x0D, 0x11, 0x12, 0xA2, 0xA4, 0x70, 0x2F, 0x5C, 0x3F, 0x7F, 0x80,
  ]

  static func mutate(_ seed: [UInt8], _ random: inout Generator) -> [UInt8] {
    var bytes = seed
    for _ in 0..<(1 + random.below(2)) {
      let start = random.below(100) < 3 ? 0 : SDTHeader.size
      guard bytes.count > start else { break }
      let position = start + random.below(bytes.count - start)
      // In-place changes (kinds 0, 1, 4) keep every PkgLength valid and so reach the interpreter;
      // the others shift bytes and mostly exercise the parser's error paths.
      let kind = [0, 0, 1, 1, 4, 4, 4, 2, 3, 5, 6][random.below(11)]
      switch kind {
      case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
      case 1: bytes[position] ^= 1 << UInt8(random.below(8))
      case 2: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
      case 3: bytes.remove(at: position)
      case 4: bytes[position] = interesting[random.below(interesting.count)]
      case 5:
        let length = 1 + random.below(16)
        let from = SDTHeader.size + random.below(max(1, bytes.count - SDTHeader.size))
        let chunk = Array(bytes[from..<min(bytes.count, from + length)])
        bytes.insert(contentsOf: chunk, at: position)
      default: bytes.removeSubrange(position..<bytes.count)
      }
    }
    if bytes.count >= SDTHeader.size && random.below(100) >= 4 {
      // Mostly keep the header consistent, so the AML parser and interpreter see the mutation.
      let length = UInt32(bytes.count)
      for index in 0..<4 { bytes[4 + index] = UInt8(truncatingIfNeeded: length >> UInt32(8 * index)) }
      bytes[9] = 0
      bytes[9] = 0 &- bytes.reduce(0, &+)
    }
    return bytes
  }

  struct Tally: Sendable {
    var inputs = 0
    var loaded = 0
    var rejected = 0
    var evaluations = 0
    var failures = 0
    var statuses: Set<String> = []
  }

  static func run(shard: Int, count: Int) -> Tally {
    var limits = AMLLimits()
    limits.maxLoopIterations = 300
    limits.maxSteps = 4000
    limits.maxObjectSize = 4096
    var base = AMLInterpreter(limits: limits)
    base.needsOwnStack = false
    return AMLInterpreter.withLargeStack {
      var random = Generator(state: 0x4850_4C41_4200 + UInt64(shard))
      var tally = Tally()
      for _ in 0..<count {
        let seed = seeds[random.below(100) < 8 ? 2 : random.below(2)]
        let input = mutate(seed, &random)
        tally.inputs += 1
        var interpreter = base
        var host = AMLSimulatedHost()
        do throws(AMLError) {
          try interpreter.load(input, host: &host)
          tally.loaded += 1
        } catch {
          tally.rejected += 1
          tally.statuses.insert(error.status.rawValue)
          continue
        }
        var methods: [Int] = []
        for (node, entry) in interpreter.namespace.nodes.enumerated() where entry.live {
          if case .method(let method) = entry.object, !method.builtin { methods.append(node) }
        }
        for node in methods.prefix(12) {
          let arguments = (0..<random.below(3)).map { _ in AMLValue.integer(random.next() % 40) }
          tally.evaluations += 1
          do throws(AMLError) {
            _ = try interpreter.evaluate(node: node, arguments: arguments, host: &host)
          } catch {
            tally.failures += 1
            tally.statuses.insert(error.status.rawValue)
          }
        }
      }
      return tally
    }
  }

  @Test func seedsLoadAndEvaluateCleanly() throws {
    for seed in Self.seeds {
      var interpreter = AMLInterpreter()
      try interpreter.load(seed)
    }
  }

  @Test(arguments: 0..<shards)
  func mutatedAMLNeverCrashesOrHangs(_ shard: Int) {
    let count = Self.totalInputs / Self.shards
    let tally = Self.run(shard: shard, count: count)
    #expect(tally.inputs == count)
    #expect(tally.loaded + tally.rejected == count)
    // The mutations must reach both the table checks and the interpreter.
    #expect(tally.loaded > count / 10)
    #expect(tally.rejected > count / 100)
    #expect(tally.evaluations > count / 2)
    #expect(tally.statuses.contains("AE_BAD_HEADER"))
    #expect(tally.statuses.count >= 8)
  }
}
