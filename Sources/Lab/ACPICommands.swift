import ACPI
import GuestKernel
import LabScript
import HostFiles
import VirtMachine

/// The `acpi` command: over a table file on the host (`acpi decode FILE`, `acpi asl FILE [PATH]`,
/// `acpi eval FILE PATH [ARGS]`), and over the running machine's tables (`acpi tables`, `acpi dump
/// DIR`, `acpi asl [PATH]`, `acpi eval PATH [ARGS]`, `acpi notify PATH VALUE`).
enum ACPICommands {
  static let category = "ACPI"

  /// An argument names a host file (rather than a namespace path) when it has a directory
  /// separator or a table file extension.
  static func isFile(_ text: String) -> Bool {
    text.contains("/") || text.hasSuffix(".aml") || text.hasSuffix(".dat") || text.hasSuffix(".bin")
  }

  /// Reads a table file, with the errno text on failure.
  static func read(_ path: String, _ inv: Invocation, at argument: String) throws -> [UInt8] {
    do throws(HostFileError) { return try HostFile.readBytes(path) } catch {
      throw inv.error("cannot read '\(path)': \(error.detail)", at: argument, kind: .io)
    }
  }

  /// Output ends with exactly one newline.
  static func line(_ text: String) -> String { text.trimmingTrailingNewlines + "\n" }

  static func fail(_ error: ACPICommandError, _ inv: Invocation) -> LabScriptError {
    LabScriptError(.command, error.message, at: inv.span, hint: error.hint)
  }

  static func command(_ lab: Lab) -> CommandSpec {
    CommandSpec(
      "acpi", category: category,
      summary: "ACPI tables and AML: decode, print as ASL, evaluate, dump, notify",
      help: """
        With a table file (.aml/.dat, or any path with a '/'): decode any table into its fields, print a
        DSDT/SSDT (or one object of it) as ASL, or evaluate a method with HotplugLab's AML interpreter
        (ACPICA's semantics and error names; operation regions read as zero-filled memory, as acpiexec's do).
        Without a file, the same work on the running machine's tables: `acpi eval \\_SB.CPUS.C001._STA`
        reads the real hotplug registers (through the guest's ACPICA once it has booted).
        """,
      subcommands: [
        CommandSpec(
          "decode", category: category,
          summary: "decode a table (a file, or the machine's RSDP/XSDT/FACP/APIC/DSDT) into its fields",
          usage: "acpi decode FILE|SIGNATURE [--hex]",
          arguments: [
            ArgumentSpec(
              "FILE", kind: .path, summary: "a table file, or the signature of one of the machine's tables",
              completions: { _ in ["RSDP", "XSDT", "FACP", "APIC", "DSDT"] }),
            ArgumentSpec("--hex", .flag, summary: "print an acpidump-style hex dump instead"),
          ]
        ) { inv in
          let file = inv.string("FILE")!
          let bytes: [UInt8]
          if !isFile(file), let machine = lab.machine,
            let table = machine.firmware.tables.first(where: { $0.name == file.uppercased() })
          {
            bytes = table.bytes
          } else if !isFile(file) && file.count == 4 && lab.machine == nil {
            throw inv.error(
              "no machine: '\(file)' is not one of its tables yet", at: "FILE",
              hint: "create one with `machine virt -smp ...`, or give a table file")
          } else {
            bytes = try read(file, inv, at: "FILE")
          }
          do throws(ACPICommandError) {
            let output = try acpiDecodeCommand(
              file: file, bytes: bytes, form: inv.flag("--hex") ? .hex : .fields)
            inv.session.write(line(output.description))
          } catch { throw fail(error, inv) }
          return .none
        },
        CommandSpec(
          "asl", category: category,
          summary: "print a DSDT/SSDT (a file's, or the machine's), or one object, as ASL",
          usage: "acpi asl [FILE] [PATH]",
          arguments: [
            ArgumentSpec(
              "FILE-OR-PATH", kind: .string, required: false, summary: "a table file, or a namespace path"),
            ArgumentSpec(
              "PATH", kind: .string, required: false, summary: "a namespace path, e.g. \\_SB.CPUS.CSTA"),
          ]
        ) { inv in
          let first = inv.string("FILE-OR-PATH")
          let file: String
          let bytes: [UInt8]
          let path: String?
          if let first, isFile(first) {
            file = first
            bytes = try read(first, inv, at: "FILE-OR-PATH")
            path = inv.string("PATH")
          } else {
            let machine = try lab.requireMachine(inv)
            file = "DSDT"
            bytes = machine.firmware.dsdt.encodedBytes
            path = first
          }
          do throws(ACPICommandError) {
            inv.session.write(line(try acpiASLCommand(file: file, bytes: bytes, path: path).description))
          } catch { throw fail(error, inv) }
          return .none
        },
        CommandSpec(
          "eval", category: category,
          summary: "evaluate a method or object (of a table file, or on the machine)",
          usage: "acpi eval [FILE] PATH [ARG...]",
          help:
            "Arguments are integers (42, 0x2a), strings (\"text\") or buffers ({1,2,3}). An ACPICA error fails the command.",
          arguments: [
            ArgumentSpec("FILE-OR-PATH", kind: .string, summary: "a table file, or the object's path"),
            ArgumentSpec(
              "ARG", kind: .string, required: false, variadic: true,
              summary: "the path (after a file) and method arguments"),
          ]
        ) { inv in
          let first = inv.string("FILE-OR-PATH")!
          var rest = inv.rest.map(\.value.display)
          if isFile(first) {
            let bytes = try read(first, inv, at: "FILE-OR-PATH")
            guard !rest.isEmpty else {
              throw inv.error("'acpi eval \(first)' needs the PATH to evaluate", kind: .argument)
            }
            let path = rest.removeFirst()
            let output: ACPIEvalOutput
            do throws(ACPICommandError) {
              output = try acpiEvalCommand(file: first, bytes: bytes, path: path, arguments: rest)
            } catch { throw fail(error, inv) }
            if output.failed {
              throw LabScriptError(.command, output.description.trimmingTrailingNewlines, at: inv.span)
            }
            inv.session.write(line(output.description))
            return .none
          }
          inv.session.write(try lab.evaluateOnMachine(first, arguments: rest, inv))
          return .none
        },
        CommandSpec(
          "tables", category: category,
          summary: "the machine's ACPI tables: where they are, their size and revision"
        ) { inv in
          let machine = try lab.requireMachine(inv)
          inv.print("table  address             length  revision  checksum")
          for table in machine.firmware.tables {
            let revision = table.name == "RSDP" ? table.bytes[15] : table.bytes[8]
            let sum = table.bytes.prefix(table.name == "RSDP" ? 20 : table.bytes.count).reduce(UInt8(0), &+)
            inv.print(
              "\(table.name.padding(6)) 0x\(String(table.address, radix: 16).padding(17)) \(String(table.bytes.count).padding(7)) \(String(revision).padding(9)) \(sum == 0 ? "ok" : "BAD")"
            )
          }
          return .none
        },
        CommandSpec(
          "dump", category: category,
          summary: "write the machine's tables as files (RSDP.dat XSDT.dat FACP.dat APIC.dat DSDT.aml)",
          arguments: [ArgumentSpec("DIR", kind: .path, summary: "an existing directory")]
        ) { inv in
          let machine = try lab.requireMachine(inv)
          let directory = inv.string("DIR")!
          guard HostFile.isDirectory(directory) else {
            throw inv.error(
              "'\(directory)' is not a directory", at: "DIR", hint: "create it first", kind: .io)
          }
          for table in machine.firmware.tables {
            let name = table.name == "DSDT" ? "DSDT.aml" : "\(table.name).dat"
            do throws(HostFileError) {
              try HostFile.writeAtomically(table.bytes, to: directory + "/" + name)
            } catch { throw inv.error("\(error.path): \(error.message)", at: "DIR", kind: .io) }
            inv.print("\(directory)/\(name)  \(table.bytes.count) bytes")
          }
          return .none
        },
        CommandSpec(
          "notify", category: category,
          summary: "make the firmware send a Notify to the guest (1 Device Check, 3 Eject Request)",
          arguments: [
            ArgumentSpec("PATH", kind: .string, summary: "the device, e.g. \\_SB.CPUS.C001"),
            ArgumentSpec("VALUE", kind: .int, summary: "the notification value"),
          ]
        ) { inv in
          _ = try lab.requireKernel(inv)
          let value = inv.int("VALUE")!
          guard (0...255).contains(value) else {
            throw inv.error("a Notify value is a byte (0-255)", at: "VALUE", kind: .argument)
          }
          try lab.firmwareNotify(inv.string("PATH")!, value: UInt64(value), inv)
          return .none
        },
      ])
  }
}

