#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs sipverify on the contract test SIPs: each NAME_bad.sip must be
# rejected with the code and at the source line its "VERIFY-ERROR Ennnn"
# marker names, in text, JSON and SARIF; each NAME_ok.sip must pass. A bad
# source that says VERIFY-STRICT is checked with --strict (a note made an
# error), and so is its twin.
# usage: check.sh SIPVERIFY SIP_DIR SOURCE_DIR
set -u
sv=$1 dir=$2 src=$3
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
for c in "$src"/*_bad.c; do
	name=$(basename "$c" .c)
	line=$(grep -n 'VERIFY-ERROR' "$c" | cut -d: -f1)
	code=$(grep -o 'VERIFY-ERROR E[0-9]*' "$c" | cut -d' ' -f2)
	opt=
	grep -q 'VERIFY-STRICT' "$c" && opt=--strict
	out=$("$sv" $opt "$dir/$name.sip")
	[ $? -eq 1 ] || fail "$name: not rejected"
	echo "$out" | grep -Eq "^([^ ]*/)?$name.c:$line: error\[$code\]" ||
		fail "$name: want $name.c:$line: error[$code], got: $out"
	"$sv" $opt --format=json "$dir/$name.sip" |
		grep -Eq "\"code\": ${code#E}, .*\"source\": \{\"file\": \"([^\"]*/)?$name.c\", \"line\": $line\}" ||
		fail "$name: JSON"
	"$sv" $opt --format=sarif "$dir/$name.sip" | grep -q "\"startLine\": $line" ||
		fail "$name: SARIF"
	ok=${name%_bad}_ok
	"$sv" $opt "$dir/$ok.sip" >/dev/null ||
		fail "$ok: rejected: $("$sv" $opt "$dir/$ok.sip")"
done
echo "$fails failure(s)"
[ $fails -eq 0 ]
