#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes an initrd with user SIPs added to the system's: copies the system
# initrd's folder (BUILD/initrd, made by the build), puts each FILE in its
# sips/ under its own file name and packs the copy as a newc cpio, with the
# same command as kernel/CMakeLists.txt. Used by `./isola run FILE...` and
# by the system.tutorial test. Exit 0, 1 for a bad FILE (missing, not a
# WebAssembly module, or named like a system SIP or another FILE), 2 on
# usage.
#
#   mkinitrd.sh --check FILE...                      checks the files only
#   mkinitrd.sh SYSTEM_DIR OUT_DIR OUT_CPIO FILE...  builds OUT_CPIO
set -euo pipefail

usage() { sed -n '11,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
bad() { echo "mkinitrd: $*" >&2; exit 1; }

# The SIP name the kernel would look up for a file: its name without .sip.
sip_name() {
	local base
	base=$(basename "$1")
	echo "${base%.sip}"
}

# Each file exists, starts with the WebAssembly magic "\0asm", and no two
# share a SIP name.
check_files() {
	local f magic seen=" "
	for f in "$@"; do
		[[ -f $f ]] || bad "$f: no such file"
		magic=$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')
		[[ $magic == 0061736d ]] || bad "$f: not a WebAssembly module (build it with sipcc)"
		[[ $seen != *" $(sip_name "$f") "* ]] || bad "$f: two files are named $(sip_name "$f")"
		seen+="$(sip_name "$f") "
	done
}

# No file may replace a system SIP (NAME.sip or NAME in SYSTEM_DIR/sips).
check_clashes() {
	local sys=$1 f name
	shift
	for f in "$@"; do
		name=$(sip_name "$f")
		if [[ -e $sys/sips/$name.sip || -e $sys/sips/$name ]]; then
			bad "$f: '$name' is the name of a system SIP; rename the file"
		fi
	done
}

if [[ ${1:-} == --check ]]; then
	shift
	[[ $# -ge 1 ]] || usage
	check_files "$@"
	exit 0
fi
[[ $# -ge 4 ]] || usage
sys=$1 out_dir=$2 out_cpio=$3
shift 3
[[ -d $sys/sips ]] || bad "$sys: no system initrd here (build first)"
check_files "$@"
check_clashes "$sys" "$@"
rm -rf "$out_dir"
mkdir -p "$(dirname "$out_dir")"
cp -R "$sys" "$out_dir"
for f in "$@"; do
	cp "$f" "$out_dir/sips/$(basename "$f")"
done
out_cpio=$(cd "$(dirname "$out_cpio")" && pwd)/$(basename "$out_cpio")
(cd "$out_dir" && find . -type f | LC_ALL=C sort | cpio -o -H newc --quiet >"$out_cpio")
