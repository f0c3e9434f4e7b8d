#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The system benchmark (docs/performance.md): Singularity's table of basic
# costs for Isola and for Linux on this machine, in one run. Boots the PVH
# kernel with init=bench (sips/bench), boots the normal system to time the
# way to the shell prompt, runs the in-kernel benchmarks, runs
# build/bench/bench_linux on the host, then writes BUILD/bench/results.json,
# BUILD/bench/table.md (also put into docs/performance.md) and, with
# gnuplot, BUILD/bench/roundtrip.svg.
#   run.sh BUILD_DIR [--quick]
# --quick: few iterations, results in BUILD/bench/quick/, docs left alone.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [--quick]}
quick=0
[[ ${2:-} == --quick ]] && quick=1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
run=$top/tests/qemu/run.sh
source "$top/tests/qemu/accel.sh"
accel=${ISOLA_ACCEL:-auto}
elf=$build/kernel/isola.elf
initrd=$build/initrd.cpio
out=$build/bench
[[ $quick == 1 ]] && out=$build/bench/quick
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v python3 >/dev/null || { echo "bench: needs python3 for the report" >&2; exit 2; }

ninja -C "$build" isola.elf initrd bench_linux bench_hello_static >/dev/null

args=$(qemu_accel_args "$accel" pvh)
why=$(kvm_why_not)
kind=kvm
if [[ $args == *tcg* ]]; then
	kind=tcg
	echo "accelerator: TCG (${why:-forced}): Isola's cycle counts are emulated and meaningless"
else
	echo "accelerator: KVM ($args)"
fi

# 1. The bench SIP as the first SIP; when it ends the kernel console
# powers off.
sip=bench
[[ $quick == 1 ]] && sip=benchquick
"$run" --kernel "$elf" --initrd "$initrd" --append "init=$sip" --accel "$accel" \
	--send-after "kernel console takes over" --send "halt\n" --timeout 1200 \
	--expect "bench: done" --log "$work/isola.log" >/dev/null ||
	{ cat "$work/isola.log"; echo "bench: the Isola run failed" >&2; exit 1; }
sed -n 's/^\[[A-Za-z0-9_.-]*\] bench: //p' "$work/isola.log" >"$out/isola.txt"
sed -n 's/.*timer: TSC \([0-9]*\) MHz.*/tsc_mhz \1 \1 \1 MHz/p' "$work/isola.log" >>"$out/isola.txt"

# 2. Boot to the shell prompt, three times: the kernel's own "entry to
# ready" plus, on the host's clock, ready line to prompt (boot.pl).
boots=3
[[ $quick == 1 ]] && boots=1
: >"$out/boot.txt"
for ((i = 0; i < boots; i++)); do
	# shellcheck disable=SC2086
	perl "$here/boot.pl" "$work" qemu-system-x86_64 $args -m 256M -display none \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$elf" -initrd "$initrd" -append "" >>"$out/boot.txt" ||
		{ echo "bench: the boot run failed" >&2; exit 1; }
done

# 3. The kernel's side alone: in-kernel benchmarks (kernel/test/).
"$run" --kernel "$elf" --initrd "$initrd" --accel "$accel" --timeout 600 \
	--append "ktest=bench_primitives,bench_switch,bench_sip_lifecycle" \
	--log "$work/ktest.log" >/dev/null || { cat "$work/ktest.log"; exit 1; }
grep '^bench:' "$work/ktest.log" | sed 's/^bench: //' >"$out/kernel.txt"

# 3b. Bounded latency: the longest stretch with interrupts off under the
# kernel's latency workload, counted in instructions (-icount shift=0, one
# nanosecond each), so the figure repeats exactly.
"$run" --kernel "$elf" --initrd "$initrd" --icount --timeout 600 \
	--append "ktest=irqoff_bounded" --log "$work/irqoff.log" >/dev/null ||
	{ cat "$work/irqoff.log"; exit 1; }
tr -d '\r' <"$work/irqoff.log" | grep '^irqoff longest' >"$out/irqoff.txt"

# 4. Linux on this machine, pinned to the last CPU.
lquick=()
[[ $quick == 1 ]] && lquick=(--quick)
"$build/bench/bench_linux" "${lquick[@]}" --cpu $(($(nproc) - 1)) \
	"$build/bench/bench_hello_static" | sed -n 's/^linux: //p' >"$out/linux.txt"
static=yes
file "$build/bench/bench_hello_static" 2>/dev/null | grep -q "statically linked" || static=no

# 5. The report.
doc=$top/docs/performance.md
[[ $quick == 1 ]] && doc=""
python3 "$here/report.py" --accel "$kind" --accel-args "$args" --out "$out" \
	--static-hello "$static" --doc "$doc" \
	--command "tests/bench/system/run.sh $build (what ./isola bench system runs)"

# 6. The plot.
if ! command -v gnuplot >/dev/null && [[ $(id -u) == 0 && $quick == 0 ]]; then
	echo "bench: installing gnuplot-nox" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		gnuplot-nox >/dev/null 2>&1 || true
fi
if command -v gnuplot >/dev/null; then
	gnuplot "$out/roundtrip.gp" && echo "plot: $out/roundtrip.svg"
else
	echo "plot: skipped (no gnuplot; Debian package gnuplot-nox)"
fi
