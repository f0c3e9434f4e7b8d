#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The system.tutorial test: follows docs/writing-a-sip.md. Writes the
# files of the page's listings (which must be docs/examples/greeter/) into
# a folder of its own, runs the page's build and verify commands as
# written, checks that what sipcc prints for the page's two mistakes and
# what sipverify prints are the page's output blocks, adds the images to
# an initrd with mkinitrd.sh (as `./isola run FILE...` does), boots it
# with tests/qemu/run.sh, types the page's session commands and checks the
# serial log against the page's session block. Extra arguments go to
# run.sh.
#
#   tutorial.sh BUILD_DIR WORK_DIR [run.sh args...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
[[ $# -ge 2 ]] || { sed -n '13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
build=$(cd "$1" && pwd)
work=$2
shift 2
doc=$top/docs/writing-a-sip.md

die() {
	echo "tutorial: $*" >&2
	exit 1
}

# block KIND NAME: the fenced block after the line <!-- KIND: NAME -->.
block() {
	awk -v want="<!-- $1: $2 -->" '
		$0 == want { found = 1; next }
		found && /^```/ { if (open) exit; open = 1; next }
		open { print }' "$doc"
}

# norm: output as compared. Left out: the kernel log's times and levels,
# the prompt before a line, ps's sizes and counts (and the spaces that
# align them), sipverify's counts, trailing spaces.
norm() {
	sed -E -e 's/\r$//' -e 's/[[:space:]]+$//' \
		-e 's/^\[ *[0-9]+\.[0-9]+\] [A-Z] /[T] L /' -e 's/^isola> //' \
		-e 's/^( *[0-9]+ +[a-z]+ +[^ ]+) +[0-9]+ KiB +[0-9]+ blocks +[0-9]+ handles +code +-?[0-9]+$/\1 N KiB N blocks N handles code N/' \
		-e '/handles code N$/s/ +/ /g' \
		-e 's/: ok \([0-9]+ functions, [0-9]+ bytes\)$/: ok (N functions, N bytes)/'
}

# expect_output NAME FILE: every line of the page's output block NAME
# (but "...") is a line of FILE, once both are normalized.
expect_output() {
	local want got line missing=0
	want=$(block output "$1" | norm)
	[[ -n $want ]] || die "the page has no output block '$1'"
	got=$(norm <"$2")
	while IFS= read -r line; do
		[[ $line == ... ]] && continue
		grep -Fxq -- "$line" <<<"$got" && continue
		echo "tutorial: output '$1': the page's line is not printed: $line" >&2
		missing=1
	done <<<"$want"
	[[ $missing == 0 ]] || { echo "--- printed:" >&2; cat "$2" >&2; exit 1; }
}

# run_commands NAME: runs the page's commands block NAME as written, with
# $ISOLA/build as the build folder and `$ISOLA/isola verify` as the
# sipverify it runs; their output goes to $work/NAME.out.
run_commands() {
	local line cmd n=0
	while IFS= read -r line; do
		cmd=${line//'$ISOLA/build/'/$build/}
		cmd=${cmd//'$ISOLA/isola verify'/$build/bin/sipverify}
		[[ $cmd != *'$ISOLA'* ]] || die "commands '$1': cannot run: $line"
		eval "$cmd" >>"$work/$1.out" 2>&1 || die "commands '$1': failed: $line: $(cat "$work/$1.out")"
		n=$((n + 1))
	done < <(block commands "$1")
	[[ $n -gt 0 ]] || die "the page has no commands block '$1'"
}

# The reader's empty folder, and the files the tutorial has them write:
# each listing that follows a `<!-- file: NAME -->` line in the page. They
# must be the files of docs/examples/greeter/, no more and no less.
rm -rf "$work"
mkdir -p "$work/src"
cd "$work/src"
awk '/^<!-- file: .* -->$/ { name = $3; next }
     name != "" && /^```/ { if (open) { close(name); name = ""; open = 0 } else open = 1; next }
     open { print > name }' "$doc"
for f in "$top"/docs/examples/greeter/*; do
	cmp -s "$f" "$(basename "$f")" ||
		die "the listing of $(basename "$f") differs from $f"
done
[[ $(ls | wc -l) -eq $(ls "$top"/docs/examples/greeter | wc -l) ]] ||
	die "the page lists other files than docs/examples/greeter/"

# The page's commands, and what the tools print for its two mistakes.
run_commands build
run_commands verify
expect_output verify "$work/verify.out"
mistake() { # mistake NAME SED-SCRIPT: greet.c changed, built, refused
	mkdir -p "$work/$1"
	cp greet.manifest greeter.contract "$work/$1/"
	sed "$2" greet.c >"$work/$1/greet.c"
	cmp -s greet.c "$work/$1/greet.c" && die "mistake '$1': the listing has no such line"
	if (cd "$work/$1" && "$build/bin/sipcc" --manifest greet.manifest -o greet.sip \
		greet.c greeter.contract) >"$work/$1.out" 2>&1; then
		die "mistake '$1': sipcc accepted it"
	fi
	expect_output "$1" "$work/$1.out"
}
mistake no-free '/sip_bytes_free(m.greeting.text);/d'
mistake dropped 's/greeter_imp_done_close(greeter_imp_ready_send_bye(m.greeting.ep));/greeter_imp_ready_send_bye(m.greeting.ep);/'

# The session: the commands the page types, the steps below types them.
cmds=$'run greeterd &\nrun greet World\nls\nps\nkill ID\nrun greet again\nexit\nhalt'
[[ $(block input session) == "$cmds" ]] ||
	die "the page's session commands changed; update the steps in $0"
"$here/mkinitrd.sh" "$build/initrd" "$work/initrd" "$work/initrd.cpio" greeterd.sip greet.sip
nl=$'\n'
p='isola> '
"$here/../qemu/run.sh" --kernel "$build/kernel/isola.elf" --initrd "$work/initrd.cpio" \
	--log "$work/session.log" \
	--step "$p" 'run greeterd &\n' \
	--step 'greeterd: serving /svc/greeter' 'run greet World\n' \
	--step "greet: exited \\([0-9]+\\).*$p" 'ls\n' \
	--step "$p" 'ps\n' \
	--step "([0-9]+) +running +greeterd(.|$nl)*$p" 'kill {1}\n' \
	--step "greeterd: killed(.|$nl)*$p" 'run greet again\n' \
	--step "greet: exited \\([0-9]+\\).*$p" 'exit\n' \
	--step 'kernel console takes over' 'halt\n' \
	--expect '^Hello, World!' --expect 'halting' \
	--reject 'contract violated' --reject 'trapped' "$@" ||
	die "the session failed (log: $work/session.log)"
expect_output session "$work/session.log"
echo "tutorial: ok"
