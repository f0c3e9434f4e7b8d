#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Converts the WebAssembly spec suite and the engine's own .wast tests into
# wast2json command lists under OUT_DIR, one folder per feature set:
# core/ with the MVP flags (linking.wast also with mutable globals, which
# its imports need), each proposal folder with wabt's defaults, own/.
# Usage: convert.sh SUITE_DIR OWN_DIR OUT_DIR
set -euo pipefail
suite=$1 own=$2 out=$3
mvp=(--disable-simd --disable-reference-types --disable-bulk-memory
	--disable-multi-value --disable-sign-extension
	--disable-saturating-float-to-int --disable-mutable-globals)

json() { # json WAST DIR FLAGS...
	local w=$1 d=$2
	shift 2
	mkdir -p "$d"
	wast2json "$@" "$w" -o "$d/$(basename "$w" .wast).json"
}

for w in "$suite"/core/*.wast; do
	if [[ $(basename "$w") == linking.wast ]]; then
		json "$w" "$out/core-linking" "${mvp[@]:0:6}"
	else
		json "$w" "$out/core" "${mvp[@]}"
	fi
done
for p in bulk-memory-operations multi-value nontrapping-float-to-int-conversions; do
	for w in "$suite/proposals/$p"/*.wast; do
		json "$w" "$out/$p"
	done
done
for w in "$own"/*.wast; do
	json "$w" "$out/own"
done
touch "$out/stamp"
