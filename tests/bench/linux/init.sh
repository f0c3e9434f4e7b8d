#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the Linux guest's initramfs (guest.sh): mounts what bench_linux
# needs, runs it on the serial console and powers the machine off. `bench`
# comes from the kernel command line (quick or full). The initramfs has no
# /dev/console node (it is built without root), so the console is opened
# once devtmpfs is mounted.
/bin/busybox mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
# Kernel start to here, on the guest's clock (instructions under -icount).
# shellcheck disable=SC2016
/bin/busybox awk '{ printf "linux: boot_ms %d %d %d ms\n", $1 * 1000, $1 * 1000, $1 * 1000 }' /proc/uptime
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t tmpfs tmp /tmp
flags=""
[ "${bench:-full}" = quick ] && flags=--quick
echo "linux: guest_kernel $(/bin/busybox uname -r)"
echo "linux: guest_meltdown $(/bin/busybox cat /sys/devices/system/cpu/vulnerabilities/meltdown)"
/bench/bench_linux $flags --cpu 0 /bench/hello
echo "linux: guest_exit $?"
echo
/bin/busybox poweroff -f
