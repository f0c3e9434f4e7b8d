#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks a profile printed in a QEMU log (docs/profiling.md): the first
# WebAssembly row of the last report is WANT (SIP:function).
# Usage: prof_top.sh LOG WANT
set -euo pipefail
log=${1:?usage: prof_top.sh LOG WANT} want=${2:?usage: prof_top.sh LOG WANT}
top=$(awk '{ sub(/\r$/, "") }
	/prof:  share samples  where/ { first = "" }
	/^prof: .*  wasm   / && first == "" { first = $NF }
	END { print first }' "$log")
if [[ $top != "$want" ]]; then
	echo "prof_top: the first SIP function is '$top', expected '$want'" >&2
	exit 1
fi
echo "prof_top: ok ($want)"
