// SPDX-License-Identifier: MIT
// Per-thread x87/SSE state with fxsave/fxrstor (Intel SDM vol. 1, 10.5).
// Kernel code is built without vector registers, so the state seen at a
// context switch is always the interrupted thread's own.
#include "cpu.h"
#include <arch.h>
#include <string.h>

static uint8_t pristine[512] ISOLA_ALIGNED(16);

void x86_fpu_boot_init(void)
{
	// After reset MXCSR is 0x1f80 (all exceptions masked, round to
	// nearest); fninit gives the x87 its defaults.
	__asm__ volatile("fninit\n\tfxsave64 %0" : : "m"(pristine) : "memory");
}

size_t arch_fpu_size(void)
{
	return sizeof(pristine);
}

size_t arch_fpu_align(void)
{
	return 16;
}

void arch_fpu_init_state(void *area)
{
	memcpy(area, pristine, sizeof(pristine));
}

void arch_fpu_save(void *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void arch_fpu_restore(const void *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}
