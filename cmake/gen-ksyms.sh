#!/bin/sh
# SPDX-License-Identifier: MIT
# Writes the kernel symbol table (an assembly file for .ksyms) from the
# function symbols of a linked kernel: sorted addresses and their names.
# Usage: gen-ksyms.sh NM KERNEL_ELF OUT.S
set -eu
nm=$1 elf=$2 out=$3
"$nm" -n --defined-only "$elf" | awk 'BEGIN { n = 0 }
	$2 ~ /^[tT]$/ { addr[n] = $1; name[n] = $3; n++ }
	END {
		print "\t.section .ksyms, \"a\""
		print "\t.balign 8"
		print "\t.globl ksyms_count"
		print "ksyms_count:\n\t.quad " n
		print "\t.globl ksyms_table"
		print "ksyms_table:"
		for (i = 0; i < n; i++)
			printf "\t.quad 0x%s, .Lname%d\n", addr[i], i
		for (i = 0; i < n; i++)
			printf ".Lname%d:\n\t.asciz \"%s\"\n", i, name[i]
	}' >"$out.tmp"
mv "$out.tmp" "$out"
