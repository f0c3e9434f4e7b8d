#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The system benchmark (docs/performance.md): Singularity's table of basic
# costs for Isola, for Linux booted in the same QEMU machine and, as
# context, for Linux on the host, in one run. Boots the PVH kernel with
# init=bench (sips/bench), boots the normal system to time the way to the
# shell prompt, runs the in-kernel benchmarks, boots the Linux guest
# (tests/bench/linux/guest.sh) and runs build/bench/bench_linux on the
# host, then writes OUT/results.json, OUT/table.md (also put into
# docs/performance.md), OUT/report.html and, with gnuplot,
# OUT/roundtrip.svg.
#   run.sh BUILD_DIR [--quick] [--icount] [--profile]
# OUT is BUILD/bench; --quick: few iterations, OUT is BUILD/bench/quick,
# docs left alone. --icount: both guests under QEMU's instruction counting
# (-icount shift=0), figures are instructions per operation; OUT is
# BUILD/bench/icount (BUILD/bench/quick/icount with --quick). --profile:
# one more boot runs the round-trip row alone under the kernel's sampling
# profiler (prof=1, docs/profiling.md); its top rows go into the report
# (OUT/profile.txt, OUT/profile.md).
set -euo pipefail
usage() {
	echo "usage: run.sh BUILD_DIR [--quick] [--icount] [--profile] [--engine=interp|jit]" >&2
	exit 2
}
[[ $# -ge 1 && $1 != -* ]] || usage
build=$1
shift
quick=0 icount=0 profile=0 check=0 engine=""
for a in "$@"; do
	case $a in
	--quick) quick=1 ;;
	--icount) icount=1 ;;
	--profile) profile=1 ;;
	--engine=interp | --engine=jit) engine=${a#--engine=} ;;
	--check) check=1 ;; # only check the options (./isola bench does, first)
	*) echo "run.sh: unknown option '$a'" >&2; usage ;;
	esac
done
[[ $check == 1 ]] && exit 0
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
run=$top/tests/qemu/run.sh
guest=$top/tests/bench/linux/guest.sh
source "$top/tests/qemu/accel.sh"
accel=${ISOLA_ACCEL:-auto}
elf=$build/kernel/isola.elf
initrd=$build/initrd.cpio
out=$build/bench
[[ $quick == 1 ]] && out=$out/quick
[[ $icount == 1 ]] && out=$out/icount
# --engine: every Isola boot gets engine=...; results go to OUT/ENGINE and
# the docs are left alone (they show the default, native code).
kopt=""
[[ -n $engine ]] && out=$out/$engine && kopt=" engine=$engine"
mkdir -p "$out"
rm -f "$out"/{isola,linux,linux-guest,boot,kernel,irqoff,profile}.txt "$out/profile.md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v python3 >/dev/null || { echo "bench: needs python3 for the report" >&2; exit 2; }
start=$SECONDS

ninja -C "$build" isola.elf initrd bench_linux bench_hello_static >/dev/null
# The guest's static bench_linux exists only with a static C library.
ninja -C "$build" bench_linux_static >/dev/null 2>&1 || true

[[ $icount == 1 ]] && accel=tcg
args=$(qemu_accel_args "$accel" pvh)
why=$(kvm_why_not)
kind=kvm
# Under --icount both guests count instructions (tests/qemu/run.sh --icount).
icount_opt=()
[[ $icount == 1 ]] && icount_opt=(--icount)
if [[ $icount == 1 ]]; then
	kind=tcg
	echo "accelerator: TCG with -icount shift=0: figures are instructions per operation"
elif [[ $args == *tcg* ]]; then
	kind=tcg
	echo "accelerator: TCG (${why:-forced}): Isola and the Linux guest are measured in emulated cycles"
else
	echo "accelerator: KVM ($args)"
fi

# 1. The bench SIP as the first SIP; when it ends the kernel console
# powers off.
sip=bench
[[ $quick == 1 ]] && sip=benchquick
"$run" --kernel "$elf" --initrd "$initrd" --append "init=$sip$kopt" --accel "$accel" "${icount_opt[@]}" \
	--send-after "kernel console takes over" --send "halt\n" --timeout 1200 \
	--expect "bench: done" --log "$work/isola.log" >/dev/null ||
	{ cat "$work/isola.log"; echo "bench: the Isola run failed" >&2; exit 1; }
