import CPUMask

/// Commands and functions over CPU masks, named after the kernel helpers they model
/// (include/linux/cpumask.h, lib/bitmap-str.c).
enum MaskBuiltins {
  static let category = "Masks"

  static func register(in registry: Registry) {
    registry.register(maskCommand)
    for function in functions { registry.register(function) }
  }

  private static func masks(_ call: FunctionCall, _ a: CPUMask, _ b: CPUMask) throws {
    if a.nrCPUs != b.nrCPUs {
      throw call.error("masks of \(a.nrCPUs) and \(b.nrCPUs) CPUs cannot be combined", kind: .type)
    }
  }

  private static func cpu(_ call: FunctionCall, _ index: Int, in mask: CPUMask) throws -> Int {
    let n = call.int(index)
    guard mask.isValid(cpu: n) else {
      throw call.error("CPU \(n) is outside a mask of \(mask.nrCPUs) CPUs (0-\(mask.nrCPUs - 1))", at: index)
    }
    return n
  }

  private static func width(_ call: FunctionCall, _ index: Int) throws -> Int {
    guard call.count > index else { return call.session.nrCPUs }
    let n = call.int(index)
    guard (0...CPUMask.maximumNRCPUs).contains(n) else {
      throw call.error("nbits must be between 0 and \(CPUMask.maximumNRCPUs), not \(n)", at: index)
    }
    return n
  }

  /// "none" where the kernel returns nr_cpu_ids: the kernel's `>= nr_cpu_ids` convention.
  private static func position(_ value: Int?, _ mask: CPUMask) -> Value { .int(value ?? mask.nrCPUs) }

