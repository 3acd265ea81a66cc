#!/usr/bin/env python3
"""Cross-check hplab's disassembler against llvm-objdump on many words.

usage: a64-compare-disasm.py HARNESS LLVM_BIN_DIR WORKDIR N SEED

Words: N drawn from hplab's encoding table (random row, random variable bits) plus N uniformly
random words. Every word that hplab decodes must be decoded by llvm-objdump to the same text.
"""
import os, random, re, subprocess, sys

harness, llvm_bin, work, n, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
os.makedirs(work, exist_ok=True)
BASE = 0x40000000
table = subprocess.run([harness, "table-words", str(n), str(seed)], check=True, capture_output=True,
                       text=True).stdout.split()
rnd = random.Random(seed)
words = [int(w, 16) for w in table] + [rnd.getrandbits(32) for _ in range(n)]
src = os.path.join(work, "words.S")
with open(src, "w") as f:
    for w in words:
        f.write(".inst %#010x\n" % w)
obj = os.path.join(work, "words.o")
elf = os.path.join(work, "words.elf")
subprocess.run([os.path.join(llvm_bin, "clang"), "--target=aarch64-none-elf", "-c", src, "-o", obj], check=True)
subprocess.run([os.path.join(llvm_bin, "ld.lld"), "-Ttext=%#x" % BASE, "-e", "%#x" % BASE, "-N", obj, "-o", elf],
               check=True)
dump = subprocess.run([os.path.join(llvm_bin, "llvm-objdump"), "-d", elf], check=True, capture_output=True,
                      text=True).stdout

def norm(t):
    t = re.sub(r"\s*<[^>]*>", "", t)
    return re.sub(r"\s+", " ", t).strip()

theirs = []
for line in dump.splitlines():
    m = re.match(r"^\s*([0-9a-f]+):\s+([0-9a-f]{8})\s+(.*)$", line)
    if m:
        theirs.append(norm(m.group(3)))
wf = os.path.join(work, "words.txt")
with open(wf, "w") as f:
    f.write("\n".join("%08x" % w for w in words) + "\n")
ours = subprocess.run([harness, "disasm-words", wf, "%#x" % BASE], check=True, capture_output=True,
                      text=True).stdout.splitlines()
assert len(theirs) == len(words) == len(ours), (len(theirs), len(words), len(ours))
bad = 0
decoded = 0
sysreg_names = 0
generic = re.compile(r"S[23]_\d_C\d+_C\d+_\d")
for w, t, o in zip(words, theirs, ours):
    if o == "<undefined>":
        continue
    decoded += 1
    # hplab names the system registers of its model (and the GIC/timer ones); llvm-objdump knows
    # hundreds more (trace, debug, ...). A generic S<op0>_... spelling there is not a mismatch.
    if norm(o) != t and generic.search(o) and re.sub(r"\b[A-Z][A-Z0-9_]+\b", "R", t) == re.sub(generic, "R", norm(o)):
        sysreg_names += 1
        continue
    if norm(o) != t:
        bad += 1
        if bad <= 40:
            print("%08x: hplab `%s` llvm-objdump `%s`" % (w, norm(o), t))
print(f"disassembly: {len(words)} words, {decoded} decoded by hplab, {decoded - bad - sysreg_names} matched llvm-objdump "
      f"exactly, {sysreg_names} differ only in a system register llvm names and hplab spells generically, {bad} differed")
sys.exit(1 if bad else 0)
