#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Converts the WebAssembly spec suite, once for every part that runs it,
# into wast2json command lists and binaries, with the feature flags each
# folder is meant for (see the suite's README):
#   OUT/core          core/*.wast with the MVP alone
#   OUT/core-linking  core/linking.wast, which imports a mutable global
#   OUT/<proposal>    each proposal folder with wabt's defaults
#   OUT/own-NAME      a part's own .wast files, for each NAME=DIR given
#   OUT/seeds         every binary, named after its folder (fuzzer seeds)
# Usage: convert.sh SUITE_DIR OUT_DIR [NAME=WAST_DIR...]
set -euo pipefail
suite=$1 out=$2
shift 2
mvp=(--disable-simd --disable-reference-types --disable-bulk-memory
	--disable-multi-value --disable-sign-extension
	--disable-saturating-float-to-int --disable-mutable-globals)

conv() { # conv WAST OUTDIR [FLAGS...]
	local wast=$1 dir=$2
	shift 2
	mkdir -p "$dir"
	wast2json "$@" "$wast" -o "$dir/$(basename "$wast" .wast).json"
}

rm -rf "$out"
for f in "$suite"/core/*.wast; do
	if [[ $(basename "$f") == linking.wast ]]; then
		conv "$f" "$out/core-linking" "${mvp[@]::6}"
	else
		conv "$f" "$out/core" "${mvp[@]}"
	fi
done
for d in bulk-memory-operations multi-value nontrapping-float-to-int-conversions; do
	for f in "$suite/proposals/$d"/*.wast; do
		conv "$f" "$out/$d"
	done
done
for own in "$@"; do
	for f in "${own#*=}"/*.wast; do
		conv "$f" "$out/own-${own%%=*}"
	done
done
mkdir -p "$out/seeds"
for d in "$out"/*/; do
	b=$(basename "$d")
	[[ $b == seeds ]] && continue
	for w in "$d"*.wasm; do
		[[ -e $w ]] && cp "$w" "$out/seeds/$b-$(basename "$w")"
	done
done
touch "$out/stamp"
