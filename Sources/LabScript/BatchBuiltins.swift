/// What scripts need for experiments run from the shell: `emit` records named results (which
/// `hplab run --json` prints and `hplab batch` writes as columns), and `random` draws numbers
/// from a seeded generator, so a random experiment is repeated exactly by giving it the same seed.

/// A session's recorded results and its random generator.
public final class BatchState {
  /// The values recorded with `emit`, in the order their names were first emitted; emitting a
  /// name again replaces its value.
  public private(set) var emitted: [(name: String, value: Value)] = []
  /// The generator `random` and `random_int()`/`random_choice()` draw from (seed 0 until
  /// `random seed` or the program says otherwise).
  public var random = RandomSource(seed: 0)

  public init() {}

  /// Records `value` under `name`.
  public func emit(_ name: String, _ value: Value) {
    if let index = emitted.firstIndex(where: { $0.name == name }) {
      emitted[index].value = value
    } else {
      emitted.append((name, value))
    }
  }

  /// The value last emitted under `name`.
  public func emitted(_ name: String) -> Value? {
    emitted.first { $0.name == name }?.value
  }
}

/// A deterministic pseudo-random generator: xoshiro256** (Blackman and Vigna) with its state
/// filled from the seed by SplitMix64. The same seed gives the same numbers on every platform
/// and every run, which is what makes a random soak repeatable.
public struct RandomSource: Sendable, Equatable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64
  /// The seed the generator was last started from.
  public private(set) var seed: Int

  public init(seed: Int) {
    self.seed = seed
    var mixer = SplitMix64(state: UInt64(bitPattern: Int64(seed)))
    s0 = mixer.next()
    s1 = mixer.next()
    s2 = mixer.next()
    s3 = mixer.next()
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, 45)
    return result
  }

  /// A uniformly distributed int from `low` to `high`, both included (`low <= high`). Uses
  /// Lemire's multiply-and-reject method, so no value is favoured.
  public mutating func int(from low: Int, through high: Int) -> Int {
    precondition(low <= high, "random range \(low)...\(high) is empty")
    let span = UInt64(bitPattern: Int64(high &- low))
    if span == UInt64.max { return Int(Int64(bitPattern: next())) }
    let count = span + 1
    var product = next().multipliedFullWidth(by: count)
    if product.low < count {
      let threshold = (0 &- count) % count
      while product.low < threshold { product = next().multipliedFullWidth(by: count) }
    }
    return low &+ Int(Int64(bitPattern: product.high))
  }
}

private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

/// SplitMix64 (Steele, Lea and Flood): spreads one 64-bit seed over the generator's state.
struct SplitMix64 {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// An `emit NAME ...` statement found in a script's text before it runs.
public struct EmitDeclaration: Sendable {
  public var name: String
  public var span: SourceSpan
}

enum BatchBuiltins {
  static let resultsCategory = "Results"
  static let randomCategory = "Random"

  static func register(in registry: Registry) {
    registry.register(emitCommand)
    registry.register(randomCommand)
    for function in functions { registry.register(function) }
  }

  static var emitCommand: CommandSpec {
    CommandSpec(
      "emit", category: resultsCategory, summary: "record a named result of an experiment (prints nothing)",
      usage: "emit [NAME VALUE]",
      help: """
        Records VALUE under NAME and prints nothing. `hplab run --json` prints the recorded values as
        one JSON object at the end; `hplab batch` writes each as a column of the run's row. Emitting a
        name again replaces its value. NAME is letters, digits and _ (not starting with a digit); in a
        batch script it must be written as a plain word, so the columns are known before the first
        run. Without arguments, `emit` lists the values recorded so far.
          emit plug_ns (now() - t0)
          emit online $m
        """,
      arguments: [
        ArgumentSpec("NAME", kind: .string, required: false, summary: "the result's name, e.g. hotadd_ns"),
        ArgumentSpec("VALUE", required: false, summary: "an int, bool, string, mask or list"),
      ]
    ) { inv in
      let state = inv.session.batch
      guard let name = inv.string("NAME") else {
        for (name, value) in state.emitted { inv.print("\(name) = \(value.literal)") }
        return .none
      }
      guard Session.isName(name) else {
        throw inv.error(
          "'\(name)' cannot name a result", at: "NAME",
          hint: "use letters, digits and _, not starting with a digit", kind: .argument)
      }
      guard let value = inv["VALUE"] else {
        throw inv.error("'emit' is missing VALUE", hint: "usage: emit NAME VALUE", kind: .argument)
      }
      state.emit(name, value)
      return .none
    }
  }

