import CPUMask

/// A command call bound to its declaration, ready to run.
struct BoundCommand {
  var invocation: Invocation
  var handler: CommandHandler?
}

/// An argument after evaluation, before it is matched to the declaration.
private struct RawArgument {
  var key: String?
  var keySpan: SourceSpan?
  var value: Value
  /// The literal text when the word had no quotes, variables or expressions.
  var plain: String?
  var span: SourceSpan
}

extension Session {
  /// The value of a command word: a lone `$name` or `(expression)` keeps its type; a literal word
  /// is inferred (`1` is an int) when `inferTypes`, else a string; anything mixed is a string.
  func evaluateWord(_ word: Word, inferTypes: Bool) throws -> Value {
    if word.segments.count == 1 {
      switch word.segments[0] {
      case .variable(let name, let span): return try variable(name, at: span)
      case .expression(let span), .interpolation(let span): return try evaluate(try embeddedExpression(span))
      case .literal(let text): return inferTypes ? Value.inferred(fromWord: text) : .string(text)
      case .quoted: break
      }
    }
    var text = ""
    for segment in word.segments {
      switch segment {
      case .literal(let s): text += s
      case .quoted(let parts):
        for part in parts {
          switch part {
          case .literal(let s): text += s
          case .variable(let name, let span): text += try variable(name, at: span).display
          case .interpolation(let span): text += try evaluate(try embeddedExpression(span)).display
          }
        }
      case .variable(let name, let span): text += try variable(name, at: span).display
      case .expression(let span), .interpolation(let span):
        text += try evaluate(try embeddedExpression(span)).display
      }
    }
    return .string(text)
  }

  private func embeddedExpression(_ span: SourceSpan) throws -> Expr {
    let parser = Parser(file: span.file, commandSyntax: { [weak self] name in self?.commandSyntax(of: name) })
    return try parser.embedded(span)
  }

