#!/bin/sh
# SPDX-License-Identifier: MIT
# Tests sipembed on good and bad input: the two sections are written after
# the module; a file that is not wasm, a module that already has the
# sections, a corrupt descriptor and the same contract twice are refused
# (exit 1); a bad command line exits 2.
#   check-sipembed.sh SIPEMBED CONTRACTC WASM_OBJDUMP SOURCE_DIR
set -eu
sipembed=$1 contractc=$2 objdump=$3 dir=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*"
	[ ! -f "$tmp/err" ] || cat "$tmp/err"
	exit 1
}

# expect STATUS CMD...: CMD exits with STATUS.
expect() {
	want=$1
	shift
	set +e
	"$@" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" = "$want" ] || fail "$* exited $got, expected $want"
}

# The smallest module: the header only.
printf '\000asm\001\000\000\000' >"$tmp/empty.wasm"
printf 'name t\n' >"$tmp/manifest"
"$contractc" "$dir/sipcc/echo.contract" -o "$tmp"
desc="$tmp/echo.desc"

expect 0 "$sipembed" "$tmp/empty.wasm" -o "$tmp/t.sip" \
	--manifest "$tmp/manifest" --contract "$desc"
"$objdump" -h "$tmp/t.sip" >"$tmp/h"
grep -q '"isola.manifest"' "$tmp/h" || fail "no isola.manifest: $(cat "$tmp/h")"
grep -q '"isola.contracts"' "$tmp/h" || fail "no isola.contracts"
# The contracts section: name, then u32 length and the descriptor.
len=$(wc -c <"$desc")
size=$(printf 'size=0x%08x' $((16 + 4 + len)))
grep 'isola.contracts' "$tmp/h" | grep -q "$size" ||
	fail "isola.contracts has the wrong size: $(cat "$tmp/h")"
grep -aq 'name t' "$tmp/t.sip" || fail "manifest text not embedded"

# No contracts: an empty isola.contracts.
expect 0 "$sipembed" "$tmp/empty.wasm" -o "$tmp/n.sip" --manifest "$tmp/manifest"

# Bad input: exit 1.
expect 1 "$sipembed" "$tmp/manifest" -o "$tmp/x.sip" --manifest "$tmp/manifest"
grep -q 'not a WebAssembly binary' "$tmp/err" || fail "not-wasm message"
printf '\000asm\002\000\000\000' >"$tmp/v2.wasm"
expect 1 "$sipembed" "$tmp/v2.wasm" -o "$tmp/x.sip" --manifest "$tmp/manifest"
printf '\000asm\001\000\000\000\001\177' >"$tmp/trunc.wasm"
expect 1 "$sipembed" "$tmp/trunc.wasm" -o "$tmp/x.sip" --manifest "$tmp/manifest"
expect 1 "$sipembed" "$tmp/t.sip" -o "$tmp/x.sip" --manifest "$tmp/manifest"
grep -q 'already has' "$tmp/err" || fail "duplicate-section message"
expect 1 "$sipembed" "$tmp/empty.wasm" -o "$tmp/x.sip" \
	--manifest "$tmp/manifest" --contract "$desc" --contract "$desc"
grep -q 'same contract' "$tmp/err" || fail "duplicate-contract message"
# A descriptor changed after it was sealed: its hash no longer matches.
size=$(wc -c <"$desc")
{ head -c $((size - 1)) "$desc"; printf '\377'; } >"$tmp/bad.desc"
expect 1 "$sipembed" "$tmp/empty.wasm" -o "$tmp/x.sip" \
	--manifest "$tmp/manifest" --contract "$tmp/bad.desc"
grep -q 'bad contract descriptor' "$tmp/err" || fail "bad-descriptor message"
head -c 12 "$desc" >"$tmp/short.desc"
expect 1 "$sipembed" "$tmp/empty.wasm" -o "$tmp/x.sip" \
	--manifest "$tmp/manifest" --contract "$tmp/short.desc"
expect 1 "$sipembed" "$tmp/empty.wasm" -o "$tmp/x.sip" \
	--manifest "$tmp/missing" --contract "$desc"
[ ! -e "$tmp/x.sip" ] || fail "an output was written for bad input"

# Usage: exit 2.
expect 2 "$sipembed"
expect 2 "$sipembed" "$tmp/empty.wasm" -o "$tmp/x.sip"
expect 2 "$sipembed" "$tmp/empty.wasm" --manifest "$tmp/manifest"
expect 2 "$sipembed" "$tmp/empty.wasm" "$tmp/empty.wasm" -o "$tmp/x.sip" \
	--manifest "$tmp/manifest"
expect 2 "$sipembed" "$tmp/empty.wasm" -o "$tmp/x.sip" --manifest \
	"$tmp/manifest" --bogus
expect 2 "$sipembed" "$tmp/empty.wasm" -o "$tmp/x.sip" --manifest \
	"$tmp/manifest" --contract
echo ok
