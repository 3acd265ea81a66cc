#!/usr/bin/env python3
"""Generates the A64 instruction corpus used by the encoding cross-check.

Every form of the supported subset appears with several register, immediate, shift, extend,
condition and addressing choices (deterministic: seeded). Branch targets are written relative to
`.` so each line assembles on its own. Output: Tests/A64Tests/Fixtures/a64-corpus.txt
"""
import random, sys

rnd = random.Random(11)
out = []

def X(): return "x%d" % rnd.choice(list(range(31)))
def W(): return "w%d" % rnd.choice(list(range(31)))
def R(sf): return X() if sf else W()
def Rz(sf): return rnd.choice([R(sf), "xzr" if sf else "wzr"])
def Rsp(sf): return rnd.choice([R(sf), "sp" if sf else "wsp"])
conds = ["eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le"]
def add(line): out.append(line)

for sf in (1, 0):
    w = 64 if sf else 32
    # add/sub immediate (incl. aliases)
    for m in ["add", "adds", "sub", "subs"]:
        for _ in range(4):
            d = Rsp(sf) if m in ("add", "sub") else R(sf)
            imm = rnd.choice([0, 1, 7, 0x10, 0x7ff, 0xfff])
            sh = rnd.choice(["", ", lsl #12"])
            add(f"{m} {d}, {Rsp(sf)}, #{imm}{sh}")
    add(f"cmp {Rsp(sf)}, #{rnd.randrange(4096)}")
    add(f"cmn {Rsp(sf)}, #{rnd.randrange(4096)}, lsl #12")
    add(f"mov {'sp' if sf else 'wsp'}, {R(sf)}")
    add(f"mov {R(sf)}, {'sp' if sf else 'wsp'}")
    # logical immediate
    for m in ["and", "orr", "eor", "ands"]:
        for imm in ([0xff, 0xff00ff00ff00ff00, 0x5555555555555555, 0xfffffffffffffffe, 0x1, 0x7fffffffffffffff] if sf
                    else [0xff, 0x80000001, 0xfffffffe, 0x0f0f0f0f, 0x1, 0x7fffffff]):
            d = R(sf) if m == "ands" else Rsp(sf)
            add(f"{m} {d}, {R(sf)}, #{hex(imm)}")
    add(f"tst {R(sf)}, #{hex(0xff00 if sf else 0xff00)}")
    add(f"mov {R(sf)}, #{hex(0x5555555555555555 if sf else 0x55555555)}")
    # move wide
    for _ in range(4):
        hw = rnd.randrange(4 if sf else 2) * 16
        add(f"movz {R(sf)}, #{hex(rnd.randrange(65536))}, lsl #{hw}")
        add(f"movn {R(sf)}, #{hex(rnd.randrange(65536))}, lsl #{hw}")
        add(f"movk {R(sf)}, #{hex(rnd.randrange(65536))}, lsl #{hw}")
    for v in ([0, 1, -1, 0x12340000, 0xffff0000ffffffff, -0x10000, 0x10000, 0xffff000000000000] if sf
              else [0, 1, -1, 0x12340000, -0x10000, 0xffff0000, 0x10000, 0xffff]):
        add(f"mov {R(sf)}, #{v}")
    add(f"movz {R(sf)}, #0, lsl #16")
    add(f"movn {R(sf)}, #0, lsl #16")
    # bitfield and aliases
    for _ in range(3):
        lsb = rnd.randrange(w); width = rnd.randrange(1, w - lsb + 1)
        add(f"ubfx {R(sf)}, {R(sf)}, #{lsb}, #{width}")
        add(f"sbfx {R(sf)}, {R(sf)}, #{lsb}, #{width}")
        add(f"bfxil {R(sf)}, {R(sf)}, #{lsb}, #{width}")
        lsb = rnd.randrange(1, w); width = rnd.randrange(1, w - lsb + 1)
        add(f"ubfiz {R(sf)}, {R(sf)}, #{lsb}, #{width}")
        add(f"sbfiz {R(sf)}, {R(sf)}, #{lsb}, #{width}")
        add(f"bfi {R(sf)}, {R(sf)}, #{lsb}, #{width}")
        add(f"lsl {R(sf)}, {R(sf)}, #{rnd.randrange(1, w)}")
        add(f"lsr {R(sf)}, {R(sf)}, #{rnd.randrange(w)}")
        add(f"asr {R(sf)}, {R(sf)}, #{rnd.randrange(w)}")
        add(f"ubfm {R(sf)}, {R(sf)}, #{rnd.randrange(w)}, #{rnd.randrange(w)}")
        add(f"sbfm {R(sf)}, {R(sf)}, #{rnd.randrange(w)}, #{rnd.randrange(w)}")
        add(f"bfm {R(sf)}, {R(sf)}, #{rnd.randrange(w)}, #{rnd.randrange(w)}")
    add(f"bfc {R(sf)}, #3, #4")
    add(f"sxtb {R(sf)}, {W()}")
    add(f"sxth {R(sf)}, {W()}")
    # extr / ror
    for _ in range(3):
        add(f"extr {R(sf)}, {R(sf)}, {R(sf)}, #{rnd.randrange(w)}")
        add(f"ror {R(sf)}, {R(sf)}, #{rnd.randrange(w)}")
    # logical shifted register
    for m in ["and", "bic", "orr", "orn", "eor", "eon", "ands", "bics"]:
        for sh in ["", f", lsl #{rnd.randrange(w)}", f", lsr #{rnd.randrange(w)}", f", asr #{rnd.randrange(w)}", f", ror #{rnd.randrange(w)}"]:
            add(f"{m} {Rz(sf)}, {Rz(sf)}, {Rz(sf)}{sh}")
    add(f"mov {R(sf)}, {R(sf)}")
    add(f"mvn {R(sf)}, {R(sf)}")
    add(f"mvn {R(sf)}, {R(sf)}, lsl #3")
    add(f"tst {R(sf)}, {R(sf)}, ror #5")
    # add/sub shifted
    for m in ["add", "adds", "sub", "subs"]:
        for sh in ["", f", lsl #{rnd.randrange(w)}", f", lsr #{rnd.randrange(w)}", f", asr #{rnd.randrange(w)}"]:
            add(f"{m} {Rz(sf)}, {Rz(sf)}, {Rz(sf)}{sh}")
    for m in ["cmp", "cmn"]:
        add(f"{m} {R(sf)}, {R(sf)}")
        add(f"{m} {R(sf)}, {R(sf)}, lsl #{rnd.randrange(w)}")
    add(f"neg {R(sf)}, {R(sf)}")
    add(f"neg {R(sf)}, {R(sf)}, asr #3")
    add(f"negs {R(sf)}, {R(sf)}")
    # add/sub extended
    exts = ["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"]
    for m in ["add", "adds", "sub", "subs"]:
        for e in exts:
            amt = rnd.choice(["", " #1", " #2", " #4"])
            rm = ("x%d" % rnd.randrange(31)) if (e.endswith("x") and sf) else W()
            d = Rsp(sf) if m in ("add", "sub") else R(sf)
            add(f"{m} {d}, {Rsp(sf)}, {rm}, {e}{amt}")
    add(f"add {'sp' if sf else 'wsp'}, {'sp' if sf else 'wsp'}, {R(sf)}")
    add(f"add {R(sf)}, {'sp' if sf else 'wsp'}, {R(sf)}, lsl #2")
    add(f"cmp {'sp' if sf else 'wsp'}, {R(sf)}")
    add(f"cmn {R(sf)}, {W()}, uxtb #1")
    # adc/sbc
    for m in ["adc", "adcs", "sbc", "sbcs"]:
        add(f"{m} {R(sf)}, {R(sf)}, {R(sf)}")
    add(f"ngc {R(sf)}, {R(sf)}")
    add(f"ngcs {R(sf)}, {R(sf)}")
    # conditional compare and select
    for m in ["ccmp", "ccmn"]:
        for _ in range(3):
            add(f"{m} {R(sf)}, {R(sf)}, #{rnd.randrange(16)}, {rnd.choice(conds)}")
            add(f"{m} {R(sf)}, #{rnd.randrange(32)}, #{rnd.randrange(16)}, {rnd.choice(conds)}")
    for m in ["csel", "csinc", "csinv", "csneg"]:
        for _ in range(3):
            add(f"{m} {R(sf)}, {R(sf)}, {R(sf)}, {rnd.choice(conds + ['al', 'nv'])}")
    for m in ["cset", "csetm"]:
        add(f"{m} {R(sf)}, {rnd.choice(conds)}")
    for m in ["cinc", "cinv", "cneg"]:
        add(f"{m} {R(sf)}, {R(sf)}, {rnd.choice(conds)}")
    # 2-source, 1-source, 3-source
    for m in ["udiv", "sdiv", "lslv", "lsrv", "asrv", "rorv", "lsl", "lsr", "asr", "ror"]:
        add(f"{m} {R(sf)}, {R(sf)}, {R(sf)}")
    for m in ["rbit", "rev16", "rev", "clz", "cls"]:
        add(f"{m} {R(sf)}, {R(sf)}")
    for m in ["madd", "msub"]:
        add(f"{m} {R(sf)}, {R(sf)}, {R(sf)}, {R(sf)}")
    for m in ["mul", "mneg"]:
        add(f"{m} {R(sf)}, {R(sf)}, {R(sf)}")
    # cbz/cbnz/tbz/tbnz
    for m in ["cbz", "cbnz"]:
        add(f"{m} {R(sf)}, .+{rnd.randrange(-1000, 1000) * 4}")
    for m in ["tbz", "tbnz"]:
        add(f"{m} {R(sf)}, #{rnd.randrange(w)}, .+{rnd.randrange(-100, 100) * 4}")

