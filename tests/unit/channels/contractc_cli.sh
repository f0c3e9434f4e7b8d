#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# contractc's command line: usage errors exit 2, contract errors exit 1 with
# `file:line:col: error:` lines, success writes NAME.h, NAME.desc and
# NAME.registry.c for every contract in the file (making the -o folder),
# the header's #line directives name the contract's lines, and the hash in
# the descriptor does not depend on comments or layout.
# Usage: contractc_cli.sh CONTRACTC CONTRACTS_DIR WORK_DIR
set -u
cc=$1 contracts=$2 work=$3
fail() { echo "contractc_cli: $*" >&2; exit 1; }
expect_rc() { # expect_rc WANT CMD...
	local want=$1; shift
	"$@" >"$work/out" 2>"$work/err"
	local rc=$?
	[[ $rc == "$want" ]] || { cat "$work/err" >&2; fail "'$*' exited $rc, want $want"; }
}
rm -rf "$work" && mkdir -p "$work/o" "$work/p"

expect_rc 2 "$cc"
expect_rc 2 "$cc" --check
expect_rc 2 "$cc" "$contracts/kv.contract"
expect_rc 2 "$cc" --check "$contracts/kv.contract" -o "$work/o"
expect_rc 2 "$cc" --bogus "$contracts/kv.contract"
expect_rc 1 "$cc" --check "$work/does-not-exist.contract"

printf 'contract bad {\n  in message x();\n  state s { y? -> s; }\n}\n' >"$work/bad.contract"
expect_rc 1 "$cc" --check "$work/bad.contract"
grep -Eq "^$work/bad.contract:3:13: error: " "$work/err" || fail "diagnostic format: $(cat "$work/err")"
printf 'contract w { in message x(); out message y();\n state s { x? -> t; }\n state t { y! -> s; }\n state u { } }\n' >"$work/warn.contract"
expect_rc 0 "$cc" --check "$work/warn.contract"
grep -Eq "^$work/warn.contract:4:8: warning: " "$work/err" || fail "warning format"

expect_rc 0 "$cc" --check "$contracts/naming.contract"
[[ -z $(ls "$work/o") ]] || fail "--check wrote files"
expect_rc 0 "$cc" "$contracts/naming.contract" -o "$work/o"
for n in naming kvbind; do
	for ext in h desc registry.c; do
		[[ -s $work/o/$n.$ext ]] || fail "missing $n.$ext"
	done
done
[[ ! -e $work/o/kv.h ]] || fail "wrote outputs for an imported contract"
grep -q '#include "kv.h"' "$work/o/naming.h" || fail "naming.h does not include kv.h"
# Comments, layout and the description do not change the descriptor.
expect_rc 0 "$cc" "$contracts/kv.contract" -o "$work/o"
sed -e 's|//.*||' -e 's/"Key-value store"/"other words"/' "$contracts/kv.contract" |
	tr '\n' ' ' | sed 's/  */ /g' >"$work/p/kv.contract"
expect_rc 0 "$cc" "$work/p/kv.contract" -o "$work/p"
cmp -s "$work/o/kv.desc" "$work/p/kv.desc" || fail "kv descriptor depends on layout"
# An import that cannot be read, and an error inside an imported file.
printf 'import "nowhere.contract";\ncontract a { message x(); }\n' >"$work/imp1.contract"
expect_rc 1 "$cc" --check "$work/imp1.contract"
grep -Eq "^$work/imp1.contract:1:1: error: " "$work/err" || fail "import error format"
printf 'import "bad.contract";\ncontract a { message x(); }\n' >"$work/imp2.contract"
expect_rc 1 "$cc" --check "$work/imp2.contract"
grep -Eq "^$work/bad.contract:3:13: error: " "$work/err" || fail "error in imported file: $(cat "$work/err")"
expect_rc 1 "$cc" "$work/bad.contract" -o "$work/nonexistent-dir/x"
[[ ! -e $work/nonexistent-dir ]] || fail "made the folder for a contract with errors"
# -o makes the folder and its parents; a path through a file or to a file
# is refused with the reason.
expect_rc 0 "$cc" "$contracts/kv.contract" -o "$work/new/deeper"
[[ -s $work/new/deeper/kv.h ]] || fail "no kv.h in the new folder"
: >"$work/plain"
expect_rc 1 "$cc" "$contracts/kv.contract" -o "$work/plain/sub"
grep -q "cannot make folder $work/plain/sub: Not a directory" "$work/err" || fail "reason: $(cat "$work/err")"
expect_rc 1 "$cc" "$contracts/kv.contract" -o "$work/plain"
grep -q "not a folder" "$work/err" || fail "reason: $(cat "$work/err")"
# Usage errors say what is wrong.
expect_rc 2 "$cc" "$contracts/kv.contract"
grep -q "no -o DIR" "$work/err" || fail "usage reason: $(cat "$work/err")"
expect_rc 2 "$cc" --bogus "$contracts/kv.contract"
grep -q "unknown option.*'--bogus'" "$work/err" || fail "usage reason: $(cat "$work/err")"
# #line: each declaration names the contract file at its line (kv's get
# is line 6), so compilers point at the contract; --no-line leaves none.
grep -A1 -F "#line 6 \"$contracts/kv.contract\"" "$work/new/deeper/kv.h" |
	grep -q 'kv_imp_ready_send_get' || fail "no #line 6 before kv_imp_ready_send_get"
expect_rc 0 "$cc" --no-line "$contracts/kv.contract" -o "$work/noline"
! grep -q '^#line' "$work/noline/kv.h" || fail "--no-line wrote #line"
cmp -s "$work/noline/kv.desc" "$work/new/deeper/kv.desc" || fail "--no-line changed the descriptor"
echo "contractc_cli: ok"
