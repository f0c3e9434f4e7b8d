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

# wabt: whole process (start, read, validate), best of 5.
wabt_mbs() {
	local f=$1 size best=999 t0 t1 s
	size=$(stat -c %s "$f")
	for _ in 1 2 3 4 5; do
		t0=$(date +%s%N)
		wasm-validate --disable-reference-types --disable-simd "$f"
		t1=$(date +%s%N)
		s=$(( t1 - t0 ))
		(( s < best || best == 999 )) && best=$s
	done
	echo "$(( size * 1000 / best )) MB/s best of 5 (whole process)"
}

for rel in sql.js/dist/sql-wasm.wasm esbuild-wasm/esbuild.wasm; do
	f=$npm_dir/node_modules/$rel
	echo "-- $rel ($(stat -c %s "$f") bytes)"
	echo "sipverify library:        $("$build/bin/vf_bench" "$f" 2)"
	echo "node WebAssembly.validate: $(node "$here/node_validate.js" "$f" 2)"
	echo "wabt wasm-validate:       $(wabt_mbs "$f")"
	/usr/bin/time -f "sipverify whole process:  %e s, max RSS %M KiB" \
		"$build/bin/sipverify" --quiet "$f" 2>&1
done
