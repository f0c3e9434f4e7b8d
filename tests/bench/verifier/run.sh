#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Verifier throughput on real modules (sql.js, esbuild-wasm from npm), side
# by side with wabt's wasm-validate and Node's WebAssembly.validate, and the
# verifier's peak memory. A benchmark, not a test. Usage: run.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
npm_dir=$build/tests/spec/verifier/npm
ninja -C "$build" vf_bench >/dev/null
if [[ ! -f $npm_dir/node_modules/esbuild-wasm/esbuild.wasm ||
	! -f $npm_dir/node_modules/sql.js/dist/sql-wasm.wasm ]]; then
	npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error \
		sql.js esbuild-wasm >/dev/null
fi

# wabt: CPU time (user + system) of the whole process (start, read,
# validate), best of 5, like the CPU-time figures of the other two.
wabt_mbs() {
	local f=$1 size cpu best=""
	size=$(stat -c %s "$f")
	for _ in 1 2 3 4 5; do
		cpu=$( { /usr/bin/time -f "%U %S" wasm-validate \
			--disable-reference-types --disable-simd "$f" >/dev/null; } 2>&1 |
			awk '{ print $1 + $2 }')
		best=$(awk -v a="$cpu" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
	done
	awk -v s="$size" -v t="$best" 'BEGIN {
		if (t > 0) printf "%.0f MB/s best of 5 (whole process, CPU time)\n", s / t / 1e6
		else print "too fast to time (under 10 ms of CPU)" }'
}

for rel in sql.js/dist/sql-wasm.wasm esbuild-wasm/esbuild.wasm; do
	f=$npm_dir/node_modules/$rel
	echo "-- $rel ($(stat -c %s "$f") bytes)"
	echo "sipverify library:        $("$build/bin/vf_bench" "$f" 2)"
	echo "node WebAssembly.validate: $(node "$here/node_validate.js" "$f" 2)"
	echo "wabt wasm-validate:       $(wabt_mbs "$f")"
	/usr/bin/time -f "sipverify whole process:  %e s, max RSS %M KiB" \
		"$build/bin/sipverify" --wasm --quiet "$f" 2>&1
done

# The whole verifier on SIPs: validation alone, the SIP-level checks and
# the ownership analysis alone, and both, CPU time, median of repeated
# runs in one process. sql.js and esbuild have no isola.manifest: vf_bench
# checks them as the kernel would (every module a SIP), without the import
# and entry checks, so the analysis runs over all of their code.
echo
echo "-- whole verifier (vf_bench --sip; median ms and MB/s of the file size)"
printf '%-26s %9s | %9s %8s | %9s %8s | %9s %8s | %s\n' module bytes \
	"valid ms" "MB/s" "anal. ms" "MB/s" "whole ms" "MB/s" checks
row() {
	local name=$1 f=$2 secs=$3 r
	r=$("$build/bin/vf_bench" --sip --row "$f" "$secs") || { echo "$name: failed"; return; }
	IFS=$'\t' read -r size vm vs am as wm ws verdict <<<"$r"
	printf '%-26s %9s | %9s %8s | %9s %8s | %9s %8s | %s\n' "$name" "$size" \
		"$vm" "$vs" "$am" "$as" "$wm" "$ws" "$verdict"
}
for f in "$build"/sips/*/*.sip; do
	row "$(basename "$f")" "$f" 0.5
done
row sql-wasm.wasm "$npm_dir/node_modules/sql.js/dist/sql-wasm.wasm" 2
row esbuild.wasm "$npm_dir/node_modules/esbuild-wasm/esbuild.wasm" 3
