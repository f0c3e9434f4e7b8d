#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Channel benchmarks on the host: send+receive with an 8-byte payload and
# with a 64 KiB block side by side, then contractc on a large generated
# contract (1,000 messages, 1,000 states, the limits). Usage: run.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR}
ninja -C "$build" bench_channels contractc >/dev/null
"$build/bench/bench_channels"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=500
{
	echo "contract big \"generated\" {"
	for ((i = 0; i < n; i++)); do
		echo "  in message q$i(uint64 a, bytes b, int32[4] c);"
		echo "  out message r$i(float64 x, bytes y);"
	done
	for ((i = 0; i < n; i++)); do
		j=$(((i + 1) % n))
		echo "  state s$i { q$i? -> t$i; q$j? -> t$j; }"
	done
	for ((i = 0; i < n; i++)); do
		echo "  state t$i { r$i! -> s$i; }"
	done
	echo "}"
} >"$work/big.contract"
# t$i is a second list of states: rename so both lists are unique.
sed -i 's/state t\([0-9]*\) { r/state u\1 { r/; s/-> t\([0-9]*\);/-> u\1;/g' "$work/big.contract"
bytes=$(wc -c <"$work/big.contract")
runs=5
start=$(date +%s%N)
for ((k = 0; k < runs; k++)); do
	"$build/bin/contractc" "$work/big.contract" -o "$work"
done
end=$(date +%s%N)
ms=$(((end - start) / runs / 1000000))
echo "contractc: $bytes bytes, $((2 * n)) messages, $((2 * n)) states: ${ms} ms per run" \
	"($(wc -c <"$work/big.h") byte header)"
