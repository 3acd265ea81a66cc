import HostFiles
import ArgumentParser
import Lab
import LabScript
import Notebook

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// A session with every module's commands plus the notebook's, the Lab they act on, and the
/// notebook commands' state: the REPL attaches its recorder there, and the Lab is the
/// `timeline` command's source.
struct LabSession {
  let session: Session
  let lab: Lab
  let notebook: NotebookCommands

  init(output: any OutputSink) {
    (session, lab) = LabModules.makeLabSession(output: output)
    notebook = NotebookCommands.install(in: session)
    notebook.timelineSource = lab
  }
}

/// Whether a file given to `hplab run` is a lesson rather than a script.
func isLesson(_ path: String) -> Bool { path.hasSuffix(".md") }

/// Exit statuses of the lesson commands.
enum LessonStatus {
  static let failed: Int32 = 1
  /// Usage errors, and lessons that cannot be read or do not follow the lesson format.
  static let unusable: Int32 = 2
}

extension Terminal {
  /// The terminal's width in columns, when `fd` is a terminal.
  static func columns(fd: Int32) -> Int? {
    guard isTTY(fd) else { return nil }
    var size = winsize()
    guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }

  /// The width lessons are rendered at: the terminal's (at most 100), else 80.
  static var lessonWidth: Int { min(columns(fd: 1) ?? 80, 100) }
}

/// `hplab run LESSON.md`: shows the lesson (see ``LessonPresenter``); returns the exit status.
func runLesson(_ path: String, step: Bool, lab: LabSession, output: StandardOutput) -> Int32 {
  let lesson: Lesson
  do throws(LessonError) {
    lesson = try LessonParser.load(path).lesson
  } catch {
    output.writeError(error.render(color: Terminal.colorEnabled(fd: 2)))
    return LessonStatus.unusable
  }
  let presenter = LessonPresenter(
    lesson: lesson, runner: LessonRunner(session: lab.session), terminal: output, width: Terminal.lessonWidth,
    color: Terminal.colorEnabled(fd: 1), read: step ? stepReader(for: lab.session, output: output) : nil)
  let outcome = presenter.present()
  output.flush()
  switch outcome {
  case .finished, .stopped: return 0
  case .failed(.unexpectedError): return LessonStatus.failed
  case .failed(.exit(_, let status)): return status
  }
}

/// How `--step` reads the reader's lines: the line editor (history, Tab completion) on a
/// terminal, plain lines from standard input otherwise (the prompt still printed).
func stepReader(for session: Session, output: StandardOutput) -> (String) -> StepInput {
  if Terminal.isTTY(0) && Terminal.isTTY(1) {
    Interrupts.install()
    session.interruptCheck = { Interrupts.take() }
    let editor = LineEditor(programName: "hplab", historyPath: LineEditor.defaultHistoryPath()) {
      [session] before in
      let completion = session.complete(before)
      guard !completion.candidates.isEmpty else { return nil }
      return (completion.insertion, completion.candidates)
    }
    return { prompt in
      output.flush()
      switch editor.read(prompt: prompt) {
      case .line(let line):
        editor.remember(line)
        return .line(line)
      case .interrupted: return .interrupted
      case .endOfInput: return .endOfInput
      }
    }
  }
  return { prompt in
    output.write(prompt)
    output.flush()
    guard let line = readLine(strippingNewline: true) else { return .endOfInput }
    output.write(line + "\n")
    return .line(line)
  }
}

