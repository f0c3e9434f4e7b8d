#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `./isola run` as a person runs it, the console on its standard input and
# output: the ISO boots through the firmware and GRUB without a failed
# boot attempt ("Boot failed: ..."), to the shell's prompt; `exit` and
# `halt` power off, and ./isola exits 0 (QEMU's 33 from isa-debug-exit is
# the kernel's success, mapped by qemu_exit_status, tests/qemu/accel.sh).
# `./isola run FILE.sip` (the kernel directly, its console straight away
# with init=none) exits 0 after `halt` too. The mapping itself: 33 is 0,
# 35 (the kernel's failure) is 1, anything else is passed on.
# Usage: run_exit_test.sh ISOLA BUILD_DIR SIP
set -uo pipefail
isola=$1 build=$2 sip=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "FAIL: $*"; [[ -f ${work:-}/out ]] && cat -v "$work/out"; exit 1; }

source "$here/../qemu/accel.sh"
for pair in 33:0 35:1 1:1 0:0 130:130; do
	[[ $(qemu_exit_status "${pair%%:*}") == "${pair##*:}" ]] ||
		fail "qemu_exit_status ${pair%%:*} is not ${pair##*:}"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# session NAME STEPS... -- ISOLA-ARGS...: runs ./isola with ISOLA-ARGS,
# each STEP "REGEX=>TEXT" sending TEXT once the output matches REGEX;
# leaves the exit status in $rc and the output in $work/out.
session() {
	local steps=() s
	while [[ $1 != -- ]]; do steps+=("$1"); shift; done
	shift
	rm -f "$work/in" "$work/out"
	mkfifo "$work/in"
	ISOLA_BUILD_DIR=$build timeout 180 "$isola" --tcg "$@" <"$work/in" >"$work/out" 2>&1 &
	local pid=$!
	exec 3>"$work/in"
	for s in "${steps[@]}"; do
		while kill -0 $pid 2>/dev/null && ! grep -Eq "${s%%=>*}" "$work/out"; do
			sleep 0.1
		done
		printf '%b' "${s#*=>}" >&3
	done
	wait $pid
	rc=$?
	exec 3>&-
}

session 'started shell.*isola> |isola> $=>exit\n' 'kernel console takes over=>halt\n' -- run
grep -q halting "$work/out" || fail "run (ISO): the kernel did not halt"
grep -q 'Boot failed' "$work/out" && fail "run (ISO): a failed boot attempt before GRUB"
grep -q 'Booting from DVD/CD' "$work/out" || fail "run (ISO): the firmware did not boot the CD"
[[ $rc == 0 ]] || fail "run (ISO) exited $rc after halt, want 0"
echo "ok: ./isola run boots the ISO cleanly and exits 0 after halt"

ISOLA_CMDLINE=init=none session 'kernel> =>halt\n' -- run "$sip"
grep -q halting "$work/out" || fail "run FILE: the kernel did not halt"
[[ $rc == 0 ]] || fail "run FILE exited $rc after halt, want 0"
echo "ok: ./isola run FILE exits 0 after halt"
