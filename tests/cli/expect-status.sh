#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a command and checks its exit status; for usage errors (2) also that
# it printed the usage text. Usage: expect-status.sh STATUS COMMAND...
want=$1
shift
out=$("$@" 2>&1)
got=$?
if [[ $got != "$want" ]]; then
	echo "expected exit $want, got $got from: $*"
	echo "$out"
	exit 1
fi
if [[ $want == 2 ]] && ! grep -q "^usage:" <<<"$out"; then
	echo "exit 2 without usage text from: $*"
	echo "$out"
	exit 1
fi
echo "ok: exit $got from: $*"
