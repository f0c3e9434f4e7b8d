// SPDX-License-Identifier: MIT
// Physical frame allocator: one bit per 4 KiB frame between the lowest and
// highest usable address, built from the sanitized memory map. Not locked:
// the kernel wraps it (mm/frames.c); host tests use it directly.
#ifndef ISOLA_PMM_H
#define ISOLA_PMM_H

#include <memmap.h>

#define PMM_FRAME 4096u

struct pmm {
	uint64_t base;     // address of frame 0
	size_t nframes;    // frames covered by the bitmap
	uint64_t *bits;    // 1 = in use or not RAM
	size_t total;      // usable frames
	size_t free;       // frames free now
	size_t hint;       // where the next search starts
	size_t peak_used;  // high-water mark of total - free
	const struct memmap *map; // the usable ranges (must outlive p)
};

// Bytes of bitmap storage pmm_init needs for this map.
size_t pmm_bitmap_bytes(const struct memmap *mm);

// Builds the allocator. storage must hold pmm_bitmap_bytes(mm) bytes and
// must not lie in a usable range (reserve it in the map first). mm must
// stay alive as long as p: frees are checked against it.
void pmm_init(struct pmm *p, const struct memmap *mm, void *storage);

// Allocates n physically contiguous frames; *addr is written on success.
// ERR_PMM_NOFRAME when no run of n free frames exists.
ISOLA_MUST_CHECK isola_err_t pmm_alloc(struct pmm *p, size_t n, uint64_t *addr);

// The same in bounded steps, for a caller that holds a lock with
// interrupts off and lets go of it between steps: each step looks at up
// to `steps` runs of free or used frames (a whole 64-frame word at most
// each) and returns PMM_MORE, PMM_NONE, or PMM_FOUND with the frames
// allocated and *addr written. A run found across steps is checked again
// before it is taken.
struct pmm_search {
	size_t n;
	size_t at;         // the next frame to look at
	size_t start, run; // the free run being measured
	int pass;          // 0: from the hint on; 1: from frame 0
};
enum pmm_step { PMM_MORE, PMM_FOUND, PMM_NONE };
void pmm_search_begin(const struct pmm *p, struct pmm_search *s, size_t n);
ISOLA_MUST_CHECK enum pmm_step pmm_search_step(struct pmm *p, struct pmm_search *s,
					       size_t steps, uint64_t *addr);

// Frees n frames at addr. ERR_INVAL if any of them is not allocated RAM
// (a double free or a wild address): the caller decides how loud to be.
ISOLA_MUST_CHECK isola_err_t pmm_free(struct pmm *p, uint64_t addr, size_t n);

#endif
