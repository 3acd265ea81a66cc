// secondary_entry-silent.S: a copy of the lab's secondary_entry.S with one change, for
// Lessons/11-failure-paths.md: the secondary never reports in (no store of 1 to its boot
// block's status word), so Linux's __cpu_up() times out after 5 seconds.
//
// secondary_entry.S — what a secondary vCPU runs after PSCI CPU_ON, in the modelled guest.
//
// Linux's real path is arch/arm64/kernel/head.S `secondary_entry` -> `secondary_startup`
// -> `__secondary_switched` -> secondary_start_kernel(), which among much else finds the CPU's
// GICv3 redistributor (gic_populate_rdist), wakes it (gic_enable_redist: the GICR_WAKER
// handshake), enables the CPU interface (gic_cpu_sys_reg_init), completes `cpu_running` for
// the CPU waiting in __cpu_up(), and idles. This file does those hardware steps for real, on
// the modelled GICv3, with the same register accesses. You may read and change it: the kernel
// assembles it when it boots (`kernel trampoline` shows, loads and saves it).
//
// PSCI CPU_ON starts us at EL1 with the MMU off, DAIF masked and x0 = context id, which the
// modelled kernel sets to this CPU's boot block:
//   [x0, #0]   stack top
//   [x0, #8]   the redistributor region table the kernel's GICv3 driver built from the MADT:
//              (base, single) pairs of 8-byte words, ended by a zero base; `single` is 1 for
//              a region holding one frame (a GICR address in a GICC: single_redist)
//   [x0, #16]  status: 0 while booting, 1 when up (cpu_running), -19 (-ENODEV) if no
//              redistributor matches this CPU's MPIDR
//   [x0, #24]  request from the kernel: 1 = die (cpu_die -> PSCI CPU_OFF)
//   [x0, #32]  RD_base of the redistributor found
//   [x0, #40]  number of interrupts taken
//   [x0, #48]  a function the kernel wants run on this CPU (smp_call_function_single(): the
//              IPI_CALL_FUNC IPI, SGI 1), 0 = none; [x0, #56] its argument in x0, with the
//              logical CPU number in x1; [x0, #64] its result (x0); [x0, #72] how many such
//              calls have finished. The function must keep x19-x29 and sp (AAPCS64).
//   [x0, #80]  this CPU's logical number

        .equ    GICR_TYPER,      0x0008
        .equ    GICR_WAKER,      0x0014
        .equ    SGI_BASE,        0x10000
        .equ    GICR_IGROUPR0,   0x0080
        .equ    GICR_ISENABLER0, 0x0100
        .equ    GICR_ICENABLER0, 0x0180
        .equ    GICR_ICACTIVER0, 0x0380
        .equ    GICR_IPRIORITYR, 0x0400
        .equ    GICR_STRIDE,     0x20000
        .equ    PSCI_CPU_OFF,    0x84000002

        .text
        .global secondary_entry
