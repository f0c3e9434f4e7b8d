#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The profile section of the system benchmark's report (run.sh --profile):
# reads the kernel profiler's report (the `prof: ` lines of a prof=1 run,
# prefix removed) and prints it as Markdown: the rows as a table, then the
# shares of interpreted SIP code, of kernel code and of the stretches with
# interrupts off. Exit 1 when the report has no samples line.
#   profile_md.py [--append CMDLINE] [--icount] PROFILE.txt
import argparse
import re
import sys

HEAD = re.compile(r"^(\d+) samples at (\d+) Hz, (\d+) dropped")
ROW = re.compile(r"^\s*([0-9.]+)%\s+(\d+)\s+(kernel|wasm)\s+(.*)$")
OTHER = re.compile(r"^(\d+) samples in (\d+) other places")


def parse(lines):
    """The report as a dict: total, hz, dropped, rows [(share, n, kind,
    where)], other (samples outside the rows)."""
    rep = {"rows": [], "other": 0}
    for line in lines:
        m = HEAD.match(line)
        if m:
            rep["total"], rep["hz"], rep["dropped"] = map(int, m.groups())
            continue
        m = ROW.match(line)
        if m:
            rep["rows"].append((float(m.group(1)), int(m.group(2)), m.group(3),
                                m.group(4).strip()))
            continue
        m = OTHER.match(line)
        if m:
            rep["other"] = int(m.group(1))
    if "total" not in rep:
        raise ValueError("no 'N samples at H Hz' line: not a profiler report")
    return rep


def shares(rep):
    """Percent of all samples in wasm rows, kernel rows and irq-off rows."""
    total = rep["total"] or 1
    wasm = sum(n for _, n, k, _ in rep["rows"] if k == "wasm")
    kern = sum(n for _, n, k, _ in rep["rows"] if k == "kernel")
    irqoff = sum(n for _, n, k, w in rep["rows"] if "(irq-off end)" in w)
    return tuple(100.0 * x / total for x in (wasm, kern, irqoff))


def markdown(rep, append, icount):
    how = ("under `-icount shift=0`: one sample per million guest instructions, so the "
           "shares are shares of the path length and repeat run after run"
           if icount else
           "under TCG: shares of emulated time, which weighs instructions as the "
           "emulator does (use `--icount` for path length)")
    wasm, kern, irqoff = shares(rep)
    out = ["### Where a round trip goes: the kernel's profile", "",
           "The round-trip row alone, from boot under the kernel's sampling profiler "
           "(`%s`, docs/profiling.md), %s. %d samples at %d Hz, %d dropped." %
           (append, how, rep["total"], rep["hz"], rep["dropped"]), "",
           "| share | samples | where |", "|---:|---:|---|"]
    for share, n, kind, where in rep["rows"]:
        out.append("| %.1f %% | %d | %s `%s` |" % (share, n, kind, where))
    if rep["other"]:
        out.append("| | %d | elsewhere |" % rep["other"])
    out += ["", "In the rows shown: interpreted SIP code %.0f %%, kernel code %.0f %% "
            "(of which stretches with interrupts off, charged to the function that "
            "ended them, %.0f %%)." % (wasm, kern, irqoff)]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--append", default="prof=1")
    ap.add_argument("--icount", action="store_true")
    ap.add_argument("profile")
    a = ap.parse_args()
    try:
        rep = parse(open(a.profile).read().splitlines())
    except (OSError, ValueError) as e:
        print("profile_md: %s: %s" % (a.profile, e), file=sys.stderr)
        return 1
    sys.stdout.write(markdown(rep, a.append, a.icount))
    return 0


if __name__ == "__main__":
    sys.exit(main())
