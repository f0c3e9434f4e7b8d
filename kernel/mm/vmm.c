// SPDX-License-Identifier: MIT
// Memory for natively compiled SIP code (see vmm.h): code memory on
// identity-mapped pages, reserved regions in the region window, and the
// fault hook. The page tables are the arch's (arch.h); this file keeps
// the regions' address ranges (vmm_range.c) under one lock, checks every
// request before it changes anything, and decides which faults the hook
// sees. docs/architecture.md, "Address space".
#include <arch.h>
#include <klog.h>
#include <kmem.h>
#include <panic.h>
#include <spinlock.h>
#include <string.h>
#include <vmm.h>
#include <vmm_range.h>

// How long the fault path tries for the lock before it gives up (then
// the lock is held around the fault on this CPU: a kernel bug, and the
// fatal path reports it).
#define VMM_FAULT_LOCK_TRIES (1u << 20)

static struct spinlock vmm_lock = SPINLOCK_INIT; // ranges
static struct vmm_range range_storage[VMM_REGIONS_MAX];
static struct vmm_ranges ranges;
static size_t committed_pages, code_pages; // atomic
static vmm_fault_fn fault_handler;         // atomic

void vmm_init(void)
{
	vmm_ranges_init(&ranges, ARCH_REGION_BASE, ARCH_REGION_LIMIT,
			ARCH_REGION_GRANULE, range_storage, VMM_REGIONS_MAX);
	arch_paging_init();
}

// ---- code memory ------------------------------------------------------

static size_t pages_of(size_t size)
{
	return size / VMM_PAGE + (size % VMM_PAGE != 0);
}

static uint64_t page_va(const void *p, size_t i)
{
	return (uint64_t)(uintptr_t)p + (uint64_t)i * VMM_PAGE;
}

void *vmm_code_alloc(size_t size)
{
	size_t n = pages_of(size);
	void *p = n ? frames_alloc(n) : NULL;
	if (!p)
		return NULL;
	memset(p, 0, n * VMM_PAGE);
	for (size_t i = 0; i < n; i++) {
		if (arch_page_set_kind(page_va(p, i), ARCH_PAGE_CODE_OPEN))
			continue;
		// No frame for a page table: undo (those tables exist now).
		while (i--)
			if (!arch_page_set_kind(page_va(p, i), ARCH_PAGE_DATA))
				panic("vmm_code_alloc: cannot undo page %zu", i);
		frames_free(p, n);
		return NULL;
	}
	__atomic_fetch_add(&code_pages, n, __ATOMIC_RELAXED);
	return p;
}

// Whether the n pages from p are all code memory, open (or, with
// sealed_too, sealed).
static bool is_code_range(const void *p, size_t n, bool sealed_too)
{
	uint64_t a = (uint64_t)(uintptr_t)p;
	if (n == 0 || n > SIZE_MAX / VMM_PAGE || a % VMM_PAGE)
		return false;
	for (size_t i = 0; i < n; i++) {
		enum arch_page_kind k = arch_page_kind(page_va(p, i));
		if (k != ARCH_PAGE_CODE_OPEN && !(sealed_too && k == ARCH_PAGE_CODE_SEALED))
			return false;
	}
	return true;
}

isola_err_t vmm_code_seal(void *p, size_t size)
{
	size_t n = pages_of(size);
	if (!is_code_range(p, n, false))
		return ERR_INVAL;
	for (size_t i = 0; i < n; i++)
		if (!arch_page_set_kind(page_va(p, i), ARCH_PAGE_CODE_SEALED))
			panic("vmm_code_seal: cannot seal %#lx", (unsigned long)page_va(p, i));
	return ERR_OK;
}

void vmm_code_free(void *p, size_t size)
{
	size_t n = pages_of(size);
	if (!is_code_range(p, n, true))
		panic("vmm_code_free(%p, %zu): not code memory", p, size);
	for (size_t i = 0; i < n; i++)
		if (!arch_page_set_kind(page_va(p, i), ARCH_PAGE_DATA))
			panic("vmm_code_free: cannot unseal %#lx", (unsigned long)page_va(p, i));
	__atomic_fetch_sub(&code_pages, n, __ATOMIC_RELAXED);
	frames_free(p, n);
}

bool vmm_is_code(uint64_t addr)
{
	return arch_page_kind(addr) == ARCH_PAGE_CODE_SEALED;
}

// ---- reserved regions -------------------------------------------------

isola_err_t vmm_reserve(uint64_t size, void **base)
{
	if (size == 0 || size % VMM_REGION_ALIGN)
		return ERR_INVAL;
	uint64_t b = 0;
	uint64_t f = spin_lock_irqsave(&vmm_lock);
	isola_err_t err = vmm_ranges_alloc(&ranges, size, &b);
	spin_unlock_irqrestore(&vmm_lock, f);
	TRY(err);
	*base = (void *)(uintptr_t)b;
	return ERR_OK;
}

