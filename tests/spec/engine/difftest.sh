#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Differential test: COUNT random modules from wasmgen (seeds from FIRST),
# each run by wabt's wasm-interp and by engrun three times: the
# interpreter, native code with explicit bounds checks, native code with
# guard regions. The results (raw bits, NaNs included) and trap kinds of
# every export must agree. A mismatch keeps its module in WORK_DIR.
# Usage: difftest.sh BIN_DIR WORK_DIR COUNT [FIRST]
set -euo pipefail
bin=$1 work=$2 count=$3 first=${4:-1}
mkdir -p "$work"

# wasm-interp's trap texts in the engine's words, details dropped.
normalize() {
	sed -e 's/ *$//' \
		-e 's/error: out of bounds memory access.*/error: out of bounds memory access/' \
		-e 's/error: unreachable executed/error: unreachable/' \
		-e 's/error: undefined table index/error: undefined element/' \
		-e 's/error: uninitialized table element/error: uninitialized element/' \
		-e 's/error: indirect call signature mismatch/error: indirect call type mismatch/'
}

fail=0 values=0 traps=0
for ((seed = first; seed < first + count; seed++)); do
	w=$work/gen-$seed
	"$bin/wasmgen" "$seed" >"$w.wat"
	wat2wasm "$w.wat" -o "$w.wasm"
	# A failing exit status shows up as different output, not as an abort.
	want=$(wasm-interp --run-all-exports "$w.wasm" 2>&1 | normalize || true)
	bad=""
	for mode in "--engine=interp" "--engine=jit --bounds=explicit" "--engine=jit --bounds=guard"; do
		# shellcheck disable=SC2086 # mode is two options
		got=$("$bin/engrun" $mode --run-all-exports "$w.wasm" 2>&1 | normalize || true)
		if [[ $want != "$got" ]]; then
			echo "seed $seed: engrun $mode and wasm-interp disagree ($w.wat)"
			diff <(echo "$want") <(echo "$got") | head -10 || true
			bad=1
		fi
	done
	if [[ -n $bad ]]; then
		fail=$((fail + 1))
		continue
	fi
	# The same module with raw NaN bits: the three executors bit for bit.
	"$bin/wasmgen" --raw-nan "$seed" >"$w.raw.wat"
	wat2wasm "$w.raw.wat" -o "$w.raw.wasm"
	ref=$("$bin/engrun" --engine=interp --run-all-exports "$w.raw.wasm" 2>&1 || true)
	for mode in "--engine=jit --bounds=explicit" "--engine=jit --bounds=guard"; do
		# shellcheck disable=SC2086 # mode is two options
		got2=$("$bin/engrun" $mode --run-all-exports "$w.raw.wasm" 2>&1 || true)
		if [[ $ref != "$got2" ]]; then
			echo "seed $seed: engrun $mode and the interpreter disagree on NaN bits ($w.raw.wat)"
			diff <(echo "$ref") <(echo "$got2") | head -10 || true
			bad=1
		fi
	done
	if [[ -n $bad ]]; then
		fail=$((fail + 1))
		continue
	fi
	rm -f "$w.raw.wat" "$w.raw.wasm"
	values=$((values + $(grep -c '=> i64' <<<"$got" || true)))
	traps=$((traps + $(grep -c '=> error' <<<"$got" || true)))
	rm -f "$w.wat" "$w.wasm"
done
echo "difftest: $count modules, $values results and $traps traps compared" \
	"(3 executors against wasm-interp; raw NaN bits between executors), $fail mismatches"
# A run that compared no values or no traps tested nothing.
[[ $fail == 0 && $values -gt 0 && $traps -gt 0 ]]