  /// Matches a call's arguments to a command's declaration (resolving sub-commands first) and
  /// converts each to the declared kind.
  func bind(_ call: CommandCall, to root: CommandSpec, span: SourceSpan) throws -> BoundCommand {
    var spec = root
    var fullName = root.name
    var written = call.arguments
    while !spec.subcommands.isEmpty {
      if case .word(let word, nil, _)? = written.first, let text = word.plainText {
        if let sub = spec.subcommand(text) {
          spec = sub
          fullName += " " + sub.name
          written.removeFirst()
          continue
        }
        if spec.handler == nil {
          throw LabScriptError(
            .argument, "'\(fullName)' has no sub-command '\(text)'", at: word.span,
            hint: Registry.didYouMean(text, among: spec.subcommands.map(\.name))
              ?? "its sub-commands are: \(spec.subcommands.map(\.name).joined(separator: ", "))")
        }
      } else if spec.handler == nil {
        throw LabScriptError(
          .argument,
          "'\(fullName)' needs a sub-command: \(spec.subcommands.map(\.name).joined(separator: ", "))",
          at: call.nameSpan, hint: "`help \(fullName)` explains each")
      }
      break
    }

    var raw: [RawArgument] = []
    for argument in written {
      switch argument {
      case .word(let word, let key, let keySpan):
        let value = try evaluateWord(word, inferTypes: false)
        raw.append(
          RawArgument(key: key, keySpan: keySpan, value: value, plain: word.plainText, span: argument.span))
      case .expression(let e):
        raw.append(RawArgument(key: nil, keySpan: nil, value: try evaluate(e), plain: nil, span: e.span))
      }
    }
    if spec.optionLists { raw = raw.flatMap(splitOptionList) }

    var invocation = Invocation(
      session: self, command: fullName, span: span, arguments: [:], rest: [], extraKeys: [], redirect: nil)
    let positionals = spec.arguments.filter { $0.form == .positional }
    var nextPositional = 0
    var index = 0
    func usageHint() -> String {
      "usage: \(spec.usageLine(prefix: fullName.split(separator: " ").dropLast().joined(separator: " ")))"
    }

    while index < raw.count {
      let item = raw[index]
      index += 1
      if let key = item.key {
        if let declared = spec.arguments.first(where: { $0.form == .keyed && $0.name == key }) {
          if invocation.arguments[key] != nil {
            throw LabScriptError(.argument, "argument '\(key)' is given twice", at: item.span)
          }
          invocation.arguments[key] = BoundArgument(
            value: try convert(item, to: declared.kind, what: "'\(key)'"), span: item.span)
          continue
        }
        if spec.acceptsUndeclaredKeys {
          invocation.extraKeys.append((key, BoundArgument(value: item.value, span: item.span)))
          continue
        }
        if positionals.last?.variadic == true {
          // e.g. `echo a=b`: the word is text, not a key.
          let text = key + "=" + item.value.display
          invocation.rest.append(BoundArgument(value: .string(text), span: item.span))
          continue
        }
        let keys = spec.arguments.filter { $0.form == .keyed }.map(\.name)
        throw LabScriptError(
          .argument, "'\(fullName)' has no argument '\(key)'", at: item.keySpan ?? item.span,
          hint: Registry.didYouMean(key, among: keys)
            ?? (keys.isEmpty
              ? usageHint() : "its arguments are: \(keys.map { "\($0)=" }.joined(separator: ", "))"))
      }
      if let text = item.plain, text.hasPrefix("-"), text.count > 1, Value.parseInteger(text) == nil {
        let (name, inlineValue) = splitOption(text)
        if let declared = spec.arguments.first(where: {
          ($0.form == .option || $0.form == .flag) && ($0.name == name || $0.aliases.contains(name))
        }) {
          if invocation.arguments[declared.name] != nil {
            throw LabScriptError(.argument, "option '\(declared.name)' is given twice", at: item.span)
          }
          if declared.form == .flag {
            if inlineValue != nil {
              throw LabScriptError(.argument, "option '\(declared.name)' takes no value", at: item.span)
            }
            invocation.arguments[declared.name] = BoundArgument(value: .bool(true), span: item.span)
            continue
          }
          var valueItem: RawArgument
          if let inlineValue {
            valueItem = RawArgument(value: .string(inlineValue), plain: inlineValue, span: item.span)
          } else {
            guard index < raw.count else {
              throw LabScriptError(
                .argument, "option '\(declared.name)' needs a value", at: item.span,
                hint: "e.g. \(declared.name) \(declared.kind.placeholder)")
            }
            valueItem = raw[index]
            index += 1
            if let key = valueItem.key {
              // An option's value may itself contain '=' (QEMU's `-smp cpus=1,maxcpus=4`).
              let text = key + "=" + (valueItem.plain ?? valueItem.value.display)
              valueItem = RawArgument(
                value: .string(text), plain: text,
                span: (valueItem.keySpan ?? valueItem.span).through(valueItem.span))
            }
          }
          invocation.arguments[declared.name] = BoundArgument(
            value: try convert(valueItem, to: declared.kind, what: "option '\(declared.name)'"),
            span: item.span.through(valueItem.span))
          continue
        }
        if !(positionals.last?.variadic == true && positionals.last?.kind != .int) || text.hasPrefix("--") {
          let options = spec.arguments.filter { $0.form == .option || $0.form == .flag }.flatMap {
            [$0.name] + $0.aliases
          }
          throw LabScriptError(
            .argument, "unknown option '\(name)' for '\(fullName)'", at: item.span,
            hint: Registry.didYouMean(name, among: options)
              ?? (options.isEmpty ? usageHint() : "its options are: \(options.joined(separator: ", "))"))
        }
      }
      guard nextPositional < positionals.count else {
        throw LabScriptError(
          .argument, "too many arguments for '\(fullName)'", at: item.span, hint: usageHint())
      }
      let declared = positionals[nextPositional]
      let value = try convert(item, to: declared.kind, what: "\(declared.name)")
      if declared.variadic {
        invocation.rest.append(BoundArgument(value: value, span: item.span))
        if invocation.arguments[declared.name] == nil {
          invocation.arguments[declared.name] = BoundArgument(value: value, span: item.span)
        }
      } else {
        invocation.arguments[declared.name] = BoundArgument(value: value, span: item.span)
        nextPositional += 1
      }
    }
    for declared in spec.arguments where declared.required && invocation.arguments[declared.name] == nil {
      let described: String
      switch declared.form {
      case .positional: described = declared.name
      case .keyed: described = "\(declared.name)="
      case .option, .flag: described = declared.name
      }
      throw LabScriptError(.argument, "'\(fullName)' is missing \(described)", at: span, hint: usageHint())
    }
    if let redirect = call.redirect {
      let target = try evaluateWord(redirect.target, inferTypes: false).display
      invocation.redirect = (target, redirect.append, redirect.span)
    }
    return BoundCommand(invocation: invocation, handler: spec.handler)
  }

  /// `--base=0x40080000` → ("--base", "0x40080000"); `-o` → ("-o", nil).
  private func splitOption(_ text: String) -> (String, String?) {
    guard let equals = text.firstIndex(of: "=") else { return (text, nil) }
    return (String(text[..<equals]), String(text[text.index(after: equals)...]))
  }