add("rev32 x1, x2")
for m in ["smaddl", "smsubl", "umaddl", "umsubl"]:
    add(f"{m} {X()}, {W()}, {W()}, {X()}")
for m in ["smull", "smnegl", "umull", "umnegl"]:
    add(f"{m} {X()}, {W()}, {W()}")
add(f"smulh {X()}, {X()}, {X()}")
add(f"umulh {X()}, {X()}, {X()}")
add("sxtw x3, w4")
add("uxtb w3, w4")
add("uxth w3, w4")
# adr/adrp
for _ in range(4):
    add(f"adr {X()}, .+{rnd.randrange(-100000, 100000)}")
    add(f"adrp {X()}, .+{rnd.randrange(-100000, 100000) * 4096}")
# branches
for _ in range(4):
    add(f"b .+{rnd.randrange(-100000, 100000) * 4}")
    add(f"bl .+{rnd.randrange(-100000, 100000) * 4}")
for c in conds + ["al", "nv"]:
    add(f"b.{c} .+{rnd.randrange(-1000, 1000) * 4}")
add("b.cs .+8")
add("b.cc .-8")
for m in ["br", "blr"]:
    add(f"{m} {X()}")
add("ret")
add("ret x3")
add("eret")
for m in ["svc", "hvc", "smc", "brk", "hlt"]:
    add(f"{m} #0")
    add(f"{m} #{hex(rnd.randrange(1, 65536))}")
