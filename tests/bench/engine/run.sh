#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The engine benchmark: every kernel natively (clang -O2), in the engine
# (engrun) and in wabt's wasm-interp, side by side in one run. Prints the
# times, each one's ratio to native and the geometric means. Native and
# engine times are the best of REPS runs of the call alone, in thread CPU
# time (so other load on the machine matters less); wasm-interp's is the
# CPU time of one whole process (loading included).
# Usage: run.sh BUILD_DIR [REPS]
set -euo pipefail
build=$1 reps=${2:-5}
kernels=(matmul crc32 sha256 qsort nbody hashtab fib)
ninja -C "$build" bench_engine >/dev/null
dir=$build/tests/bench/engine
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

best_engine() { # best_engine WASM: checksum on stdout, best seconds in $tmp
	local best="" out t i
	for ((i = 0; i < reps; i++)); do
		out=$("$build/bin/engrun" --time "$1" run 2>"$tmp.t")
		t=$(cat "$tmp.t")
		if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
	done
	rm -f "$tmp.t"
	echo "$best" >"$tmp"
	echo "$out"
}

printf '%-8s %10s %10s %8s %12s %8s\n' kernel native_ms engine_ms ratio wasm-interp ratio
log_e=0 log_w=0 n=0 bad=0
for k in "${kernels[@]}"; do
	want=$("$dir/bench_engine_${k}_native" "$reps" 2>"$tmp")
	tn=$(cat "$tmp")
	got=$(best_engine "$dir/bench_engine_$k.wasm")
	te=$(cat "$tmp")
	TIMEFORMAT='%3U %3S'
	{ time wasm-interp --run-all-exports "$dir/bench_engine_$k.wasm" >"$tmp.wi"; } 2>"$tmp"
	wi=$(sed 's/^run() => //' "$tmp.wi")
	rm -f "$tmp.wi"
	tw=$(awk '{print $1 + $2}' "$tmp")
	if [[ $want != "$got" || $want != "$wi" ]]; then
		echo "$k: checksums differ: native $want, engine $got, wasm-interp $wi" >&2
		bad=1
	fi
	re=$(awk "BEGIN{print $te / $tn}")
	rw=$(awk "BEGIN{print $tw / $tn}")
	printf '%-8s %10.2f %10.2f %7.2fx %12.2f %7.1fx\n' "$k" \
		"$(awk "BEGIN{print $tn * 1000}")" "$(awk "BEGIN{print $te * 1000}")" "$re" \
		"$(awk "BEGIN{print $tw * 1000}")" "$rw"
	log_e=$(awk "BEGIN{print $log_e + log($re)}")
	log_w=$(awk "BEGIN{print $log_w + log($rw)}")
	n=$((n + 1))
done
printf 'geometric mean: engine %.2fx native, wasm-interp %.1fx native (goal: engine <= 8x)\n' \
	"$(awk "BEGIN{print exp($log_e / $n)}")" "$(awk "BEGIN{print exp($log_w / $n)}")"
exit $bad
