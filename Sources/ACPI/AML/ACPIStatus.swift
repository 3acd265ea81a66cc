/// ACPICA exception codes (acexcep.h), by their exact names, for the failures this model reports.
public enum ACPIStatus: String, Sendable, CaseIterable, Equatable {
  case AE_ERROR
  case AE_NO_MEMORY
  case AE_NOT_FOUND
  case AE_NOT_EXIST
  case AE_ALREADY_EXISTS
  case AE_TYPE
  case AE_NULL_OBJECT
  case AE_BAD_PARAMETER
  case AE_BAD_SIGNATURE
  case AE_BAD_HEADER
  case AE_BAD_CHECKSUM
  case AE_BAD_VALUE
  case AE_SUPPORT
  case AE_LIMIT
  case AE_TIME
  case AE_STACK_OVERFLOW
  case AE_AML_BAD_OPCODE
  case AE_AML_NO_OPERAND
  case AE_AML_OPERAND_TYPE
  case AE_AML_OPERAND_VALUE
  case AE_AML_UNINITIALIZED_LOCAL
  case AE_AML_UNINITIALIZED_ARG
  case AE_AML_UNINITIALIZED_ELEMENT
  case AE_AML_NUMERIC_OVERFLOW
  case AE_AML_REGION_LIMIT
  case AE_AML_BUFFER_LIMIT
  case AE_AML_PACKAGE_LIMIT
  case AE_AML_DIVIDE_BY_ZERO
  case AE_AML_BAD_NAME
  case AE_AML_NAME_NOT_FOUND
  case AE_AML_INTERNAL
  case AE_AML_INVALID_SPACE_ID
  case AE_AML_STRING_LIMIT
  case AE_AML_NO_RETURN_VALUE
  case AE_AML_METHOD_LIMIT
  case AE_AML_NOT_OWNER
  case AE_AML_MUTEX_ORDER
  case AE_AML_MUTEX_NOT_ACQUIRED
  case AE_AML_INVALID_RESOURCE_TYPE
  case AE_AML_INVALID_INDEX
  case AE_AML_REGISTER_LIMIT
  case AE_AML_NO_WHILE
  case AE_AML_ALIGNMENT
  case AE_AML_NO_RESOURCE_END_TAG
  case AE_AML_BAD_RESOURCE_VALUE
  case AE_AML_CIRCULAR_REFERENCE
  case AE_AML_BAD_RESOURCE_LENGTH
  case AE_AML_ILLEGAL_ADDRESS
  case AE_AML_LOOP_TIMEOUT
  case AE_AML_UNINITIALIZED_NODE
  case AE_AML_TARGET_TYPE
}

/// An AML failure: the ACPICA status, what went wrong, and where (method path and/or table offset).
public struct AMLError: Error, Equatable, Sendable, CustomStringConvertible {
  public var status: ACPIStatus
  public var message: String
  /// The method being executed (absolute path), if any.
  public var method: String?
  /// Offset in the table of the byte where parsing failed, if known.
  public var tableOffset: Int?
  /// The AML statement that failed, as one line of ASL (like acpiexec's "Failed at … Opcode").
  public var statement: String?

  public init(_ status: ACPIStatus, _ message: String, method: String? = nil, tableOffset: Int? = nil) {
    self.status = status
    self.message = message
    self.method = method
    self.tableOffset = tableOffset
  }

  public var description: String {
    var text = "\(status.rawValue): \(message)"
    if let method { text += " (in method \(method))" }
    if let statement { text += " at: \(statement)" }
    if let tableOffset { text += " [table offset 0x\(hex(UInt64(tableOffset), 4))]" }
    return text
  }
}
