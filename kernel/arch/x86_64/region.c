// SPDX-License-Identifier: MIT
// The region window [ARCH_REGION_BASE, ARCH_REGION_LIMIT): 4 KiB pages
// mapped one at a time for reserved regions (kernel/mm/vmm.c), unmapped a
// page, a page table or a page directory at a time. Regions start on a
// 1 GiB granule, so a page directory and its tables belong to one region
// and go with it; the PDPTs above them are shared and kept for good.
// Page tables are changed under the paging lock, pages zeroed and frames
// freed outside it: no step keeps interrupts off for long
// (docs/security.md, "Bounded latency"). Intel SDM vol. 3A, 4.5 and
// 4.10.4 "Invalidation of TLBs and Paging-Structure Caches".
#include "paging.h"
#include <arch.h>
#include <kmem.h>
#include <string.h>

ISOLA_STATIC_ASSERT(region_window_in_lower_half, ARCH_REGION_LIMIT <= (1ull << 47));
ISOLA_STATIC_ASSERT(region_window_beyond_identity_pml4_slot,
		    ARCH_REGION_BASE >= (1ull << 39));
ISOLA_STATIC_ASSERT(region_granule_is_a_directory, ARCH_REGION_GRANULE == (1ull << 30));

#define GIB (1ull << 30)

static size_t region_tables; // page directories and tables in the window

static bool is_region_va(uint64_t va)
{
	return va >= ARCH_REGION_BASE && va < ARCH_REGION_LIMIT;
}

// The table entry points to; with create, a new zeroed one when absent
// (counted in *count). NULL when absent or out of frames.
static uint64_t *next_table(uint64_t *entry, bool create, size_t *count)
{
	if (*entry & PTE_PRESENT)
		return x86_table(*entry);
	if (!create)
		return NULL;
	uint64_t *t = frames_alloc(1);
	if (!t)
		return NULL;
	memset(t, 0, X86_PAGE);
	__atomic_fetch_add(count, 1, __ATOMIC_RELAXED);
	*entry = (uint64_t)(uintptr_t)t | PTE_PRESENT | PTE_WRITE;
	return t;
}

// The PDPT entry for va: it points to va's page directory.
static uint64_t *pdpt_entry(uint64_t va, bool create)
{
	uint64_t *pml4 = x86_table(x86_read_cr3());
	uint64_t *pdpt = next_table(&pml4[x86_slot(va, 39)], create, &x86_table_frames);
	return pdpt ? &pdpt[x86_slot(va, 30)] : NULL;
}

static uint64_t *pd_entry(uint64_t va, bool create)
{
	uint64_t *pdpte = pdpt_entry(va, create);
	uint64_t *pd = pdpte ? next_table(pdpte, create, &region_tables) : NULL;
	return pd ? &pd[x86_slot(va, 21)] : NULL;
}

static uint64_t *pt_entry(uint64_t va, bool create)
{
	uint64_t *pde = pd_entry(va, create);
	uint64_t *pt = pde ? next_table(pde, create, &region_tables) : NULL;
	return pt ? &pt[x86_slot(va, 12)] : NULL;
}

uint64_t x86_region_leaf(uint64_t va)
{
	if (!is_region_va(va))
		return 0;
	uint64_t f = spin_lock_irqsave(&x86_paging_lock);
	uint64_t *pte = pt_entry(va, false);
	uint64_t e = pte ? *pte : 0;
	spin_unlock_irqrestore(&x86_paging_lock, f);
	return e;
}

static bool is_table_empty(const uint64_t *t)
{
	for (int i = 0; i < 512; i++)
		if (t[i])
			return false;
	return true;
}

static void table_free(uint64_t *t)
{
	frames_free(t, 1);
	__atomic_fetch_sub(&region_tables, 1, __ATOMIC_RELAXED);
}

// Takes the table at *entry out of the tree when it is empty; returns it
// (to be freed), or NULL. Caller holds the paging lock.
static uint64_t *detach_if_empty(uint64_t *entry)
{
	if (!entry || !(*entry & PTE_PRESENT) || !is_table_empty(x86_table(*entry)))
		return NULL;
	uint64_t *t = x86_table(*entry);
	*entry = 0;
	return t;
}

