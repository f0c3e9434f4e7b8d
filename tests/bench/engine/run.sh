#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The engine benchmark: every kernel natively (clang -O2), in the engine
# (engrun), in V8 (node, v8run.js) and in wabt's wasm-interp, side by side
# in one run. Prints the times, each one's ratio to native and the
# geometric means, and fails when a checksum differs from native's.
# Native and engine times are the best of REPS runs of the call alone, in
# thread CPU time (so other load on the machine matters less); V8's is the
# best of REPS calls after a warm-up call, in wall-clock time; wasm-interp's
# is the CPU time of one whole process (loading included).
#
# Columns: an engrun that takes --engine=jit (tried on the first kernel)
# gets three engine columns, its interpreter (--engine=interp) and its
# compiler with guard regions (jit, the kernel's default) and with
# explicit bounds checks (jit-expl); one that refuses the option as a usage error
# gets one, as it runs by default. Without node there is no V8 column,
# without wasm-interp no wasm-interp column; the reason is printed.
# wasm-interp runs the kernels in `heavy` only with --wasm-interp=all.
# Usage: run.sh BUILD_DIR [--check] [--reps=N] [--wasm-interp=light|all|none]
set -euo pipefail

usage() {
	echo "usage: run.sh BUILD_DIR [--check] [--reps=N] [--wasm-interp=light|all|none]" >&2
	exit 2
}

[[ $# -ge 1 ]] || usage
build=$1
shift
reps=5 wi_mode=light check=0
for arg in "$@"; do
	case $arg in
	--check) check=1 ;;
	--reps=*) reps=${arg#--reps=} ;;
	--wasm-interp=light | --wasm-interp=all | --wasm-interp=none) wi_mode=${arg#*=} ;;
	[0-9]*) reps=$arg ;; # the older form: run.sh BUILD_DIR REPS
	*) usage ;;
	esac
done
[[ $reps =~ ^[1-9][0-9]{0,2}$ ]] || usage
[[ $check == 0 ]] || exit 0

kernels=(matmul crc32 sha256 qsort nbody hashtab fib
	lu saxpy jacobi editdist knapsack listwalk murmur3 radix sieve mandel spectral)
# The first seven are the ones earlier runs measured: their geometric mean
# is printed apart, to compare with those.
first=7
# Kernels that take wasm-interp 15 s or more each (16 s to 80 s on the
# 2-core development host, against 1 s to 11 s for the others).
heavy=" lu saxpy jacobi editdist knapsack murmur3 radix "

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$build/tests/bench/engine
ninja -C "$build" bench_engine >/dev/null
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.out"' EXIT

calc() { awk "BEGIN{print $*}"; }

# The columns after native: a name and how run_column runs it.
col_name=() col_how=()
add_column() { col_name+=("$1"); col_how+=("$2"); }

# probe_engine OPT: false, with the reason in $reason, when engrun refuses
# OPT as a usage error; any other failure is the kernel's to report.
probe_engine() {
	local err rc=0
	err=$("$build/bin/engrun" "$1" --time "$dir/bench_engine_${kernels[0]}.wasm" run 2>&1 >/dev/null) || rc=$?
	if ((rc != 0)) && grep -qiE 'usage|engine' <<<"$err"; then
		reason=$(head -n 1 <<<"$err")
		return 1
	fi
	return 0
}

choose_columns() {
	reason=""
	if probe_engine --engine=jit; then
		if probe_engine --engine=interp; then
			add_column interp "engine --engine=interp"
		else
			add_column engine "engine"
		fi
		add_column jit "engine --engine=jit --bounds=guard"
		add_column jit-expl "engine --engine=jit --bounds=explicit"
	else
		echo "no jit column: engrun --engine=jit: $reason"
		add_column engine "engine"
	fi
	if command -v node >/dev/null 2>&1; then
		add_column v8 "v8"
		echo "v8: node $(node --version)"
	else
		echo "no v8 column: node is not on PATH (Debian package nodejs)"
	fi
	if [[ $wi_mode == none ]]; then
		echo "no wasm-interp column: --wasm-interp=none"
	elif command -v wasm-interp >/dev/null 2>&1; then
		add_column wasm-interp "wasm-interp"
		[[ $wi_mode == all ]] || echo "wasm-interp: skips${heavy% } (15 s or more each; --wasm-interp=all runs them)"
	else
		echo "no wasm-interp column: wasm-interp is not on PATH (Debian package wabt)"
	fi
}