add("udf #0")
add("udf #0x1234")
# system registers
for r in ["mpidr_el1", "midr_el1", "sctlr_el1", "vbar_el1", "tpidr_el0", "tpidr_el1", "tpidrro_el0", "cntfrq_el0",
          "cntvct_el0", "currentel", "daif", "nzcv", "spsel", "sp_el0", "esr_el1", "elr_el1", "spsr_el1", "far_el1",
          "icc_iar1_el1", "icc_pmr_el1", "icc_ctlr_el1", "icc_sre_el1", "icc_igrpen1_el1", "icc_hppir1_el1",
          "icc_rpr_el1", "icc_bpr1_el1", "cntkctl_el1", "cntv_ctl_el0", "cntv_cval_el0", "mair_el1", "tcr_el1"]:
    add(f"mrs {X()}, {r}")
for r in ["sctlr_el1", "vbar_el1", "tpidr_el0", "tpidr_el1", "daif", "nzcv", "spsel", "sp_el0", "elr_el1",
          "spsr_el1", "icc_sgi1r_el1", "icc_eoir1_el1", "icc_pmr_el1", "icc_dir_el1", "icc_igrpen1_el1",
          "icc_sre_el1", "cntv_ctl_el0", "cntv_tval_el0", "cntkctl_el1", "mdscr_el1"]:
    add(f"msr {r}, {X()}")
