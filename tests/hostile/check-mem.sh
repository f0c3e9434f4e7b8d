#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compares the first and the last `mem` report of a serial log (the kernel
# console's memory counters, kernel/sip/sip.c sip_memory_report): frames
# free, heap objects and bytes, exchange blocks and bytes, handles, threads
# and running SIPs must be equal. Exit 0 when they are, 1 otherwise.
#
#   check-mem.sh LOG
set -uo pipefail
[[ $# == 1 ]] || { echo "usage: check-mem.sh LOG" >&2; exit 2; }

# One line per report: frames heap_objects heap_bytes xblocks xbytes handles threads sips
reports=$(tr -d '\r' <"$1" | awk '
	/^frames +[0-9]+ free of/  { f = $2; n = 1; next }
	n == 1 && /^heap +[0-9]+ objects/    { ho = $2; hb = $4; n = 2; next }
	n == 2 && /^exchange +[0-9]+ blocks/ { xb = $2; xy = $4; n = 3; next }
	n == 3 && /^handles +[0-9]+/         { h = $2; n = 4; next }
	n == 4 && /^threads +[0-9]+/         { t = $2; n = 5; next }
	n == 5 && /^sips +[0-9]+ running/    { print f, ho, hb, xb, xy, h, t, $2; n = 0; next }
	{ n = 0 }')
count=$(printf '%s\n' "$reports" | grep -c .)
if ((count < 2)); then
	echo "check-mem: FAIL: $count complete mem reports in $1, need 2"
	exit 1
fi
read -r -a before <<<"$(printf '%s\n' "$reports" | head -n 1)"
read -r -a after <<<"$(printf '%s\n' "$reports" | tail -n 1)"
names=("frames free" "heap objects" "heap bytes" "exchange blocks"
       "exchange bytes" "handles" "threads" "sips running")
fail=0
for i in "${!names[@]}"; do
	if [[ ${before[i]} != "${after[i]}" ]]; then
		echo "check-mem: FAIL: ${names[i]}: ${before[i]} before, ${after[i]} after"
		fail=1
	fi
done
if [[ ${after[3]} != 0 ]]; then
	echo "check-mem: FAIL: ${after[3]} exchange blocks left"
	fail=1
fi
if [[ $fail == 0 ]]; then
	summary=""
	for i in "${!names[@]}"; do
		summary+="${summary:+, }${names[i]} ${after[i]}"
	done
	echo "check-mem: ok ($summary)"
fi
exit $fail
