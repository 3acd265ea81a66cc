#!/usr/bin/env python3
"""Check that every field iasl -d decodes from a data table has the value we meant.

Usage: acpi-check-dsl.py TABLE.dsl ROWS.txt
ROWS.txt holds `offset|length|value` lines (acpi-harness rows). Each of our rows whose value
is a hex number or a quoted string is looked up by (offset, length) among the
`[XXXh DDDD  L]  Name : Value` lines of the .dsl and must carry the same value. Prints the
number of fields compared; exits 1 on any difference or when nothing could be compared.
"""
import re
import sys

dsl_path, rows_path = sys.argv[1], sys.argv[2]
iasl = {}
for line in open(dsl_path, encoding="latin-1"):
    m = re.match(r"\[([0-9A-F]+)h ([0-9]+)\s+([0-9]+)\]\s+(.*?) : (.*)$", line.rstrip())
    if m:
        iasl.setdefault((int(m.group(2)), int(m.group(3))), []).append((m.group(4), m.group(5)))

compared = 0
errors = 0
for line in open(rows_path):
    offset, length, value = line.rstrip("\n").split("|", 2)
    key = (int(offset), int(length))
    ours = value.strip()
    if ours.startswith('"'):
        ours_norm = ours.strip('"').rstrip()
        kind = "string"
    elif re.fullmatch(r"[0-9A-F]+", ours):
        ours_norm = int(ours, 16)
        kind = "hex"
    else:
        continue
    if key not in iasl:
        continue
    matched = False
    for name, text in iasl[key]:
        first = text.split(" [")[0].strip()
        if kind == "string" and first.startswith('"'):
            matched = first.strip('"').rstrip() == ours_norm
        elif kind == "hex" and re.fullmatch(r"[0-9A-Fa-f]+", first):
            matched = int(first, 16) == ours_norm
        if matched:
            break
    compared += 1
    if not matched:
        errors += 1
        print("MISMATCH %s offset %s length %s: ours %s, iasl %s" % (dsl_path, offset, length, value, iasl[key]))
print("%s: %d fields equal iasl's decode" % (dsl_path, compared - errors))
sys.exit(1 if errors or compared == 0 else 0)