# engine_best [OPT]: the best of REPS engrun runs. Sets sum and secs, or
# sum to what went wrong.
engine_best() {
	local out i
	secs=""
	for ((i = 0; i < reps; i++)); do
		if ! out=$("$build/bin/engrun" "$@" --time "$wasm" run 2>"$tmp"); then
			sum="failed: $out $(head -n 1 "$tmp")"
			secs=""
			return
		fi
		sum=$out
		if [[ -z $secs ]] || awk "BEGIN{exit !($(cat "$tmp") < $secs)}"; then secs=$(cat "$tmp"); fi
	done
}

# run_column HOW: runs the kernel ($k, $wasm) the column's way. Sets sum
# and secs; both empty when the column skips the kernel.
run_column() {
	local how=$1
	sum="" secs=""
	case $how in
	engine*)
		read -ra opt <<<"${how#engine}"
		engine_best "${opt[@]}"
		;;
	v8)
		if sum=$(node "$here/v8run.js" "$wasm" "$reps" 2>"$tmp"); then
			secs=$(cat "$tmp")
		else
			sum="failed: $sum $(head -n 1 "$tmp")"
		fi
		;;
	wasm-interp)
		[[ $wi_mode == light && $heavy == *" $k "* ]] && return
		TIMEFORMAT='%3U %3S'
		if { time wasm-interp --run-all-exports "$wasm" >"$tmp.out" 2>&1; } 2>"$tmp"; then
			sum=$(sed -n 's/^run() => //p' "$tmp.out")
			secs=$(awk '{print $1 + $2}' "$tmp")
		else
			sum="failed: $(head -n 1 "$tmp.out")"
		fi
		;;
	esac
}

ratio_text() { # ratio_text R: two decimals below 100, one from there
	awk "BEGIN{r = $1; printf(r < 100 ? \"%.2fx\" : \"%.1fx\", r)}"
}

print_header() {
	local c
	printf '%-9s %9s' "" native
	for c in "${col_name[@]}"; do printf ' %16s' "$c"; done
	printf '\n%-9s %9s' kernel ms
	for c in "${col_name[@]}"; do printf ' %8s %7s' ms ratio; done
	printf '\n'
}

# geo_line LABEL LOGS COUNTS TOTAL: one geometric mean per column (the
# names of the arrays of log ratios and of counts), with the number of
# kernels when a column skipped some of the TOTAL.
geo_line() {
	local -n g_logs=$2 g_counts=$3
	local c total=$4
	printf '%-19s' "$1"
	for c in "${!col_name[@]}"; do
		if ((g_counts[c] == 0)); then
			printf ' %8s %7s' "" -
			continue
		fi
		local note=""
		((g_counts[c] == total)) || note="(${g_counts[c]}/$total)"
		printf ' %8s %7s' "$note" "$(ratio_text "$(calc "exp(${g_logs[c]} / ${g_counts[c]})")")"
	done
	printf '\n'
}

# add_cell C: appends column C's cell for kernel number $n to $row and its
# ratio to the means, or what it got, when that is not $want, to $wrong.
add_cell() {
	local c=$1 t="" r
	if [[ -z $sum ]]; then
		row+=$(printf ' %8s %7s' - -)
	elif [[ $sum != "$want" || -z $secs ]]; then
		[[ -z $secs ]] || t=$(printf '%.2f' "$(calc "$secs * 1000")")
		row+=$(printf ' %8s %7s' "$t" wrong)
		wrong+=", ${col_name[c]} $sum"
	else
		r=$(calc "$secs / $tn")
		row+=$(printf ' %8.2f %7s' "$(calc "$secs * 1000")" "$(ratio_text "$r")")
		logs[c]=$(calc "${logs[c]} + log($r)")
		counts[c]=$((counts[c] + 1))
		((n >= first)) && return
		logs_first[c]=$(calc "${logs_first[c]} + log($r)")
		counts_first[c]=$((counts_first[c] + 1))
	fi
}

choose_columns
print_header
logs=() counts=() logs_first=() counts_first=()
for c in "${!col_name[@]}"; do logs[c]=0 counts[c]=0 logs_first[c]=0 counts_first[c]=0; done
bad=0 n=0
for k in "${kernels[@]}"; do
	wasm=$dir/bench_engine_$k.wasm
	want=$("$dir/bench_engine_${k}_native" "$reps" 2>"$tmp")
	tn=$(cat "$tmp")
	row=$(printf '%-9s %9.2f' "$k" "$(calc "$tn * 1000")")
	wrong=""
	for c in "${!col_name[@]}"; do
		run_column "${col_how[c]}"
		add_cell "$c"
	done
	echo "$row"
	if [[ -n $wrong ]]; then
		echo "$k: checksums differ: native $want$wrong" >&2
		bad=1
	fi
	n=$((n + 1))
done
geo_line "geometric mean" logs counts "$n"
geo_line "  first $first kernels" logs_first counts_first "$first"
echo "(goal: engine <= 8x native, geometric mean)"
exit $bad
