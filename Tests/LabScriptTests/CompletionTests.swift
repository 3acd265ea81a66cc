import Testing

@testable import LabScript

@Suite struct CompletionTests {
  func session() -> Session {
    let s = Session()
    s.files.mount(
      MemoryFiles(["/sys/devices/system/cpu/online": "0\n", "/sys/devices/system/cpu/cpu1/online": "0\n"]),
      at: "/sys")
    s.registry.register(
      CommandSpec(
        "device_add", category: "Test", summary: "",
        arguments: [
          ArgumentSpec("DRIVER", kind: .choice(["host-arm-cpu"]), summary: ""),
          ArgumentSpec(
            "core-id", .keyed, kind: .int, required: false, summary: "", completions: { _ in ["1", "2"] }),
          ArgumentSpec("id", .keyed, kind: .string, required: false, summary: ""),
        ], optionLists: true))
    return s
  }

  @Test(arguments: [
    ("ma", "ma", ["mask"], "sk "),
    ("mask ", "", ["and", "andnot", "format", "or", "parse", "subset", "weight", "xor"], ""),
    ("mask an", "an", ["and", "andnot"], "d"),
    ("mask format 1 a", "a", ["as="], "s="),
    ("mask format 1 as=", "as=", ["as=list", "as=map"], ""),
    ("mask parse 1 ", "", ["nbits="], "nbits="),
    ("echo -", "-", ["-n"], "n "),
    ("help wei", "wei", ["weight"], "ght "),
    ("print wei", "wei", ["weight("], "ght("),
    ("let x = cpul", "cpul", ["cpulist("], "ist("),
    (
      "cat /sys/devices/system/cpu/", "/sys/devices/system/cpu/",
      ["/sys/devices/system/cpu/cpu1/", "/sys/devices/system/cpu/online"], ""
    ),
    (
      "cat /sys/devices/system/cpu/o", "/sys/devices/system/cpu/o", ["/sys/devices/system/cpu/online"],
      "nline "
    ),
    ("device_add h", "h", ["host-arm-cpu"], "ost-arm-cpu "),
    ("device_add host-arm-cpu,c", "host-arm-cpu,c", ["host-arm-cpu,core-id="], "ore-id="),
    ("device_add host-arm-cpu core-id=", "core-id=", ["core-id=1", "core-id=2"], ""),
    ("print 1; mas", "mas", ["mask"], "k "),
    ("if true { mask w", "w", ["weight"], "eight "),
    ("nosuch ", "", [], ""),
  ])
  func completes(_ line: String, _ fragment: String, _ candidates: [String], _ insertion: String) {
    let c = session().complete(line)
    #expect(c.fragment == fragment)
    #expect(c.candidates == candidates)
    #expect(c.insertion == insertion)
  }

  @Test func firstWordListsCommandsKeywordsAndDefinitions() throws {
    let s = session()
    try s.run("def plug_all() { }")
    let c = s.complete("")
    #expect(
      c.candidates.contains("mask") && c.candidates.contains("let") && c.candidates.contains("plug_all"))
    #expect(s.complete("plug").candidates == ["plug_all"])
  }

  @Test func variablesAfterDollar() throws {
    let s = session()
    try s.run("let mask1 = 1; let mask2 = 2")
    #expect(s.complete("mask weight $ma").candidates == ["$mask1", "$mask2"])
    #expect(s.complete("print ma").candidates.contains("mask1"))
  }
}
