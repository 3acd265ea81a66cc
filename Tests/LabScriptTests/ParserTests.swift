import Testing

@testable import LabScript

@Suite struct ParserTests {
  func parse(_ text: String) throws -> [Stmt] {
    let session = Session()
    return try session.parse(SourceFile(name: "t", text: text))
  }

  @Test func statementKinds() throws {
    let statements = try parse(
      """
      let a = 1; set a = 2
      if a == 2 { print a } else if a == 3 { print 3 } else { print 4 }
      for i in 0..3 { continue }
      while false { break }
      def f(x, y) { return x + y }
      expect a == 2
      expect error "x" { f 1 }
      mask weight 0-3
      a + 1
      """)
    let kinds = statements.map { s -> String in
      switch s.kind {
      case .letBinding: "let"
      case .assignment: "set"
      case .ifChain(let branches, let e): "if\(branches.count)\(e == nil ? "" : "+else")"
      case .forLoop: "for"
      case .whileLoop: "while"
      case .definition: "def"
      case .returnValue: "return"
      case .breakLoop: "break"
      case .continueLoop: "continue"
      case .expect: "expect"
      case .expectError: "expect-error"
      case .command(let c): "command:\(c.name):\(c.arguments.count)"
      case .expression: "expression"
      }
    }
    #expect(
      kinds == [
        "let", "set", "if2+else", "for", "while", "def", "expect", "expect-error", "command:mask:2",
        "expression",
      ])
  }

  @Test func keyedWordsAndRedirection() throws {
    let s = try parse("echo core-id=1 --base=0x10 a,b=c > /sys/x")
    guard case .command(let call) = s[0].kind else { return }
    let keys = call.arguments.map { a -> String in
      if case .word(let w, let key, _) = a { return "\(key ?? "-"):\(w.plainText ?? "?")" }
      return "expr"
    }
    #expect(keys == ["core-id:1", "-:--base=0x10", "-:a,b=c"])
    #expect(call.redirect?.target.plainText == "/sys/x")
    #expect(call.redirect?.append == false)
  }

  @Test func elseMayFollowOnTheNextLine() throws {
    let s = try parse("if false {\n print 1\n}\nelse {\n print 2\n}\nprint 3")
    #expect(s.count == 2)
  }

  @Test func expressionPrecedence() throws {
    let session = Session()
    #expect(try session.evaluate("1 + 2 * 3") == .int(7))
    #expect(try session.evaluate("(1 + 2) * 3") == .int(9))
    #expect(try session.evaluate("1 | 2 ^ 3 & 4 << 1") == .int(3))
    #expect(try session.evaluate("not 1 + 1 == 2 or false") == .bool(false))
    #expect(try session.evaluate("-2 * -3") == .int(6))
    #expect(try session.evaluate("1..3") == .list([.int(1), .int(2), .int(3)]))
    #expect(try session.evaluate("-9223372036854775808") == .int(Int.min))
  }

  @Test(arguments: [
    ("if true {", true), ("print (1 +", true), ("print \"abc", true), ("let l = [1,", true),
    ("def f() {\n print 1", true), ("print 1 \\", true), ("print 1", false), ("print 1 +", false),
    ("}", false), ("if true { print 1 }", false), ("echo \"${1 +", true),
  ])
  func incompleteInputAsksForMoreLines(text: String, incomplete: Bool) {
    #expect(Session().needsMoreInput(text + "\n") == incomplete)
  }
}