  static var functions: [FunctionSpec] {
    [
      FunctionSpec(
        "cpulist", [ParameterSpec("text", .string), ParameterSpec("nbits", .int, optional: true)],
        returns: "mask",
        category: category, summary: "parse the list format (0-3,8  0-15:2/4  N), as cpulist_parse()",
        help: """
          Errors are Linux's: -EINVAL for a malformed list, -ERANGE for a CPU at or above nbits (default
          NR_CPUS), -EOVERFLOW for a number above 32 bits.
          """
      ) { call in
        let nbits = try width(call, 1)
        do throws(BitmapParseError) {
          return .mask(try CPUMask(cpulist: call.string(0), nrCPUs: nbits))
        } catch {
          throw call.error(
            "cpulist_parse(\(Value.string(call.string(0)).literal)) failed: \(error.errno.symbol): \(error.reason)",
            at: 0)
        }
      },
      FunctionSpec(
        "cpumap_parse", [ParameterSpec("text", .string), ParameterSpec("nbits", .int, optional: true)],
        returns: "mask",
        category: category, summary: "parse the hex map format (ff,00000001), as cpumask_parse()"
      ) { call in
        let nbits = try width(call, 1)
        do throws(BitmapParseError) { return .mask(try CPUMask(cpumap: call.string(0), nrCPUs: nbits)) } catch
        {
          throw call.error(
            "cpumask_parse(\(Value.string(call.string(0)).literal)) failed: \(error.errno.symbol): \(error.reason)",
            at: 0)
        }
      },
      FunctionSpec(
        "cpumap", [ParameterSpec("m", .mask)], returns: "string", category: category,
        summary: "the hex map format sysfs prints (%*pb): 32-bit groups, most significant first"
      ) { call in .string(call.mask(0).mapString) },
      FunctionSpec(
        "weight", [ParameterSpec("m", .mask)], returns: "int", category: category,
        summary: "the number of CPUs in the mask (cpumask_weight)"
      ) { call in .int(call.mask(0).weight) },
      FunctionSpec(
        "subset", [ParameterSpec("a", .mask), ParameterSpec("b", .mask)], returns: "bool", category: category,
        summary: "whether every CPU of a is in b (cpumask_subset)"
      ) { call in
        try masks(call, call.mask(0), call.mask(1))
        return .bool(call.mask(0).isSubset(of: call.mask(1)))
      },
      FunctionSpec(
        "intersects", [ParameterSpec("a", .mask), ParameterSpec("b", .mask)], returns: "bool",
        category: category,
        summary: "whether a and b share a CPU (cpumask_intersects)"
      ) { call in
        try masks(call, call.mask(0), call.mask(1))
        return .bool(call.mask(0).intersects(call.mask(1)))
      },
      FunctionSpec(
        "empty", [ParameterSpec("m", .mask)], returns: "bool", category: category,
        summary: "whether no CPU is set (cpumask_empty)"
      ) { call in .bool(call.mask(0).isEmpty) },
      FunctionSpec(
        "full", [ParameterSpec("m", .mask)], returns: "bool", category: category,
        summary: "whether every CPU is set (cpumask_full)"
      ) { call in .bool(call.mask(0).isFull) },
      FunctionSpec(
        "first", [ParameterSpec("m", .mask)], returns: "int", category: category,
        summary: "the lowest CPU, or the mask's width when empty (cpumask_first)"
      ) { call in position(call.mask(0).first, call.mask(0)) },
      FunctionSpec(
        "last", [ParameterSpec("m", .mask)], returns: "int", category: category,
        summary: "the highest CPU, or the mask's width when empty (cpumask_last)"
      ) { call in position(call.mask(0).last, call.mask(0)) },
      FunctionSpec(
        "next", [ParameterSpec("m", .mask), ParameterSpec("n", .int)], returns: "int", category: category,
        summary: "the first CPU after n, or the mask's width (cpumask_next)"
      ) { call in
        let m = call.mask(0)
        let n = call.int(1)
        guard n >= -1 && n < m.nrCPUs else {
          throw call.error("n must be between -1 and \(m.nrCPUs - 1), not \(n)", at: 1)
        }
        return position(m.next(after: n), m)
      },
      FunctionSpec(
        "next_wrap", [ParameterSpec("m", .mask), ParameterSpec("n", .int)], returns: "int",
        category: category,
        summary: "the first CPU after n, wrapping around to the start (cpumask_next_wrap)"
      ) { call in
        let m = call.mask(0)
        let n = try cpu(call, 1, in: m)
        return position(m.nextWrapping(after: n), m)
      },
      FunctionSpec(
        "test_cpu", [ParameterSpec("m", .mask), ParameterSpec("cpu", .int)], returns: "bool",
        category: category,
        summary: "whether the CPU is in the mask (cpumask_test_cpu; also `cpu in m`)"
      ) { call in
        let m = call.mask(0)
        return .bool(m.test(try cpu(call, 1, in: m)))
      },
      FunctionSpec(
        "set_cpu", [ParameterSpec("m", .mask), ParameterSpec("cpu", .int)], returns: "mask",
        category: category,
        summary: "the mask with the CPU added (cpumask_set_cpu)"
      ) { call in
        var m = call.mask(0)
        m.set(try cpu(call, 1, in: m))
        return .mask(m)
      },
      FunctionSpec(
        "clear_cpu", [ParameterSpec("m", .mask), ParameterSpec("cpu", .int)], returns: "mask",
        category: category,
        summary: "the mask with the CPU removed (cpumask_clear_cpu)"
      ) { call in
        var m = call.mask(0)
        m.clear(try cpu(call, 1, in: m))
        return .mask(m)
      },
      FunctionSpec(
        "mask_and", [ParameterSpec("a", .mask), ParameterSpec("b", .mask)], returns: "mask",
        category: category,
        summary: "the CPUs in both (cpumask_and; also a & b)"
      ) { call in
        try masks(call, call.mask(0), call.mask(1))
        return .mask(call.mask(0).and(call.mask(1)))
      },
      FunctionSpec(
        "mask_or", [ParameterSpec("a", .mask), ParameterSpec("b", .mask)], returns: "mask",
        category: category,
        summary: "the CPUs in either (cpumask_or; also a | b)"
      ) { call in
        try masks(call, call.mask(0), call.mask(1))
        return .mask(call.mask(0).or(call.mask(1)))
      },
      FunctionSpec(
        "mask_xor", [ParameterSpec("a", .mask), ParameterSpec("b", .mask)], returns: "mask",
        category: category,
        summary: "the CPUs in exactly one (cpumask_xor; also a ^ b)"
      ) { call in
        try masks(call, call.mask(0), call.mask(1))
        return .mask(call.mask(0).xor(call.mask(1)))
      },
      FunctionSpec(
        "mask_andnot", [ParameterSpec("a", .mask), ParameterSpec("b", .mask)], returns: "mask",
        category: category,
        summary: "the CPUs of a that are not in b (cpumask_andnot; also a - b)"
      ) { call in
        try masks(call, call.mask(0), call.mask(1))
        return .mask(call.mask(0).andNot(call.mask(1)))
      },
      FunctionSpec(
        "complement", [ParameterSpec("m", .mask)], returns: "mask", category: category,
        summary: "every CPU not in the mask, up to its width (cpumask_complement; also ~m)"
      ) { call in .mask(call.mask(0).complement()) },
      FunctionSpec(
        "cpus", [ParameterSpec("m", .mask)], returns: "list", category: category,
        summary: "the CPU numbers as a list (for_each_cpu)"
      ) { call in .list(call.mask(0).map { .int($0) }) },
      FunctionSpec(
        "nbits", [ParameterSpec("m", .mask)], returns: "int", category: category,
        summary: "the mask's width in CPUs"
      ) { call in .int(call.mask(0).nrCPUs) },
    ]
  }

  // MARK: The mask command