sed -n 's/^\[[A-Za-z0-9_.-]*\] bench: //p' "$work/isola.log" >"$out/isola.txt"
sed -n 's/.*timer: TSC \([0-9]*\) MHz.*/tsc_mhz \1 \1 \1 MHz/p' "$work/isola.log" >>"$out/isola.txt"

# 2. Boot to the shell prompt, three times (never under -icount: the
# part to the prompt is timed on the host's clock): the kernel's own "entry to
# ready" plus, on the host's clock, ready line to prompt (boot.pl).
boots=3
[[ $quick == 1 ]] && boots=1
: >"$out/boot.txt"
for ((i = 0; i < boots; i++)); do
	# shellcheck disable=SC2086
	perl "$here/boot.pl" "$work" qemu-system-x86_64 $args -m 256M -display none \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$elf" -initrd "$initrd" -append "${kopt# }" >>"$out/boot.txt" ||
		{ echo "bench: the boot run failed" >&2; exit 1; }
done

# 3. The kernel's side alone: in-kernel benchmarks (kernel/test/).
"$run" --kernel "$elf" --initrd "$initrd" --accel "$accel" "${icount_opt[@]}" --timeout 600 \
	--append "ktest=bench_primitives,bench_switch,bench_sip_lifecycle$kopt" \
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

# 5. Linux booted in the same QEMU machine (same accelerator, machine,
# CPU model, memory, one CPU; tests/bench/linux/guest.sh). When this
# machine cannot make the guest, the column is left out and said so.
gnote="" gpkgs="" gsecs=""
gquick=()
[[ $quick == 1 ]] && gquick=(--quick)
set +e
"$guest" prepare "$build" 2>"$work/guest.err"
grc=$?
set -e
cat "$work/guest.err" >&2
if [[ $grc == 0 ]]; then
	gpkgs=$(awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}' "$build/linux-guest/pins")
	gstart=$SECONDS
	"$guest" run "$build" "${gquick[@]}" "${icount_opt[@]}" --accel-args "$args" \
		--log "$out/linux-guest.log" >"$out/linux-guest.txt" ||
		{ echo "bench: the Linux guest failed (log: $out/linux-guest.log)" >&2; exit 1; }
	gsecs=$((SECONDS - gstart))
	echo "Linux guest: ${gsecs} s"
elif [[ $grc == 3 ]]; then
	gnote=$(tail -n 1 "$work/guest.err" | sed 's/^guest: //')
	echo "bench: Linux in the same QEMU left out: $gnote" >&2
else
	echo "bench: the Linux guest could not be prepared" >&2
	exit 1
fi

# 6. With --profile, the round-trip row alone (20 times its batches, 2
# with --quick) under the kernel's profiler, from boot; the report is
# printed when the bench ends.
if [[ $profile == 1 ]]; then
	times=20
	[[ $quick == 1 ]] && times=200 # benchquick: short batches
	pappend="init=$sip initargs=\"roundtrip $times\" prof=1$kopt"
	"$run" --kernel "$elf" --initrd "$initrd" --append "$pappend" --accel "$accel" \
		"${icount_opt[@]}" --send-after "kernel console takes over" --send "halt\n" \
		--timeout 1200 --expect "bench: done" --expect "prof: [0-9]+ samples" \
		--log "$work/prof.log" >/dev/null ||
		{ cat "$work/prof.log"; echo "bench: the profile run failed" >&2; exit 1; }
	tr -d '\r' <"$work/prof.log" | sed -n 's/^prof: //p' >"$out/profile.txt"
	python3 "$here/profile_md.py" --append "$pappend" ${icount_opt[@]:+--icount} \
		"$out/profile.txt" >"$out/profile.md"
	echo "profile: $out/profile.md"
fi

# 7. The report.
doc=$top/docs/performance.md
[[ $quick == 1 || -n $engine ]] && doc=""
ic=()
[[ $icount == 1 ]] && ic=(--icount)
cmd="./isola bench system${*:+ $*}"
python3 "$here/report.py" --accel "$kind" --accel-args "$args" --out "$out" "${ic[@]}" \
	--static-hello "$static" --doc "$doc" --guest-note "$gnote" \
	--guest-packages "$gpkgs" ${gsecs:+--guest-seconds "$gsecs"} \
	--command "$cmd (tests/bench/system/run.sh ${build#"$top"/}${*:+ $*})"
echo "bench: $((SECONDS - start)) s in all"

# 8. The plot.
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
