#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The ports inside Isola against Node's WASI (docs/ports.md): boots the
# system, types each command below at the shell, then runs the same
# program (its .wasm build, from the same objects) under Node with the
# initrd's ports/ folder as /initrd/ports, and compares what each
# printed and its exit status. The decompressions must also give back
# the original text byte for byte (as lines: the serial console ends
# them with CR LF). zstd's benchmark mode, which compresses and
# decompresses in memory and checks the result, runs in Isola only (its
# timings differ).
#
#   isola_vs_node.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:?usage: isola_vs_node.sh BUILD_DIR}" && pwd)
ports=$build/sips/ports
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT; [[ -z ${KEEP:-} ]] || trap - EXIT

# Each command line fits the console's 255 bytes.
sql1="create table t(a, b); insert into t values (1, 'one'), (2, 'two'), (3, 'three');"
sql1+=" select a, upper(b), length(b) from t order by a desc; select sum(a), total(a) / 4 from t;"
sql2="select json_object('k', 2), sqrt(16), printf('%.3f', pi()), (with recursive"
sql2+=" c(x) as (select 1 union all select x + 1 from c where x < 5000) select count(*) from c);"
commands=(
	"sqlite3 :memory: \"$sql1\""
	"sqlite3 :memory: \"$sql2\""
	"sqlite3 :memory: \"select nosuchfunction(1);\""
	"sqlite3 :memory: \".read /initrd/ports/demo.sql\""
	"bzip2 -dc /initrd/ports/text.txt.bz2"
	"zstd -dc /initrd/ports/text.txt.zst"
	"bzip2 -tv /initrd/ports/text.txt.bz2"
	"zstd -dc /initrd/ports/missing.zst"
)
isola_only="zstd -q -b1 -i0 /initrd/ports/text.txt"

steps=()
for c in "${commands[@]}" "$isola_only"; do
	steps+=(--step "isola> " "run $c\\n")
done
steps+=(--step "isola> " "exit\\n" --step "kernel console takes over" "halt\\n")
"$here/../qemu/run.sh" --kernel "$build/kernel/isola.elf" --initrd "$build/initrd.cpio" \
	--memory 512M "${steps[@]}" --expect "halting" --timeout 300 --log "$work/isola.log" \
	>/dev/null || { echo "FAIL: the Isola session"; tail -40 "$work/isola.log"; exit 1; }

tr -d '\r' <"$work/isola.log" >"$work/isola.txt"

# isola_output CMD: what the session printed for `run CMD` (kernel log
# lines left out), then "exit N".
isola_output() {
	local name=${1%% *}
	awk -v cmd="isola> run $1" -v name="$name" '
		!on && $0 == cmd { on = 1; next }
		on && match($0, "^" name ": exited \\((-?[0-9]+)\\)") {
			sub("^" name ": exited \\(", ""); sub("\\).*", "")
			print "exit " $0; exit }
		on && $0 ~ /^\[ *[0-9]+\.[0-9]+\] / { next }
		on { print }' "$work/isola.txt"
}

# node_output CMD: the same under Node's WASI.
node_output() {
	local code=0
	eval "set -- $1"
	local name=$1
	shift
	node --no-warnings "$here/run-wasi.mjs" --env HOME=/ --dir "$ports/data:/initrd/ports" \
		"$ports/$name.wasm" "$@" 2>&1 || code=$?
	echo "exit $code"
}

fail=0
for c in "${commands[@]}"; do
	isola_output "$c" >"$work/isola.out"
	node_output "$c" >"$work/node.out"
	if ! grep -q '^exit ' "$work/isola.out"; then
		echo "FAIL: no end of 'run ${c:0:60}' in the session"
		fail=1
	elif ! diff -u "$work/node.out" "$work/isola.out" >"$work/diff"; then
		echo "FAIL: Isola and Node differ on '${c:0:60}':"
		head -20 "$work/diff"
		fail=1
	else
		echo "same: ${c:0:70} ($(wc -l <"$work/isola.out") lines, $(tail -1 "$work/isola.out"))"
	fi
	case $c in *" -dc /initrd/ports/text.txt."*)
		head -n -1 "$work/isola.out" | cmp -s - "$ports/data/text.txt" ||
			{ echo "FAIL: '$c' did not give back text.txt"; fail=1; } ;;
	esac
done
isola_output "$isola_only" >"$work/bench.out"
if [[ $(tail -1 "$work/bench.out") != "exit 0" ]] || grep -qi error "$work/bench.out"; then
	echo "FAIL: '$isola_only' in Isola:"; cat "$work/bench.out"; fail=1
else
	echo "ok: $isola_only (exit 0)"
fi
exit $fail
