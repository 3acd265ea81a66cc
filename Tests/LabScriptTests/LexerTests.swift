import Testing

@testable import LabScript

@Suite struct LexerTests {
  func tokens(_ text: String) throws -> [Token] {
    var lexer = Lexer(file: SourceFile(name: "t", text: text))
    var result: [Token] = []
    while true {
      let t = try lexer.next()
      result.append(t)
      if t.kind == .eof { return result }
    }
  }

  @Test func expressionTokens() throws {
    let t = try tokens("let x = 0x1F + 0b101 * 1_000 # comment\nx..y <= >= << >> && || != ==")
    #expect(
      t.map(\.text) == [
        "let", "x", "=", "0x1F", "+", "0b101", "*", "1_000", "\n", "x", "..", "y", "<=", ">=", "<<", ">>",
        "&&", "||",
        "!=", "==", "",
      ])
    #expect(t[3].integer == 31 && t[5].integer == 5 && t[7].integer == 1000)
  }

  @Test func spansAreLineAndColumn() throws {
    let t = try tokens("print 1\n  weight(\"é\")")
    let weight = t.first { $0.text == "weight" }!
    #expect(weight.span.position == "t:2:3")
    let paren = t.last { $0.text == ")" }!
    #expect(paren.span.column == 13)  // é is one column
  }

  @Test func doubleQuotedStringsHaveEscapesAndInterpolation() throws {
    let t = try tokens(#""a\tb\n\$x \"q\" $name and ${1 + 2}""#)
    guard case .literal(let head) = t[0].parts[0], case .variable(let name, _) = t[0].parts[1],
      case .literal(let middle) = t[0].parts[2], case .interpolation(let span) = t[0].parts[3]
    else {
      Issue.record("unexpected parts \(t[0].parts)")
      return
    }
    #expect(head == "a\tb\n$x \"q\" ")
    #expect(name == "name")
    #expect(middle == " and ")
    #expect(span.text == "1 + 2")
  }

  @Test func singleQuotedStringsAreRaw() throws {
    let t = try tokens(#"'a\n$b'"#)
    guard case .literal(let text) = t[0].parts[0] else { return }
    #expect(text == #"a\n$b"#)
  }

  @Test func backslashNewlineContinuesALine() throws {
    #expect(try tokens("1 \\\n+ 2").map(\.text) == ["1", "+", "2", ""])
  }

  @Test func wordMode() throws {
    var lexer = Lexer(
      file: SourceFile(name: "t", text: #"host-arm-cpu,core-id=1 "a b"c $v ${n} (1 + 2) /sys/x >> out # c"#))
    var words: [String] = []
    loop: while true {
      switch try lexer.nextWord() {
      case .end: break loop
      case .redirect(let append, _): words.append(append ? ">>" : ">")
      case .word(let w): words.append(w.span.text + "/\(w.segments.count)")
      }
    }
    #expect(
      words == [
        "host-arm-cpu,core-id=1/1", "\"a b\"c/2", "$v/1", "${n}/1", "(1 + 2)/1", "/sys/x/1", ">>", "out/1",
      ])
  }

  @Test func wordsEndAtBracesAndSemicolons() throws {
    var lexer = Lexer(file: SourceFile(name: "t", text: "a b}"))
    guard case .word(let a) = try lexer.nextWord(), case .word(let b) = try lexer.nextWord(),
      case .end = try lexer.nextWord()
    else {
      Issue.record("expected two words and an end")
      return
    }
    #expect(a.plainText == "a" && b.plainText == "b")
    #expect(try lexer.next().text == "}")
  }
}
