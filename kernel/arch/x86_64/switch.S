/* SPDX-License-Identifier: MIT
 * arch_context_switch(from, to): saves the callee-saved registers on the
 * current stack, stores rsp in *from, loads to->rsp and restores. A new
 * thread's stack is prepared by arch_context_init to "return" into its
 * entry function.
 */
	.text
	.globl arch_context_switch
arch_context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq (%rsi), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