/// `hplab check PATH...`
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run lessons and compare what each cell prints with its output block.",
    discussion: """
      PATH is a lesson (.md) or a folder, searched for lessons in every sub-folder. Each lesson \
      runs in a fresh session. A lesson passes when every cell prints exactly its output block \
      and the cells marked {error} end with an error; otherwise its report shows each failing \
      cell's file:line and a unified diff numbered by the lesson's lines.

      With --update, the output blocks of cells that printed something else (or have none) are \
      rewritten with what they printed; prose, cells and every other byte stay as they were, and \
      the file is replaced atomically. A cell that fails with an unexpected error is not rewritten.

      The last line is `N passed, M failed`. Exit status: 0 when all pass, 1 when a lesson fails, \
      2 when a lesson cannot be read or breaks the lesson format (or on a usage error).
      """
  )

  @Flag(name: [.customShort("u"), .long], help: "Rewrite the output blocks with the actual output.")
  var update = false

  @Argument(help: ArgumentHelp("Lesson files (.md) or folders of lessons.", valueName: "path"))
  var paths: [String]

  mutating func run() throws {
    let color = Terminal.colorEnabled(fd: 1)
    let errorColor = Terminal.colorEnabled(fd: 2)
    let output = StandardOutput()
    var files: [String] = []
    var unusable = 0
    for path in paths {
      do throws(LessonError) {
        if HostFile.isDirectory(path) {
          let found = try LessonFiles.lessons(under: path)
          if found.isEmpty {
            throw LessonError(.io, path: path, "the folder holds no lessons (*.md)")
          }
          files += found
        } else {
          files.append(path)
        }
      } catch {
        output.writeError(error.render(color: errorColor))
        unusable += 1
      }
    }
    var passed = 0
    var failed = unusable
    for file in files {
      let loaded: (lesson: Lesson, bytes: [UInt8])
      do throws(LessonError) { loaded = try LessonParser.load(file) } catch {
        output.writeError(error.render(color: errorColor))
        unusable += 1
        failed += 1
        continue
      }
      var check = LessonCheck.check(
        loaded.lesson, runner: LessonRunner(session: LabSession(output: output).session))
      if update {
        let (text, changed) = LessonUpdater.update(check)
        if !changed.isEmpty {
          do throws(LessonError) {
            do throws(HostFileError) {
              try HostFile.writeAtomically(Array(text.utf8), to: file, unchangedSince: loaded.bytes)
            } catch { throw LessonError(error) }
            let list = changed.map(String.init).joined(separator: ", ")
            output.write("updated \(file): output of \(changed.count == 1 ? "cell" : "cells") \(list)\n")
            // Check the file as written, so the verdict is about the new text.
            let rewritten = try LessonParser.parse(text, path: file)
            check = LessonCheck.check(
              rewritten, runner: LessonRunner(session: LabSession(output: output).session))
          } catch {
            output.writeError(error.render(color: errorColor))
            unusable += 1
            failed += 1
            continue
          }
        }
      }
      output.write(check.report(color: color))
      if check.passed { passed += 1 } else { failed += 1 }
    }
    output.write(checkSummary(passed: passed, failed: failed) + "\n")
    output.flush()
    if unusable > 0 { throw ExitCode(LessonStatus.unusable) }
    if failed > 0 { throw ExitCode(LessonStatus.failed) }
  }
}

/// `hplab export LESSON.md --html OUT.html --ipynb OUT.ipynb`
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a lesson and write it as a web page or a Jupyter notebook.",
    discussion: """
      The lesson runs in a fresh session; the page and the notebook show what each cell printed. \
      --html writes one self-contained page (styles inline, no scripts, timelines as SVG); \
      --ipynb writes an nbformat 4.5 notebook (markdown cells, code cells with stream outputs). \
      A cell whose output differs from its output block is exported as it ran, with a warning. \
      Exit status: 0 on success, 1 when a cell fails unexpectedly (the files are still written, \
      with the cells after it marked as not run), 2 for an unreadable or malformed lesson.

      Examples:
        hplab export Lessons/01-cpu-masks.md --html 01.html
        hplab export Lessons/01-cpu-masks.md --ipynb 01.ipynb
      """
  )

  @Argument(help: ArgumentHelp("The lesson (.md).", valueName: "lesson"))
  var lesson: String

  @Option(help: ArgumentHelp("Write a self-contained HTML page here.", valueName: "file"))
  var html: String?

  @Option(help: ArgumentHelp("Write a Jupyter notebook (.ipynb) here.", valueName: "file"))
  var ipynb: String?

  func validate() throws {
    if html == nil && ipynb == nil {
      throw ValidationError("Give --html FILE, --ipynb FILE, or both.")
    }
  }

  mutating func run() throws {
    let output = StandardOutput()
    let errorColor = Terminal.colorEnabled(fd: 2)
    let loaded: Lesson
    do throws(LessonError) { loaded = try LessonParser.load(lesson).lesson } catch {
      output.writeError(error.render(color: errorColor))
      throw ExitCode(LessonStatus.unusable)
    }
    let lab = LabSession(output: output)
    let run = LessonRunner(session: lab.session).run(loaded)
    let check = LessonCheck.check(run)
    for failure in check.failures {
      let cell = failure.cell
      output.writeError("\(loaded.path):\(cell.lineNumber): warning: cell \(cell.number) ")
      switch failure.status {
      case .unexpectedError:
        output.writeError("failed with an unexpected error; the cells after it did not run\n")
      case .missingError: output.writeError("is marked {error} but ran without one\n")
      case .outputDiffers, .noOutputBlock, .passed:
        output.writeError("printed something other than its output block; exporting what it printed\n")
      }
    }
    var targets: [(String, String)] = []
    if let html { targets.append((html, HTMLExport.page(run, generator: "hplab \(HPLab.version)"))) }
    if let ipynb { targets.append((ipynb, NotebookExport.ipynb(run))) }
    for (path, text) in targets {
      do throws(HostFileError) { try HostFile.writeAtomically(Array(text.utf8), to: path) } catch {
        output.writeError(LessonError(error).render(color: errorColor))
        throw ExitCode(LessonStatus.failed)
      }
      output.write("wrote \(path)\n")
    }
    output.flush()
    if case .unexpectedError? = run.stop { throw ExitCode(LessonStatus.failed) }
  }
}
