#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boots Isola in QEMU under a hard timeout, captures the serial log and
# checks it. Exit 0 when every expectation holds, 1 otherwise, 2 on usage.
#
#   run.sh (--kernel ELF [--initrd FILE] [--append CMDLINE] | --iso ISO [--uefi])
#          [--expect-exit success|failure] [--expect REGEX]... [--reject REGEX]...
#          [--send-after REGEX --send TEXT]... [--step REGEX TEXT]...
#          [--timeout SECONDS]
#          [--accel auto|kvm|tcg] [--icount] [--memory SIZE] [--log FILE]
#          [--skip-without-kvm]
#
# The kernel reports through isa-debug-exit: QEMU exits 33 for success and
# 35 for failure. Anything else (a reset, a hang, a QEMU error) is a failure.
# --send-after/--send pairs (or --step REGEX TEXT, the same in one option)
# are a script: each TEXT is sent once REGEX (bash's extended regex over
# the whole text, so it may span lines) matches the log written since the
# previous TEXT was sent; {1} in TEXT stands for what the first group of
# REGEX matched there. --icount runs under TCG with QEMU's instruction
# counting (-icount shift=0): the guest's clock advances one nanosecond per
# instruction, so times the guest measures are repeatable path lengths.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/accel.sh"

kernel="" initrd="" append="" iso="" uefi=0 expect_exit=success
timeout_s=120 accel=${ISOLA_ACCEL:-auto} log="" memory=256M icount=0
expects=() rejects=() send_afters=() send_texts=()

usage() { sed -n '4,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [[ $# -gt 0 ]]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--initrd) initrd=$2; shift ;;
	--append) append=$2; shift ;;
	--iso) iso=$2; shift ;;
	--uefi) uefi=1 ;;
	--expect-exit) expect_exit=$2; shift ;;
	--expect) expects+=("$2"); shift ;;
	--reject) rejects+=("$2"); shift ;;
	--send-after) send_afters+=("$2"); shift ;;
	--send) send_texts+=("$2"); shift ;;
	--step) send_afters+=("$2"); send_texts+=("$3"); shift 2 ;;
	--timeout) timeout_s=$2; shift ;;
	--accel) accel=$2; shift ;;
	--log) log=$2; shift ;;
	--memory) memory=$2; shift ;;
	--icount) icount=1 accel=tcg ;;
	--skip-without-kvm) [[ -r /dev/kvm && -w /dev/kvm ]] || { echo "qemu: no /dev/kvm: skipped"; exit 77; } ;;
	*) echo "run.sh: unknown argument '$1'" >&2; usage ;;
	esac
	shift
done
[[ -n $kernel || -n $iso ]] || usage
[[ $expect_exit == success || $expect_exit == failure ]] || usage
[[ ${#send_afters[@]} == "${#send_texts[@]}" ]] || usage

kind=pvh; [[ -n $iso ]] && kind=iso
accel_args=$(qemu_accel_args "$accel" "$kind") || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[[ -n $log ]] || log=$work/serial.log
: >"$log"

args=($accel_args -m "$memory" -display none -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
[[ $icount == 1 ]] && args+=(-icount shift=0)
if [[ -n $iso ]]; then
	args+=(-cdrom "$iso" -boot order=d) # the CD first, as ./isola run boots it
	[[ $uefi == 1 ]] && args+=(-bios /usr/share/OVMF/OVMF_CODE.fd)
else
	args+=(-kernel "$kernel" -append "$append")
	[[ -n $initrd ]] && args+=(-initrd "$initrd")
fi

start=$(date +%s%N)
if [[ ${#send_afters[@]} == 0 ]]; then
	timeout --kill-after=5 "$timeout_s" qemu-system-x86_64 "${args[@]}" \
		-serial "file:$log"
	status=$?
else
	# Console input goes through a pipe chardev (FIFOs con.in, con.out),
	# each TEXT written once the log shows its REGEX.
	mkfifo "$work/con.in" "$work/con.out"
	timeout --kill-after=5 "$timeout_s" qemu-system-x86_64 "${args[@]}" \
		-chardev "pipe,id=con,path=$work/con" -serial chardev:con &
	qpid=$!
	cat "$work/con.out" >"$log" &
	cpid=$!
	exec 3<>"$work/con.in"
	# The log since the previous send is copied to seen; once a pair's
	# REGEX matches it, its TEXT is sent and the next pair looks only at
	# what comes after.
	step=0 from=1
	while kill -0 $qpid 2>/dev/null; do
		if ((step < ${#send_afters[@]})); then
			tail -c "+$from" "$log" >"$work/seen"
			seen=$(tr -d '\000' <"$work/seen")
			if [[ $seen =~ ${send_afters[step]} ]]; then
				text=${send_texts[step]}
				text=${text//\{1\}/${BASH_REMATCH[1]:-}}
				printf '%b' "$text" >&3
				from=$((from + $(stat -c %s "$work/seen")))
				step=$((step + 1))
				continue
			fi
		fi
		sleep 0.05
	done
	wait $qpid
	status=$?
	exec 3>&-
	kill $cpid 2>/dev/null
	wait $cpid 2>/dev/null
fi
elapsed_ms=$((($(date +%s%N) - start) / 1000000))

fail() {
	echo "qemu: FAIL: $*"
	echo "---- serial log ($log) ----"
	cat "$log"
	echo "---- end of log ----"
	exit 1
}

case $status in
33) got=success ;;
35) got=failure ;;
124|137) fail "timed out after ${timeout_s}s (accel: $accel_args)" ;;
0) fail "the machine reset or powered off without reporting (triple fault?)" ;;
*) fail "QEMU exited with status $status" ;;
esac
[[ $got == "$expect_exit" ]] || fail "kernel reported $got, expected $expect_exit"
for re in "${expects[@]}"; do
	grep -qE -- "$re" "$log" || fail "log does not match /$re/"
done
for re in "${rejects[@]}"; do
	grep -qE -- "$re" "$log" && fail "log matches /$re/, which must not appear"
done
echo "qemu: ok ($got, ${elapsed_ms} ms, $accel_args)"
exit 0
