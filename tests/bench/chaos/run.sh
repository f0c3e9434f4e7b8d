#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The long chaos run (docs/hostile.md, "Chaos"): boots the kernel console
# on the hostile test initrd and runs `chaos` until it has killed KILLS
# SIPs (default 10000), checking after every round that the kernel's
# counters are back at their baseline; then `mem`, and prints the kills,
# the time and the final counters. A benchmark, not a test (the short run
# is hostile.chaos). Usage: run.sh BUILD_DIR [KILLS] [SEED]
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [KILLS] [SEED]}
kills=${2:-${ISOLA_CHAOS_KILLS:-10000}}
seed=${3:-1}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
ninja -C "$build" isola.elf hostile_initrd >/dev/null
log=$build/bench/chaos.log
mkdir -p "$build/bench"
start=$SECONDS
"$top/tests/qemu/run.sh" --kernel "$build/kernel/isola.elf" \
	--initrd "$build/tests/hostile/initrd-hostile.cpio" \
	--append "init=none ownership=warn" --accel "${ISOLA_ACCEL:-auto}" \
	--step "kernel> " "run chaos 100000000 $kills $seed\\n" \
	--step "chaos: exited.*kernel> " "mem\\n" \
	--step "contracts.*kernel> " "halt\\n" \
	--expect "counters at baseline" --expect "chaos: exited \\(0\\)" \
	--reject "PANIC|panic" --timeout 7200 --log "$log" >/dev/null ||
	{ grep -a "chaos" "$log" | tail -20; echo "chaos: FAILED (log: $log)" >&2; exit 1; }
echo "chaos: $((SECONDS - start)) s of wall time, seed $seed"
grep -a "chaos\] chaos: [0-9]* rounds" "$log" | sed 's/^\[chaos\] //'
echo "final counters (kernel console mem):"
tr -d '\r' <"$log" | sed -n '/^kernel> mem$/,/^contracts/p' | tail -n +2
