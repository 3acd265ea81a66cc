import HostFiles

/// Where lessons are found on the host.
public enum LessonFiles {
  /// The lesson files (`*.md`) under a directory, in every sub-directory, sorted by path; names
  /// starting with a dot are skipped.
  public static func lessons(under directory: String) throws(LessonError) -> [String] {
    let names: [String]
    do { names = try HostFile.entries(of: directory) } catch { throw LessonError(error) }
    var found: [String] = []
    let prefix = directory.hasSuffix("/") ? directory : directory + "/"
    for name in names where !name.hasPrefix(".") {
      let path = prefix + name
      if HostFile.isDirectory(path) {
        found += try lessons(under: path)
      } else if name.hasSuffix(".md") {
        found.append(path)
      }
    }
    return found.sorted()
  }
}
