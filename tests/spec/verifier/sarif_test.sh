#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sipverify's SARIF validates as SARIF 2.1.0 (sarif_check.py) for every
# kind of log it writes: a SIP accepted with no result, notes, an error
# with a source line and a function name (DWARF and names), a plain module
# with --wasm, a file that cannot be read, and a file name with a space
# and a colon in it (a URI reference must encode them). Debian's python3
# runs the check, with python3-jsonschema and python3-rfc3987.
# Usage: sarif_test.sh SIPVERIFY CONTRACT_SIPS_DIR CONV_DIR WORK_DIR
set -uo pipefail
sv=$1 sips=$2 conv=$3 work=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$work" && mkdir -p "$work"
cp "$sips/leak_bad.sip" "$work/a file:1.sip"
"$sv" --format=sarif "$sips/leak_ok.sip" >"$work/accepted.sarif"
"$sv" --format=sarif "$sips/global_bad.sip" >"$work/notes.sarif"
"$sv" --format=sarif "$sips/use_after_send_bad.sip" >"$work/error.sarif"
"$sv" --format=sarif --strict "$sips/global_bad.sip" >"$work/strict.sarif"
"$sv" --format=sarif --wasm "$conv/core/nop.0.wasm" >"$work/wasm.sarif"
"$sv" --format=sarif "$conv/core/nop.0.wasm" >"$work/not_a_sip.sarif"
"$sv" --format=sarif "$work/missing.sip" >"$work/io.sarif"
"$sv" --format=sarif "$work/a file:1.sip" >"$work/space.sarif"
grep -q '"uri": "[^"]*a%20file%3A1.sip"' "$work/space.sarif" ||
	{ echo "FAIL space.sarif: the file name is not encoded"; exit 1; }
grep -q '"startLine"' "$work/error.sarif" ||
	{ echo "FAIL error.sarif: no source line (is the SIP built with -g?)"; exit 1; }
/usr/bin/python3 "$here/sarif_check.py" "$here/sarif-2.1.0-subset.schema.json" "$work"/*.sarif
