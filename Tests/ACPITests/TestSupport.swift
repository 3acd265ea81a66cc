@testable import ACPI

/// Builds a DSDT (revision 2 unless given) from terms and loads it into a fresh interpreter.
func loaded(_ terms: [AMLTerm], revision: UInt8 = 2) throws -> AMLInterpreter {
  var interpreter = AMLInterpreter()
  try interpreter.load(DefinitionBlock(revision: revision, terms: terms).encodedBytes)
  return interpreter
}

/// A DSDT whose AML body is the given raw bytes.
func table(_ body: [UInt8], signature: String = "DSDT", revision: UInt8 = 2) -> [UInt8] {
  var sink = ByteSink()
  SDTHeader(signature: signature, revision: revision).encodeTable(into: &sink) { $0.append(body) }
  return sink.bytes
}

extension AMLInterpreter {
  mutating func eval(_ path: String, _ arguments: [AMLValue] = []) throws -> AMLValue? {
    var host = AMLSimulatedHost()
    return try evaluate(path, arguments: arguments, host: &host)
  }

  mutating func status(_ path: String, _ arguments: [AMLValue] = []) -> ACPIStatus? {
    do {
      _ = try eval(path, arguments)
      return nil
    } catch {
      return (error as? AMLError)?.status
    }
  }
}
