// SPDX-License-Identifier: MIT
// x86-64 side of the arch interface (arch.h) and the 64-bit boot path:
// bring up the CPU tables and the console, then hand one boot_info to kmain.
#include "cpu.h"
#include <arch.h>
#include <bootinfo.h>
#include <kmain.h>
#include <string.h>

#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_SUCCESS 0x10 // QEMU exits with (0x10 << 1) | 1 = 33
#define DEBUG_EXIT_FAILURE 0x11 // 35

static struct boot_info boot_info;

// From here on a null pointer dereference faults (boot.S maps page 0 only
// for the loader's data, which bootinfo_parse has copied).
static void unmap_page_zero(void)
{
	extern uint64_t boot_pt0[512];
	boot_pt0[0] = 0;
	__asm__ volatile("invlpg (%0)" : : "r"(0ul) : "memory");
}

void x86_boot64(uint32_t magic, const void *info)
{
	uint64_t entry_cycles = rdtsc();
	x86_serial_init();
	x86_gdt_init();
	x86_idt_init();
	x86_pic_disable();
	x86_fpu_boot_init();
	isola_err_t err = bootinfo_parse(magic, info, &boot_info);
	unmap_page_zero();
	if (err == ERR_OK && boot_info.fb.type == BOOT_FB_EGA_TEXT)
		x86_vga_init(boot_info.fb.addr, boot_info.fb.width,
			     boot_info.fb.height);
	kmain(&boot_info, err, entry_cycles);
}

// Interrupts-off accounting: each switch from enabled to disabled stamps
// the time, each switch back measures the stretch. Touched only with
// interrupts disabled on the one CPU, so plain variables suffice. 0: the
// start is unknown (boot), nothing is measured.
static uint64_t irqoff_since, irqoff_from;
static struct arch_irqoff irqoff;

void x86_irqoff_begin(uint64_t pc)
{
	irqoff_since = rdtsc();
	irqoff_from = pc;
}

void x86_irqoff_end(uint64_t pc)
{
	uint64_t since = irqoff_since;
	if (!since)
		return;
	irqoff_since = 0;
	uint64_t d = rdtsc() - since;
	if (d > irqoff.longest_cycles)
		irqoff = (struct arch_irqoff){ d, irqoff_from, pc };
}

void arch_irqoff_stats(struct arch_irqoff *out)
{
	uint64_t f = arch_irq_save();
	*out = irqoff;
	arch_irq_restore(f);
}

void arch_irqoff_reset(void)
{
	uint64_t f = arch_irq_save();
	irqoff = (struct arch_irqoff){ 0, 0, 0 };
	arch_irq_restore(f);
}

uint64_t arch_irq_save(void)
{
	uint64_t f = read_rflags();
	__asm__ volatile("cli" ::: "memory");
	if (f & X86_RFLAGS_IF)
		x86_irqoff_begin((uint64_t)__builtin_return_address(0));
	return f & X86_RFLAGS_IF;
}

void arch_irq_restore(uint64_t state)
{
	if (state) {
		x86_irqoff_end((uint64_t)__builtin_return_address(0));
		__asm__ volatile("sti" ::: "memory");
	}
}

void arch_irq_enable(void)
{
	if (!(read_rflags() & X86_RFLAGS_IF))
		x86_irqoff_end((uint64_t)__builtin_return_address(0));
	__asm__ volatile("sti" ::: "memory");
}

bool arch_irq_enabled(void)
{
	return read_rflags() & X86_RFLAGS_IF;
}

void arch_wait_for_interrupt(void)
{
	// sti takes effect after the next instruction, so no interrupt can
	// slip in between and be missed before hlt.
	if (!(read_rflags() & X86_RFLAGS_IF))
		x86_irqoff_end((uint64_t)__builtin_return_address(0));
	__asm__ volatile("sti; hlt" ::: "memory");
}

void arch_cpu_relax(void)
{
	__asm__ volatile("pause");
}

void arch_console_write(const char *s, size_t n)
{
	x86_serial_write(s, n);
	x86_vga_write(s, n);
}

int arch_console_poll(void)
{
	return x86_serial_poll();
}

void arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_exit(bool success)
{
	// isa-debug-exit, present when QEMU runs tests; a no-op elsewhere.
	outl(DEBUG_EXIT_PORT, success ? DEBUG_EXIT_SUCCESS : DEBUG_EXIT_FAILURE);
	arch_halt_forever();
}

void arch_context_init(struct arch_context *ctx, void *stack_top,
		       void (*entry)(void))
{
	uint64_t *sp = (uint64_t *)ISOLA_ALIGN_DOWN((uint64_t)stack_top, 16);
	*--sp = 0;               // fake return address keeps the ABI alignment
	*--sp = (uint64_t)entry; // arch_context_switch returns here
	for (int i = 0; i < 6; i++)
		*--sp = 0;       // rbp rbx r12 r13 r14 r15
	ctx->rsp = (uint64_t)sp;
}

uint64_t arch_frame_pointer(void)
{
	return (uint64_t)__builtin_frame_address(0);
}

void arch_backtrace(uint64_t fp, void (*fn)(uint64_t pc, void *ctx),
		    void *ctx, int max)
{
	for (int i = 0; i < max && fp; i++) {
		// Stop at anything that is not an aligned kernel-image or
		// heap address below 4 GiB: a bad chain must not fault again.
		if (fp % 8 || fp < 0x100000 || fp >= (1ull << 32))
			break;
		uint64_t *frame = (uint64_t *)fp;
		uint64_t pc = frame[1];
		if (pc < (uint64_t)_kernel_start || pc >= (uint64_t)_kernel_end)
			break;
		fn(pc, ctx);
		fp = frame[0];
	}
}
