import Testing

@testable import ACPI

@Suite struct AMLNamespaceTests {
  static let terms: [AMLTerm] = [
    .name("VALU", .integer(1)),
    .scope(
      "\\_SB",
      [
        .name("VALU", .integer(2)),
        .device(
          "DEV1",
          [
            .name("VALU", .integer(3)),
            .method("GET1", [.returning(.ref("VALU"))]),
            .method("GET2", [.returning(.ref("^VALU"))]),
            .method("GET3", [.returning(.ref("\\VALU"))]),
            .method("GET4", [.returning(.ref("^^VALU"))]),
            .device(
              "DEV2",
              [.method("GET5", [.returning(.ref("VALU"))]), .method("GET6", [.returning(.ref("DEV1.VALU"))])]),
          ]),
        .alias(source: "\\_SB.DEV1.VALU", alias: "ALI1"),
      ]),
  ]

  @Test(arguments: [
    ("\\_SB.DEV1.GET1", UInt64(3)), ("\\_SB.DEV1.GET2", 3), ("\\_SB.DEV1.GET3", 1), ("\\_SB.DEV1.GET4", 2),
    ("\\_SB.DEV1.DEV2.GET5", 3), ("\\_SB.ALI1", 3),
  ])
  func resolution(_ path: String, _ expected: UInt64) throws {
    var interpreter = try loaded(Self.terms)
    #expect(try interpreter.eval(path) == .integer(expected))
  }

  @Test func multiSegmentRelativeNamesAreNotSearchedUpward() throws {
    var interpreter = try loaded(Self.terms)
    #expect(interpreter.status("\\_SB.DEV1.DEV2.GET6") == .AE_NOT_FOUND)
  }

  @Test func duplicateNamesFailWithAlreadyExists() {
    do {
      _ = try loaded([.name("DUP0", .one), .name("DUP0", .zero)])
      Issue.record("loaded a duplicate name")
    } catch {
      #expect((error as? AMLError)?.status == .AE_ALREADY_EXISTS)
      #expect((error as? AMLError)?.message.contains("\\DUP0") == true)
    }
  }

  @Test func scopeOfAMissingObjectFails() {
    #expect(throws: AMLError.self) { _ = try loaded([.scope("\\_SB.NONE", [])]) }
  }

  @Test func predefinedRootObjects() throws {
    let interpreter = try loaded([])
    for path in ["\\_SB", "\\_GPE", "\\_PR", "\\_TZ", "\\_SI", "\\_OS", "\\_REV", "\\_GL", "\\_OSI"] {
      #expect(interpreter.namespace.lookup(path: path) != nil)
    }
    #expect(interpreter.namespace[interpreter.namespace.lookup(path: "\\_SB")!].object == .device)
  }

  @Test func pathsPrintWithoutPadding() throws {
    let interpreter = try loaded(Self.terms)
    let node = interpreter.namespace.lookup(path: "\\_SB_.DEV1.DEV2.GET5")!
    #expect(interpreter.namespace.path(of: node) == "\\_SB.DEV1.DEV2.GET5")
  }
}
