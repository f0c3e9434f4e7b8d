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

// Whether every bit of [first, last) is clear.
static bool range_all_clear(const uint64_t *bits, size_t first, size_t last)
{
	size_t i = first;
	for (; i < last && i % 64; i++)
		if (bit_get(bits, i))
			return false;
	for (; i + 64 <= last; i += 64)
		if (bits[i / 64])
			return false;
	for (; i < last; i++)
		if (bit_get(bits, i))
			return false;
	return true;
}

void pmm_search_begin(const struct pmm *p, struct pmm_search *s, size_t n)
{
	*s = (struct pmm_search){ n, p->hint < p->nframes ? p->hint : 0, 0, 0, 0 };
}

// One step of a search: takes a whole run of clear or set bits within one
// word (counting trailing bits), so a word costs one step per run in it,
// and a word all clear or all set one step.
static void search_one(const struct pmm *p, struct pmm_search *s)
{
	size_t i = s->at, bit = i % 64, left = 64 - bit;
	uint64_t w = p->bits[i / 64] >> bit; // bit 0 is frame i
	if (left > p->nframes - i)
		left = p->nframes - i;
	size_t clear = w ? (size_t)__builtin_ctzll(w) : 64;
	if (clear == 0) { // frame i is in use: skip the used run
		size_t used = ~w ? (size_t)__builtin_ctzll(~w) : 64;
		s->at += used < left ? used : left;
		s->run = 0;
		return;
	}
	if (s->run == 0)
		s->start = i;
	s->run += clear < left ? clear : left;
	s->at += clear < left ? clear : left;
}

// A run long enough was found: take it, if it is still free (the caller
// may have let others allocate since the run began). False, and the
// search goes on past its start, if not.
static bool search_take(struct pmm *p, struct pmm_search *s, uint64_t *addr)
{
	if (!range_all_clear(p->bits, s->start, s->start + s->n)) {
		s->at = s->start + 1;
		s->run = 0;
		return false;
	}
	set_range(p->bits, s->start, s->start + s->n, true);
	p->free -= s->n;
	p->hint = s->start + s->n;
	if (p->total - p->free > p->peak_used)
		p->peak_used = p->total - p->free;
	*addr = p->base + (uint64_t)s->start * PMM_FRAME;
	return true;
}

enum pmm_step pmm_search_step(struct pmm *p, struct pmm_search *s, size_t steps,
			      uint64_t *addr)
{
	if (s->n == 0 || s->n > p->free)
		return PMM_NONE;
	for (size_t k = 0; k < steps; k++) {
		if (s->at >= p->nframes) {
			// First from the hint to the end, then once from 0.
			if (s->pass++ == 1)
				return PMM_NONE;
			s->at = 0;
			s->run = 0;
		}
		search_one(p, s);
		if (s->run >= s->n && search_take(p, s, addr))
			return PMM_FOUND;
	}
	return PMM_MORE;
}

isola_err_t pmm_alloc(struct pmm *p, size_t n, uint64_t *addr)
{
	struct pmm_search s;
	pmm_search_begin(p, &s, n);
	return pmm_search_step(p, &s, SIZE_MAX, addr) == PMM_FOUND ? ERR_OK
								    : ERR_PMM_NOFRAME;
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
