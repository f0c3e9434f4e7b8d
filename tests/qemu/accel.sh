# SPDX-License-Identifier: MIT
# Choosing QEMU's accelerator; sourced by ./isola and tests/qemu/run.sh.
#
# KVM is used when /dev/kvm can be opened and really runs guest code on
# the CPU. Some hosts offer /dev/kvm through a software layer (the kvm_pvm
# module) that emulates an unmodified ring-0 guest instruction by
# instruction: thousands of times slower than TCG, so it counts as unusable.

# qemu_exit_status STATUS: the status a QEMU exit stands for. The kernel
# leaves through isa-debug-exit, which makes QEMU exit with (code << 1) | 1:
# 33 when it halted as asked (success: 0), 35 when it reports a failure
# (1). Anything else (Ctrl-A X, a QEMU error) is passed on.
qemu_exit_status() {
	case $1 in
	33) echo 0 ;;
	35) echo 1 ;;
	*) echo "$1" ;;
	esac
}

# kvm_usable: exit status 0 when KVM should be used.
kvm_usable() {
	[[ -r /dev/kvm && -w /dev/kvm ]] || return 1
	[[ -d /sys/module/kvm_pvm ]] && return 1
	return 0
}

# kvm_why_not: one line saying why KVM is not used (empty when it is).
kvm_why_not() {
	if [[ ! -e /dev/kvm ]]; then echo "no /dev/kvm"
	elif [[ ! -r /dev/kvm || ! -w /dev/kvm ]]; then echo "/dev/kvm not accessible"
	elif [[ -d /sys/module/kvm_pvm ]]; then echo "/dev/kvm is kvm_pvm, which emulates this guest"
	fi
}

# qemu_accel_args MODE KIND: QEMU arguments for MODE auto|kvm|tcg and
# KIND pvh (direct kernel boot) or iso (firmware boot). With auto, an ISO
# uses TCG: firmware runs far slower under nested KVM than under TCG.
qemu_accel_args() {
	local mode=$1 kind=$2
	if [[ $mode == auto ]]; then
		if [[ $kind == pvh ]] && kvm_usable; then mode=kvm; else mode=tcg; fi
	fi
	case $mode in
	kvm)
		if [[ ! -r /dev/kvm || ! -w /dev/kvm ]]; then
			echo "KVM requested but /dev/kvm is not usable" >&2
			return 2
		fi
		if [[ $kind == pvh ]]; then
			echo "-accel kvm -cpu host -M microvm"
		else
			echo "-accel kvm -cpu host -M q35"
		fi ;;
	tcg) echo "-accel tcg -cpu max -M q35" ;;
	*) echo "unknown accelerator '$mode'" >&2; return 2 ;;
	esac
}
