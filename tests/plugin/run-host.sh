#!/bin/sh
# SPDX-License-Identifier: MIT
# Compiles a run/ test for the host with the sipcheck plugin and runs it once
# per line of its .expected file ("case|exit status|output"), comparing the
# exit status and the output. Compiles from the source's folder so that file
# names in messages are stable.
#   run-host.sh CLANG PLUGIN SRC EXPECTED [clang flags...]
set -eu
clang=$1 plugin=$2 src=$3 expected=$4
shift 4
exe=$(mktemp)
trap 'rm -f "$exe"' EXIT
cd "$(dirname "$src")"
"$clang" -O2 -fplugin="$plugin" "$@" "$(basename "$src")" -o "$exe"
fail=0
while IFS='|' read -r arg want_rc want_out; do
	case "$arg" in '' | '#'*) continue ;; esac
	rc=0
	out=$("$exe" "$arg" 2>&1) || rc=$?
	if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ]; then
		echo "case $arg: want $want_rc '$want_out', got $rc '$out'"
		fail=1
	fi
done <"$expected"
exit $fail
