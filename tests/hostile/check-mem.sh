#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compares the first and the last `mem` report of a serial log (the kernel
# console's memory counters, kernel/sip/sip_report.c): frames free, heap
# objects and bytes, exchange blocks and bytes, handles, threads, running
# SIPs, live and ended accounts (0 ended: nothing a SIP sent outlives it
# unreceived), the memory SIPs are charged and known contracts must be
# equal. Exit 0 when they are, 1 otherwise.
#
#   check-mem.sh LOG
set -uo pipefail
[[ $# == 1 ]] || { echo "usage: check-mem.sh LOG" >&2; exit 2; }

# One line per report: frames heap_objects heap_bytes xblocks xbytes
# handles threads sips accounts ended charged contracts
reports=$(tr -d '\r' <"$1" | awk '
	/^frames +[0-9]+ free of/  { f = $2 + $(NF - 3); n = 1; next }
	n == 1 && /^heap +[0-9]+ objects/    { ho = $2; hb = $4; n = 2; next }
	n == 2 && /^exchange +[0-9]+ blocks/ { xb = $2; xy = $4; n = 3; next }
	n == 3 && /^handles +[0-9]+/         { h = $2; n = 4; next }
	n == 4 && /^threads +[0-9]+/         { t = $2; n = 5; next }
	n == 5 && /^sips +[0-9]+ running/    { s = $2; n = 6; next }
	n == 6 && /^accounts +[0-9]+ live/   { al = $2; ae = $4; ac = $10; n = 7; next }
	n == 7 && /^images /                 { n = 8; next }
	n == 8 && /^contracts +[0-9]+ known/ { print f, ho, hb, xb, xy, h, t, s, al, ae, ac, $2; n = 0; next }
	{ n = 0 }')
count=$(printf '%s\n' "$reports" | grep -c .)
if ((count < 2)); then
	echo "check-mem: FAIL: $count complete mem reports in $1, need 2"
	exit 1
fi
read -r -a before <<<"$(printf '%s\n' "$reports" | head -n 1)"
read -r -a after <<<"$(printf '%s\n' "$reports" | tail -n 1)"
names=("frames free or in page tables" "heap objects" "heap bytes" "exchange blocks"
       "exchange bytes" "handles" "threads" "sips running" "live accounts"
       "ended accounts" "KiB charged to SIPs" "known contracts")
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
if [[ ${after[9]} != 0 ]]; then
	echo "check-mem: FAIL: ${after[9]} accounts of ended SIPs still charged"
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
