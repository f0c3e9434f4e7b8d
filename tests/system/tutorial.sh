#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The system.tutorial test: follows docs/writing-a-sip.md. Writes the
# files of the page's listings (which must be docs/examples/greeter/) into
# a folder of its own, builds them with sipcc, verifies both images, adds
# them to the initrd with mkinitrd.sh (as `./isola run FILE...` does) and
# hands the rest of the command line to tests/qemu/run.sh, which boots that
# initrd and drives the shell.
#
#   tutorial.sh BUILD_DIR WORK_DIR [run.sh args...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
[[ $# -ge 2 ]] || { sed -n '10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$(cd "$1" && pwd)
work=$2
shift 2

# The reader's empty folder, and the files the tutorial has them write:
# each listing that follows a `<!-- file: NAME -->` line in the page. They
# must be the files of docs/examples/greeter/, no more and no less.
rm -rf "$work"
mkdir -p "$work"
cd "$work"
awk '/^<!-- file: .* -->$/ { name = $3; next }
     name != "" && /^```/ { if (open) { close(name); name = ""; open = 0 } else open = 1; next }
     open { print > name }' "$top/docs/writing-a-sip.md"
for f in "$top"/docs/examples/greeter/*; do
	cmp -s "$f" "$(basename "$f")" ||
		{ echo "tutorial: the listing of $(basename "$f") differs from $f" >&2; exit 1; }
done
[[ $(ls | wc -l) -eq $(ls "$top"/docs/examples/greeter | wc -l) ]] ||
	{ echo "tutorial: the page lists other files than docs/examples/greeter/" >&2; exit 1; }

# The commands of the tutorial, word for word ("$ISOLA/build" is $build).
"$build/bin/sipcc" --manifest greeterd.manifest -o greeterd.sip greeterd.c greeter.contract
"$build/bin/sipcc" --manifest greet.manifest -o greet.sip greet.c greeter.contract
"$build/bin/sipverify" greeterd.sip greet.sip

"$here/mkinitrd.sh" "$build/initrd" "$work/initrd" "$work/initrd.cpio" greeterd.sip greet.sip
exec "$here/../qemu/run.sh" --kernel "$build/kernel/isola.elf" --initrd "$work/initrd.cpio" "$@"
