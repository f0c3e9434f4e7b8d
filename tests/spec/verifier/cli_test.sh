#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sipverify's command-line behaviour on good, bad and broken inputs, in all
# three output formats. The suite's modules are plain WebAssembly, so they
# are checked with --wasm; without it they are not SIP images.
# Usage: cli_test.sh SIPVERIFY CONV_DIR WORK_DIR
set -uo pipefail
sv=$1 conv=$2 work=$3
mkdir -p "$work"
fails=0

# expect NAME STATUS [GREP-PATTERN] -- ARGS...: runs sipverify (with
# $mode), checks the exit status and (if given) that stdout matches the
# pattern.
mode=--wasm
expect() {
	local name=$1 want=$2 pat=$3
	shift 4
	local out rc
	out=$("$sv" $mode "$@" 2>"$work/stderr") && rc=0 || rc=$?
	if [[ $rc != "$want" ]]; then
		echo "FAIL $name: exit $rc, want $want"; fails=$((fails + 1)); return
	fi
	if [[ -n $pat ]] && ! grep -Eq -- "$pat" <<<"$out"; then
		echo "FAIL $name: output does not match /$pat/:"; echo "$out" | head -5
		fails=$((fails + 1)); return
	fi
	echo "ok   $name"
}

good=$conv/core/nop.0.wasm
bad=$conv/core/unreached-invalid.1.wasm # unknown global in function 0
[[ -f $good && -f $bad ]] || { echo "missing converted suite in $conv"; exit 1; }
: >"$work/empty.wasm"
echo "not wasm at all" >"$work/text.wasm"
head -c 40 "$good" >"$work/truncated.wasm"
mkdir -p "$work/dir.wasm"
# 100 MB: a valid module whose custom section holds the bulk, and 100 MB
# of zeros.
if [[ ! -f $work/big.wasm || $(stat -c %s "$work/big.wasm") != 100663311 ]]; then
	{ printf '\0asm\1\0\0\0\0\x82\x80\x80\x30\x01x'; head -c 100663296 /dev/zero; } >"$work/big.wasm"
	head -c 100663296 /dev/zero >"$work/zeros.wasm"
fi

expect good 0 ': ok \(' -- "$good"
expect bad 1 'error\[E1[0-9]{3}\]: .* \[offset 0x[0-9a-f]+, func [0-9]+\]' -- "$bad"
expect quiet_good 0 '^$' -- --quiet "$good"
expect missing 2 'error: No such file' -- "$work/nope.wasm"
expect directory 2 'error: Is a directory' -- "$work/dir.wasm"
expect empty 1 'error\[E1000\]' -- "$work/empty.wasm"
expect text 1 'error\[E1000\]' -- "$work/text.wasm"
expect truncated 1 'error\[E10[0-9][0-9]\]' -- "$work/truncated.wasm"
expect big_valid 0 ': ok \(0 functions, 100663311 bytes\)' -- "$work/big.wasm"
expect big_zeros 1 'error\[E1000\]' -- "$work/zeros.wasm"
expect stdin 0 '^-: ok' -- - <"$good"
expect stdin_bad 1 '^-: error' -- - <"$bad"
expect mixed 1 '' -- "$good" "$bad"
expect mixed_io 2 '' -- "$good" "$bad" "$work/nope.wasm"
expect no_args 2 '' --
expect bad_option 2 '' -- --frobnicate "$good"
expect bad_feature 2 '' -- --features=simd "$good"
expect bad_format 2 '' -- --format=xml "$good"
expect mvp_rejects_sign_ext 1 'error\[E1200\]' -- --features=mvp "$conv/own-verifier/sign_ext.0.wasm"
expect all_accepts_sign_ext 0 ': ok' -- --features=all "$conv/own-verifier/sign_ext.0.wasm"

# Without --wasm a module without isola.manifest is not a SIP image: the
# kernel would not start it as one.
mode=
expect not_a_sip 1 ': error\[E1463\]: not a SIP image' -- "$good"
expect not_a_sip_json 1 '"code": 1463' -- --format=json "$good"
expect not_a_sip_bad_module 1 'error\[E1[0-9]{3}\]: .* func [0-9]+\]' -- "$bad"
expect bad_option_named 2 '' -- --frobnicate "$good"
grep -q "bad option or value '--frobnicate'" "$work/stderr" && echo "ok   bad_option_says" ||
	{ echo "FAIL bad_option_says: $(cat "$work/stderr")"; fails=$((fails + 1)); }
mode=--wasm

