// SPDX-License-Identifier: MIT
// Turns the loader's memory map (which may be unsorted, overlapping, with
// zero-length or wrapping entries) into a sorted list of disjoint,
// page-aligned usable ranges, with reserved ranges (the kernel image,
// modules, anything the map marks reserved) cut out. Reserved always wins.
#ifndef ISOLA_MEMMAP_H
#define ISOLA_MEMMAP_H

#include <bootinfo.h>

#define MEMMAP_MAX_RANGES 256
#define MEMMAP_PAGE 4096u

struct mem_range {
	uint64_t base, end; // end exclusive, both page aligned
};

struct memmap {
	struct mem_range ranges[MEMMAP_MAX_RANGES];
	size_t n;
	size_t dropped; // pieces lost to the capacity limit
	uint64_t usable_bytes;
};

// Builds the usable list from bi's regions, keeping only [lo, hi), then
// removes every range in reserved[0..nreserved). ERR_MEMMAP_EMPTY when
// nothing usable is left.
ISOLA_MUST_CHECK isola_err_t memmap_build(struct memmap *mm,
					  const struct boot_info *bi,
					  uint64_t lo, uint64_t hi,
					  const struct mem_range *reserved,
					  size_t nreserved);

// Cuts [base, end) out of the usable list (unaligned bounds are widened to
// whole pages).
void memmap_reserve(struct memmap *mm, uint64_t base, uint64_t end);

#endif
