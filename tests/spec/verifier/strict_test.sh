#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sipverify --strict on a SIP with notes: the note that rejects the file
# is reported once, as an error, in text, JSON and SARIF; without
# --strict the notes are notes and the file is accepted.
# Usage: strict_test.sh SIPVERIFY SIP
set -uo pipefail
sv=$1 sip=$2
fails=0

fail() {
	echo "FAIL $1"; fails=$((fails + 1))
}

run() {
	"$sv" "$@" 2>/dev/null
}

# Text: one error line, no note line with the error's code and offset.
out=$(run --strict "$sip") && fail "text: accepted with --strict"
err=$(grep -E '^[^ ]*: error\[E14(7|9)[0-9]\]' <<<"$out")
[[ $(grep -c . <<<"$err") == 1 ]] || fail "text: want one error line, got: $err"
key=$(grep -oE 'error\[E[0-9]+\].*\[offset 0x[0-9a-f]+, func [0-9]+( <.*>)?\]' <<<"$err" |
	sed -e 's/^error//')
if grep -F -- "note$key" <<<"$out" >/dev/null; then
	fail "text: the error is also printed as a note"
else
	echo "ok   text: once, as an error"
fi

# Without --strict: accepted, the same finding as a note.
out=$(run "$sip") || fail "text: rejected without --strict"
grep -F -- "note$key" <<<"$out" >/dev/null && echo "ok   text: a note without --strict" ||
	fail "text: no note without --strict"

# JSON: the error is not among the notes.
out=$(run --strict --format=json "$sip")
node -e '
const d = JSON.parse(require("fs").readFileSync(0, "utf8")).files[0];
if (d.valid !== false) throw new Error("accepted");
const same = (d.notes || []).filter(n => n.code === d.error.code &&
	n.offset === d.error.offset && n.func === d.error.func &&
	n.detail === d.error.detail);
if (same.length) throw new Error("error repeated as a note");
' <<<"$out" && echo "ok   json: once, as an error" || fail "json"

# SARIF: one result at the error's place, level error.
out=$(run --strict --format=sarif "$sip")
node -e '
const r = JSON.parse(require("fs").readFileSync(0, "utf8")).runs[0].results;
const errs = r.filter(x => x.level === "error");
if (errs.length !== 1) throw new Error("want one error, got " + errs.length);
const at = x => JSON.stringify(x.locations) + x.ruleId + x.message.text;
const same = r.filter(x => at(x) === at(errs[0]));
if (same.length !== 1) throw new Error("error repeated as a note");
' <<<"$out" && echo "ok   sarif: once, as an error" || fail "sarif"

[[ $fails == 0 ]] || { echo "$fails failed"; exit 1; }