  /// Converts a written argument to a declared kind. Literal words and strings are parsed (an
  /// int from `0x10`, a mask from `0-3`); typed values must already have the kind.
  private func convert(_ item: RawArgument, to kind: ValueKind, what: String) throws -> Value {
    let text: String? =
      if let plain = item.plain { plain } else if case .string(let s) = item.value { s } else { nil }
    guard let text else { return try coerce(item.value, to: kind, span: item.span, what: what) }
    switch kind {
    case .any:
      return item.plain != nil ? Value.inferred(fromWord: text) : .string(text)
    case .string, .path:
      return .string(text)
    case .int:
      guard let i = Value.parseInteger(text) else {
        throw LabScriptError(.argument, "\(what) must be an integer, not '\(text)'", at: item.span)
      }
      return .int(i)
    case .bool:
      switch text.lowercased() {
      case "true", "on", "yes", "1": return .bool(true)
      case "false", "off", "no", "0": return .bool(false)
      default:
        throw LabScriptError(.argument, "\(what) must be on or off, not '\(text)'", at: item.span)
      }
    case .mask:
      do throws(BitmapParseError) {
        return .mask(try CPUMask(cpulist: text, nrCPUs: nrCPUs))
      } catch {
        let offset =
          item.plain != nil ? Swift.min(item.span.start + error.offset, item.span.end) : item.span.start
        throw LabScriptError(
          .argument, "'\(text)' is not a valid CPU list: \(error.errno.symbol): \(error.reason)",
          at: SourceSpan(
            file: item.span.file, start: offset, end: item.plain != nil ? offset + 1 : item.span.end),
          hint: error.errno == .ERANGE
            ? "masks have NR_CPUS=\(nrCPUs) bits; `config NR_CPUS=N` changes it" : nil)
      }
    case .choice(let words):
      guard words.contains(text) else {
        throw LabScriptError(
          .argument, "\(what) must be one of \(words.joined(separator: ", ")), not '\(text)'", at: item.span,
          hint: Registry.didYouMean(text, among: words))
      }
      return .string(text)
    case .list:
      return try coerce(item.value, to: kind, span: item.span, what: what)
    }
  }

  /// QEMU's option-list syntax: `host-arm-cpu,core-id=1,id=cpu1` is a positional word and two
  /// keyed arguments; `,,` stands for a literal comma.
  private func splitOptionList(_ item: RawArgument) -> [RawArgument] {
    guard case .string(let text) = item.value, text.contains(",") else { return [item] }
    var pieces: [(String, Int)] = []  // text and its UTF-8 offset in the word
    var current = ""
    var start = 0
    var offset = 0
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: ",") {
        if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: ",") {
          current += ","
          i += 2
          offset += 2
          continue
        }
        pieces.append((current, start))
        current = ""
        i += 1
        offset += 1
        start = offset
        continue
      }
      current += String(decoding: [bytes[i]], as: UTF8.self)
      i += 1
      offset += 1
    }
    pieces.append((current, start))
    let base = item.span.start + (item.key.map { $0.utf8.count + 1 } ?? 0)
    func span(_ at: Int, _ length: Int) -> SourceSpan {
      guard item.plain != nil else { return item.span }
      return SourceSpan(file: item.span.file, start: base + at, end: base + at + length)
    }
    var result: [RawArgument] = []
    for (index, piece) in pieces.enumerated() {
      let (pieceText, at) = piece
      let pieceSpan = span(at, pieceText.utf8.count)
      if index == 0 {
        var first = item
        first.value = .string(pieceText)
        first.plain = item.plain != nil ? pieceText : nil
        if item.key != nil {
          first.span = item.keySpan.map { $0.through(pieceSpan) } ?? pieceSpan
        } else {
          first.span = pieceSpan
        }
        result.append(first)
        continue
      }
      if pieceText.isEmpty { continue }
      if let equals = pieceText.firstIndex(of: "=") {
        let key = String(pieceText[..<equals])
        let value = String(pieceText[pieceText.index(after: equals)...])
        result.append(
          RawArgument(
            key: key, keySpan: span(at, key.utf8.count), value: .string(value),
            plain: item.plain != nil ? value : nil,
            span: pieceSpan))
      } else {
        result.append(
          RawArgument(value: .string(pieceText), plain: item.plain != nil ? pieceText : nil, span: pieceSpan))
      }
    }
    return result
  }
}

extension RawArgument {
  init(value: Value, plain: String?, span: SourceSpan) {
    self.init(key: nil, keySpan: nil, value: value, plain: plain, span: span)
  }
}
