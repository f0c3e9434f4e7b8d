#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The system.ordinary_c test: docs/writing-a-sip.md's ordinary C program
# (section "An ordinary C program"), taken from the page, built with
# `sipcc --unchecked`, verified, added to an initrd and run at the shell
# with the page's arguments; it must print the page's answer.
#
#   ordinary_c.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:?usage: ordinary_c.sh BUILD_DIR}" && pwd)
doc=$here/../../docs/writing-a-sip.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The fenced C block that starts with "// wc.c:".
awk '/^```c$/ { getline; if ($0 ~ /^\/\/ wc\.c:/) { on = 1 } }
     on && /^```$/ { exit } on { print }' "$doc" >"$work/wc.c"
grep -q 'int main' "$work/wc.c" || { echo "FAIL: no wc.c in $doc"; exit 1; }
"$build/bin/sipcc" --unchecked "$work/wc.c" -o "$work/wc.sip"
"$build/bin/sipverify" --quiet "$work/wc.sip"
"$here/mkinitrd.sh" "$build/initrd" "$work/stage" "$work/initrd.cpio" "$work/wc.sip"
"$here/../qemu/run.sh" --kernel "$build/kernel/isola.elf" --initrd "$work/initrd.cpio" \
	--step "isola> " "run wc \"one two\" three\\n" \
	--step "wc: exited.*isola> " "exit\\n" --step "kernel console takes over" "halt\\n" \
	--expect "^3 words" --expect "wc: exited \\(0\\)" --expect halting --timeout 60
