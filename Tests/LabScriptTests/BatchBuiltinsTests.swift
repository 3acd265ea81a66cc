import CPUMask
import Testing

@testable import LabScript

/// `emit`, `random`, `random_int()`, `random_choice()`, and finding a script's emits before it runs.
@Suite struct BatchBuiltinsTests {
  // MARK: emit

  @Test func emitRecordsTypedValuesInFirstEmitOrderAndPrintsNothing() {
    let session = Session()
    #expect(
      output(
        """
        let m = cpulist("0-3,8")
        emit width (weight(m))
        emit online $m
        emit label hot-add
        emit flag true
        emit list ([1, "a"])
        emit width 7
        """, in: session) == "")
    let emitted = session.batch.emitted
    #expect(emitted.map(\.name) == ["width", "online", "label", "flag", "list"])
    #expect(session.batch.emitted("width") == .int(7))
    #expect(session.batch.emitted("online") == .mask(try! CPUMask(cpulist: "0-3,8", nrCPUs: session.nrCPUs)))
    #expect(session.batch.emitted("label") == .string("hot-add"))
    #expect(session.batch.emitted("flag") == .bool(true))
    #expect(session.batch.emitted("list") == .list([.int(1), .string("a")]))
  }

  @Test func emitWithoutArgumentsListsTheResults() {
    #expect(output("emit a 1\nemit b \"x y\"\nemit") == "a = 1\nb = \"x y\"\n")
    #expect(output("emit") == "")
  }

  @Test func emitRejectsBadNamesAndAMissingValue() {
    let bad = run("emit 3x 1").error ?? ""
    #expect(bad.hasPrefix("test.hpl:1:6: error: '3x' cannot name a result\n"))
    #expect(bad.contains("hint: use letters, digits and _, not starting with a digit"))
    #expect(run("emit \"a-b\" 1").error?.contains("'a-b' cannot name a result") == true)
    #expect(run("emit x").error?.hasPrefix("test.hpl:1:1: error: 'emit' is missing VALUE\n") == true)
    #expect(run("emit x 1 2").error?.contains("too many arguments for 'emit'") == true)
  }

  // MARK: random

  @Test func generatorMatchesAnIndependentXoshiro256StarStar() {
    // Reference values from a separate implementation of SplitMix64 seeding + xoshiro256**.
    var zero = RandomSource(seed: 0)
    #expect(
      [zero.next(), zero.next(), zero.next()] == [
        0x99ec_5f36_cb75_f2b4, 0xbf6e_1f78_4956_452a, 0x1a5f_849d_4933_e6e0,
      ])
    var answer = RandomSource(seed: 42)
    #expect([answer.next(), answer.next()] == [0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e])
    var negative = RandomSource(seed: -1)
    #expect(negative.next() == 0x8f55_20d5_2a7e_ad08)
    var dice = RandomSource(seed: 42)
    #expect((0..<10).map { _ in dice.int(from: 1, through: 6) } == [1, 3, 5, 6, 6, 5, 5, 6, 5, 4])
    var signed = RandomSource(seed: 7)
    #expect((0..<10).map { _ in signed.int(from: -5, through: 5) } == [2, -2, 4, 5, 5, 4, -5, -4, -1, -4])
  }

  @Test func boundedIntsStayInRangeAndReachBothEnds() {
    var g = RandomSource(seed: 1)
    var seen = Set<Int>()
    for _ in 0..<2000 {
      let v = g.int(from: 3, through: 9)
      #expect((3...9).contains(v))
      seen.insert(v)
    }
    #expect(seen == Set(3...9))
    #expect(g.int(from: 5, through: 5) == 5)
    // The whole Int range does not overflow.
    _ = g.int(from: Int.min, through: Int.max)
    let near = g.int(from: Int.max - 1, through: Int.max)
    #expect(near >= Int.max - 1)
  }

  @Test func theSameSeedGivesTheSameNumbersInScripts() {
    let script =
      "random seed 11\nprint random_int(1, 1000), random_int(1, 1000), random_choice([\"a\", \"b\", \"c\"])"
    let first = output(script)
    #expect(first == output(script))
    #expect(first != output(script.replacingOccurrences("seed 11", "seed 12")))
    // A new session starts from seed 0.
    #expect(output("print random_int(0, 1000000)") == output("random seed 0\nprint random_int(0, 1000000)"))
  }

  @Test func randomCommandsPrintAndSeed() {
    let session = Session()
    _ = output("random seed 42", in: session)
    #expect(session.batch.random.seed == 42)
    #expect(output("random int 1 6\nrandom int 1 6\nrandom int 1 6", in: session) == "1\n3\n5\n")
    let picked = output("random choice plug unplug online offline")
    #expect(["plug\n", "unplug\n", "online\n", "offline\n"].contains(picked))
    #expect(output("random choice 5-7") == "5-7\n")
    #expect(["5\n", "6\n", "7\n"].contains(output("random choice (cpulist(\"5-7\"))")))
    #expect(
      output("random seed 3\nrandom choice ([10, 20])")
        == "\(output("random seed 3\nprint random_choice([10, 20])"))")
  }

  @Test func randomErrorsSayWhy() {
    #expect(run("random int 5 1").error?.contains("error: the range 5..1 is empty") == true)
    #expect(run("print random_int(5, 1)").error?.contains("hint: a must not exceed b") == true)
    #expect(run("print random_choice([])").error?.contains("cannot choose from an empty list") == true)
    #expect(
      run("print random_choice(cpulist(\"\"))").error?.contains("cannot choose a CPU from an empty mask")
        == true)
    #expect(
      run("print random_choice(3)").error?.contains("random_choice() needs a list or a mask, not int") == true
    )
    #expect(run("random").error?.contains("'random' needs a sub-command: seed, int, choice") == true)
    #expect(run("random seed x").error?.contains("S must be an integer, not 'x'") == true)
  }

  @Test func randomChoiceOfAMaskGivesItsCPUs() {
    let session = Session()
    _ = output("random seed 5", in: session)
    for _ in 0..<50 {
      #expect(["1\n", "4\n", "9\n"].contains(output("print random_choice(cpulist(\"1,4,9\"))", in: session)))
    }
  }

  // MARK: emits found before running

  @Test func emitDeclarationsAreFoundEverywhereInWrittenOrder() throws {
    let session = Session()
    let text = """
      def measure(n) {
        emit inner $n
      }
      emit first 1
      for i in 1..3 { if i == 2 { emit looped $i } else { emit other 0 } }
      while false { emit never 0 }
      expect error { emit failing 1; expect false }
      emit first 2
      emit
      """
    let found = try session.emitDeclarations(in: text, name: "x.hpl")
    #expect(found.map(\.name) == ["inner", "first", "looped", "other", "never", "failing", "first"])
    #expect(found[1].span.position == "x.hpl:4:6")
    // Nothing ran.
    #expect(session.batch.emitted.isEmpty && session["i"] == nil)
  }

  @Test func emitDeclarationsNeedPlainNames() {
    let session = Session()
    for text in ["let n = \"a\"\nemit $n 1", "emit \"quoted\" 1", "emit a=1", "emit 9lives 1"] {
      #expect(throws: LabScriptError.self) { try session.emitDeclarations(in: text, name: "x.hpl") }
    }
    do {
      _ = try session.emitDeclarations(in: "emit ${\"a\"} 1", name: "x.hpl")
      Issue.record("a computed name was accepted")
    } catch {
      #expect(error.span?.position == "x.hpl:1:6")
      #expect(error.message == "emit's NAME must be a plain word here")
      #expect(error.hint?.contains("so that the batch knows its columns") == true)
    }
    #expect(throws: LabScriptError.self) { try session.emitDeclarations(in: "emit x (", name: "x.hpl") }
  }

  @Test func variableNames() {
    #expect(Session.isVariableName("maxcpus") && Session.isVariableName("_x9") && Session.isVariableName("A"))
    for bad in ["", "9a", "a-b", "a b", "if", "true", "let", "é"] { #expect(!Session.isVariableName(bad)) }
    #expect(Session.isName("if") && !Session.isName("1"))
  }
}

extension String {
  fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
