#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boots Isola in QEMU and drives a console session: each --step waits until
# the serial log, from where the previous step left off, matches REGEX and
# then types TEXT, in which {1} stands for what the regex's first group
# matched. Checks the log and the isa-debug-exit status like
# tests/qemu/run.sh. Exit 0 when every expectation holds, 1 otherwise, 2 on
# usage.
#
#   session.sh (--kernel ELF --initrd FILE | --iso ISO)
#              [--step REGEX TEXT]... [--expect REGEX]... [--reject REGEX]...
#              [--expect-exit success|failure] [--timeout SECONDS] [--accel A]
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../qemu/accel.sh"

kernel="" initrd="" iso="" expect_exit=success timeout_s=60
accel=${ISOLA_ACCEL:-auto}
step_re=() step_text=() expects=() rejects=()

usage() { sed -n '10,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [[ $# -gt 0 ]]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--initrd) initrd=$2; shift ;;
	--iso) iso=$2; shift ;;
	--step) step_re+=("$2"); step_text+=("$3"); shift 2 ;;
	--expect) expects+=("$2"); shift ;;
	--reject) rejects+=("$2"); shift ;;
	--expect-exit) expect_exit=$2; shift ;;
	--timeout) timeout_s=$2; shift ;;
	--accel) accel=$2; shift ;;
	*) echo "session.sh: unknown argument '$1'" >&2; usage ;;
	esac
	shift
done
[[ -n $kernel || -n $iso ]] || usage

kind=pvh; [[ -n $iso ]] && kind=iso
accel_args=$(qemu_accel_args "$accel" "$kind") || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/serial.log
: >"$log"

args=($accel_args -m 256M -display none -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [[ -n $iso ]]; then
	args+=(-cdrom "$iso")
else
	args+=(-kernel "$kernel" -append "" -initrd "$initrd")
fi

mkfifo "$work/con.in" "$work/con.out"
start=$(date +%s%N)
timeout --kill-after=5 "$timeout_s" qemu-system-x86_64 "${args[@]}" \
	-chardev "pipe,id=con,path=$work/con" -serial chardev:con &
qpid=$!
cat "$work/con.out" >"$log" &
cpid=$!
exec 3<>"$work/con.in"
step=0 from=0
while kill -0 $qpid 2>/dev/null; do
	if [[ $step -lt ${#step_re[@]} ]]; then
		size=$(stat -c %s "$log")
		seen=$(tail -c +$((from + 1)) "$log" | tr -d '\000')
		re=${step_re[$step]}
		if [[ $seen =~ $re ]]; then
			text=${step_text[$step]}
			text=${text//\{1\}/${BASH_REMATCH[1]:-}}
			from=$size
			printf '%b' "$text" >&3
			step=$((step + 1))
		fi
	fi
	sleep 0.05
done
wait $qpid
status=$?
exec 3>&-
kill $cpid 2>/dev/null
wait $cpid 2>/dev/null
elapsed_ms=$((($(date +%s%N) - start) / 1000000))

fail() {
	echo "session: FAIL: $*"
	echo "---- serial log ----"
	cat "$log"
	echo "---- end of log ----"
	exit 1
}

case $status in
33) got=success ;;
35) got=failure ;;
124|137) fail "timed out after ${timeout_s}s at step $step (accel: $accel_args)" ;;
*) fail "QEMU exited with status $status" ;;
esac
[[ $got == "$expect_exit" ]] || fail "kernel reported $got, expected $expect_exit"
[[ $step -eq ${#step_re[@]} ]] || fail "stopped at step $step of ${#step_re[@]}"
for re in "${expects[@]}"; do
	grep -qE -- "$re" "$log" || fail "log does not match /$re/"
done
for re in "${rejects[@]}"; do
	grep -qE -- "$re" "$log" && fail "log matches /$re/, which must not appear"
done
echo "session: ok ($got, ${elapsed_ms} ms, $accel_args)"
exit 0
