// SPDX-License-Identifier: MIT
// Changes to the identity map built by boot.S: making single 4 KiB pages
// absent (guard pages under thread stacks) and present again. A 2 MiB page
// is split into a page table the first time one of its pages changes.
// Intel SDM vol. 3A, 4.5 "4-Level Paging".
#include "cpu.h"
#include <arch.h>
#include <kmem.h>
#include <spinlock.h>

#define PTE_PRESENT 0x1ull
#define PTE_WRITE 0x2ull
#define PTE_LARGE 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull
#define IDENTITY_LIMIT (4ull << 30)

static struct spinlock paging_lock = SPINLOCK_INIT;
static size_t table_frames;

static uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static void invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static uint64_t *table(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & PTE_ADDR);
}

// The page-directory entry mapping va (every va below 4 GiB has one).
static uint64_t *pd_entry(uint64_t va)
{
	uint64_t *pml4 = table(read_cr3());
	uint64_t *pdpt = table(pml4[(va >> 39) & 511]);
	uint64_t *pd = table(pdpt[(va >> 30) & 511]);
	return &pd[(va >> 21) & 511];
}

// Replaces a 2 MiB mapping by a page table with the same 512 pages.
static bool split_large(uint64_t *pde)
{
	uint64_t *pt = frames_alloc(1);
	if (!pt)
		return false;
	table_frames++;
	uint64_t base = *pde & PTE_ADDR & ~((1ull << 21) - 1);
	uint64_t flags = *pde & (PTE_PRESENT | PTE_WRITE);
	for (int i = 0; i < 512; i++)
		pt[i] = (base + (uint64_t)i * 4096) | flags;
	*pde = (uint64_t)(uintptr_t)pt | PTE_PRESENT | PTE_WRITE;
	for (int i = 0; i < 512; i++)
		invlpg(base + (uint64_t)i * 4096);
	return true;
}

bool arch_page_set_present(uint64_t va, bool present)
{
	if (va % 4096 || va >= IDENTITY_LIMIT)
		return false;
	uint64_t f = spin_lock_irqsave(&paging_lock);
	uint64_t *pde = pd_entry(va);
	bool ok = !(*pde & PTE_LARGE) || split_large(pde);
	if (ok) {
		uint64_t *pte = &table(*pde)[(va >> 12) & 511];
		*pte = present ? (va | PTE_PRESENT | PTE_WRITE) : 0;
		invlpg(va);
	}
	spin_unlock_irqrestore(&paging_lock, f);
	return ok;
}

size_t arch_page_table_frames(void)
{
	return table_frames;
}
