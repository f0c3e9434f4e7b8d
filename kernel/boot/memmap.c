// SPDX-License-Identifier: MIT
// Memory-map sanitizing (see memmap.h): clip, align, sort, merge, subtract.
// Fixed-size arrays and insertion sort: the map is small and this runs once.
#include <memmap.h>
#include <string.h>

static void push_range(struct memmap *mm, uint64_t base, uint64_t end)
{
	if (base >= end)
		return;
	if (mm->n == MEMMAP_MAX_RANGES) {
		mm->dropped++;
		return;
	}
	mm->ranges[mm->n++] = (struct mem_range){ base, end };
}

static void sort_ranges(struct memmap *mm)
{
	for (size_t i = 1; i < mm->n; i++) {
		struct mem_range r = mm->ranges[i];
		size_t j = i;
		while (j > 0 && mm->ranges[j - 1].base > r.base) {
			mm->ranges[j] = mm->ranges[j - 1];
			j--;
		}
		mm->ranges[j] = r;
	}
}

static void merge_ranges(struct memmap *mm)
{
	size_t out = 0;
	for (size_t i = 0; i < mm->n; i++) {
		struct mem_range r = mm->ranges[i];
		if (out && r.base <= mm->ranges[out - 1].end) {
			if (r.end > mm->ranges[out - 1].end)
				mm->ranges[out - 1].end = r.end;
			continue;
		}
		mm->ranges[out++] = r;
	}
	mm->n = out;
}

// end of [base, base+len) without wrapping past 2^64
static uint64_t region_end(uint64_t base, uint64_t len)
{
	return base + len < base ? UINT64_MAX : base + len;
}

void memmap_reserve(struct memmap *mm, uint64_t base, uint64_t end)
{
	base = ISOLA_ALIGN_DOWN(base, (uint64_t)MEMMAP_PAGE);
	end = end > UINT64_MAX - MEMMAP_PAGE
		      ? UINT64_MAX
		      : ISOLA_ALIGN_UP(end, (uint64_t)MEMMAP_PAGE);
	if (base >= end)
		return;
	size_t n = mm->n;
	for (size_t i = 0; i < n; i++) {
		struct mem_range r = mm->ranges[i];
		if (r.end <= base || r.base >= end)
			continue;
		// The left remainder keeps the slot (empty ones are dropped
		// below); the right one, if any, takes a new slot.
		mm->ranges[i].end = base > r.base ? base : r.base;
		push_range(mm, end > r.end ? r.end : end, r.end);
	}
	// Drop emptied entries, restore order.
	size_t out = 0;
	for (size_t i = 0; i < mm->n; i++)
		if (mm->ranges[i].base < mm->ranges[i].end)
			mm->ranges[out++] = mm->ranges[i];
	mm->n = out;
	sort_ranges(mm);
}

static void count_bytes(struct memmap *mm)
{
	mm->usable_bytes = 0;
	for (size_t i = 0; i < mm->n; i++)
		mm->usable_bytes += mm->ranges[i].end - mm->ranges[i].base;
}

isola_err_t memmap_build(struct memmap *mm, const struct boot_info *bi,
			 uint64_t lo, uint64_t hi,
			 const struct mem_range *reserved, size_t nreserved)
{
	memset(mm, 0, sizeof(*mm));
	for (size_t i = 0; i < bi->nregions; i++) {
		const struct boot_region *r = &bi->regions[i];
		if (r->type != BOOT_MEM_USABLE || r->len == 0)
			continue;
		uint64_t end = region_end(r->base, r->len);
		uint64_t base = r->base < lo ? lo : r->base;
		end = end > hi ? hi : end;
		if (base >= end || base > UINT64_MAX - MEMMAP_PAGE)
			continue;
		push_range(mm, ISOLA_ALIGN_UP(base, (uint64_t)MEMMAP_PAGE),
			   ISOLA_ALIGN_DOWN(end, (uint64_t)MEMMAP_PAGE));
	}
	sort_ranges(mm);
	merge_ranges(mm);
	for (size_t i = 0; i < bi->nregions; i++) {
		const struct boot_region *r = &bi->regions[i];
		if (r->type != BOOT_MEM_USABLE && r->len)
			memmap_reserve(mm, r->base, region_end(r->base, r->len));
	}
	for (size_t i = 0; i < nreserved; i++)
		memmap_reserve(mm, reserved[i].base, reserved[i].end);
	count_bytes(mm);
	return mm->n ? ERR_OK : ERR_MEMMAP_EMPTY;
}
