#!/bin/sh
# SPDX-License-Identifier: MIT
# Tests sipcc as a user runs it, from a directory outside the tree: a clean
# SIP source compiles to a wasm32 object with the plugin loaded; a bad one
# is refused with its rule ID; --no-check compiles the bad one and warns;
# --unchecked compiles it silently, and builds ordinary C with wasi-libc
# into an image the verifier accepts that imports only module isola; a
# call of a struct-returning libc function links with the standard ABI of
# --unchecked and is a link error under checked C's multivalue ABI; a
# SIP with a user contract and a manifest links into an image the verifier
# accepts, with both custom sections; notes about a contract's generated
# declarations name the contract file; an undefined function is a link
# error; -g keeps the DWARF sections; bad command lines exit 2. Linking
# uses a stand-in libsip built here (SIPCC_LIBSIP).
#   check-sipcc.sh SIPCC SOURCE_DIR SIPVERIFY WASM_OBJDUMP LLVM_AR
#                  SYSTEM_CONTRACTS_DIR
set -eu
sipcc=$1 dir=$2 sipverify=$3 objdump=$4 ar=$5 sysdir=$6
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
inc="-I$dir/include"
src="$dir/sipcc"

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
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	set -e
	[ "$got" = "$want" ] || fail "$* exited $got, expected $want"
}

# has_section IMAGE NAME: wasm-objdump -h lists section NAME.
has_section() {
	"$objdump" -h "$1" | grep -q "$2"
}

# section_size IMAGE NAME: the size of custom section NAME, in decimal.
section_size() {
	hex=$("$objdump" -h "$1" | grep "\"$2\"" |
	      sed 's/.*(size=\(0x[0-9a-f]*\)).*/\1/')
	echo $((hex))
}

# ---- compile only ----------------------------------------------------------

"$sipcc" "$inc" -c "$src/kv_server.c" -o kv.o
magic=$(od -An -c -N4 kv.o | tr -d ' ')
[ "$magic" = '\0asm' ] || fail "kv.o is not wasm: $magic"

expect 1 "$sipcc" -c "$src/bad.c" -o bad.o
grep -q '\[CC001\]' err || fail "bad.c accepted"

expect 0 "$sipcc" --no-check -c "$src/bad.c" -o bad.o
grep -q 'warning: --no-check' err || fail "no --no-check warning"

expect 0 "$sipcc" --unchecked -c "$src/bad.c" -o bad.o
grep -q 'warning' err && fail "--unchecked warns"

# Ordinary C with the real libsip and wasi-libc (before SIPCC_LIBSIP is
# set below).
expect 1 "$sipcc" -c "$src/ordinary.c" -o ordinary.o
grep -q '\[CC004\]' err || fail "ordinary.c accepted as checked C"
expect 0 "$sipcc" --unchecked "$src/ordinary.c" -o ordinary.sip
"$sipverify" --strict --quiet ordinary.sip || fail "sipverify refused ordinary.sip"
if "$objdump" -x -j Import ordinary.sip | grep '<-' | grep -v '<- isola\.'; then
	fail "ordinary.sip imports from outside module isola"
fi
expect 0 "$sipcc" --unchecked "$src/divs.c" -o divs.sip
expect 1 "$sipcc" "$src/divs.c" -o divs-mv.sip
grep -q 'signature mismatch: div' err || fail "the ABI mismatch is not a link error"

# A user contract's header is on the include path with -c, as is
# contracts/console.h.
"$sipcc" -c "$src/echo_sip.c" "$src/echo.contract"
[ -f echo_sip.o ] || fail "-c without -o wrote no echo_sip.o"

# Notes about a user contract's generated declarations name the contract
# file at the message's line, never sipcc's temporary folder.
cat >wrong_arg.c <<'EOF'
#include <contracts/echo.h>
int ping(struct echo_imp_ready ep);
int ping(struct echo_imp_ready ep)
{
	echo_imp_answering_close(echo_imp_ready_send_ping(ep, "x"));
	return 0;
}
EOF
expect 1 "$sipcc" -c wrong_arg.c "$src/echo.contract"
grep -q "^$src/echo.contract:4:[0-9]*: note: passing argument to parameter 'n' here" err ||
	fail "the note does not name echo.contract:4"
if grep -q 'sipcc\.[A-Za-z0-9]\{6\}' err; then
	fail "a diagnostic names sipcc's temporary folder"
fi

# ---- linking ---------------------------------------------------------------

"$sipcc" -c "$src/libsip_stub.c" -o stub.o
"$ar" rcs libsip.a stub.o
SIPCC_LIBSIP="$tmp/libsip.a"
export SIPCC_LIBSIP

"$sipcc" --manifest "$src/manifest.txt" "$src/echo_sip.c" \
	"$src/echo.contract" -o echo.sip
"$sipverify" --quiet echo.sip || fail "sipverify refused echo.sip"
has_section echo.sip '"isola.manifest"' || fail "no isola.manifest"
has_section echo.sip '"isola.contracts"' || fail "no isola.contracts"
has_section echo.sip '\.debug_info' && fail "debug info kept without -g"
grep -aq 'name echo-test' echo.sip || fail "manifest not embedded"

# The same SIP without its contract: libsip's descriptors only (console, ns,
# provider), each after a u32 length, behind the section's name.
"$sipcc" echo_sip.o -o plain.sip
want=16
for c in console ns provider; do
	want=$((want + 4 + $(wc -c <"$sysdir/$c.desc")))
done
got=$(section_size plain.sip isola.contracts)
[ "$got" = "$want" ] || fail "isola.contracts is $got bytes, expected $want"
[ "$(section_size echo.sip isola.contracts)" -gt "$want" ] ||
	fail "echo's descriptor not embedded"

# Objects link too; the default output is a.sip with a default manifest.
expect 0 "$sipcc" echo_sip.o "$src/echo.contract" -g -O0
[ -f a.sip ] || fail "no a.sip"
grep -aq 'name a' a.sip || fail "no default manifest name"
grep -aq 'endpoint ns ns.imp@idle' a.sip || fail "no default ns endpoint"

"$sipcc" -g -O0 "$src/echo_sip.c" "$src/echo.contract" -o 'my sip!.sip'
has_section 'my sip!.sip' '\.debug_info' || fail "-g dropped .debug_info"
grep -aq 'name my_sip_' 'my sip!.sip' || fail "name not sanitized"

expect 1 "$sipcc" "$src/undefined.c" -o undef.sip
grep -q 'undefined symbol' err || fail "undefined symbol not reported"
[ ! -e undef.sip ] || fail "undef.sip written"

printf 'version 1\n' >noname
expect 1 "$sipcc" --manifest noname "$src/echo_sip.c" "$src/echo.contract"
SIPCC_LIBSIP="$tmp/none.a" expect 1 "$sipcc" "$src/echo_sip.c" \
	"$src/echo.contract"
grep -q 'libsip is not built' err || fail "missing libsip not reported"

# ---- usage -----------------------------------------------------------------

expect 2 "$sipcc"
expect 2 "$sipcc" "$src/echo.contract"
expect 2 "$sipcc" notes.txt
expect 2 "$sipcc" "$src/echo_sip.c" -o
expect 2 "$sipcc" --manifest
expect 2 "$sipcc" -c "$src/echo_sip.c" kv.o
expect 2 "$sipcc" -c --manifest "$src/manifest.txt" "$src/echo_sip.c"
expect 2 "$sipcc" -c "$src/echo_sip.c" "$src/kv_server.c" -o two.o
echo ok
