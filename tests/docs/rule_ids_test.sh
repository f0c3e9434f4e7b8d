#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# docs/verifier-rules.md and the source cite the same rule IDs
# (check-rule-ids.py), and the check fails when either side gains an ID
# the other lacks, loses one, or a row of verifier.def names a rule the
# page gives another code. Usage: rule_ids_test.sh SOURCE_DIR
set -uo pipefail
top=$(cd "$1" && pwd)
check=$top/tests/docs/check-rule-ids.py
doc=$top/docs/verifier-rules.md
roots=("$top/verifier" "$top/kernel" "$top/runtime" "$top/channels" "$top/common"
       "$top/compiler-plugin" "$top/sips" "$top/tests")
work=$(mktemp -d "${TMPDIR:-/tmp}/rule-ids.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# expect STATUS WORD DOC ROOT...: the check exits STATUS and says WORD.
expect() {
	local want=$1 word=$2 out rc
	shift 2
	out=$(python3 "$check" "$@" 2>&1); rc=$?
	[[ $rc == "$want" && $out == *"$word"* ]] ||
		fail "wanted exit $want and '$word', got exit $rc: $out"
	echo "ok   exit $rc: $(head -n1 <<<"$out")"
}

expect 0 "each cited" "$doc" "${roots[@]}"

# The page gains a rule no source cites.
cp "$doc" "$work/gained.md"
echo '| V-UNCITED-RULE | 1100 `ERR_VF_TYPE_MISMATCH` | x | x |' >>"$work/gained.md"
expect 1 "V-UNCITED-RULE is cited nowhere" "$work/gained.md" "${roots[@]}"

# The page loses a rule the source cites.
grep -v '^| M-MAGIC |' "$doc" >"$work/lost.md"
cmp -s "$doc" "$work/lost.md" && fail "could not drop M-MAGIC from the page"
expect 1 "M-MAGIC is not a rule" "$work/lost.md" "${roots[@]}"

# The source cites a rule the page lacks, or a family with no rule.
mkdir "$work/src"
echo '// M-NO-SUCH-RULE: a check the page does not list' >"$work/src/gained.c"
expect 1 "M-NO-SUCH-RULE is not a rule" "$doc" "${roots[@]}" "$work/src"
echo '// rules V-NOTHING-*' >"$work/src/gained.c"
expect 1 "V-NOTHING-* names no rule" "$doc" "${roots[@]}" "$work/src"

# A row of the error list names a rule the page gives another code.
echo 'ISOLA_ERR(ERR_X, 1001, "x") // M-MAGIC' >"$work/src/wrong.def"
rm "$work/src/gained.c"
expect 1 "another code than 1001" "$doc" "${roots[@]}" "$work/src"