add("mrs x0, s3_0_c15_c2_0")
add("msr s3_1_c11_c0_2, x5")
for f in ["daifset", "daifclr"]:
    for v in [0, 2, 3, 15]:
        add(f"msr {f}, #{v}")
add("msr spsel, #0")
add("msr spsel, #1")
for h in ["nop", "yield", "wfe", "wfi", "sev", "sevl"]:
    add(h)
add("hint #0x7f")
add("hint #9")
for o in ["sy", "st", "ld", "ish", "ishst", "ishld", "nsh", "nshst", "nshld", "osh", "oshst", "oshld"]:
    add(f"dmb {o}")
    add(f"dsb {o}")
add("dmb #0")
add("dsb #0")
add("dsb #4")
add("isb")
add("isb #5")
add("clrex")
add("clrex #5")
# loads and stores
singles = [("strb", 0, "w"), ("ldrb", 0, "w"), ("ldrsb", 0, "x"), ("ldrsb", 0, "w"), ("strh", 1, "w"),
           ("ldrh", 1, "w"), ("ldrsh", 1, "x"), ("ldrsh", 1, "w"), ("str", 2, "w"), ("ldr", 2, "w"),
           ("ldrsw", 2, "x"), ("str", 3, "x"), ("ldr", 3, "x")]
unscaled = {"strb": "sturb", "ldrb": "ldurb", "ldrsb": "ldursb", "strh": "sturh", "ldrh": "ldurh", "ldrsh": "ldursh",
            "str": "stur", "ldr": "ldur", "ldrsw": "ldursw"}
unpriv = {"strb": "sttrb", "ldrb": "ldtrb", "ldrsb": "ldtrsb", "strh": "sttrh", "ldrh": "ldtrh", "ldrsh": "ldtrsh",
          "str": "sttr", "ldr": "ldtr", "ldrsw": "ldtrsw"}
def base(): return rnd.choice([X(), "sp"])
for m, size, rw in singles:
    rt = lambda: ("x%d" if rw == "x" else "w%d") % rnd.randrange(31)
    add(f"{m} {rt()}, [{base()}]")
    add(f"{m} {rt()}, [{base()}, #{rnd.randrange(4096) << size}]")
    add(f"{unscaled[m]} {rt()}, [{base()}, #{rnd.randrange(-256, 256)}]")
    add(f"{unpriv[m]} {rt()}, [{base()}, #{rnd.randrange(-256, 256)}]")
    add(f"{m} {rt()}, [{base()}, #{rnd.randrange(-256, 256)}]!")
    add(f"{m} {rt()}, [{base()}], #{rnd.randrange(-256, 256)}")
    add(f"{m} {rt()}, [{base()}, {X()}]")
    add(f"{m} {rt()}, [{base()}, {X()}, lsl #{size}]")
    add(f"{m} {rt()}, [{base()}, {W()}, uxtw]")
    add(f"{m} {rt()}, [{base()}, {W()}, sxtw #{size}]")
    add(f"{m} {rt()}, [{base()}, {X()}, sxtx]")
    add(f"{m} {rt()}, [{base()}, {W()}, uxtw #{size}]")
    if m.startswith("ldr") and m != "ldrsb" and m != "ldrb":
        add(f"{m} {rt()}, .+{rnd.randrange(-1000, 1000) * 4}") if m in ("ldr", "ldrsw") else None
add("ldr x1, [x2, #-8]")
add("str w1, [x2, #3]")
add("prfm pldl1keep, [x0]")
add("prfm pstl2strm, [x3, #64]")
add("prfm plil3keep, [sp, x2, lsl #3]")
add("prfm #0x1f, [x0]")
add("prfum pldl1strm, [x0, #-5]")
add("prfm pldl2keep, .+64")
for opc, rw, sc in [("stp", "x", 8), ("ldp", "x", 8), ("stp", "w", 4), ("ldp", "w", 4), ("ldpsw", "x", 4)]:
    rt = lambda: ("x%d" if rw == "x" else "w%d") % rnd.randrange(31)
    add(f"{opc} {rt()}, {rt()}, [{base()}]")
    add(f"{opc} {rt()}, {rt()}, [{base()}, #{rnd.randrange(-64, 64) * sc}]")
    add(f"{opc} {rt()}, {rt()}, [{base()}, #{rnd.randrange(-64, 64) * sc}]!")
    add(f"{opc} {rt()}, {rt()}, [{base()}], #{rnd.randrange(-64, 64) * sc}")
    if opc != "ldpsw":
        add(f"{opc[:2]}np {rt()}, {rt()}, [{base()}, #{rnd.randrange(-64, 64) * sc}]")
