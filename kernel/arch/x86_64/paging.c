// SPDX-License-Identifier: MIT
// The identity map after boot.S built it: no-execute and write protection
// (the kernel's text alone executable, its read-only data read-only),
// pages switched between data and code memory, and stack guard pages. A
// 2 MiB page is split into a page table the first time one of its pages
// changes; those tables are kept for good, so the map can be read without
// the lock. docs/architecture.md, "Address space"; Intel SDM vol. 3A, 4.5
// "4-Level Paging", 4.6 "Access Rights" and 4.10 "Caching Translation
// Information".
#include "cpu.h"
#include "paging.h"
#include <arch.h>
#include <klog.h>
#include <kmem.h>
#include <panic.h>

#define IDENTITY_LIMIT (4ull << 30)
#define MSR_EFER 0xc0000080u
#define EFER_NXE (1ull << 11)

struct spinlock x86_paging_lock = SPINLOCK_INIT;
uint64_t x86_nx_bit;
size_t x86_table_frames;

// The page-directory entry mapping va (every va below 4 GiB has one).
static uint64_t *pd_entry(uint64_t va)
{
	uint64_t *pml4 = x86_table(x86_read_cr3());
	uint64_t *pdpt = x86_table(pml4[x86_slot(va, 39)]);
	uint64_t *pd = x86_table(pdpt[x86_slot(va, 30)]);
	return &pd[x86_slot(va, 21)];
}

// The leaf entry mapping va: a 4 KiB entry, or the 2 MiB one.
static uint64_t *leaf_entry(uint64_t va)
{
	uint64_t *pde = pd_entry(va);
	if (!(*pde & PTE_PRESENT) || (*pde & PTE_LARGE))
		return pde;
	return &x86_table(*pde)[x86_slot(va, 12)];
}

// Replaces a 2 MiB mapping by a page table with the same 512 pages and
// the same protection. Caller holds the paging lock.
static bool split_large(uint64_t *pde)
{
	uint64_t *pt = frames_alloc(1);
	if (!pt)
		return false;
	__atomic_fetch_add(&x86_table_frames, 1, __ATOMIC_RELAXED);
	uint64_t base = *pde & PTE_ADDR & ~(X86_LARGE - 1);
	uint64_t flags = *pde & (PTE_PRESENT | PTE_WRITE | PTE_NX);
	for (int i = 0; i < 512; i++)
		pt[i] = (base + (uint64_t)i * X86_PAGE) | flags;
	// A table entry restricts nothing: the leaves carry the protection.
	*pde = (uint64_t)(uintptr_t)pt | PTE_PRESENT | PTE_WRITE;
	x86_invlpg(base); // drops the 2 MiB translation (SDM 4.10.4.1)
	return true;
}

// The 4 KiB entry for va, splitting its 2 MiB page first. NULL when no
// frame is left for the table. Caller holds the paging lock.
static uint64_t *pt_entry_split(uint64_t va)
{
	uint64_t *pde = pd_entry(va);
	if ((*pde & PTE_LARGE) && !split_large(pde))
		return NULL;
	return &x86_table(*pde)[x86_slot(va, 12)];
}

static uint64_t identity_leaf(uint64_t va, enum arch_page_kind kind)
{
	switch (kind) {
	case ARCH_PAGE_DATA:
		return va | PTE_PRESENT | PTE_WRITE | x86_nx_bit;
	case ARCH_PAGE_CODE_OPEN:
		return va | PTE_PRESENT | PTE_WRITE | PTE_CODE | x86_nx_bit;
	case ARCH_PAGE_CODE_SEALED:
		return va | PTE_PRESENT | PTE_CODE;
	default:
		return 0;
	}
}

enum arch_page_kind arch_page_kind(uint64_t va)
{
	if (va >= IDENTITY_LIMIT)
		return ARCH_PAGE_OTHER;
	uint64_t e = *leaf_entry(va); // a 2 MiB page has no PTE_CODE
	if (!(e & PTE_PRESENT))
		return ARCH_PAGE_OTHER;
	if (e & PTE_CODE)
		return e & PTE_WRITE ? ARCH_PAGE_CODE_OPEN : ARCH_PAGE_CODE_SEALED;
	return e & PTE_WRITE ? ARCH_PAGE_DATA : ARCH_PAGE_OTHER;
}