// The size of the region reserved at base, or 0 when none starts there.
static uint64_t region_size(uint64_t base)
{
	uint64_t f = spin_lock_irqsave(&vmm_lock);
	const struct vmm_range *r = vmm_ranges_find(&ranges, base);
	uint64_t size = r && r->base == base ? r->size : 0;
	spin_unlock_irqrestore(&vmm_lock, f);
	return size;
}

static void free_committed(uint64_t pa)
{
	frames_free((void *)(uintptr_t)pa, 1);
	__atomic_fetch_sub(&committed_pages, 1, __ATOMIC_RELAXED);
}

static isola_err_t commit_page(uint64_t va)
{
	void *frame = frames_alloc(1);
	if (!frame)
		return ERR_NOMEM;
	memset(frame, 0, VMM_PAGE);
	isola_err_t err = arch_region_map(va, (uint64_t)(uintptr_t)frame);
	if (err != ERR_OK) {
		frames_free(frame, 1);
		return err;
	}
	__atomic_fetch_add(&committed_pages, 1, __ATOMIC_RELAXED);
	return ERR_OK;
}

isola_err_t vmm_commit(void *base, uint64_t from, uint64_t to)
{
	uint64_t b = (uint64_t)(uintptr_t)base, size = region_size(b);
	if (!size || from % VMM_PAGE || to % VMM_PAGE || from > to || to > size)
		return ERR_INVAL;
	for (uint64_t off = from; off < to; off += VMM_PAGE) {
		isola_err_t err = commit_page(b + off);
		if (err != ERR_OK) {
			// Every page before off was mapped by this call.
			arch_region_unmap(b + from, b + off, free_committed);
			return err;
		}
	}
	return ERR_OK;
}

void vmm_release(void *base, uint64_t size)
{
	uint64_t b = (uint64_t)(uintptr_t)base;
	if (size == 0 || region_size(b) != size)
		panic("vmm_release(%p, %#lx): no such region", base, (unsigned long)size);
	// The range is not reusable before its tables are gone.
	arch_region_unmap(b, b + ISOLA_ALIGN_UP(size, ARCH_REGION_GRANULE), free_committed);
	uint64_t f = spin_lock_irqsave(&vmm_lock);
	isola_err_t err = vmm_ranges_free(&ranges, b, size);
	spin_unlock_irqrestore(&vmm_lock, f);
	if (err != ERR_OK)
		panic("vmm_release(%p): %s", base, isola_err_message(err));
}

bool vmm_is_reserved(uint64_t addr)
{
	uint64_t f = spin_lock_irqsave(&vmm_lock);
	bool found = vmm_ranges_find(&ranges, addr) != NULL;
	spin_unlock_irqrestore(&vmm_lock, f);
	return found;
}

// ---- faults -------------------------------------------------------------

vmm_fault_fn vmm_set_fault_handler(vmm_fault_fn fn)
{
	return __atomic_exchange_n(&fault_handler, fn, __ATOMIC_ACQ_REL);
}

// vmm_is_reserved for the fault path, where interrupts are off already
// and the lock may be held around the fault itself.
static bool is_reserved_in_fault(uint64_t addr)
{
	if (addr < ARCH_REGION_BASE || addr >= ARCH_REGION_LIMIT)
		return false;
	for (unsigned i = 0; i < VMM_FAULT_LOCK_TRIES; i++) {
		if (spin_trylock(&vmm_lock)) {
			bool found = vmm_ranges_find(&ranges, addr) != NULL;
			spin_unlock(&vmm_lock);
			return found;
		}
		arch_cpu_relax();
	}
	return false;
}

bool vmm_fault_dispatch(const struct vmm_fault *f, uint64_t *resume_rip)
{
	vmm_fault_fn fn = __atomic_load_n(&fault_handler, __ATOMIC_ACQUIRE);
	if (!fn || !f->precise)
		return false;
	uint64_t rip = f->rip;
	if (!vmm_is_code(rip)) {
		if (f->page_fault && f->caller && vmm_is_code(f->caller))
			rip = f->caller; // sealed code called into data
		else if (!f->page_fault || !is_reserved_in_fault(f->addr))
			return false;
	}
	uint64_t resume = 0;
	if (!fn(rip, f->addr, &resume))
		return false;
	*resume_rip = resume;
	return true;
}

void vmm_stats(struct vmm_stats *out)
{
	uint64_t f = spin_lock_irqsave(&vmm_lock);
	out->regions = ranges.n;
	spin_unlock_irqrestore(&vmm_lock, f);
	out->committed_pages = __atomic_load_n(&committed_pages, __ATOMIC_RELAXED);
	out->code_pages = __atomic_load_n(&code_pages, __ATOMIC_RELAXED);
	out->table_frames = arch_region_table_frames();
}
