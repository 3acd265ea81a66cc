@preconcurrency import CLibEdit

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// An interactive line editor on libedit: emacs keys, history saved across sessions, Ctrl-R
/// incremental search, and Tab completion through a callback.
final class LineEditor {
  enum Read {
    case line(String)
    /// Ctrl-C: the line was abandoned.
    case interrupted
    /// Ctrl-D on an empty line, or the end of input.
    case endOfInput
  }

  private let editor: OpaquePointer
  private let history: OpaquePointer
  private let historyPath: String?
  /// libedit's C callbacks cannot capture context, so the one live editor is reached through
  /// these globals (an interactive process has a single line editor).
  nonisolated(unsafe) static var prompt: UnsafeMutablePointer<CChar>? = strdup("")
  nonisolated(unsafe) static var completer: ((String) -> (insertion: String, list: [String])?)?

  static let historySize: Int32 = 1000

  init(
    programName: String, historyPath: String?,
    completer: @escaping (String) -> (insertion: String, list: [String])?
  ) {
    setlocale(LC_ALL, "")
    editor = el_init(programName, stdin, stdout, stderr)
    history = history_init()
    self.historyPath = historyPath
    LineEditor.completer = completer
    hl_set_prompt(editor) { _ in LineEditor.prompt }
    hl_set_editor(editor, "emacs")
    hl_set_signal(editor, 1)
    hl_hist_setsize(history, LineEditor.historySize)
    hl_hist_setunique(history, 1)
    hl_set_history(editor, history)
    // Register the function before binding it: binding an unknown name corrupts libedit's state.
    hl_add_fn(editor, "hplab-complete", "complete the word", LineEditor.completeKey)
    hl_bind(editor, "^I", "hplab-complete")
    hl_bind(editor, "^R", "em-inc-search-prev")
    hl_bind(editor, "^W", "ed-delete-prev-word")
    if let historyPath { hl_hist_load(history, historyPath) }
  }

  deinit {
    saveHistory()
    history_end(history)
    el_end(editor)
  }

  func read(prompt: String) -> Read {
    free(LineEditor.prompt)
    LineEditor.prompt = strdup(prompt)
    var count: Int32 = 0
    guard let text = el_gets(editor, &count) else {
      // A SIGINT during the read: libedit returns NULL (count -1, EINTR) and our handler set the flag.
      if Interrupts.take() || (count == -1 && errno == EINTR) { return .interrupted }
      return .endOfInput
    }
    var line = String(cString: text)
    if line.hasSuffix("\n") { line.removeLast() }
    if Interrupts.take() { return .interrupted }
    return .line(line)
  }

  /// Adds a line to the history (not lines starting with a space, as bash's ignorespace) and
  /// saves the file, so a crash loses nothing.
  func remember(_ line: String) {
    guard !line.isEmpty, !line.hasPrefix(" ") else { return }
    hl_hist_enter(history, line)
    saveHistory()
  }

  /// Saves the history atomically: libedit writes a temporary file beside the history file,
  /// which is then renamed over it, so a crash or a full disk never leaves it cut short.
  private func saveHistory() {
    guard let historyPath else { return }
    var template = Array("\(historyPath).XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { return }  // no history is better than a failing prompt
    close(fd)
    let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    if hl_hist_save(history, temporary) < 0 || rename(temporary, historyPath) != 0 {
      unlink(temporary)
    }
  }

  /// The Tab key: insert the unambiguous completion, or list the choices below the line.
  private static let completeKey: hl_key_fn = { editor, _ in
    guard let editor, let info = el_line(editor)?.pointee, let completer = LineEditor.completer else {
      return UInt8(CC_ERROR)
    }
    let length = info.cursor - info.buffer
    let before = String(
      decoding: UnsafeRawBufferPointer(start: info.buffer, count: length).bindMemory(to: UInt8.self),
      as: UTF8.self)
    guard let (insertion, list) = completer(before) else { return UInt8(CC_REFRESH_BEEP) }
    if !insertion.isEmpty {
      el_insertstr(editor, insertion)
      return UInt8(CC_REFRESH)
    }
    if list.count > 1 {
      let width = (list.map(\.count).max() ?? 0) + 2
      let columns = Swift.max(1, 80 / width)
      var out = "\n"
      for (index, item) in list.enumerated() {
        out += item.padding(width)
        if (index + 1) % columns == 0 || index == list.count - 1 { out += "\n" }
      }
      fputs(out, stdout)
      fflush(stdout)
      return UInt8(CC_REDISPLAY)
    }
    return UInt8(CC_REFRESH_BEEP)
  }

  /// Where history lives: $HPLAB_HISTFILE (empty disables it), else
  /// $XDG_STATE_HOME/hplab/history, else ~/.local/state/hplab/history.
  static func defaultHistoryPath() -> String? {
    if let explicit = Terminal.environment("HPLAB_HISTFILE") { return explicit.isEmpty ? nil : explicit }
    let state: String
    if let xdg = Terminal.environment("XDG_STATE_HOME"), xdg.hasPrefix("/") {
      state = xdg
    } else if let home = Terminal.environment("HOME"), !home.isEmpty {
      state = home + "/.local/state"
    } else {
      return nil
    }
    let directory = state + "/hplab"
    makeDirectories(directory)
    return directory + "/history"
  }

  private static func makeDirectories(_ path: String) {
    var current = ""
    for part in path.split(separator: "/") {
      current += "/" + part
      mkdir(current, 0o700)
    }
  }
}

extension String {
  fileprivate func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
