// What the LabScript commands `acpi decode`, `acpi asl` and `acpi eval` compute for a standalone
// table file. Each returns a value whose `description` is exactly the text the command prints,
// so the command wrappers stay thin.

/// A command failure with what went wrong and a hint for the user.
public struct ACPICommandError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public var hint: String?

  public init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }

  public var description: String { hint.map { "\(message)\nhint: \($0)" } ?? message }
}

/// Decodes any table file by its signature: RSDP, XSDT, FACP, APIC, DSDT/SSDT (header and AML
/// size); other signatures get their common header decoded.
public func acpiDecodeTable(_ bytes: [UInt8]) throws(ACPITableError) -> DecodedTable {
  if bytes.count >= 8, String(decoding: bytes[0..<8], as: UTF8.self) == RSDP.signature {
    return try RSDP.decode(bytes).decoded
  }
  let signature = bytes.count >= 4 ? String(decoding: bytes[0..<4], as: UTF8.self) : ""
  switch signature {
  case XSDT.signature: return try XSDT.decode(bytes).decoded
  case FADT.signature: return try FADT.decode(bytes).decoded
  case MADT.signature: return try MADT.decode(bytes).decoded
  case "DSDT", "SSDT": return try DefinitionBlock.decodedTable(bytes)
  default:
    let header = try SDTHeader.decode(bytes)
    var rows = header.rows(meaning: "table type not decoded by this model")
    if bytes.count > SDTHeader.size {
      rows.append(
        ACPIFieldRow(36, bytes.count - 36, "Table Body", "\(bytes.count - 36) bytes", "see the hex form"))
    }
    return DecodedTable(signature: header.signature, bytes: bytes, rows: rows)
  }
}

/// `acpi decode FILE [hex]`.
public struct ACPIDecodeOutput: Equatable, Sendable, CustomStringConvertible {
  public enum Form: Sendable { case fields, hex }
  public var table: DecodedTable
  public var form: Form

  public var description: String { form == .fields ? table.fieldTable : table.hexDump() }
}

public func acpiDecodeCommand(file: String, bytes: [UInt8], form: ACPIDecodeOutput.Form = .fields)
  throws(ACPICommandError)
  -> ACPIDecodeOutput
{
  do {
    return ACPIDecodeOutput(table: try acpiDecodeTable(bytes), form: form)
  } catch {
    throw ACPICommandError(
      "\(file): \(error)", hint: "the file must hold one complete ACPI table (.aml/.dat)")
  }
}

/// Loads a standalone DSDT/SSDT file into a fresh interpreter.
public func acpiLoadStandalone(file: String, bytes: [UInt8]) throws(ACPICommandError) -> AMLInterpreter {
  var interpreter = AMLInterpreter()
  do {
    try interpreter.load(bytes)
  } catch {
    throw ACPICommandError("\(file): \(error)", hint: "acpi asl and acpi eval need a DSDT or SSDT with AML")
  }
  return interpreter
}

/// `acpi asl FILE [PATH]`: the table, or one object, as ASL.
public struct ACPIASLOutput: Equatable, Sendable, CustomStringConvertible {
  public var text: String
  public var description: String { text }
}

public func acpiASLCommand(file: String, bytes: [UInt8], path: String? = nil) throws(ACPICommandError)
  -> ACPIASLOutput
{
  let interpreter = try acpiLoadStandalone(file: file, bytes: bytes)
  guard let path else {
    return ACPIASLOutput(
      text: interpreter.tables.map { ASLPrinter.table($0, in: interpreter) }.joined(separator: "\n"))
  }
  guard let node = interpreter.namespace.lookup(path: path) else {
    throw ACPICommandError(
      "\(path): AE_NOT_FOUND, no such object in \(file)", hint: "paths are absolute, like \\_SB.C000._STA")
  }
  if node == AMLNamespace.root {
    return ACPIASLOutput(
      text: interpreter.tables.map { ASLPrinter.table($0, in: interpreter) }.joined(separator: "\n"))
  }
  guard let text = ASLPrinter.object(node, in: interpreter) else {
    let object = interpreter.namespace[node].object
    return ACPIASLOutput(
      text: "// \(interpreter.namespace.path(of: node)) is a predefined \(object.typeName) object")
  }
  return ACPIASLOutput(text: text)
}

