// SPDX-License-Identifier: MIT
// The narrow interface between the portable kernel and the machine. Each
// architecture implements it under kernel/arch/<arch>/; nothing outside
// that folder touches hardware directly.
#ifndef ISOLA_ARCH_H
#define ISOLA_ARCH_H

#include <isola/compiler.h>
#include <isola/err.h>
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
// One 64-bit word from the CPU's random generator (RDSEED, else RDRAND)
// in *out: false when the CPU has none or it did not answer in time.
bool arch_random(uint64_t *out);
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

// Paging. The low 4 GiB are identity mapped: the kernel image, the heap
// and every frame. Only the kernel's text is executable (once
// arch_paging_init has run, and when the CPU has a no-execute bit), and
// it and the image's read-only data are read-only. Code memory is
// identity-mapped pages that are first written, then sealed. Above the
// identity map lies the region window, where reserved regions map pages
// one at a time (docs/architecture.md, "Address space").

// Turns on no-execute (when the CPU has it) and protects the kernel image
// as above. Once, after kmem_init, before any thread starts.
void arch_paging_init(void);
// Whether data pages are non-executable (the CPU has a no-execute bit).
bool arch_has_nx(void);

// The protection of the page that maps va: ARCH_PROT_* bits, 0 when
// nothing maps it.
#define ARCH_PROT_READ 1u
#define ARCH_PROT_WRITE 2u
#define ARCH_PROT_EXEC 4u
unsigned arch_page_prot(uint64_t va);

// What an identity-mapped page is used for.
enum arch_page_kind {
	ARCH_PAGE_OTHER,       // absent, the kernel image's text or read-only data
	ARCH_PAGE_DATA,        // read-write, not executable
	ARCH_PAGE_CODE_OPEN,   // code memory being written: read-write, not executable
	ARCH_PAGE_CODE_SEALED, // code memory: read-only, executable
};
// The kind of the page holding va (ARCH_PAGE_OTHER beyond the identity
// map). Takes no lock: safe in exception context.
enum arch_page_kind arch_page_kind(uint64_t va);
// Makes the page at va (page aligned, identity mapped, of a kind other
// than ARCH_PAGE_OTHER) one of the other kinds, and flushes its TLB entry.
// False if it cannot: the page is of kind ARCH_PAGE_OTHER, or no frame is
// left for the page table that a 2 MiB page is first split into.
ISOLA_MUST_CHECK bool arch_page_set_kind(uint64_t va, enum arch_page_kind kind);

// Makes the 4 KiB page at va (page aligned, identity mapped) absent, or
// present again as data. Returns false if it cannot (no memory for a page
// table).
ISOLA_MUST_CHECK bool arch_page_set_present(uint64_t va, bool present);
// Frames taken for page tables that are kept for good: tables the 2 MiB
// pages of the identity map were split into, and the region window's
// top-level tables.
size_t arch_page_table_frames(void);

// The region window: [ARCH_REGION_BASE, ARCH_REGION_LIMIT), 1 TiB to
// 64 TiB, PML4 slots 2 to 127. Regions start on an ARCH_REGION_GRANULE
// and own the page tables below that granule.
#define ARCH_REGION_BASE (1ull << 40)
#define ARCH_REGION_LIMIT (64ull << 40)
#define ARCH_REGION_GRANULE (1ull << 30)
// Maps the 4 KiB page at va in the window to the frame pa, read-write and
// not executable. ERR_INVAL for an address outside the window or not
// page aligned, ERR_EXISTS when a page is mapped there already, ERR_NOMEM
// when no frame is left for a page table (none is left behind empty).
ISOLA_MUST_CHECK isola_err_t arch_region_map(uint64_t va, uint64_t pa);
// Unmaps every page in [start, end) of the window (page aligned), flushes
// their TLB entries, passes each frame to free_frame, and frees the page
// tables left empty. The caller makes sure nothing uses those pages any
// more; it needs no lock and holds none long.
void arch_region_unmap(uint64_t start, uint64_t end, void (*free_frame)(uint64_t pa));
// Page directories and tables of the window now in use.
size_t arch_region_table_frames(void);

// Walks the frame-pointer chain from the caller (or from a given frame
// pointer), calling fn for each return address, at most max frames.
void arch_backtrace(uint64_t fp, void (*fn)(uint64_t pc, void *ctx),
		    void *ctx, int max);
uint64_t arch_frame_pointer(void);

#endif
