#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Kernel benchmarks: boot time (kernel entry to the ready line) over several
# boots, and the costs of a thread switch and its primitives, measured in
# the kernel by the bench_* ktests. Usage: run.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
run=$here/../../qemu/run.sh
source "$here/../../qemu/accel.sh"
accel=${ISOLA_ACCEL:-auto}
elf=$build/kernel/isola.elf
log=$(mktemp)
trap 'rm -f "$log"' EXIT

args=$(qemu_accel_args "$accel" pvh)
echo "accelerator: $args"
why=$(kvm_why_not)
if [[ $args == *tcg* ]]; then
	echo "NOTE: TCG (${why:-forced}): cycle counts are emulated and only"
	echo "      comparable with other TCG runs on this machine."
fi

boots=()
for i in 1 2 3 4 5 6 7; do
	"$run" --kernel "$elf" --append "ktest=bench_primitives" --log "$log" \
		--accel "$accel" >/dev/null || { cat "$log"; exit 1; }
	boots+=("$(sed -n 's/.*kernel entry to ready: \([0-9.]*\) ms.*/\1/p' "$log")")
done
sorted=$(printf '%s\n' "${boots[@]}" | sort -n)
echo "boot, kernel entry to ready (7 boots): median $(echo "$sorted" | sed -n 4p) ms," \
	"min $(echo "$sorted" | head -1) ms, max $(echo "$sorted" | tail -1) ms"
"$run" --kernel "$elf" --append "ktest=bench_primitives,bench_switch,bench_sip_lifecycle" \
	--log "$log" --accel "$accel" >/dev/null || { cat "$log"; exit 1; }
grep '^bench:' "$log" | sed 's/^bench: //'
