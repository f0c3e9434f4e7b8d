/* SPDX-License-Identifier: MIT
 * The kernel tests' way back from a fault that the vmm's fault hook takes
 * (test_vmm.c): ktest_vmm_call(fn, arg) calls fn(arg) and returns what it
 * returns; a test handler that resumes at ktest_vmm_recover makes the
 * call return -1 instead, with the stack and callee-saved registers as
 * they were at the call. One call at a time (the stack pointer is kept
 * in one place).
 */
	.text
	.globl ktest_vmm_call
	.globl ktest_vmm_recover
ktest_vmm_call:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp                   /* the call below on a 16-byte boundary */
	movq %rsp, saved_rsp(%rip)
	movq %rdi, %rax
	movq %rsi, %rdi
	call *%rax
	jmp 1f
ktest_vmm_recover:
	movq saved_rsp(%rip), %rsp
	movq $-1, %rax
1:	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.bss
	.balign 8
saved_rsp:
	.skip 8
