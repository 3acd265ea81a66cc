import Testing

@testable import A64

@Suite struct LoadStoreTests {
  @Test func addressingModesAndExtends() throws {
    let (cpu, _) = try runSnippet(
      """
        adr x1, data
        mov x2, #2
        mov w3, #-1
        ldr x4, [x1, x2, lsl #3]      // data[2]
        ldrsb x5, [x1, #7]            // 0x80 sign-extended
        ldrsb w6, [x1, #7]
        ldrh w7, [x1, #6]
        ldrsw x8, [x1, #4]
        ldur x9, [x1, #8]
        add x10, x1, #8
        ldr x11, [x10, w3, sxtw #3]   // data[0] via a negative index
        ldr x12, [x1, #8]!
        ldr x13, [x1], #-8
        ldpsw x14, x15, [x1]
        stp x4, x9, [x1, #32]
        ldp x16, x17, [x1, #32]
        sub sp, sp, #16
        str x4, [sp, #8]
        ldr x18, [sp, #8]
        ldr w19, lit
        brk #0
        .balign 8
      data: .quad 0x80000000ffffffff, 0x1111, 0x2222, 0, 0, 0
      lit: .word 0xabcd
      """)
    #expect(cpu.x(4) == 0x2222)
    #expect(cpu.x(5) == 0xFFFF_FFFF_FFFF_FF80)
    #expect(cpu.x(6) == 0xFFFF_FF80)
    #expect(cpu.x(7) == 0x8000)
    #expect(cpu.x(8) == 0xFFFF_FFFF_8000_0000)
    #expect(cpu.x(9) == 0x1111)
    #expect(cpu.x(11) == 0x8000_0000_FFFF_FFFF)
    #expect(cpu.x(12) == 0x1111)
    #expect(cpu.x(13) == 0x1111)
    #expect(cpu.x(1) == cpu.x(10) - 8)  // back at data after the pre/post pair
    #expect(cpu.x(14) == UInt64.max && cpu.x(15) == 0xFFFF_FFFF_8000_0000)
    #expect(cpu.x(16) == 0x2222 && cpu.x(17) == 0x1111)
    #expect(cpu.x(18) == 0x2222)
    #expect(cpu.x(19) == 0xABCD)
  }

  @Test func lseAtomicsAndCompareAndSwap() throws {
    let (cpu, _) = try runSnippet(
      """
        adr x1, data
        mov x2, #5
        ldadd x2, x3, [x1]            // x3 = 10, mem = 15
        mov x4, #3
        ldclr x4, x5, [x1]            // x5 = 15, mem = 12
        mov x6, #1
        ldset x6, x7, [x1]            // mem = 13
        mov x8, #99
        swp x8, x9, [x1]              // x9 = 13, mem = 99
        mov x10, #99
        mov x11, #7
        cas x10, x11, [x1]            // equal: mem = 7, x10 = 99
        mov x12, #1
        mov x13, #8
        cas x12, x13, [x1]            // not equal: mem stays 7, x12 = 7
        mov w14, #-2
        ldsmax w14, w15, [x1, #0]     // signed max(7, -2) = 7
        mov w16, #-2
        ldumax w16, w17, [x1]         // unsigned max: 0xfffffffe
        ldr x18, [x1]
        mov x20, #1
        mov x21, #2
        mov x22, #0x30
        mov x23, #0x40
        add x24, x1, #16
        casp x20, x21, x22, x23, [x24]
        ldp x25, x26, [x24]
        brk #0
        .balign 16
      data: .quad 10, 0, 1, 2
      """)
    #expect(cpu.x(3) == 10)
    #expect(cpu.x(5) == 15)
    #expect(cpu.x(9) == 13)
    #expect(cpu.x(10) == 99)
    #expect(cpu.x(12) == 7)
    #expect(cpu.x(15) == 7)
    #expect(cpu.x(17) == 7)
    #expect(cpu.x(18) == 0xFFFF_FFFE)
    #expect(cpu.x(25) == 0x30 && cpu.x(26) == 0x40)
  }

  @Test func guestMMIOAccesses() throws {
    let bus = SystemBus()
    try bus.addRAM(base: 0x4000_0000, size: 0x10_0000)
    let dev = RecordingDevice()
    try bus.addMMIO(base: 0x0900_0000, size: 0x1000, name: "uart", device: dev)
    let p = try Assembler.assemble(
      """
        movz x1, #0x0900, lsl #16
        mov w2, #0x41
        strb w2, [x1]
        ldr w3, [x1, #4]
        ldr x4, [x1, #0x200]
        brk #0
      """, base: 0x4008_0000)
    try bus.write(p.bytes, at: 0x4008_0000)
    let cpu = CPU(bus: bus)
    cpu.policy = ExecutionPolicy(stopOnBRK: true)
    cpu.reset(entry: 0x4008_0000)
    let stop = cpu.run(maxInstructions: 100)
    #expect(dev.writes.count == 1 && dev.writes[0].0 == 0 && dev.writes[0].1 == 1 && dev.writes[0].2 == 0x41)
    #expect(cpu.x(3) == 0x5566_7788)
    // The device refused offset 0x200: a synchronous external abort.
    guard case .unhandledException(let e) = stop else {
      Issue.record("expected a data abort, got \(stop)")
      return
    }
    #expect(e.far == 0x0900_0200)
    #expect(e.esr == 0x9600_0010)
  }
}
