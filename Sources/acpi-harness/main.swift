// acpi-harness: drives the ACPI library from the shell for the ACPICA cross-checks
// (Scripts/test.d/30-acpi-crosscheck) and the benchmark (Benchmarks/acpi/run).
//
//   acpi-harness eval [-fv 0xNN] TABLE... -b 'evaluate PATH [ARGS]; ...'
//                                                                results, one canonical line each;
//                                                                regions read 0xNN until written
//   acpi-harness tables DIR [BOOT POSSIBLE]                      write the board's tables + ASL
//   acpi-harness asl TABLE                                       print a table as ASL
//   acpi-harness bench DSDT [FILL]                               load, evaluate every _STA (regions
//                                                                read FILL bytes, like acpiexec -fv)
//   acpi-harness methods TABLE                                   paths of the methods it defines
//   acpi-harness rows TABLE                                      decoded fields: offset|length|value
//   acpi-harness hex TABLE                                       the acpidump-style hex form
import ACPI
import Foundation
import VirtMachine

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data((message + "\n").utf8))
  exit(2)
}

func readTable(_ path: String) -> [UInt8] {
  guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
  return [UInt8](data)
}

func write(_ bytes: [UInt8], _ path: String) {
  guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
    fail("cannot write \(path)")
  }
}

