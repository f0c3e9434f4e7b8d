#!/bin/sh
# SPDX-License-Identifier: MIT
# Tests sipcc as a user runs it: a clean SIP source compiles to a wasm32
# object with the plugin loaded; a bad one is refused with its rule ID;
# --no-check compiles the bad one and warns.
#   check-sipcc.sh SIPCC SOURCE_DIR
set -eu
sipcc=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inc="-I$dir/include"

"$sipcc" $inc -c "$dir/sipcc/kv_server.c" -o "$tmp/kv.o"
magic=$(od -An -c -N4 "$tmp/kv.o" | tr -d ' ')
[ "$magic" = '\0asm' ] || { echo "kv.o is not wasm: $magic"; exit 1; }

if "$sipcc" -c "$dir/sipcc/bad.c" -o "$tmp/bad.o" 2>"$tmp/err"; then
	echo "sipcc accepted bad.c"
	exit 1
fi
grep -q '\[CC001\]' "$tmp/err" || { cat "$tmp/err"; exit 1; }

"$sipcc" --no-check -c "$dir/sipcc/bad.c" -o "$tmp/bad.o" 2>"$tmp/warn"
grep -q 'warning: --no-check' "$tmp/warn" || { cat "$tmp/warn"; exit 1; }
echo ok