  private static func twoMasks(_ inv: Invocation) throws -> (CPUMask, CPUMask) {
    let a = inv.mask("A")!
    let b = inv.mask("B")!
    if a.nrCPUs != b.nrCPUs {
      throw inv.error("masks of \(a.nrCPUs) and \(b.nrCPUs) CPUs cannot be combined", kind: .type)
    }
    return (a, b)
  }

  private static let two = [
    ArgumentSpec("A", kind: .mask, summary: "a CPU list or mask"),
    ArgumentSpec("B", kind: .mask, summary: "a CPU list or mask"),
  ]
  private static let one = [ArgumentSpec("A", kind: .mask, summary: "a CPU list or mask")]

  static var maskCommand: CommandSpec {
    CommandSpec(
      "mask", category: category, summary: "CPU mask arithmetic, as the kernel's cpumask helpers do it",
      help: """
        Each sub-command takes CPU lists (0-3,8) or mask variables ($m) and prints the result in
        the sysfs list format. Masks are NR_CPUS wide (see `config`).
        """,
      subcommands: [
        CommandSpec(
          "parse", category: category,
          summary: "parse a CPU list (bitmap_parselist) and print it in both formats",
          arguments: [
            ArgumentSpec("LIST", kind: .string, summary: "the list, e.g. 0-15:2/4"),
            ArgumentSpec(
              "nbits", .keyed, kind: .int, required: false, summary: "the mask's width (default NR_CPUS)"),
          ]
        ) { inv in
          let nbits = inv.int("nbits") ?? inv.session.nrCPUs
          guard (0...CPUMask.maximumNRCPUs).contains(nbits) else {
            throw inv.error(
              "nbits must be between 0 and \(CPUMask.maximumNRCPUs), not \(nbits)", at: "nbits",
              kind: .argument)
          }
          let text = inv.string("LIST")!
          let mask: CPUMask
          do throws(BitmapParseError) { mask = try CPUMask(cpulist: text, nrCPUs: nbits) } catch {
            // Point at the character the kernel's parser stopped at when the word was typed as is.
            let word = inv.span(of: "LIST")
            let at =
              word.text == text
              ? SourceSpan(
                file: word.file, start: word.start + error.offset, end: word.start + error.offset + 1) : word
            throw LabScriptError(
              .command,
              "bitmap_parselist(\(Value.string(text).literal)) returned \(error.errno.symbol) (\(error.errno.negated)): \(error.reason)",
              at: at)
          }
          inv.print("list: \(mask.listString)")
          inv.print("map:  \(mask.mapString)")
          inv.print("weight: \(mask.weight)")
          return .mask(mask)
        },
        CommandSpec(
          "format", category: category, summary: "print a mask as a list (%*pbl) or hex map (%*pb)",
          arguments: [
            ArgumentSpec("A", kind: .mask, summary: "a CPU list or mask"),
            ArgumentSpec(
              "as", .keyed, kind: .choice(["list", "map"]), required: false,
              summary: "the format (default list)"),
          ]
        ) { inv in
          let m = inv.mask("A")!
          inv.print(inv.string("as") == "map" ? m.mapString : m.listString)
          return .mask(m)
        },
        CommandSpec("and", category: category, summary: "the CPUs in both (cpumask_and)", arguments: two) {
          inv in
          let (a, b) = try twoMasks(inv)
          inv.print(a.and(b).listString)
          return .mask(a.and(b))
        },
        CommandSpec("or", category: category, summary: "the CPUs in either (cpumask_or)", arguments: two) {
          inv in
          let (a, b) = try twoMasks(inv)
          inv.print(a.or(b).listString)
          return .mask(a.or(b))
        },
        CommandSpec(
          "xor", category: category, summary: "the CPUs in exactly one (cpumask_xor)", arguments: two
        ) { inv in
          let (a, b) = try twoMasks(inv)
          inv.print(a.xor(b).listString)
          return .mask(a.xor(b))
        },
        CommandSpec(
          "andnot", category: category, summary: "the CPUs of A not in B (cpumask_andnot)", arguments: two
        ) { inv in
          let (a, b) = try twoMasks(inv)
          inv.print(a.andNot(b).listString)
          return .mask(a.andNot(b))
        },
        CommandSpec("weight", category: category, summary: "how many CPUs (cpumask_weight)", arguments: one) {
          inv in
          inv.print(String(inv.mask("A")!.weight))
          return .int(inv.mask("A")!.weight)
        },
        CommandSpec("subset", category: category, summary: "whether A ⊆ B (cpumask_subset)", arguments: two) {
          inv in
          let (a, b) = try twoMasks(inv)
          inv.print(a.isSubset(of: b) ? "true" : "false")
          return .bool(a.isSubset(of: b))
        },
      ])
  }
}
