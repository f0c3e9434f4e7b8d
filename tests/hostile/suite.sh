#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs hostile SIPs from the kernel console (init=none) and checks that each
# is contained (docs/hostile.md). Exit 0 when all holds, 1 otherwise, 2 on usage.
#
#   suite.sh --kernel ELF --initrd CPIO --log FILE [--timeout SECONDS]
#            [--append CMDLINE] [--irqoff-max MICROSECONDS] CASE...
#
# CMDLINE is added to the kernel command line after init=none (e.g.
# ownership=warn, so that images the load-time analysis would refuse reach
# the run-time checks). --irqoff-max boots with QEMU's instruction counting
# (one nanosecond per instruction, repeatable) and fails the test when the
# longest stretch with interrupts off in the second pass is longer.
#
# CASE is NAME=RESULT, or NAME@RIGHTS=RESULT to start it with
# `run --grant RIGHTS NAME`; RESULT may end in +N for a case that starts N
# SIPs of its own (ids are counted to name the SIPs to kill); RESULT one of
#   trapped:CODE    `run NAME` prints "NAME: trapped (CODE)"
#   exited:CODE     `run NAME` prints "NAME: exited (CODE)"
#   killed:CODE     `run NAME &`, `ps`, `kill ID`, `wait ID` prints "ID: killed (CODE)"
#   rejected:CODE   the verifier refuses the image with error CODE:
#                   "run: NAME rejected (error CODE ERR_...): ..."
#   nostart:CODE    the image loads, the start fails with error CODE:
#                   "run: cannot start NAME (error CODE ERR_...): ..."
#
# The script makes two passes over the cases, each with the bystander SIP
# running in the background and killed at the end. The first pass fills the
# kernel's cache of verified images (kept for the kernel's life, docs/abi.md);
# `mem` before and after the second pass must then agree (check-mem.sh).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

kernel="" initrd="" log="" timeout_s=120 append="" irqoff_max=""
usage() { sed -n '3,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [[ $# -gt 0 && $1 == --* ]]; do
	case $1 in
	--kernel) kernel=$2 ;;
	--initrd) initrd=$2 ;;
	--log) log=$2 ;;
	--timeout) timeout_s=$2 ;;
	--append) append=$2 ;;
	--irqoff-max) irqoff_max=$2 ;;
	*) usage ;;
	esac
	shift 2
done
[[ -n $kernel && -n $initrd && -n $log && $# -gt 0 ]] || usage
cases=("$@")

prompt='kernel> '
script=() # run.sh --send-after/--send pairs
checks=() # "COUNT REGEX": REGEX must match COUNT lines of the log (N+: at least N)
id=0      # the id of the last SIP started: ids count up from 1
after=""  # what the next command waits for, when not the prompt

step() { script+=(--send-after "$1" --send "$2"); }
cmd() {
	step "${after:-$prompt}" "$1\\n"
	after=""
}
check() { checks+=("$1 $2"); }

# One pass: the bystander in the background, every case, proof that the
# bystander is still alive afterwards, then the bystander killed.
one_pass() {
	local c name result kind arg by
	cmd "run bystander &"
	by=$((++id))
	after="bystander: alive" # it is up before the first case
	for c in "${cases[@]}"; do
		name=${c%%=*} result=${c#*=}
		more=0
		if [[ $result == *+* ]]; then
			more=${result##*+} result=${result%+*}
		fi
		kind=${result%%:*} arg=${result#*:}
		run=run
		if [[ $name == *@* ]]; then
			run="run --grant ${name#*@}"
			name=${name%@*}
		fi
		case $kind in
		trapped|exited)
			cmd "$run $name"
			id=$((id + 1)) ;;
		killed)
			cmd "$run $name &"
			id=$((id + 1))
			check 1 "\\[$id\\] $name"
			cmd "ps"
			check 1 "^ *$id +running +$name "
			cmd "kill $id"
			cmd "wait $id"
			check 1 "^$id: killed \\($arg\\)" ;;
		rejected|nostart) cmd "$run $name" ;;
		*) echo "suite.sh: bad case '$c'" >&2; exit 2 ;;
		esac
		id=$((id + more))
	done
	step "$prompt" ""            # the last case has ended,
	step "bystander: alive" "ps\\n" # and the bystander still logs
	check 1+ "^ *$by +running +bystander "
	cmd "kill $by"
	cmd "wait $by"
	check 1 "^$by: killed \\(0\\)"
}

one_pass
cmd "mem"
[[ -n $irqoff_max ]] && cmd "irqoff reset"
one_pass
cmd "mem"
[[ -n $irqoff_max ]] && cmd "irqoff"
cmd "halt"

for c in "${cases[@]}"; do
	name=${c%%=*} result=${c#*=}
	name=${name%@*} result=${result%+*}
	kind=${result%%:*} arg=${result#*:}
	case $kind in
	trapped|exited) check 2 "$name: $kind \\($arg\\)" ;;
	rejected) check 2 "run: $name rejected \\(error $arg " ;;
	nostart) check 2 "run: cannot start $name \\(error $arg " ;;
	esac
done

icount=()
[[ -n $irqoff_max ]] && icount=(--icount)
"$here/../qemu/run.sh" --kernel "$kernel" --initrd "$initrd" --append "init=none${append:+ $append}" \
	--log "$log" --timeout "$timeout_s" "${icount[@]}" "${script[@]}" \
	--expect "Isola kernel console" --expect "halting" \
	--reject "round trip [0-9]+ failed" --reject "PANIC|panic|system halted" || exit 1

fail=0
for c in "${checks[@]}"; do
	want=${c%% *} re=${c#* }
	got=$(grep -cE -- "$re" "$log")
	if [[ $want == *+ ]] && ((got >= ${want%+})); then
		continue
	fi
	if [[ $got != "$want" ]]; then
		echo "hostile: FAIL: /$re/ matches $got lines of $log, expected $want"
		fail=1
	fi
done
"$here/check-mem.sh" "$log" || fail=1
if [[ -n $irqoff_max ]]; then
	# "irqoff longest 12.345 us, from F to G": the second pass's longest.
	line=$(tr -d '\r' <"$log" | grep -E '^irqoff longest [0-9]+\.[0-9]+ us' | tail -n 1)
	us=$(sed -E 's/^irqoff longest ([0-9]+)\..*/\1/' <<<"$line")
	if [[ -z $line ]] || ((us >= irqoff_max)); then
		echo "hostile: FAIL: longest interrupts-off stretch ${line:-not reported}; at most ${irqoff_max} us allowed"
		fail=1
	else
		echo "hostile: $line"
	fi
fi
if [[ $fail != 0 ]]; then
	echo "---- serial log ($log) ----"
	cat "$log"
	echo "---- end of log ----"
	exit 1
fi
echo "hostile: ok (${#cases[@]} cases, counters back to their baseline)"
