import ACPI
import LabScript

/// The `acpi` command over a table file on the host: `acpi decode`, `acpi asl`, `acpi eval`.
/// (The forms that work on the running machine's tables join these when a machine exists.)
enum ACPICommands {
  static let category = "ACPI"

  static func register(in registry: Registry) {
    registry.register(command)
  }

  /// Reads a table file, with the errno text on failure.
  static func read(_ path: String, _ inv: Invocation) throws -> [UInt8] {
    do { return try HostFile.readBytes(path) } catch {
      throw inv.error("cannot read '\(path)': \(error.message)", at: "FILE", kind: .io)
    }
  }

  /// Output ends with exactly one newline.
  static func line(_ text: String) -> String { text.trimmingTrailingNewlines + "\n" }

  static func fail(_ error: ACPICommandError, _ inv: Invocation) -> LabScriptError {
    LabScriptError(.command, error.message, at: inv.span, hint: error.hint)
  }

  static var command: CommandSpec {
    CommandSpec(
      "acpi", category: category, summary: "ACPI tables and AML: decode, print as ASL, evaluate",
      help: """
        Works on ACPI table files (.aml/.dat: what `iasl` writes or `acpidump`/`acpixtract` extract):
        decode any table into its fields, print a DSDT/SSDT (or one object of it) as ASL, or evaluate a
        method with HotplugLab's AML interpreter (ACPICA's semantics and error names).
        """,
      subcommands: [
        CommandSpec(
          "decode", category: category, summary: "decode a table file into its fields (or hex with --hex)",
          arguments: [
            ArgumentSpec("FILE", kind: .path, summary: "the table file"),
            ArgumentSpec("--hex", .flag, summary: "print an acpidump-style hex dump instead"),
          ]
        ) { inv in
          let file = inv.string("FILE")!
          let bytes = try read(file, inv)
          do throws(ACPICommandError) {
            let output = try acpiDecodeCommand(
              file: file, bytes: bytes, form: inv.flag("--hex") ? .hex : .fields)
            inv.session.write(line(output.description))
          } catch { throw fail(error, inv) }
          return .none
        },
        CommandSpec(
          "asl", category: category, summary: "print a DSDT/SSDT file, or one object in it, as ASL",
          arguments: [
            ArgumentSpec("FILE", kind: .path, summary: "the DSDT or SSDT file"),
            ArgumentSpec(
              "PATH", kind: .string, required: false, summary: "a namespace path, e.g. \\_SB.CPUS.CSTA"),
          ]
        ) { inv in
          let file = inv.string("FILE")!
          let bytes = try read(file, inv)
          do throws(ACPICommandError) {
            let output = try acpiASLCommand(file: file, bytes: bytes, path: inv.string("PATH"))
            inv.session.write(line(output.description))
          } catch { throw fail(error, inv) }
          return .none
        },
        CommandSpec(
          "eval", category: category, summary: "evaluate a method or object of a DSDT/SSDT file",
          help: """
            Arguments are integers (42, 0x2a), strings ("text") or buffers ({1,2,3}). Operation regions
            read as zero-filled memory, as acpiexec's do. Prints the result, any Notify and Debug output;
            an ACPICA error (AE_...) makes the command fail.
            """,
          arguments: [
            ArgumentSpec("FILE", kind: .path, summary: "the DSDT or SSDT file"),
            ArgumentSpec("PATH", kind: .string, summary: "the object to evaluate, e.g. \\_SB.CPUS.C001._STA"),
            ArgumentSpec("ARG", kind: .string, required: false, variadic: true, summary: "method arguments"),
          ]
        ) { inv in
          let file = inv.string("FILE")!
          let bytes = try read(file, inv)
          let output: ACPIEvalOutput
          do throws(ACPICommandError) {
            output = try acpiEvalCommand(
              file: file, bytes: bytes, path: inv.string("PATH")!, arguments: inv.rest.map(\.value.display))
          } catch { throw fail(error, inv) }
          if output.failed {
            throw LabScriptError(.command, output.description.trimmingTrailingNewlines, at: inv.span)
          }
          inv.session.write(line(output.description))
          return .none
        },
      ])
  }
}

extension String {
  var trimmingTrailingNewlines: String {
    var s = self
    while s.hasSuffix("\n") { s.removeLast() }
    return s
  }
}
