// SPDX-License-Identifier: MIT
// The narrow interface between the portable kernel and the machine. Each
// architecture implements it under kernel/arch/<arch>/; nothing outside
// that folder touches hardware directly.
#ifndef ISOLA_ARCH_H
#define ISOLA_ARCH_H

#include <isola/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Interrupts. arch_irq_save disables and returns the previous state.
uint64_t arch_irq_save(void);
void arch_irq_restore(uint64_t state);
void arch_irq_enable(void);
bool arch_irq_enabled(void);
// Enables interrupts and halts until the next one, atomically.
void arch_wait_for_interrupt(void);

// The longest stretch with interrupts disabled (in cycles) since boot or
// the last reset, and the code addresses that disabled them at its start
// and enabled them again at its end (the caller of the saving or restoring
// function, or the interrupted instruction for an interrupt handler).
// Measured on every transition, always on.
struct arch_irqoff {
	uint64_t longest_cycles;
	uint64_t from_pc, to_pc;
};
void arch_irqoff_stats(struct arch_irqoff *out);
void arch_irqoff_reset(void);
void arch_cpu_relax(void);

// Time. Cycles are the TSC; nanoseconds since boot come from it after
// calibration (0 before).
uint64_t arch_cycles(void);
uint64_t arch_time_ns(void);
uint64_t arch_cycles_per_us(void);
// Calibrates the clock and starts the periodic tick at hz (interrupts stay
// disabled until the caller enables them).
void arch_timer_init(uint32_t hz);

// Console output and input (the serial port).
void arch_console_write(const char *s, size_t n);
int arch_console_poll(void); // a received byte, or -1

// Leaves the machine: under test, exits QEMU with success or failure;
// otherwise halts forever.
ISOLA_NORETURN void arch_exit(bool success);
ISOLA_NORETURN void arch_halt_forever(void);

// Thread contexts. A context is the saved stack pointer; the FPU area is
// arch_fpu_size() bytes, arch_fpu_align() aligned.
struct arch_context {
	uint64_t rsp;
};
void arch_context_init(struct arch_context *ctx, void *stack_top,
		       void (*entry)(void));
void arch_context_switch(struct arch_context *from,
			 const struct arch_context *to);
size_t arch_fpu_size(void);
size_t arch_fpu_align(void);
void arch_fpu_init_state(void *area);
void arch_fpu_save(void *area);
void arch_fpu_restore(const void *area);

// Makes the 4 KiB page at va (page aligned, identity mapped) absent or
// present again. Returns false if it cannot (no memory for a page table).
ISOLA_MUST_CHECK bool arch_page_set_present(uint64_t va, bool present);
// Frames taken for page tables by the above; they are kept for good.
size_t arch_page_table_frames(void);

// Walks the frame-pointer chain from the caller (or from a given frame
// pointer), calling fn for each return address, at most max frames.
void arch_backtrace(uint64_t fp, void (*fn)(uint64_t pc, void *ctx),
		    void *ctx, int max);
uint64_t arch_frame_pointer(void);

#endif
