#!/usr/bin/perl
# SPDX-License-Identifier: MIT
# Times one boot to the shell prompt (tests/bench/system/run.sh):
#   boot.pl WORKDIR QEMU ARGS...
# Runs QEMU with the serial port on a pipe, stamps the output on the host's
# clock, and prints "boot_ms TOTAL READY TO_PROMPT ms": READY is the kernel's
# own "kernel entry to ready", TO_PROMPT the host time from that log line
# to the shell's first "isola> ". Then it types exit and halt, and QEMU
# powers off. Gives up after 300 s.
use strict;
use warnings;
use POSIX qw(mkfifo);
use Time::HiRes qw(time);

my ($dir, @qemu) = @ARGV;
my $p = "$dir/boot";
unlink "$p.in", "$p.out";
mkfifo("$p.in", 0600) and mkfifo("$p.out", 0600) or die "mkfifo: $!";
my $pid = fork() // die "fork: $!";
if ($pid == 0) {
	open(STDOUT, '>', '/dev/null');
	exec('timeout', '300', @qemu, '-chardev', "pipe,id=con,path=$p", '-serial', 'chardev:con')
		or die "exec: $!";
}
open(my $in, '+<', "$p.in") or die "$p.in: $!";
open(my $out, '<', "$p.out") or die "$p.out: $!";
$in->autoflush(1);
my ($log, $t_ready, $t_prompt, $ready_ms, $step) = ('', undef, undef, undef, 0);
while (sysread($out, my $buf, 4096)) {
	my $now = time();
	$log .= $buf;
	if (!defined $t_ready && $log =~ /kernel entry to ready: ([0-9.]+) ms/) {
		($t_ready, $ready_ms) = ($now, $1);
	}
	if (defined $t_ready && !defined $t_prompt && $log =~ /isola> /) {
		$t_prompt = $now;
		print $in "exit\n";
		$step = 1;
	}
	if ($step == 1 && $log =~ /console takes over/) {
		print $in "halt\n";
		$step = 2;
	}
}
waitpid($pid, 0);
die "boot.pl: no prompt\n$log" unless defined $t_prompt;
my $to = ($t_prompt - $t_ready) * 1000;
printf "boot_ms %.3f %.3f %.3f ms\n", $ready_ms + $to, $ready_ms, $to;
