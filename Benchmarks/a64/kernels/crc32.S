// Bytewise CRC-32 (IEEE, reflected, table-driven) over a 64 KiB buffer, 256 times.
#include "exit.h"
  .text
  .globl _start
_start:
  // Build the 256-entry table.
  adrp x6, table
  add x6, x6, :lo12:table
  movz w7, #0x8320
  movk w7, #0xedb8, lsl #16
  mov x1, #0
3:
  mov w2, w1
  mov x3, #8
4:
  and w4, w2, #1
  lsr w2, w2, #1
  neg w4, w4
  and w4, w4, w7
  eor w2, w2, w4
  subs x3, x3, #1
  b.ne 4b
  str w2, [x6, x1, lsl #2]
  add x1, x1, #1
  cmp x1, #256
  b.ne 3b
  // Fill the buffer with a pattern.
  adrp x10, buf
  add x10, x10, :lo12:buf
  mov x1, #0
5:
  strb w1, [x10, x1]
  add x1, x1, #1
  cmp x1, #65536
  b.ne 5b
  mov x9, #256
2:
  mov w0, #-1
  mov x1, x10
  mov x2, #65536
1:
  ldrb w4, [x1], #1
  eor w5, w0, w4
  and w5, w5, #0xff
  ldr w5, [x6, x5, lsl #2]
  eor w0, w5, w0, lsr #8
  subs x2, x2, #1
  b.ne 1b
  mvn w0, w0
  subs x9, x9, #1
  b.ne 2b
  EXIT
  .bss
  .balign 16
table: .skip 1024
buf: .skip 65536