// Frees the page table of va's 2 MiB when it maps nothing, then the page
// directory of va's 1 GiB when it holds no table.
static void prune(uint64_t va)
{
	uint64_t f = spin_lock_irqsave(&x86_paging_lock);
	uint64_t *pt = detach_if_empty(pd_entry(va, false));
	uint64_t *pd = detach_if_empty(pdpt_entry(va, false));
	if (pt || pd)
		x86_invlpg(va); // drops cached paging-structure entries too
	spin_unlock_irqrestore(&x86_paging_lock, f);
	if (pt)
		table_free(pt);
	if (pd)
		table_free(pd);
}

isola_err_t arch_region_map(uint64_t va, uint64_t pa)
{
	if (!is_region_va(va) || va % X86_PAGE || pa % X86_PAGE)
		return ERR_INVAL;
	uint64_t f = spin_lock_irqsave(&x86_paging_lock);
	uint64_t *pte = pt_entry(va, true);
	isola_err_t err = !pte ? ERR_NOMEM : *pte ? ERR_EXISTS : ERR_OK;
	if (err == ERR_OK)
		*pte = pa | PTE_PRESENT | PTE_WRITE | x86_nx_bit;
	// A page that was absent is in no TLB (SDM 4.10.4.3): no flush.
	spin_unlock_irqrestore(&x86_paging_lock, f);
	if (err == ERR_NOMEM)
		prune(va); // a directory made before the table failed
	return err;
}

// Frees the frames a detached page table maps, then the table.
static void free_pt(uint64_t *pt, void (*free_frame)(uint64_t pa))
{
	for (int i = 0; i < 512; i++)
		if (pt[i] & PTE_PRESENT)
			free_frame(pt[i] & PTE_ADDR);
	table_free(pt);
}

static void free_pd(uint64_t *pd, void (*free_frame)(uint64_t pa))
{
	for (int i = 0; i < 512; i++)
		if (pd[i] & PTE_PRESENT)
			free_pt(x86_table(pd[i]), free_frame);
	table_free(pd);
}

// Takes the table at *entry (if any) out of the tree and out of every
// TLB; it is then freed with no lock held.
static uint64_t *detach(uint64_t *entry)
{
	if (!entry || !(*entry & PTE_PRESENT))
		return NULL;
	uint64_t *t = x86_table(*entry);
	*entry = 0;
	x86_flush_all();
	return t;
}

static void unmap_1g(uint64_t va, void (*free_frame)(uint64_t pa))
{
	uint64_t f = spin_lock_irqsave(&x86_paging_lock);
	uint64_t *pd = detach(pdpt_entry(va, false));
	spin_unlock_irqrestore(&x86_paging_lock, f);
	if (pd)
		free_pd(pd, free_frame);
}

static void unmap_2m(uint64_t va, void (*free_frame)(uint64_t pa))
{
	uint64_t f = spin_lock_irqsave(&x86_paging_lock);
	uint64_t *pt = detach(pd_entry(va, false));
	spin_unlock_irqrestore(&x86_paging_lock, f);
	if (pt)
		free_pt(pt, free_frame);
}

static void unmap_4k(uint64_t va, void (*free_frame)(uint64_t pa))
{
	uint64_t f = spin_lock_irqsave(&x86_paging_lock);
	uint64_t *pte = pt_entry(va, false);
	uint64_t e = pte ? *pte : 0;
	if (e) {
		*pte = 0;
		x86_invlpg(va);
	}
	spin_unlock_irqrestore(&x86_paging_lock, f);
	if (e & PTE_PRESENT)
		free_frame(e & PTE_ADDR);
}

void arch_region_unmap(uint64_t start, uint64_t end, void (*free_frame)(uint64_t pa))
{
	uint64_t va = start;
	while (va < end) {
		uint64_t gib_end = ISOLA_ALIGN_DOWN(va, GIB) + GIB;
		uint64_t mib_end = ISOLA_ALIGN_DOWN(va, X86_LARGE) + X86_LARGE;
		if (va % GIB == 0 && end >= gib_end) {
			unmap_1g(va, free_frame);
			va = gib_end;
			continue;
		}
		if (va % X86_LARGE == 0 && end >= mib_end)
			unmap_2m(va, free_frame);
		else
			for (uint64_t p = va; p < ISOLA_MIN(end, mib_end); p += X86_PAGE)
				unmap_4k(p, free_frame);
		prune(va);
		va = ISOLA_MIN(end, mib_end);
	}
}

size_t arch_region_table_frames(void)
{
	return __atomic_load_n(&region_tables, __ATOMIC_RELAXED);
}
