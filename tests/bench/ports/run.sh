#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SQLite's own benchmark, speedtest1 (`--memdb --size N`: in memory, the
# same work everywhere), side by side in one run (docs/performance.md,
# "SQLite"):
#   host   native: the same amalgamation and defines, clang-14 -O2, static;
#          Node: speedtest1.wasm, the Node build of the SIP's objects,
#          under Node's WASI;
#   QEMU   the Linux guest of the system benchmark (tests/bench/linux/
#          guest.sh: Debian's kernel, busybox) running the static native
#          binary, and Isola running speedtest1.sip from the shell, in the
#          same QEMU machine (-accel tcg unless ISOLA_ACCEL says kvm).
# Each figure is the median of RUNS runs of speedtest1's own TOTAL line
# (its clock: the kernel's time_ns in Isola). The QEMU pair is skipped,
# and says why, when the Linux guest cannot be prepared (no network on
# its first use).
# Usage: run.sh BUILD_DIR [--check] [--size=N] [--runs=N]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
usage() { echo "usage: run.sh BUILD_DIR [--check] [--size=N] [--runs=N]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
build=$(cd "$1" && pwd)
shift
size=10 runs=3 check=0
for arg in "$@"; do
	case $arg in
	--check) check=1 ;;
	--size=*) size=${arg#--size=} ;;
	--runs=*) runs=${arg#--runs=} ;;
	*) usage ;;
	esac
done
[[ $size =~ ^[1-9][0-9]{0,3}$ && $runs =~ ^[1-9]$ ]] || usage
[[ $check == 1 ]] && exit 0

ports=$build/sips/ports
out=$build/bench/ports
mkdir -p "$out"
args="--memdb --size $size"

# The native binary, from SQLite's generated amalgamation.
host=$ports/sqlite.host
native=$out/speedtest1_native
if [[ ! -x $native || $host/sqlite3.c -nt $native ]]; then
	echo "building the native speedtest1 (clang-14 -O2, static)" >&2
	clang-14 -O2 -static -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION \
		-DSQLITE_OMIT_WAL -DSQLITE_MAX_MMAP_SIZE=0 -DSQLITE_TEMP_STORE=2 -DNDEBUG \
		-DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE \
		-DSQLITE_ENABLE_MATH_FUNCTIONS -I"$host" "$host/sqlite3.c" \
		"$build/ports/src/sqlite3/test/speedtest1.c" -o "$native.new" -lm
	mv "$native.new" "$native"
fi

# total: the seconds of speedtest1's TOTAL lines on stdin, one per line.
total() { tr -d '\r' | sed -n 's/^ *TOTAL\.*  *\([0-9.]*\)s$/\1/p'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

declare -A t
for i in $(seq "$runs"); do
	"$native" $args | total
done | median >"$out/native" && t[native]=$(cat "$out/native")
for i in $(seq "$runs"); do
	node --no-warnings "$top/tests/ports/run-wasi.mjs" "$ports/speedtest1.wasm" $args | total
done | median >"$out/node" && t[node]=$(cat "$out/node")

# The QEMU pair.
# Both in the same machine: TCG unless KVM is asked for by name.
acc=tcg accel="-accel tcg -cpu max -M q35"
[[ ${ISOLA_ACCEL:-auto} == kvm ]] && acc=kvm accel="-accel kvm -cpu host -M q35"
qemu_note=""
if "$top/tests/bench/linux/guest.sh" prepare "$build" >"$out/guest-prepare.log" 2>&1; then
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root"/{bin,dev,proc}
	cp "$build/linux-guest/busybox" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$native" "$root/bin/speedtest1"
	cat >"$root/init" <<INIT
#!/bin/sh
/bin/busybox mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
for i in \$(/bin/busybox seq $runs); do /bin/speedtest1 $args; done
echo "guest: done"
/bin/busybox poweroff -f
INIT
	chmod 755 "$root/init"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out/linux.cpio"
	# shellcheck disable=SC2086
	timeout 1800 qemu-system-x86_64 $accel -m 512M -display none -no-reboot \
		-kernel "$build/linux-guest/vmlinuz" -initrd "$out/linux.cpio" \
		-append "console=ttyS0 quiet panic=-1 tsc=reliable no_timer_check rdinit=/init" \
		-serial "file:$out/linux.log" </dev/null >/dev/null 2>&1 || true
	t[linux]=$(total <"$out/linux.log" | median)
	steps=()
	for i in $(seq "$runs"); do
		steps+=(--step "isola> " "run speedtest1 $args\\n")
	done
	steps+=(--step "isola> " "exit\\n" --step "kernel console takes over" "halt\\n")
	"$top/tests/qemu/run.sh" --accel "$acc" --kernel "$build/kernel/isola.elf" \
		--initrd "$build/initrd.cpio" --memory 512M "${steps[@]}" --expect halting \
		--timeout 1800 --log "$out/isola.log" >/dev/null || true
	t[isola]=$(total <"$out/isola.log" | median)
else
	qemu_note="no Linux guest ($(tail -1 "$out/guest-prepare.log")), so no QEMU pair"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "-" }'; }
echo "speedtest1 $args, median of $runs, seconds (speedtest1's TOTAL)"
printf '%-34s %10s %10s\n' "where" "seconds" "ratio"
printf '%-34s %10s %10s\n' "host, native (clang-14 -O2)" "${t[native]:--}" "1.00x"
printf '%-34s %10s %10s\n' "host, Node's WASI (same module)" "${t[node]:--}" "$(ratio "${t[node]:-0}" "${t[native]:-0}")"
if [[ -z $qemu_note ]]; then
	printf '%-34s %10s %10s\n' "QEMU, Linux guest, native" "${t[linux]:--}" "1.00x"
	printf '%-34s %10s %10s\n' "QEMU, Isola, speedtest1.sip" "${t[isola]:--}" "$(ratio "${t[isola]:-0}" "${t[linux]:-0}")"
else
	echo "$qemu_note"
fi
