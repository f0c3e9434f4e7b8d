// SPDX-License-Identifier: MIT
// Address ranges for reserved regions (kernel/mm/vmm.c): a fixed table of
// the ranges in use, sorted by address, from which a new range is cut at
// the lowest gap that fits, so a released range is the first one reused.
// Not locked: the kernel wraps it; host tests use it directly.
#ifndef ISOLA_VMM_RANGE_H
#define ISOLA_VMM_RANGE_H

#include <isola/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vmm_range {
	uint64_t base; // on a granule
	uint64_t size; // as asked; the range takes whole granules
};

struct vmm_ranges {
	uint64_t base, limit; // the window [base, limit)
	uint64_t granule;     // a power of two
	struct vmm_range *v;  // the ranges in use, by address
	size_t n, cap;
};

// Builds an empty allocator over [base, limit). base must lie on a
// granule (a power of two); storage holds cap ranges and must outlive r.
void vmm_ranges_init(struct vmm_ranges *r, uint64_t base, uint64_t limit,
		     uint64_t granule, struct vmm_range *storage, size_t cap);

// Takes size bytes (rounded up to whole granules) at the lowest gap that
// fits; *base is written on success. ERR_INVAL for size 0, ERR_LIMIT when
// the table is full, ERR_NOMEM when no gap is large enough.
ISOLA_MUST_CHECK isola_err_t vmm_ranges_alloc(struct vmm_ranges *r, uint64_t size,
					      uint64_t *base);

// Gives back the range at base. ERR_NOTFOUND when no range starts there,
// ERR_INVAL when it was taken with another size; nothing changes then.
ISOLA_MUST_CHECK isola_err_t vmm_ranges_free(struct vmm_ranges *r, uint64_t base,
					     uint64_t size);

// The range whose [base, base + size) holds addr (the granule's slack
// after size is in none), or NULL.
const struct vmm_range *vmm_ranges_find(const struct vmm_ranges *r, uint64_t addr);

#endif
