#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Linux guest of the system benchmark (tests/bench/system/run.sh,
# docs/performance.md): Debian's own kernel and a busybox initramfs that
# runs bench_linux, booted in the same QEMU machine as Isola, so that the
# two are measured by the same emulator.
#
#   guest.sh prepare BUILD_DIR
#   guest.sh run BUILD_DIR [--quick] [--icount] [--accel-args ARGS] [--log FILE]
#
# prepare: fills the cache BUILD_DIR/linux-guest/ and builds its
# initramfs. Exit 0 when the guest is ready, 3 when this machine cannot
# make it (no network on the first run, no static C library: the caller
# leaves the column out), 1 on an error (a cache that cannot be repaired).
# run: boots the guest and prints bench_linux's `KEY MEDIAN P10 P90 UNIT`
# lines; exit 1 when the guest does not get to `linux: done`.
#
# Design. The packages come from the machine's own apt sources through
# `apt-get download`, which checks each .deb against apt's signed indexes;
# nothing is installed and apt's configuration is not touched. The first
# fetch pins what it got: BUILD_DIR/linux-guest/pins has one line per
# package, `PACKAGE VERSION SHA256 FILE`. Every later run checks the cached
# files against the pins and calls no apt at all when they match, so the
# kernel under test changes only when the cache is removed (then the newest
# kernel of the release is pinned anew). A file that does not match its pin
# is fetched again at the pinned version and must then match, or prepare
# fails: never a silently different kernel. Only the kernel image
# (/boot/vmlinuz-*) and busybox are unpacked; the guest needs no modules,
# since everything it uses (8250 serial, initramfs, ACPI power-off) is built
# into Debian's kernel.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KERNEL_META=linux-image-amd64
BUSYBOX=busybox-static

# The command line, each option for a reason:
#   console=ttyS0  the only console is the serial port QEMU logs;
#   quiet          boot messages go to the log only at warning level: every
#                  character on the emulated UART costs time under TCG, and
#                  the bench lines stay easy to read;
#   panic=-1       a panic (init dying) reboots at once, which -no-reboot
#                  turns into QEMU exiting, instead of waiting for the timeout;
#   tsc=reliable   skips the TSC watchdog against the HPET/ACPI PM timer,
#                  which under emulation misjudges the TSC and switches
#                  clock sources in the middle of a measurement;
#   no_timer_check skips the IO-APIC timer check, a few busy-waited
#                  ticks that are slow under TCG;
#   rdinit=/init   the initramfs's script (the default, said explicitly).
# The spectre/meltdown mitigations are left at Debian's defaults: the Linux
# column is Linux as shipped.
CMDLINE="console=ttyS0 quiet panic=-1 tsc=reliable no_timer_check rdinit=/init"

die() { echo "guest: $*" >&2; exit 1; }
unavailable() { echo "guest: $*" >&2; exit 3; }

# pin_check CACHE LINE: status 0 when the file of a pins line is there and
# has its hash.
pin_check() {
	local cache=$1 pkg ver sum file
	read -r pkg ver sum file <<<"$2"
	[[ -f $cache/debs/$file ]] || return 1
	[[ $(sha256sum "$cache/debs/$file" | cut -d' ' -f1) == "$sum" ]]
}

# apt_download DIR PACKAGE[=VERSION]...: apt-get download into DIR; when
# the indexes are missing or stale and we are root, refreshes them once
# (apt-get update changes no configuration).
apt_download() {
	local dir=$1
	shift
	command -v apt-get >/dev/null || return 1
	(cd "$dir" && apt-get download -q=2 "$@") >/dev/null 2>&1 && return 0
	[[ $(id -u) == 0 ]] || return 1
	apt-get update -qq >/dev/null 2>&1 || return 1
	(cd "$dir" && apt-get download -q=2 "$@") >/dev/null 2>&1
}

# repair CACHE: fetches again, at the pinned version, each file that does
# not match its pin; fails when a fetched file still does not match.
repair() {
	local cache=$1 line pkg ver sum file
	while read -r line; do
		pin_check "$cache" "$line" && continue
		read -r pkg ver sum file <<<"$line"
		echo "guest: $file is missing or does not match its pin: fetching $pkg $ver again" >&2
		rm -f "$cache/debs/$file" "$cache/unpacked.sha256"
		apt_download "$cache/debs" "$pkg=$ver" ||
			die "cannot fetch $pkg $ver again (no network, or the version left the archive); remove $cache to pin the current packages"
		pin_check "$cache" "$line" ||
			die "$file fetched again does not match its pin ($sum); remove $cache to pin anew"
	done <"$cache/pins"
}

# kernel_package: the kernel package the metapackage stands for today.
kernel_package() {
	apt-cache depends "$KERNEL_META" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1
}

