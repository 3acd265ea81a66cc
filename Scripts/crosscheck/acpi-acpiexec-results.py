#!/usr/bin/env python3
"""Turn `acpiexec -b "evaluate ..."` output into one canonical line per evaluation.

acpiexec exits 0 even when an evaluation fails, so its text is the only verdict. The lines
made here have the form acpi-harness prints:
    \\PATH => INT 0x000000000000000F | STR "..." | BUF 01 02 | PKG[...] | NONE | ERR AE_...
followed by NOTIFY <NAME> 0x<value> lines for the notifications acpiexec received.
Usage: acpi-acpiexec-results.py < acpiexec-output
"""
import re
import sys

lines = sys.stdin.read().splitlines()
results = []
notifies = []
i = 0


def parse_value(index, indent):
    """Parse one value printed at `indent` spaces; return (text, next index)."""
    line = lines[index]
    body = line.strip()
    m = re.match(r"\[Integer\] = ([0-9A-Fa-f]+)", body)
    if m:
        return "INT 0x" + m.group(1).upper().rjust(16, "0"), index + 1
    m = re.match(r'\[String\] Length [0-9A-Fa-f]+ = "(.*)"$', body)
    if m:
        return 'STR "' + m.group(1) + '"', index + 1
    m = re.match(r"\[Buffer\] Length ([0-9A-Fa-f]+) =(.*)$", body)
    if m:
        length = int(m.group(1), 16)
        data = []
        rest = m.group(2)
        index += 1
        while True:
            hexpart = re.match(r"\s*[0-9A-Fa-f]{4}: ((?:[0-9A-Fa-f]{2} ?)+)", rest)
            if hexpart:
                data += hexpart.group(1).split()
            if len(data) >= length or index >= len(lines):
                break
            if not re.match(r"\s*[0-9A-Fa-f]{4}: ", lines[index]):
                break
            rest = lines[index]
            index += 1
        return "BUF" + "".join(" " + b.upper() for b in data[:length]), index
    m = re.match(r"\[Package\] Contains (\d+) Elements:", body)
    if m:
        count = int(m.group(1))
        index += 1
        elements = []
        for _ in range(count):
            while index < len(lines) and not lines[index].strip():
                index += 1
            text, index = parse_value(index, indent + 2)
            elements.append(text)
        return "PKG[" + ", ".join(elements) + "]", index
    if body.startswith("[Null Object]"):
        return "UNINIT", index + 1
    if "Reference" in body:
        return "REF", index + 1
    return "UNKNOWN " + body, index + 1


while i < len(lines):
    line = lines[i]
    m = re.match(r"Evaluation of (\S+) returned object", line)
    if m:
        path = m.group(1)
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        text, i = parse_value(j, 2)
        results.append(path + " => " + text)
        continue
    m = re.match(r"No object was returned from evaluation of (\S+)", line)
    if m:
        results.append(m.group(1) + " => NONE")
    m = re.match(r"Evaluation of (\S+) failed with status (AE_\w+)", line)
    if m:
        results.append(m.group(1) + " => ERR " + m.group(2))
    m = re.search(r"Received a (?:System|Device) Notify on \[(\w+)\] \S+ Value 0x([0-9A-Fa-f]+)", line)
    if m:
        notifies.append("NOTIFY %s 0x%X" % (m.group(1), int(m.group(2), 16)))
    i += 1

for r in results:
    print(r)
for n in notifies:
    print(n)
