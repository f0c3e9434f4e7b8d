#!/bin/sh
# SPDX-License-Identifier: MIT
# Applies the fix-its sipcheck attaches to its errors (clang -fixit) to a
# copy of sipcc/fixits.c and checks that the result is accepted.
#   check-fixits.sh CLANG PLUGIN SOURCE_DIR [clang flags...]
set -eu
clang=$1 plugin=$2 dir=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$dir/sipcc/fixits.c" "$tmp/fixits.c"
if "$clang" "$@" -fsyntax-only -fplugin="$plugin" -Xclang -fixit \
	"$tmp/fixits.c" 2>/dev/null; then
	echo "fixits.c was accepted before its fix-its were applied"
	exit 1
fi
grep -q 'int no_void(void)' "$tmp/fixits.c" || { cat "$tmp/fixits.c"; exit 1; }
grep -q 'int \*p = 0;' "$tmp/fixits.c" || { cat "$tmp/fixits.c"; exit 1; }
"$clang" "$@" -fsyntax-only -fplugin="$plugin" "$tmp/fixits.c"
echo ok
