// Flag-heavy loop: ADD / EOR (shifted) / SUBS / B.NE, 4 instructions per iteration.
#include "exit.h"
  .text
  .globl _start
_start:
  mov x0, #0
  mov x1, #0xe100
  movk x1, #0x5f5, lsl #16     // 100,000,000 iterations
  mov x2, #0x1234
1:
  add x0, x0, x1
  eor x3, x0, x2, lsl #3
  subs x1, x1, #1
  b.ne 1b
  EXIT
