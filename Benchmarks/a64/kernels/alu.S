// 8-instruction ALU loop closed by CBNZ.
#include "exit.h"
  .text
  .globl _start
_start:
  mov x1, #0xe100
  movk x1, #0x5f5, lsl #16     // 100,000,000 iterations
  mov x2, #1
  mov x3, #3
  mov x4, #5
1:
  add x2, x2, x3
  eor x4, x4, x2
  orr x5, x4, x3, lsr #1
  and x6, x5, x2
  sub x3, x3, x6
  lsl x7, x2, #2
  sub x1, x1, #1
  cbnz x1, 1b
  EXIT
