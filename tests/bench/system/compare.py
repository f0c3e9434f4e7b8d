#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Repeatability of the system benchmark's instruction counts
# (docs/performance.md): compares two results.json of `run.sh --icount`
# row by row, for Isola and for Linux in the same QEMU, prints each row's
# difference and the largest one.
#   compare.py A/results.json B/results.json [--max-percent P]
# Exit 0 when every row differs by at most P percent (default 1), 1 when
# one differs more or a row is in one file only, 2 on usage.
import argparse
import json
import sys

# Figures that are not instruction counts: the TSC rate, and boot times
# partly on the host's clock.
SKIP = {"tsc_mhz", "boot_ms"}


def counts(res):
    """Every instruction-count row: {(side, key): median}."""
    out = {}
    for side, name in (("isola", "isola"), ("linux_guest", "linux")):
        raw = (res.get(side) or {}).get("raw") or {}
        for key, r in raw.items():
            if key not in SKIP:
                out[(name, key)] = r["median"]
    return out


def diff_percent(a, b):
    if a == b:
        return 0.0
    return 100.0 * abs(a - b) / max(abs(a), abs(b))


def compare(a, b):
    """(rows, missing): rows is [(side, key, a, b, percent)] sorted worst
    first; missing the rows present in one result only."""
    ca, cb = counts(a), counts(b)
    missing = sorted(set(ca) ^ set(cb))
    rows = [(s, k, ca[(s, k)], cb[(s, k)], diff_percent(ca[(s, k)], cb[(s, k)]))
            for (s, k) in sorted(set(ca) & set(cb))]
    rows.sort(key=lambda r: -r[4])
    return rows, missing


def main(argv):
    p = argparse.ArgumentParser(description="compare two icount results.json")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--max-percent", type=float, default=1.0)
    args = p.parse_args(argv)
    a, b = (json.load(open(f)) for f in (args.a, args.b))
    for name, r in (("A", a), ("B", b)):
        if not r.get("icount"):
            print("compare: %s is not an --icount run: its figures are times" % name)
    rows, missing = compare(a, b)
    for s, k, x, y, d in rows:
        print("%-6s %-30s %14s %14s %7.3f%%" % (s, k, "{:,.0f}".format(x), "{:,.0f}".format(y), d))
    for s, k in missing:
        print("missing in one result: %s %s" % (s, k))
    if not rows:
        print("compare: no rows in common")
        return 1
    s, k, _, _, d = rows[0]
    print("largest difference: %.3f%% (%s %s) over %d rows" % (d, s, k, len(rows)))
    return 1 if missing or d > args.max_percent else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
