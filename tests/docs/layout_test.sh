#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The layout's rules that a grep can hold (docs/architecture.md, "Trust"):
# no source includes another folder's file with "../" (a part reaches
# another only through an include folder its build names), and contract
# headers are included as <contracts/NAME.h>, never by their bare name
# (in C, in the scripts that write C, in the docs' listings).
# Checked on the tree, then on a copy with one fault each, which must
# fail. Usage: layout_test.sh SOURCE_DIR
set -uo pipefail
top=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/layout.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# The names of every contract file in the tree (the system's, the tests',
# the tutorial's).
contracts=$(find "$top" -path "$top/build" -prune -o -name '*.contract' -print |
	sed 's|.*/||; s|\.contract$||' | sort -u | paste -sd'|')

# grep_src PATTERN ROOT...: the source lines that match.
grep_src() {
	local pattern=$1
	shift
	grep -rnE --include='*.c' --include='*.h' --include='*.cpp' \
		--include='*.inc' --include='*.sh' --include='*.md' \
		--exclude-dir=build --exclude-dir=.git \
		-e "$pattern" "$@"
}

# check TREE SIP_ROOT...: prints each offending line, status 1 when there
# is one: a ../ include anywhere in TREE, a contract header by its bare
# name in SIP code (the kernel's own console.h is no contract's).
check() {
	local tree=$1 hits
	shift
	hits=$(grep_src '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]\.\./' "$tree"
	       [[ $# == 0 ]] ||
	       grep_src "^[[:space:]]*#[[:space:]]*include[[:space:]]*<($contracts)\\.h>" "$@")
	[[ -z $hits ]] && return 0
	echo "$hits"
	return 1
}

sip_code=("$top/sips" "$top/tests" "$top/docs" "$top/kernel/test/wasm")
out=$(check "$top" "${sip_code[@]}") ||
	fail "the tree breaks the layout's rules:"$'\n'"$out"
echo "ok   no ../ include, contract headers under contracts/"

mkdir -p "$work/a" "$work/b"
echo '#include "../common/svc.h"' >"$work/a/up.c"
check "$work/a" >/dev/null && fail "a ../ include passed"
rm "$work/a/up.c"
echo '#include <ns.h>' >"$work/b/bare.c"
check "$work/a" "$work/b" >/dev/null && fail "a bare contract header passed"
echo "ok   a ../ include and a bare <ns.h> are caught"
