// SPDX-License-Identifier: MIT
// Page-table entries and the state paging.c (the identity map) and
// region.c (the region window) share. Intel SDM vol. 3A, 4.5.
#ifndef ISOLA_X86_PAGING_H
#define ISOLA_X86_PAGING_H

#include <spinlock.h>
#include <stddef.h>
#include <stdint.h>

#define PTE_PRESENT 0x1ull
#define PTE_WRITE 0x2ull
#define PTE_LARGE 0x80ull
// Bits 11:9 of every entry are ignored by the CPU (SDM 4.5, tables 4-14
// to 4-20); bit 9 of a 4 KiB leaf of the identity map marks code memory.
#define PTE_CODE 0x200ull
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define X86_PAGE 4096ull
#define X86_LARGE (2ull << 20)

// Every change to a page table is made under this lock.
extern struct spinlock x86_paging_lock;
// PTE_NX once EFER.NXE is on; 0 before (the bit is reserved then).
extern uint64_t x86_nx_bit;
// Page-table frames kept for good (arch_page_table_frames).
extern size_t x86_table_frames;

static inline uint64_t x86_read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void x86_invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

// Reloading CR3 drops every TLB entry (the kernel sets no global pages)
// and every cached paging-structure entry (SDM 4.10.4.1).
static inline void x86_flush_all(void)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(x86_read_cr3()) : "memory");
}

static inline uint64_t *x86_table(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & PTE_ADDR);
}

// The index of va in the table at the level that translates bit `shift`
// upwards (39: PML4, 30: PDPT, 21: directory, 12: page table).
static inline unsigned x86_slot(uint64_t va, int shift)
{
	return (unsigned)(va >> shift) & 511;
}

// The leaf mapping va in the region window, or 0 (region.c). Takes the
// paging lock.
uint64_t x86_region_leaf(uint64_t va);

#endif
