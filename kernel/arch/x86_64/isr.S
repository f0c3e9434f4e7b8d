/* SPDX-License-Identifier: MIT
 * Interrupt and exception entry stubs. Each pushes a dummy error code where
 * the CPU pushes none (Intel SDM vol. 3A, table 6-1), then its vector, then
 * joins the common path that saves the general registers into a
 * struct x86_trap_frame and calls x86_trap(frame).
 */
	.text
	/* 256 stubs of exactly 16 bytes each, from x86_isr_stubs onwards */
	.balign 16
	.globl x86_isr_stubs
x86_isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	cld
	call x86_trap
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

