import Testing

@testable import LabScript

@Suite struct HelpTests {
  @Test func overviewListsCategoriesStatementsAndFunctions() {
    let text = output("help")
    #expect(text.hasPrefix("Commands (help NAME shows one):\n  Files\n    cat   print files"))
    #expect(text.contains("  Masks\n    mask  CPU mask arithmetic"))
    #expect(text.contains("Statements: break, continue, def, expect, for, if, let, return, set, while\n"))
    #expect(text.contains("Functions (help functions): abs, clear_cpu, complement, cpulist,"))
  }

  @Test func commandHelpShowsUsageArgumentsAndSubcommands() {
    #expect(
      output("help mask parse") == """
        mask parse — parse a CPU list (bitmap_parselist) and print it in both formats
        usage: mask parse LIST [nbits=N]

        Arguments:
          LIST     the list, e.g. 0-15:2/4
          nbits=N  the mask's width (default NR_CPUS) (optional)

        """)
    let mask = output("help mask")
    #expect(mask.contains("usage: mask parse|format|and|or|xor|andnot|weight|subset ...\n"))
    #expect(mask.contains("  mask and A B                 the CPUs in both (cpumask_and)\n"))
    #expect(output("help echo").contains("  -n       no newline at the end (optional)\n"))
  }

  @Test func functionKeywordAndUserHelp() {
    #expect(
      output("help weight") == "weight(m: mask) -> int\n  The number of CPUs in the mask (cpumask_weight).\n")
    #expect(output("help if").hasPrefix("if COND { ... } else if COND { ... } else { ... }\n  Run a block"))
    #expect(output("def plug(n) { }\nhelp plug") == "plug(n)\n  Defined at test.hpl:1:1.\n")
    let functions = output("help functions")
    #expect(functions.contains("\n  cpulist(text: string, [nbits: int]) -> mask "))
    #expect(functions.contains("parse the list format (0-3,8  0-15:2/4  N), as cpulist_parse()\n"))
  }
}
