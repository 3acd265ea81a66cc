import CPUMask
import Testing

@testable import LabScript

@Suite struct InterpreterTests {
  @Test func printingValues() {
    #expect(
      output(
        """
        print 1, "two", true, none, cpulist("0-3,8"), [1, "a", cpulist("2")]
        let m = cpulist("5")
        m
        "bare string"
        cpulist("", 8)
        """) == "1 two true none 0-3,8 [1, \"a\", cpulist(\"2\")]\n5\nbare string\n\n")
  }

  @Test func interpolation() {
    #expect(
      output(#"let n = 3; print "n=$n, next=${n + 1}, \$n, ${"inner ${n}"}""#) == "n=3, next=4, $n, inner 3\n"
    )
  }

  @Test func letSetAndScopes() {
    let s = Session()
    #expect(
      output(
        """
        let g = 1
        def f(a) {
          let local = a + g
          set g = 10
          return local
        }
        print f(5), g
        let g = 2
        print g
        """, in: s) == "6 10\n2\n")
    #expect(s["local"] == nil)
    #expect(run("print local", in: s).error?.contains("unknown variable 'local'") == true)
  }

  @Test func controlFlow() {
    #expect(
      output(
        """
        for i in 0..5 {
          if i == 1 { continue } else if i == 4 { break } else { print i }
        }
        let n = 0
        while n < 3 { set n = n + 1 }
        print n
        for c in cpulist("1,3-4") { print c }
        for x in ["a", "b"] { print x }
        for i in 3..1 { print "never" }
        """) == "0\n2\n3\n3\n1\n3\n4\na\nb\n")
  }

  @Test func userCommandsAsCommandsAndFunctions() {
    #expect(
      output(
        """
        def show(x, y) { print type(x), type(y), x }
        show 3 hello
        show 0x10 true
        show y=1 x="quoted"
        def twice(n) { return n * 2 }
        print twice(twice(3))
        def nothing() { }
        print nothing()
        """) == "int string 3\nint bool 16\nstring int quoted\n12\nnone\n")
  }

  @Test func recursionWorksWithinTheLimit() {
    #expect(
      output("def fact(n) { if n <= 1 { return 1 }; return n * fact(n - 1) }; print fact(20)")
        == "2432902008176640000\n")
  }

  @Test func operators() throws {
    let s = Session()
    let cases: [(String, Value)] = [
      ("7 / 2", .int(3)), ("-7 / 2", .int(-3)), ("-7 % 3", .int(-1)), ("1 << 63", .int(Int.min)),
      ("-8 >> 1", .int(-4)), ("0xF0 & 0x3C", .int(0x30)), ("0xF0 | 0x0F", .int(0xFF)), ("~0", .int(-1)),
      ("\"a\" + \"b\"", .string("ab")), ("[1] + [2]", .list([.int(1), .int(2)])),
      ("\"b\" > \"a\"", .bool(true)),
      ("cpulist(\"0-3\") & cpulist(\"2-5\")", .mask(try CPUMask(cpulist: "2-3"))),
      ("cpulist(\"0-3\") | cpulist(\"8\")", .mask(try CPUMask(cpulist: "0-3,8"))),
      ("cpulist(\"0-3\") ^ cpulist(\"2-5\")", .mask(try CPUMask(cpulist: "0-1,4-5"))),
      ("cpulist(\"0-3\") - cpulist(\"1\")", .mask(try CPUMask(cpulist: "0,2-3"))),
      ("~cpulist(\"0\", 4)", .mask(try CPUMask(cpulist: "1-3", nrCPUs: 4))),
      ("cpulist(\"0-3\") == \"0,1,2,3\"", .bool(true)), ("cpulist(\"0-3\") == \"junk\"", .bool(false)),
      ("cpulist(\"0-3\") != \"0-2\"", .bool(true)), ("none == 1", .bool(false)),
      ("[1, 2] == [1, 2]", .bool(true)),
      ("3 in cpulist(\"3\")", .bool(true)), ("600 in cpulist(\"3\")", .bool(false)),
      ("2 in [1, 2]", .bool(true)),
      ("\"ell\" in \"hello\"", .bool(true)), ("not true or true and false", .bool(false)),
      ("[1, 2, 3][-1]", .int(3)), ("\"hey\"[1]", .string("e")),
    ]
    for (text, value) in cases {
      #expect(try s.evaluate(text) == value, "\(text)")
    }
  }

  @Test func shortCircuitSkipsTheRightSide() {
    #expect(output("print false and 1/0 == 0, true or 1/0 == 0") == "false true\n")
  }

  @Test func builtinFunctions() {
    #expect(
      output(
        #"print len("abc"), len([1, 2]), len(cpulist("0-3")), str(cpulist("1-2")), int("0x10"), int(true), hex(255), hex(-1), type([]), min(3, 2), max(3, 2), abs(-4), join([1, "a"]), join([1, 2], "-"), split("a,b", ",")"#
      ) == "3 2 4 1-2 16 1 0xff -0x1 list 2 3 4 1, a 1-2 [\"a\", \"b\"]\n")
  }

  @Test func expectPassesSilently() {
    #expect(
      output(
        """
        expect 1 + 1 == 2
        expect cpulist("0-3") == "0-3"
        expect error { print 1 / 0 }
        expect error "division by zero" { print 1 / 0 }
        expect error "unknown command" { nosuch 1 }
        """) == "")
  }

  @Test func expectErrorKeepsStateChangedBeforeTheError() {
    let s = Session()
    output("let x = 1\nexpect error { set x = 2; print 1/0 }", in: s)
    #expect(s["x"] == .int(2))
  }

  @Test func errorsPointIntoTheRightLineOfAFile() {
    let (_, error) = run(
      """
      # a comment
      def f(n) {
      \tprint 10 / n
      }
      f 0
      """, name: "lesson.hpl")
    #expect(
      error == """
        lesson.hpl:3:13: error: division by zero
                print 10 / n
                           ^

        """)
  }

  @Test func exitStopsTheScript() {
    let s = Session()
    let (out, error) = run("print 1\nexit 3\nprint 2", in: s)
    #expect(out == "1\n" && error == nil)
    #expect(s.exitStatus == 3)
  }

  @Test func loopLimitIsASetting() {
    let s = Session()
    output("config loop_limit=10", in: s)
    #expect(run("for i in 1..10 { }", in: s).error == nil)
    #expect(run("for i in 1..11 { }", in: s).error?.contains("did not finish after 10 iterations") == true)
    #expect(output("config", in: s).contains("loop_limit=10"))
  }

  @Test func nrCPUsSettingSizesNewMasks() {
    let s = Session()
    output("config NR_CPUS=64", in: s)
    #expect(
      output("print nbits(cpulist(\"1\")), cpumap(cpulist(\"0-3,8\"))", in: s) == "64 00000000,0000010f\n")
    #expect(s.nrCPUs == 64)
  }

  @Test func interruptStopsALoop() {
    let s = Session()
    var calls = 0
    s.interruptCheck = {
      calls += 1
      return calls > 5
    }
    let (_, error) = run("while true { }", in: s)
    #expect(error?.contains("error: interrupted") == true)
  }

  @Test func sourceRunsAFileInTheSameSession() throws {
    let directory = "/tmp/hplab-source-test-\(getpid())"
    mkdir(directory, 0o755)
    defer {
      unlink(directory + "/a.hpl")
      unlink(directory + "/b.hpl")
      unlink(directory + "/loop.hpl")
      rmdir(directory)
    }
    try write("let fromA = 1\nsource b.hpl\n", to: directory + "/a.hpl")
    try write("let fromB = fromA + 1\nprint 1/0\n", to: directory + "/b.hpl")
    try write("source loop.hpl\n", to: directory + "/loop.hpl")
    let s = Session()
    let (_, error) = run("source \(directory)/a.hpl", in: s)
    #expect(s["fromB"] == .int(2))
    #expect(error?.hasPrefix("\(directory)/b.hpl:2:9: error: division by zero") == true)
    let (_, loop) = run("source \(directory)/loop.hpl", in: Session())
    #expect(loop?.contains("source is nested more than 16 deep") == true)
  }

  @Test func swiftAPIReadsAndWritesVariables() throws {
    let s = Session()
    try s.run("let m = cpulist(\"0-3,8\")")
    #expect(s["m"] == .mask(try CPUMask(cpulist: "0-3,8")))
    s["n"] = .int(41)
    #expect(try s.evaluate("n + 1") == .int(42))
    #expect(s.variableNames == ["m", "n"])
    try s.run("def f() { }")
    #expect(s.userCommandNames == ["f"])
  }

  @Test func colourOnlyWhenAsked() {
    let error = LabScriptError(
      .runtime, "boom", at: SourceSpan(file: SourceFile(name: "f", text: "x"), start: 0, end: 1), hint: "h")
    #expect(error.render(color: true).contains("\u{1B}[1;31merror: \u{1B}[0m"))
    #expect(!error.render(color: false).contains("\u{1B}"))
  }
}

#if canImport(Glibc)
  import Glibc
#endif
