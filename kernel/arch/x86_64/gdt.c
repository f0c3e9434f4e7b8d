// SPDX-License-Identifier: MIT
// GDT and TSS. Ring 0 only: one code and one data segment, and a TSS whose
// interrupt stack table gives #DF, NMI and #MC stacks of their own, so they
// run even when the thread's stack is broken (Intel SDM vol. 3A, 7.7 and
// 6.14.5 "Interrupt Stack Table").
#include "cpu.h"
#include <isola/compiler.h>

#define IST_STACK_SIZE 8192

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} ISOLA_PACKED;

static uint64_t gdt[5];
static struct tss tss;
static uint8_t ist_stacks[3][IST_STACK_SIZE] ISOLA_ALIGNED(16);

struct ISOLA_PACKED table_ptr {
	uint16_t limit;
	uint64_t base;
};

static void tss_descriptor(uint64_t *slot)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	slot[0] = (limit & 0xffff) | (base & 0xffffff) << 16 |
		  0x89ull << 40 | ((limit >> 16) & 0xf) << 48 |
		  ((base >> 24) & 0xff) << 56;
	slot[1] = base >> 32;
}

void x86_gdt_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; // 0x08 code, long mode
	gdt[2] = 0x00cf92000000ffffull; // 0x10 data
	tss_descriptor(&gdt[3]);        // 0x18
	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss);
	struct table_ptr p = { sizeof(gdt) - 1, (uint64_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "pushq $0x08\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw $0x10, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "xorw %%ax, %%ax\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs\n\t"
			 "lldt %%ax\n\t"
			 "movw $0x18, %%ax\n\t"
			 "ltr %%ax"
			 :
			 : "m"(p)
			 : "rax", "memory");
}