/// `acpi eval FILE PATH [ARGS...]`: the outcome in acpiexec's words, plus any Notify and Debug
/// output the evaluation produced.
public struct ACPIEvalOutput: Equatable, Sendable, CustomStringConvertible {
  public var path: String
  public var result: Result<AMLValue?, AMLError>
  public var notifications: [AMLNotification]
  public var debugOutput: [AMLValue]

  /// True when the evaluation failed with an ACPICA status.
  public var failed: Bool {
    if case .failure = result { return true }
    return false
  }

  public var description: String {
    var lines: [String] = []
    for value in debugOutput {
      lines.append("ACPI Debug: " + value.acpiexecText().trimmingLeadingSpaces)
    }
    for notification in notifications { lines.append(notification.description) }
    switch result {
    case .success(let value?):
      lines.append("Evaluation of \(path) returned:")
      lines.append(value.acpiexecText(indent: 1))
    case .success(nil):
      lines.append("No object was returned from evaluation of \(path)")
    case .failure(let error):
      lines.append("Evaluation of \(path) failed with status \(error.status.rawValue)")
      lines.append(
        "  " + error.message + (error.method.map { " (in method \($0))" } ?? "")
          + (error.statement.map { " at: \($0)" } ?? ""))
    }
    return lines.joined(separator: "\n")
  }
}

public func acpiEvalCommand(file: String, bytes: [UInt8], path: String, arguments: [String] = [])
  throws(ACPICommandError)
  -> ACPIEvalOutput
{
  var interpreter = try acpiLoadStandalone(file: file, bytes: bytes)
  var values: [AMLValue] = []
  for argument in arguments { values.append(try parseEvalArgument(argument)) }
  var host = AMLSimulatedHost()
  let canonical = interpreter.namespace.lookup(path: path).map { interpreter.namespace.path(of: $0) } ?? path
  let result: Result<AMLValue?, AMLError>
  do {
    result = .success(try interpreter.evaluate(path, arguments: values, host: &host))
  } catch {
    result = .failure(error)
  }
  return ACPIEvalOutput(
    path: canonical, result: result, notifications: host.notifications, debugOutput: host.debugLog)
}

/// Parses an argument the way acpiexec's `evaluate` does: integers are decimal unless written
/// with 0x, `"text"` is a String, `(01 02 0A)` a Buffer of hex bytes.
public func parseEvalArgument(_ text: String) throws(ACPICommandError) -> AMLValue {
  let trimmed = text.trimmingLeadingSpaces.trimmingTrailingSpaces
  if trimmed.hasPrefix("\"") {
    guard trimmed.count >= 2, trimmed.hasSuffix("\"") else {
      throw ACPICommandError("argument \(text): unterminated string", hint: "write strings as \"text\"")
    }
    return .string(String(trimmed.dropFirst().dropLast()))
  }
  if trimmed.hasPrefix("(") {
    guard trimmed.hasSuffix(")") else {
      throw ACPICommandError("argument \(text): unterminated buffer", hint: "write buffers as (01 02 03)")
    }
    var bytes: [UInt8] = []
    for part in trimmed.dropFirst().dropLast().split(separator: " ") {
      guard let byte = UInt8(part, radix: 16) else {
        throw ACPICommandError(
          "argument \(text): \"\(part)\" is not a hex byte", hint: "write buffers as (01 02 03)")
      }
      bytes.append(byte)
    }
    return .buffer(bytes)
  }
  let lower = trimmed.lowercased()
  let value = lower.hasPrefix("0x") ? UInt64(lower.dropFirst(2), radix: 16) : UInt64(lower, radix: 10)
  guard let value else {
    throw ACPICommandError(
      "argument \(text) is not an integer, string or buffer",
      hint: "integers are decimal unless written with 0x (84 vs 0x84)")
  }
  return .integer(value)
}
