#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Converts the WebAssembly spec suite and the verifier's own .wast cases to
# wast2json command lists and binaries in the build directory, with the
# feature flags each folder is meant for (../shared/wasm-testsuite/README.md),
# and gathers every binary into OUT/seeds for the fuzzer.
# Usage: convert.sh SUITE_DIR OWN_DIR OUT_DIR
set -euo pipefail
suite=$1 own=$2 out=$3
mvp_flags=(--disable-simd --disable-reference-types --disable-bulk-memory
	--disable-multi-value --disable-sign-extension
	--disable-saturating-float-to-int --disable-mutable-globals)

conv() { # conv WAST OUTDIR [FLAGS...]
	local wast=$1 dir=$2
	shift 2
	mkdir -p "$dir"
	wast2json "$@" "$wast" -o "$dir/$(basename "$wast" .wast).json"
}

for f in "$suite"/core/*.wast; do
	# linking.wast imports a mutable global, which WebAssembly 1.0 allows.
	if [[ $(basename "$f") == linking.wast ]]; then
		conv "$f" "$out/core-mutable-globals" "${mvp_flags[@]::6}"
	else
		conv "$f" "$out/core" "${mvp_flags[@]}"
	fi
done
for d in bulk-memory-operations multi-value nontrapping-float-to-int-conversions; do
	for f in "$suite/proposals/$d"/*.wast; do
		conv "$f" "$out/$d"
	done
done
for f in "$own"/*.wast; do
	conv "$f" "$out/own"
done
rm -rf "$out/seeds"
mkdir -p "$out/seeds"
# Seeds for the fuzzer: every binary, named after its folder.
for d in "$out"/*/; do
	b=$(basename "$d")
	[[ $b == seeds ]] && continue
	for w in "$d"*.wasm; do
		[[ -e $w ]] && cp "$w" "$out/seeds/$b-$(basename "$w")"
	done
done
# Two modules with DWARF line tables (versions 4 and 5), for the fuzzer's
# line-table reader.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for v in 4 5; do
	clang-14 --target=wasm32 -g -gdwarf-$v -O1 -mbulk-memory -msign-ext \
		-nostdlib -fuse-ld=lld -Wl,--no-entry -Wl,--export-all \
		"$here/dwarf_src.c" -o "$out/seeds/dwarf$v.wasm" 2>/dev/null || true
done
touch "$out/stamp"
