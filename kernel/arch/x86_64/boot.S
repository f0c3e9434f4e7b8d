/* SPDX-License-Identifier: MIT
 * Boot entries. Two 32-bit entries reach one 64-bit path:
 *  - multiboot2 (GRUB, BIOS or UEFI): eax = 0x36d76289, ebx = info;
 *  - PVH (QEMU -kernel, Xen ELF note 18): ebx = hvm_start_info.
 * Both build identity-mapped page tables for the low 4 GiB (2 MiB pages,
 * except the first 2 MiB in 4 KiB pages, so page 0 can later be unmapped
 * and a null pointer faults), enter long mode and call
 * x86_boot64(magic, info).
 * Intel SDM vol. 3A, 9.8.5 "Initializing IA-32e Mode".
 */
#define MB2_MAGIC     0xe85250d6
#define MB2_ARCH_I386 0
#define PVH_MAGIC     0x336ec578
#define BOOT_STACK_SIZE 16384

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* end tag */
	.word 0
	.word 0
	.long 8
mb2_header_end:

	/* Xen ELF note: XEN_ELFNOTE_PHYS32_ENTRY (18) */
	.section .note.Xen, "a"
	.balign 4
	.long 4                 /* name size */
	.long 4                 /* desc size */
	.long 18                /* type */
	.asciz "Xen"
	.long x86_entry_pvh

	.section .boot.text, "ax"
	.code32
	.globl x86_entry_multiboot2
x86_entry_multiboot2:
	cli
	cld
	movl $boot_stack_top, %esp
	movl %eax, %esi         /* magic */
	movl %ebx, %edi         /* info */
	jmp common32

	.globl x86_entry_pvh
x86_entry_pvh:
	cli
	cld
	movl $boot_stack_top, %esp
	movl $PVH_MAGIC, %esi
	movl %ebx, %edi
	jmp common32

common32:
	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories */
	movl $boot_pdpt, %eax
	orl $3, %eax
	movl %eax, boot_pml4
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	addl $boot_pd, %eax
	orl $3, %eax
	movl %eax, boot_pdpt(,%ecx,8)
	incl %ecx
	cmpl $4, %ecx
	jne 1b
	/* 2048 directory entries of 2 MiB pages: present, writable, large */
	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax
	movl %eax, boot_pd(,%ecx,8)
	movl %ecx, %eax
	shrl $11, %eax
	movl %eax, boot_pd+4(,%ecx,8)
	incl %ecx
	cmpl $2048, %ecx
	jne 2b
	/* first 2 MiB in 4 KiB pages; page 0 stays mapped until the boot
	 * information (which PVH may place there) is copied, then
	 * x86_boot64 unmaps it so null pointers fault */
	movl $boot_pt0, %eax
	orl $3, %eax
	movl %eax, boot_pd
	xorl %ecx, %ecx
3:	movl %ecx, %eax
	shll $12, %eax
	orl $3, %eax
	movl %eax, boot_pt0(,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jne 3b

	/* CR4: PAE (5), OSFXSR (9), OSXMMEXCPT (10) */
	movl %cr4, %eax
	orl $((1 << 5) | (1 << 9) | (1 << 10)), %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	/* EFER.LME (8); EFER.NXE comes later, where the CPU has it
	 * (arch_paging_init) */
	movl $0xc0000080, %ecx
	rdmsr
	orl $(1 << 8), %eax
	wrmsr
	/* CR0: PG (31), WP (16), MP (1); clear EM (2) */
	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16) | (1 << 1)), %eax
	andl $~(1 << 2), %eax
	movl %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode

	.code64
long_mode:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq $boot_stack_top, %rsp
	xorq %rbp, %rbp
	/* esi/edi were zero-extended by the 32-bit moves */
	xchgq %rsi, %rdi        /* rdi = magic, rsi = info */
	call x86_boot64
4:	cli
	hlt
	jmp 4b

	.section .rodata
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .bss
	.balign 4096
	.globl boot_pml4
boot_pml4: .skip 4096
boot_pdpt: .skip 4096
boot_pd:   .skip 4096 * 4
	.globl boot_pt0
boot_pt0:  .skip 4096
	.balign 16
	.globl boot_stack_bottom
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
