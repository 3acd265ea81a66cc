/// `hplab check --update`: puts each cell's actual output into its output block (adding the
/// block when a cell has none) and leaves every other byte of the file as it was.
public enum LessonUpdater {
  /// The lesson's new text and the numbers of the cells whose blocks changed. A cell that failed
  /// with an unexpected error keeps its block (rewriting it would not make it pass: the cell or
  /// its `{error}` mark needs fixing), as do the cells that did not run.
  public static func update(_ check: LessonCheck) -> (text: String, changedCells: [Int]) {
    let lesson = check.lesson
    var replacements: [Int: (through: Int, text: String)] = [:]
    var insertions: [Int: String] = [:]
    var changed: [Int] = []
    for result in check.results where result.status != .unexpectedError {
      let actual = result.run.text
      let cell = result.cell
      let newLines = OutputText.lines(of: actual)
      if let output = cell.output {
        guard output.expected != actual else { continue }
        let open = lesson.lines[output.openLine]
        let close = lesson.lines[output.closeLine]
        let eol = open.terminator.isEmpty ? "\n" : open.terminator
        let marker = FenceLine.marker(
          for: newLines, character: output.fence.first!, minimum: output.fence.count)
        var text = (marker == output.fence ? open.text : marker + LessonParser.outputLanguage) + eol
        for line in newLines { text += line + eol }
        text += (marker == output.fence ? close.text : marker) + close.terminator
        replacements[output.openLine] = (output.closeLine, text)
      } else {
        let close = lesson.lines[cell.closeLine]
        let eol = close.terminator.isEmpty ? "\n" : close.terminator
        let marker = FenceLine.marker(for: newLines)
        var text = (close.terminator.isEmpty ? eol : "") + eol + marker + LessonParser.outputLanguage + eol
        for line in newLines { text += line + eol }
        text += marker + eol
        insertions[cell.closeLine] = text
      }
      changed.append(cell.number)
    }
    var out = ""
    var index = 0
    while index < lesson.lines.count {
      if let replacement = replacements[index] {
        out += replacement.text
        index = replacement.through + 1
        continue
      }
      let line = lesson.lines[index]
      out += line.text + line.terminator
      if let insertion = insertions[index] { out += insertion }
      index += 1
    }
    return (out, changed)
  }
}