add("stp x29, x30, [sp, #-16]!")
add("ldp x29, x30, [sp], #16")
# exclusives, acquire/release, atomics
for sfx, rw in [("b", "w"), ("h", "w"), ("", "w"), ("", "x")]:
    rt = lambda: ("x%d" if rw == "x" else "w%d") % rnd.randrange(31)
    for m in ["ldxr", "ldaxr", "ldar"]:
        add(f"{m}{sfx} {rt()}, [{base()}]")
    for m in ["stxr", "stlxr"]:
        add(f"{m}{sfx} {W()}, {rt()}, [{base()}]")
    add(f"stlr{sfx} {rt()}, [{base()}]")
    for o in ["", "a", "l", "al"]:
        add(f"cas{o}{sfx} {rt()}, {rt()}, [{base()}]")
        add(f"swp{o}{sfx} {rt()}, {rt()}, [{base()}]")
        for a in ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"]:
            add(f"ld{a}{o}{sfx} {rt()}, {rt()}, [{base()}]")
    for a in ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"]:
        add(f"st{a}{sfx} {rt()}, [{base()}]")
        add(f"st{a}l{sfx} {rt()}, [{base()}]")
    if sfx == "":
        add(f"ldxp {rt()}, {rt()}, [{base()}]")
        add(f"ldaxp {rt()}, {rt()}, [{base()}]")
        add(f"stxp {W()}, {rt()}, {rt()}, [{base()}]")
        add(f"stlxp {W()}, {rt()}, {rt()}, [{base()}]")
for o in ["", "a", "l", "al"]:
    add(f"casp{o} x0, x1, x2, x3, [x4]")
    add(f"casp{o} w6, w7, w8, w9, [sp]")
add("ldaddal w0, w1, [x2]")
add("stadd x0, [x2]")

import re

def regnum(tok):
    m = re.fullmatch(r"[wx](\d+)", tok)
    return int(m.group(1)) if m else None

def fix(line):
    """Avoid the CONSTRAINED UNPREDICTABLE register combinations that clang rejects."""
    m, _, rest = line.partition(" ")
    toks = re.findall(r"[wx]\d+|sp", rest)
    nums = [regnum(t) for t in toks]
    def replace_nth(text, n, new):
        it = iter(range(len(toks)))
        count = [-1]
        def sub(mo):
            count[0] += 1
            return new if count[0] == n else mo.group(0)
        return re.sub(r"[wx]\d+|sp", sub, text)
    writeback = "]!" in rest or re.search(r"\], #", rest)
    if m in ("stxr", "stlxr", "stxrb", "stlxrb", "stxrh", "stlxrh", "stxp", "stlxp"):
        s0 = nums[0]
        used = set(n for n in nums[1:] if n is not None)
        if s0 in used:
            free = next(i for i in range(31) if i not in used)
            rest = replace_nth(rest, 0, "w%d" % free)
    elif m in ("ldp", "ldpsw", "ldnp", "ldxp", "ldaxp") and nums[0] == nums[1] and nums[0] is not None:
        rest = replace_nth(rest, 1, toks[1][0] + str((nums[1] + 1) % 31))
    if writeback:
        n_data = 2 if m in ("stp", "ldp", "ldpsw") else 1
        base_i = n_data
        data = set(nums[:n_data])
        if nums[base_i] is not None and nums[base_i] in data:
            free = next(i for i in range(31) if i not in data)
            rest = replace_nth(rest, base_i, "x%d" % free)
    return m + " " + rest if rest else m

out = [fix(l) for l in out]
sys.stdout.write("// A64 encoding corpus (generated by Scripts/crosscheck/a64-gen-corpus.py; do not edit)\n")
for l in out:
    sys.stdout.write(l + "\n")