/// One line per result, the same form Scripts/crosscheck/acpi-acpiexec-results.py makes of
/// acpiexec's output: INT 0x…, STR "…", BUF …, PKG[…], NONE, ERR AE_….
func canonical(_ value: AMLValue) -> String {
  switch value {
  case .integer(let number):
    let digits = String(number, radix: 16, uppercase: true)
    return "INT 0x" + String(repeating: "0", count: 16 - digits.count) + digits
  case .string(let text): return "STR \"\(text)\""
  case .buffer(let bytes):
    return "BUF" + bytes.map { " " + ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined()
  case .package(let elements): return "PKG[" + elements.map(canonical).joined(separator: ", ") + "]"
  case .reference: return "REF"
  case .uninitialized: return "UNINIT"
  }
}

/// Splits an acpiexec batch string into (path, arguments) commands.
func batchCommands(_ batch: String) -> [(String, [String])] {
  var commands: [(String, [String])] = []
  for command in batch.split(separator: ";") {
    var words: [String] = []
    var current = ""
    var depth = 0
    var quoted = false
    for char in command {
      if char == "\"" { quoted.toggle() }
      if char == "(" { depth += 1 }
      if char == ")" { depth -= 1 }
      if char == " " && !quoted && depth == 0 {
        if !current.isEmpty { words.append(current) }
        current = ""
      } else {
        current.append(char)
      }
    }
    if !current.isEmpty { words.append(current) }
    guard words.count >= 2, ["evaluate", "execute"].contains(words[0]) else { continue }
    commands.append((words[1], Array(words.dropFirst(2))))
  }
  return commands
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail("usage: acpi-harness eval|tables|asl|bench …") }

switch command {
case "eval":
  guard let flag = arguments.firstIndex(of: "-b"), flag + 1 < arguments.count else {
    fail("eval needs -b 'commands'")
  }
  var interpreter = AMLInterpreter()
  var files = Array(arguments[1..<flag])
  var fill: UInt8 = 0
  if files.first == "-fv", files.count >= 2 {
    guard let value = UInt8(files[1].replacingOccurrences(of: "0x", with: ""), radix: 16) else {
      fail("eval: -fv needs a hex byte, like 0x21")
    }
    fill = value
    files.removeFirst(2)
  }
  var host = AMLSimulatedHost(fill: fill)
  for file in files {
    do { try interpreter.load(readTable(file), host: &host) } catch { fail("\(file): \(error)") }
  }
  for (path, words) in batchCommands(arguments[flag + 1]) {
    var values: [AMLValue] = []
    for word in words {
      do { values.append(try parseEvalArgument(word)) } catch { fail("\(word): \(error)") }
    }
    let canonicalPath =
      interpreter.namespace.lookup(path: path).map { interpreter.namespace.path(of: $0) } ?? path
    do {
      let value = try interpreter.evaluate(path, arguments: values, host: &host)
      print("\(canonicalPath) => " + (value.map(canonical) ?? "NONE"))
    } catch {
      print("\(canonicalPath) => ERR \(error.status.rawValue)")
    }
  }
  for notification in host.notifications {
    print("NOTIFY \(notification.path) 0x\(String(notification.value, radix: 16, uppercase: true))")
  }

case "tables":
  guard arguments.count >= 2 else { fail("tables needs a directory") }
  let directory = arguments[1]
  let boot = arguments.count > 2 ? Int(arguments[2]) ?? 2 : 2
  let possible = arguments.count > 3 ? Int(arguments[3]) ?? 4 : 4
  // The tables the board ships (VirtACPIBuild, what `acpi dump` writes) of `-smp BOOT,maxcpus=POSSIBLE`
  // with the default machine options, and the same MADT at revision 5 (80-byte GICCs).
  let smp: SMPConfiguration
  do { smp = try SMPConfiguration.parse("\(boot),maxcpus=\(possible)") } catch { fail("tables: \(error)") }
  let board = VirtACPIBuild(smp: smp, options: VirtOptions())
  var revision5 = VirtOptions()
  revision5.madtRevision = 5
  write(board.rsdp.encodedBytes, directory + "/rsdp.dat")
  write(board.xsdt.encodedBytes, directory + "/xsdt.dat")
  write(board.fadt.encodedBytes, directory + "/facp.dat")
  write(board.madt.encodedBytes, directory + "/apic.dat")
  write(VirtACPIBuild(smp: smp, options: revision5).madt.encodedBytes, directory + "/apic5.dat")
  write(board.dsdt.encodedBytes, directory + "/dsdt.aml")
  write(Array(ASLPrinter.definitionBlock(board.dsdt).utf8) + [10], directory + "/dsdt-printed.asl")

case "asl":
  guard arguments.count >= 2 else { fail("asl needs a table") }
  do {
    print(
      try acpiASLCommand(
        file: arguments[1], bytes: readTable(arguments[1]), path: arguments.count > 2 ? arguments[2] : nil))
  } catch { fail(error.description) }

case "methods":
  guard arguments.count >= 2 else { fail("methods needs a table") }
  var interpreter = AMLInterpreter()
  do { try interpreter.load(readTable(arguments[1])) } catch { fail("\(arguments[1]): \(error)") }
  for (node, entry) in interpreter.namespace.nodes.enumerated() where entry.live && node != 0 {
    if case .method(let method) = entry.object, !method.builtin {
      print(interpreter.namespace.path(of: node))
    }
  }

case "rows":
  guard arguments.count >= 2 else { fail("rows needs a table") }
  do {
    for row in try acpiDecodeTable(readTable(arguments[1])).rows {
      print("\(row.offset)|\(row.length)|\(row.value)")
    }
  } catch { fail("\(arguments[1]): \(error)") }

case "hex":
  guard arguments.count >= 2 else { fail("hex needs a table") }
  do {
    print(try acpiDecodeCommand(file: arguments[1], bytes: readTable(arguments[1]), form: .hex))
  } catch { fail(error.description) }

case "bench":
  guard arguments.count >= 2 else { fail("bench needs a DSDT") }
  var interpreter = AMLInterpreter()
  var fill: UInt8 = 0
  if arguments.count > 2 {
    guard let value = UInt8(arguments[2].replacingOccurrences(of: "0x", with: ""), radix: 16) else {
      fail("bench: fill byte must be hex, like 0x21")
    }
    fill = value
  }
  var host = AMLSimulatedHost(fill: fill)
  do { try interpreter.load(readTable(arguments[1]), host: &host) } catch { fail("\(error)") }
  var evaluated = 0
  var present = 0
  let namespace = interpreter.namespace
  var stack = [AMLNamespace.root]
  var staPaths: [Int] = []
  while let node = stack.popLast() {
    for child in namespace.children(of: node) {
      if namespace[child].name.raw == "_STA" { staPaths.append(child) }
      stack.append(child)
    }
  }
  for node in staPaths.sorted() {
    do {
      if case .integer(let value)? = try interpreter.evaluate(node: node, host: &host), value & 1 == 1 {
        present += 1
      }
      evaluated += 1
    } catch { fail("\(namespace.path(of: node)): \(error)") }
  }
  print("evaluated \(evaluated) _STA methods, \(present) report present")

default:
  fail("unknown command \(command)")
}
