// Branchy sieve of Eratosthenes over 32,768 numbers, repeated 200 times.
#include "exit.h"
  .text
  .globl _start
_start:
  adrp x10, flags
  add x10, x10, :lo12:flags
  mov x9, #200
  mov x12, #32768
6:
  // Mark every number as a candidate.
  mov x1, #0
  mov w2, #1
5:
  strb w2, [x10, x1]
  add x1, x1, #1
  cmp x1, x12
  b.lo 5b
  mov x0, #0                 // primes found
  mov x1, #2
1:
  ldrb w3, [x10, x1]
  cbz w3, 3f
  add x0, x0, #1
  mul x4, x1, x1
  cmp x4, x12
  b.hs 3f
2:
  strb wzr, [x10, x4]
  add x4, x4, x1
  cmp x4, x12
  b.lo 2b
3:
  add x1, x1, #1
  cmp x1, x12
  b.lo 1b
  subs x9, x9, #1
  b.ne 6b
  EXIT
  .bss
  .balign 16
flags: .skip 32768