# first_fetch CACHE: downloads the current kernel and busybox and pins them.
first_fetch() {
	local cache=$1 kpkg f
	mkdir -p "$cache/debs"
	kpkg=$(kernel_package)
	if [[ -z $kpkg && $(id -u) == 0 ]]; then
		apt-get update -qq >/dev/null 2>&1 && kpkg=$(kernel_package)
	fi
	[[ -n $kpkg ]] || unavailable "apt knows no $KERNEL_META (no Debian sources?)"
	echo "guest: fetching $kpkg and $BUSYBOX with apt-get download (once; then pinned)" >&2
	apt_download "$cache/debs" "$kpkg" "$BUSYBOX" ||
		unavailable "apt-get download $kpkg $BUSYBOX failed (no network?)"
	: >"$cache/pins.new"
	for f in "$cache"/debs/*.deb; do
		printf '%s %s %s %s\n' "$(dpkg-deb -f "$f" Package)" "$(dpkg-deb -f "$f" Version)" \
			"$(sha256sum "$f" | cut -d' ' -f1)" "$(basename "$f")" >>"$cache/pins.new"
	done
	if ! grep -q "^$kpkg " "$cache/pins.new" || ! grep -q "^$BUSYBOX " "$cache/pins.new"; then
		die "the download did not give $kpkg and $BUSYBOX"
	fi
	mv "$cache/pins.new" "$cache/pins"
}

# unpack CACHE: the kernel image and busybox out of the pinned .debs,
# again whenever the unpacked copies do not match the hashes taken when
# they were unpacked (unpacked.sha256).
unpack() {
	local cache=$1 tmp kdeb bdeb
	if [[ -f $cache/unpacked.sha256 ]] &&
		(cd "$cache" && sha256sum --quiet --status -c unpacked.sha256); then
		return 0
	fi
	kdeb=$cache/debs/$(awk '$1 ~ /^linux-image-/ {print $4}' "$cache/pins")
	bdeb=$cache/debs/$(awk -v p="$BUSYBOX" '$1 == p {print $4}' "$cache/pins")
	tmp=$(mktemp -d)
	dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*'
	dpkg-deb -x "$bdeb" "$tmp"
	cp "$tmp"/boot/vmlinuz-* "$cache/vmlinuz"
	cp "$tmp/bin/busybox" "$cache/busybox"
	rm -rf "$tmp"
	(cd "$cache" && sha256sum vmlinuz busybox >unpacked.sha256)
}

# initramfs CACHE BUILD: busybox, the static benchmark and hello, and
# init.sh as /init, in an uncompressed cpio (nothing to inflate under
# emulation).
initramfs() {
	local cache=$1 build=$2 root
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,bench,dev,proc,sys,tmp}
	cp "$cache/busybox" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$build/bench/bench_linux_static" "$root/bench/bench_linux"
	cp "$build/bench/bench_hello_static" "$root/bench/hello"
	install -m 755 "$here/init.sh" "$root/init"
	# Written aside, then renamed: a guest booting meanwhile reads the
	# old archive whole.
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$cache/initramfs.cpio.new"
	mv "$cache/initramfs.cpio.new" "$cache/initramfs.cpio"
	rm -rf "$root"
}

do_prepare() {
	local build=$1 cache=$1/linux-guest
	for t in dpkg-deb cpio sha256sum; do
		command -v $t >/dev/null || unavailable "needs $t"
	done
	[[ -x $build/bench/bench_linux_static ]] ||
		unavailable "no static C library (Debian: libc6-dev), so no static bench_linux for the guest"
	file "$build/bench/bench_hello_static" | grep -q "statically linked" ||
		unavailable "bench_hello_static is not static"
	mkdir -p "$cache"
	if [[ -f $cache/pins ]]; then
		repair "$cache"
	else
		rm -rf "$cache/debs" "$cache/unpacked.sha256"
		first_fetch "$cache"
	fi
	unpack "$cache"
	initramfs "$cache" "$build"
}

do_run() {
	local build=$1 cache=$1/linux-guest quick=0 icount=0 log="" args="-accel tcg -cpu max -M q35"
	shift
	while [[ $# -gt 0 ]]; do
		case $1 in
		--quick) quick=1 ;;
		--icount) icount=1 ;;
		--accel-args) args=$2; shift ;;
		--log) log=$2; shift ;;
		*) echo "usage: guest.sh run BUILD_DIR [--quick] [--icount] [--accel-args ARGS] [--log FILE]" >&2; exit 2 ;;
		esac
		shift
	done
	[[ -f $cache/initramfs.cpio && -f $cache/vmlinuz ]] || die "not prepared (guest.sh prepare $build)"
	[[ -n $log ]] || log=$cache/serial.log
	local mode=full extra=()
	[[ $quick == 1 ]] && mode=quick
	# Under -icount the guest's random numbers come from a fixed seed
	# (QEMU's -seed feeds RDRAND): Linux keeps its address-space
	# randomization, but lays out the same addresses on every run, so the
	# page tables a fork or exec builds, and the path lengths, repeat.
	[[ $icount == 1 ]] && extra=(-icount shift=0 -seed 1)
	# The guest's one CPU is the CPU bench_linux pins itself to; `bench=`
	# reaches init as an environment variable.
	# shellcheck disable=SC2086
	timeout --kill-after=5 900 qemu-system-x86_64 $args -m 256M -display none -no-reboot \
		"${extra[@]}" -kernel "$cache/vmlinuz" -initrd "$cache/initramfs.cpio" \
		-append "$CMDLINE bench=$mode" -serial "file:$log" </dev/null ||
		{ echo "guest: QEMU exited with status $?" >&2; }
	tr -d '\r' <"$log" | grep -q '^linux: done' ||
		{ tail -n 30 "$log" >&2; die "the guest did not finish bench_linux (log: $log)"; }
	tr -d '\r' <"$log" | sed -n 's/^linux: //p'
}

case ${1:-} in
prepare) [[ $# == 2 ]] || { echo "usage: guest.sh prepare BUILD_DIR" >&2; exit 2; }; do_prepare "$2" ;;
run) [[ $# -ge 2 ]] || { echo "usage: guest.sh run BUILD_DIR [...]" >&2; exit 2; }; shift; do_run "$@" ;;
*) printf 'usage: guest.sh prepare BUILD_DIR\n       guest.sh run BUILD_DIR [--quick] [--icount] [--accel-args ARGS] [--log FILE]\n' >&2; exit 2 ;;
esac
