#!/usr/bin/env python3
"""Cross-check hplab against qemu-aarch64 (Debian qemu-user) on generated snippets.

usage: a64-qemu.py HARNESS LLVM_BIN_DIR WORKDIR PROGRAMS SEED

Each snippet is built twice from one body with the toolchain's clang and ld.lld: as a Linux user
program whose `__dump` writes X0-X30 and NZCV to stdout (run under qemu-aarch64), and as a bare
blob ending in BRK (run by hplab). Registers and NZCV must agree. The snippets exercise what the
unicorn check cannot: the signed LSE atomics LDSMAX/LDSMIN (unicorn 2.1.4 compares 8/16/32-bit
operands wrongly), plus a mix of random ALU and flag instructions.
"""
import os, random, struct, subprocess, sys

harness, llvm_bin, work, nprog, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
os.makedirs(work, exist_ok=True)
rnd = random.Random(seed)

DUMP = """
__dump:
  sub sp, sp, #256
  stp x0, x1, [sp, #0]
  stp x2, x3, [sp, #16]
  stp x4, x5, [sp, #32]
  stp x6, x7, [sp, #48]
  stp x8, x9, [sp, #64]
  stp x10, x11, [sp, #80]
  stp x12, x13, [sp, #96]
  stp x14, x15, [sp, #112]
  stp x16, x17, [sp, #128]
  stp x18, x19, [sp, #144]
  stp x20, x21, [sp, #160]
  stp x22, x23, [sp, #176]
  stp x24, x25, [sp, #192]
  stp x26, x27, [sp, #208]
  stp x28, x29, [sp, #224]
  mrs x0, nzcv
  stp x30, x0, [sp, #240]
  mov x0, #1
  mov x1, sp
  mov x2, #256
  mov x8, #64
  svc #0
  mov x0, #0
  mov x8, #93
  svc #0
"""

def movimm(reg, v):
    out = [f"movz {reg}, #{v & 0xffff}"]
    for s in (16, 32, 48):
        if (v >> s) & 0xffff:
            out.append(f"movk {reg}, #{(v >> s) & 0xffff}, lsl #{s}")
    return out

def interesting(bits):
    return rnd.choice([0, 1, (1 << bits) - 1, 1 << (bits - 1), (1 << (bits - 1)) - 1, rnd.getrandbits(bits),
                       rnd.getrandbits(bits)])

def snippet():
    body = ["sub sp, sp, #64", "msr nzcv, xzr"]
    reg = 0
    for _ in range(6):
        size, suffix, bits, rt = rnd.choice([(0, "b", 8, "w"), (1, "h", 16, "w"), (2, "", 32, "w"), (3, "", 64, "x")])
        op = rnd.choice(["smax", "smin", "umax", "umin"])
        order = rnd.choice(["", "a", "l", "al"])
        a, b = interesting(bits), interesting(bits)
        ra, rb, rc = reg, reg + 1, reg + 2
        body += movimm(f"x{ra}", a)
        body.append(f"str x{ra}, [sp]")
        body += movimm(f"x{rb}", b)
        body.append(f"ld{op}{order}{suffix} {rt}{rb}, {rt}{rc}, [sp]")
        body.append(f"ldr x{ra}, [sp]")
        reg += 3
    for _ in range(4):
        a, b = rnd.getrandbits(64), rnd.getrandbits(64)
        body += movimm("x20", a) + movimm("x21", b)
        body.append(rnd.choice(["subs x22, x20, x21", "adds x22, x20, x21", "subs w22, w20, w21", "adds w22, w20, w21"]))
        body.append(f"csel x23, x20, x21, {rnd.choice(['lt', 'gt', 'hi', 'ls', 'vs', 'mi'])}")
        body.append("adcs x24, x20, x21")
    body.append("add sp, sp, #64")
    return body

progs = [snippet() for _ in range(nprog)]

def build(body, linux, name):
    src = os.path.join(work, name + ".S")
    with open(src, "w") as f:
        f.write(".arch armv8.1-a\n.globl _start\n_start:\n" + "\n".join(body) + "\n")
        f.write("b __dump\n" + DUMP if linux else "brk #0\n")
    obj = os.path.join(work, name + ".o")
    target = "aarch64-linux-gnu" if linux else "aarch64-none-elf"
    subprocess.run([os.path.join(llvm_bin, "clang"), f"--target={target}", "-c", src, "-o", obj], check=True)
    if linux:
        elf = os.path.join(work, name + ".elf")
        subprocess.run([os.path.join(llvm_bin, "ld.lld"), "-static", "-e", "_start", obj, "-o", elf], check=True)
        return elf
    blob = os.path.join(work, name + ".bin")
    subprocess.run([os.path.join(llvm_bin, "llvm-objcopy"), "-O", "binary", "-j", ".text", obj, blob], check=True)
    data = open(blob, "rb").read()
    return list(struct.unpack("<%dI" % (len(data) // 4), data))

batch = os.path.join(work, "batch.txt")
expected = []
with open(batch, "w") as f:
    for i, body in enumerate(progs):
        elf = build(body, True, f"q{i}")
        out = subprocess.run(["qemu-aarch64", elf], check=True, capture_output=True).stdout
        vals = struct.unpack("<32Q", out)
        expected.append((list(vals[:31]), vals[31] >> 28))
        words = build(body, False, f"h{i}")
        f.write("code " + " ".join("%x" % w for w in words) + "\n")
        f.write("regs " + " ".join(["0"] * 31) + " 40200000\n")
        f.write("nzcv 0\nmem 00\nrun 100000\n")
lines = subprocess.run([harness, "run-batch", batch], check=True, capture_output=True, text=True).stdout.splitlines()
bad = 0
for i in range(nprog):
    regs = [int(v, 16) for v in lines[4 * i + 1].split()[1:32]]
    nzcv = int(lines[4 * i + 2].split()[1], 16)
    exp_regs, exp_nzcv = expected[i]
    diffs = ["x%d: qemu %#x hplab %#x" % (k, exp_regs[k], regs[k]) for k in range(31) if exp_regs[k] != regs[k]]
    if nzcv != exp_nzcv:
        diffs.append("nzcv: qemu %#x hplab %#x" % (exp_nzcv, nzcv))
    if diffs:
        bad += 1
        print(f"MISMATCH in snippet {i}:\n  " + "\n  ".join(progs[i]) + "\n" + "\n".join("  " + d for d in diffs))
print(f"qemu-aarch64: {nprog} snippets ({nprog * 6} signed/unsigned LSE min/max, {nprog * 4} flag checks), "
      f"{nprog - bad} agreed, {bad} differed")
sys.exit(1 if bad else 0)
