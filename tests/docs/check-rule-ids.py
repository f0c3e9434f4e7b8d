#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The verifier's rule IDs (docs/verifier-rules.md) against the source: every
# ID cited in a source file (a comment at a check, or the rule comment on a
# row of common/include/isola/err/verifier.def) is a rule of the page, and
# every rule of the page is cited somewhere by its full ID. A citation
# "X-*" names a family: at least one rule must start with "X-". A row of
# verifier.def names the rules whose "code" column on the page holds its
# value. Usage: check-rule-ids.py DOC ROOT... (folders or files).
# Exit status: 0 when both sides agree, 1 otherwise, 2 on usage errors.
import os
import re
import sys

ID = r"[FLMOSTV]-[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*"
SUFFIXES = (".c", ".h", ".cpp", ".def", ".inc")


def doc_rules(path):
    """{rule: set of code values in its row(s)} from the page's tables."""
    rules = {}
    row = re.compile(r"^\| (" + ID + r") \|([^|]*)\|", re.M)
    for m in row.finditer(open(path, encoding="utf-8").read()):
        codes = rules.setdefault(m.group(1), set())
        codes.update(re.findall(r"\b(1\d{3})\b", m.group(2)))
    return rules


def source_files(roots):
    for root in roots:
        if os.path.isfile(root):
            yield root
            continue
        for top, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in ("build", ".git"))
            for f in sorted(files):
                if f.endswith(SUFFIXES):
                    yield os.path.join(top, f)


def main(argv):
    if len(argv) < 3:
        print("usage: check-rule-ids.py DOC ROOT...", file=sys.stderr)
        return 2
    rules = doc_rules(argv[1])
    cited = set()
    bad = []
    cite = re.compile(r"(?<![A-Za-z0-9_-])(" + ID + r")(-\*)?(?![A-Za-z0-9_])")
    def_row = re.compile(r"ISOLA_ERR\(\w+, (\d+),.*//\s*(.*)$")
    for path in source_files(argv[2:]):
        for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
            where = f"{path}:{n}"
            for m in cite.finditer(line):
                rule, family = m.group(1), m.group(2)
                if family:
                    if not any(r.startswith(rule + "-") for r in rules):
                        bad.append(f"{where}: {rule}-* names no rule of the page")
                elif rule not in rules:
                    bad.append(f"{where}: {rule} is not a rule of the page")
                else:
                    cited.add(rule)
            m = def_row.search(line)
            if m and path.endswith(".def"):
                for rule in re.findall(ID, m.group(2)):
                    if rule in rules and m.group(1) not in rules[rule]:
                        bad.append(f"{where}: the page gives {rule} another code than {m.group(1)}")
    for rule in sorted(set(rules) - cited):
        bad.append(f"{argv[1]}: {rule} is cited nowhere in the source")
    for line in bad:
        print(line)
    if bad:
        return 1
    print(f"check-rule-ids: {len(rules)} rules, each cited; every citation a rule")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
