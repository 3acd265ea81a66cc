// Memory copy: 64 KiB with LDP/STP of 16 bytes, repeated 6,400 times (1.05 * 10^8 instructions).
#include "exit.h"
  .text
  .globl _start
_start:
  adrp x10, src
  add x10, x10, :lo12:src
  adrp x11, dst
  add x11, x11, :lo12:dst
  mov x9, #6400
2:
  mov x1, x10
  mov x2, x11
  mov x3, #4096
1:
  ldp x4, x5, [x1], #16
  stp x4, x5, [x2], #16
  subs x3, x3, #1
  b.ne 1b
  subs x9, x9, #1
  b.ne 2b
  EXIT
  .bss
  .balign 16
src: .skip 65536
dst: .skip 65536