unsigned arch_page_prot(uint64_t va)
{
	uint64_t e = va < IDENTITY_LIMIT ? *leaf_entry(va) : x86_region_leaf(va);
	if (!(e & PTE_PRESENT))
		return 0;
	return ARCH_PROT_READ | (e & PTE_WRITE ? ARCH_PROT_WRITE : 0) |
	       (e & PTE_NX ? 0 : ARCH_PROT_EXEC);
}

bool arch_page_set_kind(uint64_t va, enum arch_page_kind kind)
{
	if (va % X86_PAGE || va >= IDENTITY_LIMIT || kind == ARCH_PAGE_OTHER)
		return false;
	uint64_t f = spin_lock_irqsave(&x86_paging_lock);
	uint64_t *pte = NULL;
	if (arch_page_kind(va) != ARCH_PAGE_OTHER)
		pte = pt_entry_split(va);
	if (pte) {
		*pte = identity_leaf(va, kind);
		// INVLPG is serializing (SDM 8.3): code written through the
		// old mapping is what runs through the new one.
		x86_invlpg(va);
	}
	spin_unlock_irqrestore(&x86_paging_lock, f);
	return pte != NULL;
}

bool arch_page_set_present(uint64_t va, bool present)
{
	if (va % X86_PAGE || va >= IDENTITY_LIMIT)
		return false;
	uint64_t f = spin_lock_irqsave(&x86_paging_lock);
	uint64_t *pte = pt_entry_split(va);
	if (pte) {
		*pte = present ? identity_leaf(va, ARCH_PAGE_DATA) : 0;
		x86_invlpg(va);
	}
	spin_unlock_irqrestore(&x86_paging_lock, f);
	return pte != NULL;
}

size_t arch_page_table_frames(void)
{
	return __atomic_load_n(&x86_table_frames, __ATOMIC_RELAXED);
}

// ---- no-execute and the kernel image ------------------------------------

// CPUID.80000001H:EDX.NX[bit 20] (SDM vol. 2A, CPUID).
static bool cpu_has_nx(void)
{
	uint32_t r[4];
	cpuid(0x80000000u, 0, r);
	if (r[0] < 0x80000001u)
		return false;
	cpuid(0x80000001u, 0, r);
	return r[3] & (1u << 20);
}

bool arch_has_nx(void)
{
	return x86_nx_bit != 0;
}

// The protection of an identity-mapped 4 KiB page of the kernel image or
// beyond it (kernel.ld names the parts).
static uint64_t image_leaf(uint64_t e, uint64_t va)
{
	uint64_t text_end = ISOLA_ALIGN_UP((uint64_t)_text_end, X86_PAGE);
	if (va >= (uint64_t)_text_start && va < text_end)
		return e & ~(PTE_WRITE | PTE_NX);
	bool ro = (va >= (uint64_t)_kernel_start && va < (uint64_t)_text_start) ||
		  (va >= (uint64_t)_rodata_start && va < (uint64_t)_data_start);
	return (ro ? e & ~PTE_WRITE : e) | x86_nx_bit;
}

// Protects every present page of the 2 MiB at pde (va its start).
static void protect_2m(uint64_t *pde, uint64_t va)
{
	if (!(*pde & PTE_PRESENT))
		return;
	if (*pde & PTE_LARGE) {
		*pde |= x86_nx_bit;
		return;
	}
	uint64_t *pt = x86_table(*pde);
	for (int i = 0; i < 512; i++)
		if (pt[i] & PTE_PRESENT)
			pt[i] = image_leaf(pt[i], va + (uint64_t)i * X86_PAGE);
}

void arch_paging_init(void)
{
	if (cpu_has_nx()) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		x86_nx_bit = PTE_NX;
	}
	uint64_t f = spin_lock_irqsave(&x86_paging_lock);
	// The image's pages get protections of their own: 4 KiB pages.
	for (uint64_t va = ISOLA_ALIGN_DOWN((uint64_t)_kernel_start, X86_LARGE);
	     va < (uint64_t)_kernel_end; va += X86_LARGE)
		if (!pt_entry_split(va))
			panic("arch_paging_init: no frame for a page table");
	for (uint64_t va = 0; va < IDENTITY_LIMIT; va += X86_LARGE)
		protect_2m(pd_entry(va), va);
	x86_flush_all();
	spin_unlock_irqrestore(&x86_paging_lock, f);
	if (x86_nx_bit)
		klog(KLOG_INFO, "paging: no-execute on, kernel text read-only");
	else
		klog(KLOG_WARN, "paging: the CPU has no no-execute bit, so data "
		     "stays executable; kernel text read-only");
}
