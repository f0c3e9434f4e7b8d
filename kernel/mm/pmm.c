// SPDX-License-Identifier: MIT
// Bitmap frame allocator (see pmm.h). A separate "usable" test keeps frees
// honest: freeing a frame that was never RAM is refused, not absorbed.
// Searches, sets and checks go a whole 64-bit word at a time wherever
// they can: the kernel runs them with interrupts off, so their length is
// the system's latency (docs/security.md, "Bounded latency").
#include <pmm.h>
#include <string.h>

static bool bit_get(const uint64_t *bits, size_t i)
{
	return bits[i / 64] >> (i % 64) & 1;
}

static void bit_set(uint64_t *bits, size_t i, bool v)
{
	if (v)
		bits[i / 64] |= 1ull << (i % 64);
	else
		bits[i / 64] &= ~(1ull << (i % 64));
}

// Whether [base, end) lies inside one usable range of the map.
static bool is_usable(const struct pmm *p, uint64_t base, uint64_t end)
{
	for (size_t r = 0; r < p->map->n; r++)
		if (base >= p->map->ranges[r].base && end <= p->map->ranges[r].end)
			return true;
	return false;
}

// Sets bits [first, last) to v: whole words at a time where it can.
static void set_range(uint64_t *bits, size_t first, size_t last, bool v)
{
	size_t i = first;
	for (; i < last && i % 64; i++)
		bit_set(bits, i, v);
	for (; i + 64 <= last; i += 64)
		bits[i / 64] = v ? ~0ull : 0;
	for (; i < last; i++)
		bit_set(bits, i, v);
}

static void clear_range(uint64_t *bits, size_t first, size_t last)
{
	set_range(bits, first, last, false);
}

// Whether every bit of [first, last) is set.
static bool range_all_set(const uint64_t *bits, size_t first, size_t last)
{
	size_t i = first;
	for (; i < last && i % 64; i++)
		if (!bit_get(bits, i))
			return false;
	for (; i + 64 <= last; i += 64)
		if (bits[i / 64] != ~0ull)
			return false;
	for (; i < last; i++)
		if (!bit_get(bits, i))
			return false;
	return true;
}

size_t pmm_bitmap_bytes(const struct memmap *mm)
{
	if (!mm->n)
		return 0;
	uint64_t span = mm->ranges[mm->n - 1].end - mm->ranges[0].base;
	size_t frames = (size_t)(span / PMM_FRAME);
	return ISOLA_ALIGN_UP(frames, (size_t)64) / 8;
}

void pmm_init(struct pmm *p, const struct memmap *mm, void *storage)
{
	memset(p, 0, sizeof(*p));
	if (!mm->n)
		return;
	p->base = mm->ranges[0].base;
	p->nframes = (size_t)((mm->ranges[mm->n - 1].end - p->base) / PMM_FRAME);
	p->bits = storage;
	p->map = mm;
	memset(p->bits, 0xff, pmm_bitmap_bytes(mm));
	for (size_t r = 0; r < mm->n; r++) {
		size_t first = (size_t)((mm->ranges[r].base - p->base) / PMM_FRAME);
		size_t last = (size_t)((mm->ranges[r].end - p->base) / PMM_FRAME);
		clear_range(p->bits, first, last);
		p->total += last - first;
	}
	p->free = p->total;
}

// Finds a run of n clear bits starting at or after from; returns nframes if
// none. A word of set bits ends a run, a word of clear bits adds 64 to it,
// each in one step.
static size_t find_run(const struct pmm *p, size_t from, size_t n)
{
	size_t run = 0, start = from, i = from;
	while (i < p->nframes) {
		uint64_t w = p->bits[i / 64];
		bool whole = i % 64 == 0 && i + 64 <= p->nframes;
		if (whole && (w == 0 || w == ~0ull)) {
			if (w == 0 && run == 0)
				start = i;
			run = w == 0 ? run + 64 : 0;
			i += 64;
		} else {
			if (!bit_get(p->bits, i) && run++ == 0)
				start = i;
			else if (bit_get(p->bits, i))
				run = 0;
			i++;
		}
		if (run >= n)
			return start;
	}
	return p->nframes;
}

isola_err_t pmm_alloc(struct pmm *p, size_t n, uint64_t *addr)
{
	if (n == 0 || n > p->free)
		return ERR_PMM_NOFRAME;
	size_t at = find_run(p, p->hint, n);
	if (at == p->nframes)
		at = find_run(p, 0, n);
	if (at == p->nframes)
		return ERR_PMM_NOFRAME;
	set_range(p->bits, at, at + n, true);
	p->free -= n;
	p->hint = at + n;
	if (p->total - p->free > p->peak_used)
		p->peak_used = p->total - p->free;
	*addr = p->base + (uint64_t)at * PMM_FRAME;
	return ERR_OK;
}

isola_err_t pmm_free(struct pmm *p, uint64_t addr, size_t n)
{
	if (addr < p->base || addr % PMM_FRAME || n == 0)
		return ERR_INVAL;
	size_t first = (size_t)((addr - p->base) / PMM_FRAME);
	if (first >= p->nframes || n > p->nframes - first)
		return ERR_INVAL;
	if (!range_all_set(p->bits, first, first + n))
		return ERR_INVAL;
	if (!is_usable(p, addr, addr + (uint64_t)n * PMM_FRAME))
		return ERR_INVAL; // a hole in the map, never RAM
	clear_range(p->bits, first, first + n);
	p->free += n;
	if (first < p->hint)
		p->hint = first;
	return ERR_OK;
}
