import Testing

@testable import A64

@Suite struct BranchTests {
  /// A block entered through a chained B (the link is made on the first pass) still knows its own
  /// address: BL in it returns to the instruction after the BL, and an exception in it reports the
  /// faulting instruction, on every pass.
  @Test func chainedBlocksKnowTheirAddress() throws {
    let (cpu, stop) = try runSnippet(
      """
        mov x2, #4
      1: b 2f
      2: sub x2, x2, #1
        bl 3f                  // x30 = address of 3:
      3: cbnz x2, 1b
        adr x4, 3b
        mov x6, #0x40100000
      4: b 5f
      5: ldr x5, [x6]          // second pass (chained): misaligned, alignment fault here
        add x6, x6, #4
        b 4b
      """, policy: ExecutionPolicy())
    #expect(cpu.x(30) == cpu.x(4))
    guard case .unhandledException(let record) = stop else {
      Issue.record("stopped with \(stop)")
      return
    }
    #expect(record.elr == 0x4008_0000 + 4 * 8)
    #expect(cpu.pc == 0x4008_0000 + 4 * 8)
  }

  @Test func callsReturnsAndTestBranches() throws {
    let (cpu, stop) = try runSnippet(
      """
        mov x19, #0
        bl inc                 // x30 = return address
        adr x1, inc
        blr x1                 // target read before x30 is written
        mov x2, #0b1010
        tbz x2, #0, 1f
        mov x19, #100
      1: tbnz w2, #1, 2f
        mov x19, #200
      2: mov x3, #0x100000000
        cbz w3, 3f             // the W form looks at bits [31:0] only
        mov x19, #300
      3: cbnz x3, 4f
        mov x19, #400
      4: b.nv 5f               // NV is "always" in A64
        mov x19, #500
      5: brk #0
      inc:
        add x19, x19, #1
        ret
      """)
    #expect(stop == .softwareBreakpoint(immediate: 0))
    #expect(cpu.x(19) == 2)
    #expect(cpu.x(30) == 0x4008_0010)
  }

  @Test func indirectBranchesToComputedTargets() throws {
    // A jump table through BR, exercising the indirect-branch cache with several targets.
    let (cpu, _) = try runSnippet(
      """
        mov x0, #0
        mov x5, #0
        adr x6, table
      loop:
        and x1, x0, #3
        ldr x2, [x6, x1, lsl #3]
        br x2
      t0: add x5, x5, #1
        b next
      t1: add x5, x5, #10
        b next
      t2: add x5, x5, #100
        b next
      t3: add x5, x5, #1000
      next:
        add x0, x0, #1
        cmp x0, #40
        b.lo loop
        brk #0
        .balign 8
      table: .quad t0, t1, t2, t3
      """)
    #expect(cpu.x(5) == 11_110)
  }
}
