import Testing

@testable import Notebook

@Suite struct UnifiedDiffTests {
  @Test func identicalLinesHaveNoHunks() {
    #expect(UnifiedDiff(old: ["a", "b"], new: ["a", "b"]).isEmpty)
    #expect(UnifiedDiff(old: [], new: []).isEmpty)
  }

  @Test func oneChangedLineWithContext() {
    let old = ["1", "2", "3", "4", "5", "6", "7", "8"]
    var new = old
    new[4] = "five"
    let diff = UnifiedDiff(old: old, new: new, firstLine: 10)
    #expect(diff.hunks.count == 1)
    #expect(diff.hunks[0].header == "@@ -11,7 +11,7 @@")
    #expect(
      diff.render(oldName: "a", newName: "b", style: TerminalStyle(enabled: false)) == """
        --- a
        +++ b
        @@ -11,7 +11,7 @@
         2
         3
         4
        -5
        +five
         6
         7
         8

        """)
  }

  @Test func farApartChangesMakeTwoHunksAndNearOnesOne() {
    let old = (1...20).map(String.init)
    var new = old
    new[0] = "one"
    new[19] = "twenty"
    let two = UnifiedDiff(old: old, new: new)
    #expect(two.hunks.map(\.header) == ["@@ -1,4 +1,4 @@", "@@ -17,4 +17,4 @@"])
    var near = old
    near[0] = "one"
    near[6] = "seven"
    #expect(UnifiedDiff(old: old, new: near).hunks.map(\.header) == ["@@ -1,10 +1,10 @@"])
  }

  @Test func insertionsAndDeletionsAtTheEdges() {
    let added = UnifiedDiff(old: [], new: ["x", "y"], firstLine: 6)
    #expect(added.hunks.map(\.header) == ["@@ -5,0 +6,2 @@"])
    #expect(added.hunks[0].lines == [.added("x"), .added("y")])
    let removed = UnifiedDiff(old: ["x"], new: [], firstLine: 3)
    #expect(removed.hunks.map(\.header) == ["@@ -3 +2,0 @@"])
  }

  @Test func theEditScriptIsMinimal() {
    let script = UnifiedDiff.editScript(["a", "b", "c", "d"], ["a", "c", "d", "e"])
    #expect(script == [.same("a"), .removed("b"), .same("c"), .same("d"), .added("e")])
    // A replaced line reads as a removal then an addition.
    #expect(UnifiedDiff.editScript(["x"], ["y"]) == [.removed("x"), .added("y")])
  }

  @Test func colourOnlyWhenAsked() {
    let diff = UnifiedDiff(old: ["a"], new: ["b"])
    #expect(!diff.render(oldName: "o", newName: "n", style: TerminalStyle(enabled: false)).contains("\u{1B}"))
    let coloured = diff.render(oldName: "o", newName: "n", style: TerminalStyle(enabled: true))
    #expect(coloured.contains("\u{1B}[1;31m-a\u{1B}[0m") && coloured.contains("\u{1B}[32m+b\u{1B}[0m"))
  }
}
