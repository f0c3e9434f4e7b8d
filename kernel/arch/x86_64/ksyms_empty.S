/* SPDX-License-Identifier: MIT
 * The empty symbol table of the first kernel link (see cmake/gen-ksyms.sh). */
	.section .ksyms, "a"
	.balign 8
	.globl ksyms_count
ksyms_count:
	.quad 0
	.globl ksyms_table
ksyms_table:
