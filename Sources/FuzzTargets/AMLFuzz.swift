import ACPI
import VirtMachine

/// AML through the interpreter. The first byte chooses how the rest becomes a table:
///   0: the body of a revision-2 DSDT (64-bit integers), with a valid header and checksum;
///   1: the body of a revision-1 DSDT (32-bit integers);
///   2: the body of an SSDT loaded on top of the board's DSDT (`VirtACPIBuild` of
///      `-smp 1,maxcpus=4`), so it can reach and call the real `\_SB.CPUS` methods and registers;
///   3: raw table bytes, header checks included.
/// After a successful load the tables are printed as ASL, the namespace as a tree, and every
/// method (up to 24) is evaluated with arguments drawn from the input, under low limits.
enum AMLFuzz {
  static var limits: AMLLimits {
    var limits = AMLLimits()
    limits.maxLoopIterations = 2_000
    limits.maxSteps = 40_000
    limits.maxObjectSize = 1 << 16
    return limits
  }

  static let hotplugDSDT = VirtACPIBuild(
    smp: SMPConfiguration(cpus: 1, maxCPUs: 4, sockets: 1, clusters: 1, cores: 4, threads: 1),
    options: VirtOptions()
  ).dsdt.encodedBytes

  static func run(_ bytes: [UInt8]) {
    var reader = FuzzReader(bytes)
    let mode = reader.byte() & 3
    let argumentSeed = reader.u64()
    let body = reader.rest()
    var interpreter = AMLInterpreter(limits: limits)
    let table: [UInt8]
    switch mode {
    case 0: table = definitionBlock("DSDT", revision: 2, body: body)
    case 1: table = definitionBlock("DSDT", revision: 1, body: body)
    case 2:
      do { try interpreter.load(hotplugDSDT) } catch {
        FuzzFailure.check(false, "the board's DSDT does not load: \(error)")
      }
      table = definitionBlock("SSDT", revision: 2, body: body)
    default: table = body
    }
    do {
      try interpreter.load(table)
    } catch {
      _ = error.description
      return
    }
    for loaded in interpreter.tables { _ = ASLPrinter.table(loaded, in: interpreter) }
    _ = ASLPrinter.namespaceTree(interpreter)
    var seed = argumentSeed
    var evaluated = 0
    for node in interpreter.namespace.nodes.indices where evaluated < 24 {
      guard interpreter.namespace[node].live, case .method(let method) = interpreter.namespace[node].object
      else { continue }
      evaluated += 1
      _ = ASLPrinter.object(node, in: interpreter)
      var arguments: [AMLValue] = []
      for _ in 0..<method.definition.argumentCount { arguments.append(argument(&seed)) }
      var host = AMLSimulatedHost(fill: UInt8(truncatingIfNeeded: seed))
      do {
        if let value = try interpreter.evaluate(node: node, arguments: arguments, host: &host) {
          _ = value.acpiexecText()
        }
      } catch {
        _ = error.description
      }
    }
  }

  /// An Integer, String or Buffer argument.
  static func argument(_ seed: inout UInt64) -> AMLValue {
    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    switch seed >> 62 {
    case 0: return .string(String(seed, radix: 16))
    case 1:
      return .buffer((0..<Int(seed >> 56 & 15)).map { UInt8(truncatingIfNeeded: seed >> UInt64($0 * 3)) })
    default: return .integer(seed >> 1 & 0xFFFF_FFFF)
    }
  }

  /// A table with a correct Length and checksum around `body`.
  static func definitionBlock(_ signature: String, revision: UInt8, body: [UInt8]) -> [UInt8] {
    var table = Array(signature.utf8)
    let length = UInt32(truncatingIfNeeded: 36 + body.count)
    for shift in stride(from: 0, to: 32, by: 8) {
      table.append(UInt8(truncatingIfNeeded: length >> UInt32(shift)))
    }
    table += [revision, 0]
    table +=
      Array("HPLAB ".utf8) + Array("FUZZTABL".utf8) + [1, 0, 0, 0] + Array("HPLB".utf8) + [1, 0, 0, 0]
    table += body
    table[9] = 0 &- table.reduce(UInt8(0)) { $0 &+ $1 }
    return table
  }
}
