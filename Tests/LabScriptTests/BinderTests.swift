import Testing

@testable import LabScript

@Suite struct BinderTests {
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

  @Test func bindingErrors() {
    let s = session(Box())
    let cases: [(String, String)] = [
      ("probe", "'probe' is missing FILE"),
      ("probe f 1 2", "too many arguments for 'probe'"),
      ("probe f abc", "COUNT must be an integer, not 'abc'"),
      ("probe f core=1", "'probe' has no argument 'core'"),
      ("probe f core-id=1 core-id=2", "argument 'core-id' is given twice"),
      ("probe f mode=medium", "'mode' must be one of fast, slow, not 'medium'"),
      ("probe f --base", "option '--base' needs a value"),
      ("probe f --bse 1", "unknown option '--bse' for 'probe'"),
      ("probe f --trace --trace", "option '--trace' is given twice"),
      ("probe f --trace=1", "option '--trace' takes no value"),
      ("probe f -x", "unknown option '-x' for 'probe'"),
    ]
    for (text, message) in cases {
      let (_, error) = run(text, in: s)
      #expect(error?.contains("error: \(message)") == true, "\(text): \(error ?? "no error")")
    }
    #expect(run("probe f --bse 1", in: s).error?.contains("hint: did you mean '--base'?") == true)
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
