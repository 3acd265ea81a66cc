import Testing

@testable import LabScript

@Suite struct BinderTests {
  /// Argument errors, each with its exact rendering (in a session with the `probe` and `device` test commands).
  static let renderedCases: [(String, String)] = [
    (
      #"probe"#,
      #"""
      test.hpl:1:1: error: 'probe' is missing FILE
      probe
      ^~~~~
      hint: usage: probe FILE [COUNT] [core-id=N] [mode=fast|slow] [--base N] [--output PATH] [--trace] [verbose=on|off]
      """# + "\n"
    ),
    (
      #"probe f 1 2"#,
      #"""
      test.hpl:1:11: error: too many arguments for 'probe'
      probe f 1 2
                ^
      hint: usage: probe FILE [COUNT] [core-id=N] [mode=fast|slow] [--base N] [--output PATH] [--trace] [verbose=on|off]
      """# + "\n"
    ),
    (
      #"probe f abc"#,
      #"""
      test.hpl:1:9: error: COUNT must be an integer, not 'abc'
      probe f abc
              ^~~
      """# + "\n"
    ),
    (
      #"probe f core=1"#,
      #"""
      test.hpl:1:9: error: 'probe' has no argument 'core'
      probe f core=1
              ^~~~
      hint: did you mean 'mode' or 'core-id'?
      """# + "\n"
    ),
    (
      #"probe f core-id=1 core-id=2"#,
      #"""
      test.hpl:1:19: error: argument 'core-id' is given twice
      probe f core-id=1 core-id=2
                        ^~~~~~~~~
      """# + "\n"
    ),
    (
      #"probe f mode=medium"#,
      #"""
      test.hpl:1:9: error: 'mode' must be one of fast, slow, not 'medium'
      probe f mode=medium
              ^~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"probe f --base"#,
      #"""
      test.hpl:1:9: error: option '--base' needs a value
      probe f --base
              ^~~~~~
      hint: e.g. --base N
      """# + "\n"
    ),
    (
      #"probe f --bse 1"#,
      #"""
      test.hpl:1:9: error: unknown option '--bse' for 'probe'
      probe f --bse 1
              ^~~~~
      hint: did you mean '--base'?
      """# + "\n"
    ),
    (
      #"probe f --trace --trace"#,
      #"""
      test.hpl:1:17: error: option '--trace' is given twice
      probe f --trace --trace
                      ^~~~~~~
      """# + "\n"
    ),
    (
      #"probe f --trace=1"#,
      #"""
      test.hpl:1:9: error: option '--trace' takes no value
      probe f --trace=1
              ^~~~~~~~~
      """# + "\n"
    ),
    (
      #"probe f -x"#,
      #"""
      test.hpl:1:9: error: unknown option '-x' for 'probe'
      probe f -x
              ^~
      hint: did you mean '-o'?
      """# + "\n"
    ),
    (
      #"probe f verbose=maybe"#,
      #"""
      test.hpl:1:9: error: 'verbose' must be on or off, not 'maybe'
      probe f verbose=maybe
              ^~~~~~~~~~~~~
      """# + "\n"
    ),
  ]

  /// A session with a test command that has every kind of argument.
  func session(_ seen: Box) -> Session {
    let s = Session()
    s.registry.register(
      CommandSpec(
        "probe", category: "Test", summary: "records its arguments",
        arguments: [
          ArgumentSpec("FILE", kind: .path, summary: "a file"),
          ArgumentSpec("COUNT", kind: .int, required: false, summary: "a count"),
          ArgumentSpec("core-id", .keyed, kind: .int, required: false, summary: "a key"),
          ArgumentSpec(
            "mode", .keyed, kind: .choice(["fast", "slow"]), required: false, summary: "a choice"),
          ArgumentSpec("--base", .option, kind: .int, required: false, summary: "an option"),
          ArgumentSpec(
            "--output", .option, kind: .path, required: false, aliases: ["-o"], summary: "an option"),
          ArgumentSpec("--trace", .flag, summary: "a flag"),
          ArgumentSpec("verbose", .keyed, kind: .bool, required: false, summary: "a bool"),
        ]
      ) { inv in
        seen.value = inv
        return .none
      })
    s.registry.register(
      CommandSpec(
        "device", category: "Test", summary: "QEMU-style",
        arguments: [ArgumentSpec("DRIVER", kind: .string, summary: "driver")],
        optionLists: true, acceptsUndeclaredKeys: true
      ) { inv in
        seen.value = inv
        return .none
      })
    return s
  }

  final class Box: @unchecked Sendable { var value: Invocation? }

  @Test func bindsEveryForm() throws {
    let box = Box()
    let s = session(box)
    try s.run("let n = 7; probe /tmp/x $n core-id=0x2 mode=fast --base 0x40080000 -o out.bin --trace")
    let inv = try #require(box.value)
    #expect(inv.string("FILE") == "/tmp/x")
    #expect(inv.int("COUNT") == 7)
    #expect(inv.int("core-id") == 2)
    #expect(inv.string("mode") == "fast")
    #expect(inv.int("--base") == 0x4008_0000)
    #expect(inv.string("--output") == "out.bin")
    #expect(inv.flag("--trace"))
    try s.run("probe f --base=16")
    #expect(box.value?.int("--base") == 16)
    #expect(box.value?.flag("--trace") == false)
  }

  @Test(arguments: renderedCases) func bindingErrorsRenderExactly(_ input: String, _ expected: String) {
    #expect(run(input, in: session(Box())).error == expected)
  }

  @Test func negativeNumbersArePositionalNotOptions() throws {
    let box = Box()
    let s = session(box)
    try s.run("probe f -5")
    #expect(box.value?.int("COUNT") == -5)
  }

  @Test func qemuOptionLists() throws {
    let box = Box()
    let s = session(box)
    try s.run("device host-arm-cpu,core-id=1,id=cpu1 socket-id=0")
    var inv = try #require(box.value)
    #expect(inv.string("DRIVER") == "host-arm-cpu")
    #expect(
      inv.extraKeys.map { "\($0.key)=\($0.value.value.display)" } == ["core-id=1", "id=cpu1", "socket-id=0"])
    #expect(inv.extraKeys[1].value.span.text == "id=cpu1")
    try s.run("device a,,b,x=1")
    inv = try #require(box.value)
    #expect(inv.string("DRIVER") == "a,b")
    #expect(inv.extraKeys.map(\.key) == ["x"])
  }

  @Test func quotedWordsStayStrings() throws {
    let box = Box()
    let s = session(box)
    try s.run(#"probe "a b" "5""#)
    #expect(box.value?.string("FILE") == "a b")
    #expect(box.value?.int("COUNT") == 5)
  }
}
