// SPDX-License-Identifier: MIT
// Memory for natively compiled SIP code: code memory (written, then sealed
// read-only and executable), reserved regions for linear memories (address
// space first, pages committed as the memory grows), and a hook through
// which faults in either end somewhere other than a panic.
// docs/architecture.md, "Address space".
#ifndef ISOLA_VMM_H
#define ISOLA_VMM_H

#include <isola/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMM_PAGE 4096u
// A reserved region's size is a multiple of this (a WebAssembly page).
#define VMM_REGION_ALIGN (64u << 10)
// How many regions may be reserved at once.
#define VMM_REGIONS_MAX 256

// ---- code memory ------------------------------------------------------
//
// Pages of the identity map, so the only mapping of their frames: open
// (read-write, not executable) from vmm_code_alloc, then sealed (read-only,
// executable) for good, until vmm_code_free makes them ordinary data.

// size bytes (rounded up to whole pages) of zeroed, open code memory; NULL
// for size 0 or when memory runs out.
ISOLA_MUST_CHECK void *vmm_code_alloc(size_t size);
// Makes the pages of [p, p + size) read-only and executable, for good
// (p page aligned; size rounded up to pages), and flushes their TLB
// entries: code written before the call is what runs after it. ERR_INVAL,
// and nothing changes, unless every page is open code memory.
ISOLA_MUST_CHECK isola_err_t vmm_code_seal(void *p, size_t size);
// Makes the pages of [p, p + size) ordinary data (read-write, not
// executable) and frees them. Every page must be code memory (open or
// sealed) from one vmm_code_alloc; anything else is a kernel bug and
// panics. The caller makes sure no thread still runs that code.
void vmm_code_free(void *p, size_t size);
// Whether addr lies in sealed code memory. Takes no lock.
bool vmm_is_code(uint64_t addr);

// ---- reserved regions -------------------------------------------------
//
// Address space in the region window (1 TiB to 64 TiB, arch.h), one
// 1 GiB-aligned range per region, nothing mapped until committed.

// Reserves size bytes of address space (a nonzero multiple of
// VMM_REGION_ALIGN) with nothing mapped; *base is written on success.
// ERR_INVAL for a bad size, ERR_LIMIT when VMM_REGIONS_MAX are reserved,
// ERR_NOMEM when the window has no room left.
ISOLA_MUST_CHECK isola_err_t vmm_reserve(uint64_t size, void **base);
// Maps [base + from, base + to) read-write, not executable, on fresh
// zeroed frames. from and to are page aligned, from <= to <= the region's
// size. ERR_INVAL for bad arguments (base not a reserved region),
// ERR_EXISTS when a page of the range is committed already, ERR_NOMEM
// when frames run out; after an error nothing of the range is mapped. The
// caller serializes commits and the release of one region.
ISOLA_MUST_CHECK isola_err_t vmm_commit(void *base, uint64_t from, uint64_t to);
// Unmaps the whole region, flushes its TLB entries, frees its frames and
// page tables, and makes its address space reusable. base and size are as
// reserved (anything else is a kernel bug and panics); nothing may use the
// region any more.
void vmm_release(void *base, uint64_t size);
// Whether addr lies in a reserved region (committed or not).
bool vmm_is_reserved(uint64_t addr);

// ---- faults -------------------------------------------------------------
//
// An exception in ring 0 goes to the registered handler, instead of the
// fatal dump, when
//  - it is a fault of the instruction at rip (any exception but NMI,
//    double fault and machine check) and rip lies in sealed code memory;
//  - it is a page fault at an address in a reserved region (whatever
//    code made the access);
//  - it is an instruction fetch from a page that is not executable and
//    the return address on top of the stack lies in sealed code memory
//    (sealed code called into data): rip is then that return address.
// addr is the page fault's address, 0 for other exceptions. The handler
// runs in exception context, with interrupts off, on the faulting
// thread's stack: it may not sleep, take a lock that may be held around
// it, or fault. It decides whether the fault is its own (say, the current
// thread runs native code of a SIP); if so it returns true and sets
// *resume_rip, where the thread resumes with the registers and stack of
// the fault. Returning false keeps the fatal path.
typedef bool (*vmm_fault_fn)(uint64_t rip, uint64_t addr, uint64_t *resume_rip);
// Registers fn (NULL: none; faults are fatal again), replacing any other,
// and returns the one it replaced (a test puts it back when done).
vmm_fault_fn vmm_set_fault_handler(vmm_fault_fn fn);

// ---- the kernel's side ---------------------------------------------------

// Sets up the regions and protects the kernel image (arch_paging_init).
// Once, after kmem_init.
void vmm_init(void);

// An exception, as the arch code describes it to vmm_fault_dispatch.
struct vmm_fault {
	uint64_t rip;    // the faulting instruction
	uint64_t addr;   // page faults: the address accessed; else 0
	uint64_t caller; // page faults on an instruction fetch: the value on
			 // top of the stack (a call's return address), else 0
	bool page_fault;
	bool precise;    // a fault of the instruction at rip
};
// Gives the fault to the handler when it is one of the cases above;
// true, with *resume_rip written, when the handler took it.
ISOLA_MUST_CHECK bool vmm_fault_dispatch(const struct vmm_fault *f, uint64_t *resume_rip);

struct vmm_stats {
	size_t regions;         // reserved now
	size_t committed_pages; // mapped in regions now
	size_t table_frames;    // page directories and tables of regions
	size_t code_pages;      // code memory, open or sealed
};
void vmm_stats(struct vmm_stats *out);

#endif
