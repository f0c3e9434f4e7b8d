#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `./isola run FILE.sip` boots the kernel (its console straight away, with
# init=none), and after `halt` exits with status 0: QEMU's 33 from
# isa-debug-exit is the kernel's success, mapped by qemu_exit_status
# (tests/qemu/accel.sh) as run.sh maps it. The mapping itself: 33 is 0,
# 35 (the kernel's failure) is 1, anything else is passed on.
# Usage: run_exit_test.sh ISOLA BUILD_DIR SIP
set -uo pipefail
isola=$1 build=$2 sip=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "FAIL: $*"; [[ -f ${work:-}/out ]] && cat "$work/out"; exit 1; }

source "$here/../qemu/accel.sh"
for pair in 33:0 35:1 1:1 0:0 130:130; do
	[[ $(qemu_exit_status "${pair%%:*}") == "${pair##*:}" ]] ||
		fail "qemu_exit_status ${pair%%:*} is not ${pair##*:}"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/in"
ISOLA_BUILD_DIR=$build ISOLA_CMDLINE=init=none timeout 120 \
	"$isola" --tcg run "$sip" <"$work/in" >"$work/out" 2>&1 &
pid=$!
exec 3>"$work/in"
# The kernel console's prompt, then halt.
while kill -0 $pid 2>/dev/null && ! grep -q 'isola> ' "$work/out"; do
	sleep 0.1
done
printf 'halt\n' >&3
wait $pid
rc=$?
exec 3>&-
grep -q halting "$work/out" || fail "the kernel did not halt"
[[ $rc == 0 ]] || fail "./isola run exited $rc after halt, want 0"
echo "ok: ./isola run exits 0 after halt"