extension Lab {
  /// `acpi eval PATH` on the machine: through the guest's ACPICA when it has booted (Notify calls
  /// then reach the guest), else with a firmware-side interpreter over the machine's registers.
  func evaluateOnMachine(_ path: String, arguments: [String], _ inv: Invocation) throws -> String {
    let machine = try requireMachine(inv)
    var values: [AMLValue] = []
    for argument in arguments {
      do throws(ACPICommandError) { values.append(try parseEvalArgument(argument)) } catch {
        throw LabScriptError(.argument, error.message, at: inv.span, hint: error.hint)
      }
    }
    checkpoint()
    let result: Result<AMLValue?, AMLError>
    var notices: [String] = []
    if kernel != nil, let platform {
      let outcome = kernel!.acpiEvaluate(path, arguments: values, platform)
      result = outcome.result
      notices = outcome.notifications.map { "Notify(\($0.path), \($0.value)) queued for the guest" }
      afterWorldChange()
    } else {
      var host = MachineAMLHost(machine: machine)
      var aml = AMLInterpreter()
      do throws(AMLError) { try aml.load(machine.firmware.dsdt.encodedBytes, host: &host) } catch {
        throw inv.error("the machine's DSDT does not load: \(error)")
      }
      do throws(AMLError) { result = .success(try aml.evaluate(path, arguments: values, host: &host)) } catch
      {
        result = .failure(error)
      }
      notices = host.notifications.map { "\($0)" }
    }
    switch result {
    case .failure(let error):
      throw LabScriptError(.command, "evaluation of \(path) failed: \(error)", at: inv.span)
    case .success(let value):
      var out = "\(path) = " + (value.map { Lab.amlText($0) } ?? "(no value)") + "\n"
      for n in notices { out += n + "\n" }
      return out
    }
  }

  static func amlText(_ value: AMLValue) -> String {
    if case .integer(let v) = value { return "0x" + String(v, radix: 16).uppercased() }
    return "\(value)"
  }

  func firmwareNotify(_ path: String, value: UInt64, _ inv: Invocation) throws {
    guard let platform, kernel != nil else { return }
    checkpoint()
    guard kernel!.firmwareNotify(path, value: value, platform) else {
      _ = undoStack.popLast()
      throw inv.error("\(path) is not an object of the guest's namespace", at: "PATH", kind: .argument)
    }
    afterWorldChange()
  }
}

extension String {
  var trimmingTrailingNewlines: String {
    var s = self
    while s.hasSuffix("\n") { s.removeLast() }
    return s
  }
}
