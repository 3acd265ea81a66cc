// mix.S — one chunk of a CPU-bound workload for `workload run`: 20000 rounds of an
// xorshift-multiply mix seeded with the chunk number (x0). Returns the final value in x0.
// It touches only x0-x3, so it keeps everything AAPCS64 asks a function to keep.
        .global work
work:
        mov     x1, x0
        movz    x2, #0x4e20             // 20000 rounds
        movz    x3, #0x7f4a, lsl #16
        movk    x3, #0x7c15             // an odd multiplier
1:      eor     x1, x1, x1, lsr #12
        eor     x1, x1, x1, lsl #25
        madd    x1, x1, x3, x2
        subs    x2, x2, #1
        b.ne    1b
        mov     x0, x1
        ret
