// SPDX-License-Identifier: MIT
// Address ranges for reserved regions (see vmm_range.h). The table is
// short (the kernel's holds one range per linear memory), so a linear
// scan finds a gap and a binary search finds an address.
#include <isola/assert.h>
#include <string.h>
#include <vmm_range.h>

void vmm_ranges_init(struct vmm_ranges *r, uint64_t base, uint64_t limit,
		     uint64_t granule, struct vmm_range *storage, size_t cap)
{
	ISOLA_ASSERT(granule && (granule & (granule - 1)) == 0);
	ISOLA_ASSERT(base % granule == 0 && base <= limit);
	*r = (struct vmm_ranges){ base, limit, granule, storage, 0, cap };
}

// The end of the granules range v takes.
static uint64_t span_end(const struct vmm_ranges *r, const struct vmm_range *v)
{
	return v->base + ISOLA_ALIGN_UP(v->size, r->granule);
}

isola_err_t vmm_ranges_alloc(struct vmm_ranges *r, uint64_t size, uint64_t *base)
{
	if (size == 0)
		return ERR_INVAL;
	if (r->n == r->cap)
		return ERR_LIMIT;
	if (size > r->limit - r->base)
		return ERR_NOMEM;
	uint64_t need = ISOLA_ALIGN_UP(size, r->granule);
	uint64_t at = r->base;
	size_t i = 0;
	for (; i < r->n; i++) {
		if (r->v[i].base - at >= need)
			break;
		at = span_end(r, &r->v[i]);
	}
	if (i == r->n && (at > r->limit || r->limit - at < need))
		return ERR_NOMEM;
	memmove(&r->v[i + 1], &r->v[i], (r->n - i) * sizeof(r->v[0]));
	r->v[i] = (struct vmm_range){ at, size };
	r->n++;
	*base = at;
	return ERR_OK;
}

// The index of the last range starting at or below addr, or n if none.
static size_t last_at_or_below(const struct vmm_ranges *r, uint64_t addr)
{
	size_t lo = 0, hi = r->n; // the answer is below hi
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->v[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : r->n;
}

const struct vmm_range *vmm_ranges_find(const struct vmm_ranges *r, uint64_t addr)
{
	size_t i = last_at_or_below(r, addr);
	if (i == r->n || addr - r->v[i].base >= r->v[i].size)
		return NULL;
	return &r->v[i];
}

isola_err_t vmm_ranges_free(struct vmm_ranges *r, uint64_t base, uint64_t size)
{
	size_t i = last_at_or_below(r, base);
	if (i == r->n || r->v[i].base != base)
		return ERR_NOTFOUND;
	if (r->v[i].size != size)
		return ERR_INVAL;
	memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(r->v[0]));
	r->n--;
	return ERR_OK;
}
