#!/usr/bin/env python3
"""Cross-check hplab's A64 assembler and disassembler against clang and llvm-objdump.

usage: a64-compare-encodings.py CORPUS.S HARNESS LLVM_BIN_DIR WORKDIR [EXPECTED_OUT]

Every instruction line of CORPUS.S is assembled by the toolchain's clang and by hplab (one line at
a time, at the same address); the words must be equal, and hplab's disassembly must equal
llvm-objdump's text for that word (whitespace collapsed, symbol suffixes like `<foo+0x8>` dropped).
"""
import os, re, subprocess, sys

corpus, harness, llvm_bin, work = sys.argv[1:5]
os.makedirs(work, exist_ok=True)

lines = []
for raw in open(corpus):
    s = raw.split("//")[0].strip()
    if not s or s.startswith("."):
        continue
    lines.append(s)

src = os.path.join(work, "corpus-clang.S")
with open(src, "w") as f:
    f.write(".arch armv8.1-a\n")
    for l in lines:
        f.write(l + "\n")
obj = os.path.join(work, "corpus.o")
subprocess.run([os.path.join(llvm_bin, "clang"), "--target=aarch64-none-elf", "-c", src, "-o", obj], check=True)
# Link at BASE so that ADRP/ADR relocations are resolved exactly as hplab resolves them.
BASE = 0x40000000
elf = os.path.join(work, "corpus.elf")
subprocess.run([os.path.join(llvm_bin, "ld.lld"), "-Ttext=%#x" % BASE, "-e", "%#x" % BASE, "-N", obj, "-o", elf],
               check=True)
raw = subprocess.run([os.path.join(llvm_bin, "llvm-objdump"), "-d", elf],
                     check=True, capture_output=True, text=True).stdout

def norm(t):
    t = re.sub(r"\s*<[^>]*>", "", t)
    t = re.sub(r"\s+", " ", t).strip()
    return t

theirs = []
for line in raw.splitlines():
    m = re.match(r"^\s*([0-9a-f]+):\s+([0-9a-f]{8})\s+(.*)$", line)
    if m:
        theirs.append((int(m.group(1), 16), m.group(2), norm(m.group(3))))

plain = os.path.join(work, "corpus-lines.txt")
with open(plain, "w") as f:
    f.write("\n".join(lines) + "\n")
ours_out = subprocess.run([harness, "asm-lines", plain, "%#x" % BASE], check=True, capture_output=True, text=True).stdout
ours = [l.split("\t", 1) for l in ours_out.splitlines()]

if len(theirs) != len(lines) or len(ours) != len(lines):
    print(f"count mismatch: corpus {len(lines)}, clang {len(theirs)}, hplab {len(ours)}")
    sys.exit(1)

if len(sys.argv) > 5:
    # Record clang's words and llvm-objdump's text for the Swift test that runs without tools.
    with open(sys.argv[5], "w") as f:
        f.write("// clang/llvm-objdump output for a64-corpus.txt at 0x40000000 (Scripts/crosscheck/a64-compare-encodings.py)\n")
        for l, (addr, word, text) in zip(lines, theirs):
            f.write(f"{word}\t{text}\n")
bad = 0
for i, (l, (addr, word, text), o) in enumerate(zip(lines, theirs, ours)):
    if o[0] == "ERROR":
        print(f"line {i+1}: `{l}`: hplab error {o[1]} (clang: {word} {text})")
        bad += 1
        continue
    ow = o[0].rjust(8, "0")
    otext = norm(o[1])
    if ow != word:
        print(f"line {i+1}: `{l}`: word hplab {ow} clang {word}")
        bad += 1
    elif otext != text:
        print(f"line {i+1}: `{l}` ({word}): disasm hplab `{otext}` llvm-objdump `{text}`")
        bad += 1
print(f"encodings: {len(lines)} lines checked, {len(lines) - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