# DWARF: errors in code name file:line, for DWARF 4 and 5.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for v in 4 5; do
	clang-14 --target=wasm32 -g -gdwarf-$v -O1 -mbulk-memory -msign-ext \
		-nostdlib -fuse-ld=lld -Wl,--no-entry -Wl,--export-all \
		"$here/dwarf_src.c" -o "$work/dwarf$v.wasm" ||
		{ echo "FAIL dwarf$v: cannot compile"; fails=$((fails + 1)); continue; }
	expect "dwarf${v}_ok" 0 ': ok' -- "$work/dwarf$v.wasm"
	expect "dwarf${v}_line" 1 '^([^ ]*/)?dwarf_src\.c:7: error\[E1200\]: .*func 1 <narrow>\]' -- \
		--features=mvp "$work/dwarf$v.wasm"
	expect "dwarf${v}_bulk_line" 1 '^([^ ]*/)?dwarf_src\.c:12: error\[E1200\]' -- \
		--features=sign-ext "$work/dwarf$v.wasm"
	expect "dwarf${v}_json" 1 '"source": \{"file": "[^"]*dwarf_src.c", "line": 7\}' -- \
		--format=json --features=mvp "$work/dwarf$v.wasm"
	expect "dwarf${v}_json_name" 1 '"func": 1, "function_name": "narrow"' -- \
		--format=json --features=mvp "$work/dwarf$v.wasm"
	expect "dwarf${v}_sarif" 1 '"startLine": 7' -- \
		--format=sarif --features=mvp "$work/dwarf$v.wasm"
	expect "dwarf${v}_sarif_name" 1 '"logicalLocations": \[\{"name": "narrow", "kind": "function"\}\]' -- \
		--format=sarif --features=mvp "$work/dwarf$v.wasm"
done

# Function names from the name section: a hostile one (quote, backslash,
# ESC) is printed with '?' for the control byte and escaped in JSON and
# SARIF; a module without names prints none.
named=$work/named.wasm
printf '\0asm\1\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x06\x01\x04\0\x41\0\x0b' >"$named"
printf '\0\x12\x04name\x01\x0b\x01\0\x08a"b\\c\x1b]x' >>"$named"
expect name_text 1 'func 0 <a"b\\c\?\]x>\]$' -- "$named"
expect no_name_text 1 'func [0-9]+\]$' -- "$bad"
"$sv" --wasm --format=json "$named" >"$work/named.json"
"$sv" --wasm --format=sarif "$named" >"$work/named.sarif"
node -e '
const fs = require("fs");
const want = "a\"b\\c?]x";
const e = JSON.parse(fs.readFileSync(process.argv[1])).files[0].error;
if (e.func !== 0 || e.function_name !== want) throw new Error("json: " + JSON.stringify(e));
const r = JSON.parse(fs.readFileSync(process.argv[2])).runs[0].results[0];
if (r.locations[0].logicalLocations[0].name !== want ||
    !r.message.text.includes("in function 0 <" + want + ">"))
  throw new Error("sarif: " + JSON.stringify(r));
' "$work/named.json" "$work/named.sarif" && echo "ok   name_json_sarif" ||
	{ echo "FAIL name_json_sarif"; fails=$((fails + 1)); }

# JSON and SARIF: parse them and check the fields consumers read.
"$sv" --wasm --format=json "$good" "$bad" "$work/nope.wasm" >"$work/out.json"
"$sv" --wasm --format=sarif "$good" "$bad" "$work/nope.wasm" >"$work/out.sarif"
node -e '
const fs = require("fs");
const j = JSON.parse(fs.readFileSync(process.argv[1]));
const s = JSON.parse(fs.readFileSync(process.argv[2]));
const f = j.files;
if (f.length !== 3 || f[0].valid !== true || f[1].valid !== false ||
    typeof f[1].error.code !== "number" || typeof f[1].error.offset !== "number" ||
    f[1].error.func !== 0 || f[2].valid !== null || !f[2].io_error)
  throw new Error("json: " + JSON.stringify(f));
const run = s.runs[0];
if (s.version !== "2.1.0" || run.tool.driver.name !== "sipverify") throw new Error("sarif header");
const r = run.results;
if (r.length !== 2 || !/^E1\d{3}$/.test(r[0].ruleId) || r[0].level !== "error" ||
    !r[0].message.text || r[0].locations[0].physicalLocation.artifactLocation.uri !== process.argv[3] ||
    typeof r[0].locations[0].physicalLocation.region.byteOffset !== "number")
  throw new Error("sarif results: " + JSON.stringify(r));
for (const x of r)
  if (run.tool.driver.rules[x.ruleIndex].id !== x.ruleId) throw new Error("sarif rule index");
if (run.invocations[0].executionSuccessful !== false) throw new Error("sarif invocation");
' "$work/out.json" "$work/out.sarif" "$bad" && echo "ok   json_sarif" ||
	{ echo "FAIL json_sarif"; fails=$((fails + 1)); }

rm -rf "$work/dir.wasm" "$work/big.wasm" "$work/zeros.wasm"
echo "$fails failure(s)"
[[ $fails == 0 ]]