secondary_entry:
        mov     x19, x0                 // x19 = boot block, kept for good
        ldr     x1, [x19, #0]
        mov     sp, x1
        adr     x1, vectors
        msr     vbar_el1, x1
        isb

        // gic_populate_rdist() -> gic_iterate_rdists(): in each region, walk the frames until
        // GICR_TYPER's affinity (bits [63:32]) equals ours; a region ends at the frame with the
        // Last bit (4), or after its first frame when it is a single redistributor.
        mrs     x2, mpidr_el1
        and     x3, x2, #0xffffff       // Aff2:Aff1:Aff0
        ubfx    x4, x2, #32, #8         // Aff3
        orr     x3, x3, x4, lsl #24
        ldr     x10, [x19, #8]          // the region table
7:      ldr     x5, [x10], #16          // next region's base
        cbz     x5, no_redistributor
        ldur    x11, [x10, #-8]         // single_redist
1:      ldr     x6, [x5, #GICR_TYPER]
        cmp     x3, x6, lsr #32
        b.eq    2f
        cbnz    x11, 7b
        tbnz    x6, #4, 7b
        add     x5, x5, #GICR_STRIDE
        b       1b

no_redistributor:
        mov     x6, #-19                // "mpidr ... has no re-distributor!"
        str     x6, [x19, #16]
        dsb     sy
3:      wfi
        b       3b

2:      str     x5, [x19, #32]
        // gic_enable_redist(true): clear ProcessorSleep, wait until ChildrenAsleep reads 0.
        ldr     w6, [x5, #GICR_WAKER]
        and     w6, w6, #0xfffffffd     // clear ProcessorSleep (bit 1)
        str     w6, [x5, #GICR_WAKER]
4:      ldr     w6, [x5, #GICR_WAKER]
        tbnz    w6, #2, 4b

        // gic_cpu_config(): SGIs/PPIs in Group 1, all disabled and inactive, priority 0xa0.
        add     x7, x5, #SGI_BASE
        mov     w6, #-1
        str     w6, [x7, #GICR_IGROUPR0]
        str     w6, [x7, #GICR_ICACTIVER0]
        str     w6, [x7, #GICR_ICENABLER0]
        movz    w6, #0xa0a0
        movk    w6, #0xa0a0, lsl #16
        mov     x8, #0
5:      add     x9, x7, #GICR_IPRIORITYR
        str     w6, [x9, x8]
        add     x8, x8, #4
        cmp     x8, #32
        b.lt    5b

        // gic_cpu_sys_reg_init(): system register interface, PMR 0xf0, BPR1 0, Group 1 on.
        mrs     x6, icc_sre_el1
        orr     x6, x6, #1
        msr     icc_sre_el1, x6
        isb
        mov     x6, #0xf0
        msr     icc_pmr_el1, x6
        msr     icc_bpr1_el1, xzr
        mov     x6, #1
        msr     icc_igrpen1_el1, x6
        isb

        // The IPIs are SGIs 0-15: enable them (enable_percpu_irq for each IPI).
        mov     w6, #0xffff
        str     w6, [x7, #GICR_ISENABLER0]

        // complete(&cpu_running) is left out on purpose (lesson 11): the status word at
        // [x19, #16] stays 0, so the CPU waiting in __cpu_up() never hears from us.
        dsb     sy
        sev

        msr     daifclr, #2             // unmask IRQs
idle:   wfi                             // cpu_do_idle()
        b       idle

// An IPI: acknowledge it, count it, and die if the kernel asked us to (cpu_die() ->
// psci_cpu_die() -> PSCI CPU_OFF, which does not return); otherwise run the function the
// kernel queued for this CPU, if any (generic_smp_call_function_single_interrupt()).
irq:    mrs     x1, icc_iar1_el1
        cmp     x1, #1023
        b.eq    6f
        msr     icc_eoir1_el1, x1
        ldr     x2, [x19, #40]
        add     x2, x2, #1
        str     x2, [x19, #40]
        ldr     x2, [x19, #24]
        cbz     x2, 8f
        msr     daifset, #2
        movz    x0, #0x0002
        movk    x0, #0x8400, lsl #16
        mov     x1, #0x10000            // power_state: power down, as Linux passes
        hvc     #0
        b       .
8:      ldr     x2, [x19, #48]
        cbz     x2, 6f
        str     xzr, [x19, #48]
        ldr     x0, [x19, #56]
        ldr     x1, [x19, #80]          // this CPU's logical number
        stp     x19, x30, [sp, #-16]!
        blr     x2
        ldp     x19, x30, [sp], #16
        str     x0, [x19, #64]
        ldr     x2, [x19, #72]
        add     x2, x2, #1
        str     x2, [x19, #72]
        dsb     sy
6:      eret

// The vector table: 16 entries of 128 bytes. An IRQ taken from EL1 with SP_EL1 (offset 0x280)
// goes to `irq`; anything else stops at its entry (`b .`), where `regs` will show it.
        .balign 2048
vectors:
        b       .               // 0x000 Synchronous, current EL with SP_EL0
        .balign 128
        b       .               // 0x080 IRQ, SP_EL0
        .balign 128
        b       .               // 0x100 FIQ, SP_EL0
        .balign 128
        b       .               // 0x180 SError, SP_EL0
        .balign 128
        b       .               // 0x200 Synchronous, current EL with SP_ELx
        .balign 128
        b       irq             // 0x280 IRQ, current EL with SP_ELx
        .balign 128
        b       .               // 0x300 FIQ, SP_ELx
        .balign 128
        b       .               // 0x380 SError, SP_ELx
        .balign 128
        b       .               // 0x400 Synchronous, lower EL (AArch64)
        .balign 128
        b       .               // 0x480 IRQ, lower EL (AArch64)
        .balign 128
        b       .               // 0x500 FIQ, lower EL (AArch64)
        .balign 128
        b       .               // 0x580 SError, lower EL (AArch64)
        .balign 128
        b       .               // 0x600 Synchronous, lower EL (AArch32)
        .balign 128
        b       .               // 0x680 IRQ, lower EL (AArch32)
        .balign 128
        b       .               // 0x700 FIQ, lower EL (AArch32)
        .balign 128
        b       .               // 0x780 SError, lower EL (AArch32)
