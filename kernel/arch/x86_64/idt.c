// SPDX-License-Identifier: MIT
// The IDT: 256 interrupt gates to the stubs in isr.S (Intel SDM vol. 3A,
// 6.14.1). NMI, #DF and #MC switch to their own stacks through the IST.
#include "cpu.h"
#include <isola/compiler.h>

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, reserved;
} ISOLA_PACKED;

extern const char x86_isr_stubs[]; // 256 stubs, 16 bytes apart (isr.S)
static struct idt_gate idt[256];

static uint8_t ist_for(int vec)
{
	switch (vec) {
	case 8: return 1;  // double fault
	case 2: return 2;  // NMI
	case 18: return 3; // machine check
	default: return 0;
	}
}

void x86_idt_init(void)
{
	for (int v = 0; v < 256; v++) {
		uint64_t a = (uint64_t)&x86_isr_stubs[v * 16];
		idt[v] = (struct idt_gate){
			.off0 = (uint16_t)a,
			.sel = 0x08,
			.ist = ist_for(v),
			.type = 0x8e, // present, DPL 0, 64-bit interrupt gate
			.off1 = (uint16_t)(a >> 16),
			.off2 = (uint32_t)(a >> 32),
		};
	}
	struct ISOLA_PACKED {
		uint16_t limit;
		uint64_t base;
	} p = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(p));
}