  static var randomCommand: CommandSpec {
    CommandSpec(
      "random", category: randomCategory,
      summary: "seed the random generator, or print a random int or choice",
      help: """
        One generator per session (xoshiro256**), started from seed 0; the same seed gives the same
        numbers everywhere. `hplab batch` starts it from each run's seed, `hplab run --seed S` from S.
        In expressions use random_int(A, B) and random_choice(LIST).
        """,
      subcommands: [
        CommandSpec(
          "seed", category: randomCategory, summary: "restart the generator from seed S",
          arguments: [ArgumentSpec("S", kind: .int, summary: "the seed, any int")]
        ) { inv in
          inv.session.batch.random = RandomSource(seed: inv.int("S")!)
          return .none
        },
        CommandSpec(
          "int", category: randomCategory, summary: "print a random int from A to B (both included)",
          arguments: [
            ArgumentSpec("A", kind: .int, summary: "the lowest value"),
            ArgumentSpec("B", kind: .int, summary: "the highest value"),
          ]
        ) { inv in
          let (low, high) = (inv.int("A")!, inv.int("B")!)
          guard low <= high else {
            throw inv.error(
              "the range \(low)..\(high) is empty", at: "B", hint: "A must not exceed B", kind: .argument)
          }
          inv.print(String(inv.session.batch.random.int(from: low, through: high)))
          return .none
        },
        CommandSpec(
          "choice", category: randomCategory,
          summary: "print one of the words at random (or an element of a list, or a CPU of a mask)",
          arguments: [ArgumentSpec("VALUE", variadic: true, summary: "the candidates")]
        ) { inv in
          let candidates: [Value]
          if inv.rest.count == 1 {
            candidates = try choices(in: inv.rest[0].value) { inv.error($0, at: "VALUE", kind: .argument) }
          } else {
            candidates = inv.rest.map(\.value)
          }
          let index = inv.session.batch.random.int(from: 0, through: candidates.count - 1)
          inv.print(candidates[index].display)
          return .none
        },
      ])
  }

  /// The elements of a list, the CPUs of a mask, or the value itself.
  private static func choices(in value: Value, error: (String) -> LabScriptError) throws -> [Value] {
    switch value {
    case .list(let items):
      guard !items.isEmpty else { throw error("cannot choose from an empty list") }
      return items
    case .mask(let mask):
      guard !mask.isEmpty else { throw error("cannot choose a CPU from an empty mask") }
      return mask.map { .int($0) }
    default:
      return [value]
    }
  }

  static var functions: [FunctionSpec] {
    [
      FunctionSpec(
        "random_int", [ParameterSpec("a", .int), ParameterSpec("b", .int)], returns: "int",
        category: randomCategory, summary: "a random int from a to b, both included (see `random seed`)"
      ) { call in
        let (low, high) = (call.int(0), call.int(1))
        guard low <= high else {
          throw call.error("the range \(low)..\(high) is empty", at: 1, hint: "a must not exceed b")
        }
        return .int(call.session.batch.random.int(from: low, through: high))
      },
      FunctionSpec(
        "random_choice", [ParameterSpec("x", .any)], returns: "any", category: randomCategory,
        summary: "a random element of a list, or a random CPU of a mask (see `random seed`)"
      ) { call in
        switch call.arguments[0] {
        case .list, .mask: break
        case let other:
          throw call.error(
            "random_choice() needs a list or a mask, not \(other.typeName)", at: 0, kind: .type)
        }
        let candidates = try choices(in: call.arguments[0]) { call.error($0, at: 0) }
        return candidates[call.session.batch.random.int(from: 0, through: candidates.count - 1)]
      },
    ]
  }
}

extension Session {
  /// Whether `name` is written like a LabScript name: ASCII letters, digits and `_`, not starting
  /// with a digit. Results (`emit`) are named so; as a CSV column or a JSON key such a name needs no
  /// quoting.
  public static func isName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
      return false
    }
    return bytes.allSatisfy { c in
      (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: "_")
    }
  }

  /// Whether `name` can name a variable: written like a name (``isName(_:)``) and not a reserved
  /// word (`let`, `if`, `true`...).
  public static func isVariableName(_ name: String) -> Bool {
    isName(name) && !Parser.reservedWords.contains(name)
  }

  /// The `emit` statements of a script, in the order they are written (including those in
  /// `def` bodies, loops and branches, whether or not they will run), found without running it:
  /// `hplab batch` makes its columns from them. Fails on a syntax error, and on an `emit` whose
  /// NAME is not a plain word (`emit $name 1`), since its column could not be known in advance.
  public func emitDeclarations(in text: String, name: String) throws(LabScriptError) -> [EmitDeclaration] {
    let program = try parse(SourceFile(name: name, text: text))
    var found: [EmitDeclaration] = []
    try collectEmits(program, into: &found)
    return found
  }

  private func collectEmits(_ statements: [Stmt], into found: inout [EmitDeclaration]) throws(LabScriptError)
  {
    for statement in statements {
      switch statement.kind {
      case .ifChain(let branches, let elseBody):
        for branch in branches { try collectEmits(branch.body.statements, into: &found) }
        if let elseBody { try collectEmits(elseBody.statements, into: &found) }
      case .forLoop(_, _, _, let body), .whileLoop(_, let body), .expectError(_, let body):
        try collectEmits(body.statements, into: &found)
      case .definition(let command):
        try collectEmits(command.body.statements, into: &found)
      case .command(let call) where call.name == "emit":
        guard let first = call.arguments.first else { continue }
        guard case .word(let word, nil, _) = first, let text = word.plainText, Session.isName(text)
        else {
          throw LabScriptError(
            .argument, "emit's NAME must be a plain word here", at: first.span,
            hint: "write the name itself (letters, digits and _), e.g. `emit hotadd_ns $t`, so that "
              + "the batch knows its columns before the first run")
        }
        found.append(EmitDeclaration(name: text, span: word.span))
      default:
        continue
      }
    }
  }
}
