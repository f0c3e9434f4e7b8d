// SPDX-License-Identifier: MIT
// The allocator behind malloc. Every block has a 16-byte header (payload
// size, a magic word, its class) and a 16-byte aligned payload.
//
// Small requests (up to 2048 bytes) are rounded up to a power of two and
// served from one free list per class; an empty list is refilled by
// cutting a run of blocks out of a large block, and small blocks are never
// merged. Larger requests take the first fit from one address-ordered list
// of free blocks, split off what is left over, and merge with both
// neighbours when freed. When nothing fits, the heap asks `more` for a
// region (on wasm32: memory.grow) and frees it into the large list.
#include "rt.h"

#define HDR 16
#define ALIGN 16
#define SMALL_MAX (16u << (RT_HEAP_CLASSES - 1))
#define CLASS_LARGE 0xffu
#define MAGIC_USED 0x51b0a11cu
#define MAGIC_FREE 0xf7eeb10cu
#define RUN_BYTES 4096u

// A block header; `next` lies in the payload and is valid only while the
// block is on a free list.
struct rt_free {
	size_t size; // payload bytes, a multiple of ALIGN
	uint32_t magic;
	uint32_t cls;
	struct rt_free *next;
};
_Static_assert(sizeof(size_t) + 8 <= HDR, "header fits");
_Static_assert(sizeof(struct rt_free) <= HDR + ALIGN, "free node fits the smallest block");

static struct rt_free *hdr_of(const void *p)
{
	return (struct rt_free *)(uintptr_t)((const unsigned char *)p - HDR);
}

static void *payload(struct rt_free *b)
{
	return (unsigned char *)b + HDR;
}

static unsigned char *block_end(struct rt_free *b)
{
	return (unsigned char *)b + HDR + b->size;
}

static unsigned size_class(size_t n)
{
	unsigned c = 0;

	while ((16u << c) < n)
		c++;
	return c;
}

// Puts b on the large list in address order, merging with its neighbours.
static void large_insert(struct rt_heap *h, struct rt_free *b)
{
	struct rt_free **link = &h->large, *prev = NULL;

	b->magic = MAGIC_FREE;
	b->cls = CLASS_LARGE;
	while (*link && *link < b) {
		prev = *link;
		link = &(*link)->next;
	}
	b->next = *link;
	*link = b;
	if (b->next && block_end(b) == (unsigned char *)b->next) {
		b->size += HDR + b->next->size;
		b->next = b->next->next;
	}
	if (prev && block_end(prev) == (unsigned char *)b) {
		prev->size += HDR + b->size;
		prev->next = b->next;
	}
}

// Adds a fresh region of at least `need` payload bytes to the large list.
static bool large_grow(struct rt_heap *h, size_t need)
{
	size_t got = 0;
	unsigned char *r = h->more(need + HDR + ALIGN, &got);

	if (!r)
		return false;
	uintptr_t start = ((uintptr_t)r + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
	uintptr_t end = ((uintptr_t)r + got) & ~(uintptr_t)(ALIGN - 1);

	if (end < start + HDR + ALIGN)
		return false;
	struct rt_free *b = (struct rt_free *)start;

	b->size = end - start - HDR;
	large_insert(h, b);
	return true;
}

// First fit; splits the block when the rest can hold a block of its own.
static struct rt_free *large_take(struct rt_heap *h, size_t need)
{
	for (struct rt_free **link = &h->large; *link; link = &(*link)->next) {
		struct rt_free *b = *link;

		if (b->size < need)
			continue;
		if (b->size - need >= HDR + ALIGN) {
			struct rt_free *rest = (struct rt_free *)(void *)((unsigned char *)b + HDR + need);

			rest->size = b->size - need - HDR;
			rest->magic = MAGIC_FREE;
			rest->cls = CLASS_LARGE;
			rest->next = b->next;
			b->size = need;
			*link = rest;
		} else {
			*link = b->next;
		}
		return b;
	}
	return NULL;
}

static struct rt_free *large_alloc(struct rt_heap *h, size_t need)
{
	struct rt_free *b = large_take(h, need);

	if (!b && large_grow(h, need))
		b = large_take(h, need);
	return b;
}

// Cuts a run of class-c blocks out of one large block.
static bool small_refill(struct rt_heap *h, unsigned c)
{
	size_t piece = HDR + (16u << c);
	size_t count = RUN_BYTES / piece < 4 ? 4 : RUN_BYTES / piece;
	unsigned char *run = (unsigned char *)large_alloc(h, count * piece - HDR);

	if (!run)
		return false;
	for (size_t i = count; i-- > 0;) {
		struct rt_free *b = (struct rt_free *)(void *)(run + i * piece);

		b->size = 16u << c;
		b->magic = MAGIC_FREE;
		b->cls = c;
		b->next = h->small[c];
		h->small[c] = b;
	}
	return true;
}

void *rt_heap_alloc(struct rt_heap *h, size_t n)
{
	struct rt_free *b;

	if (n > SIZE_MAX / 2)
		return NULL;
	if (n <= SMALL_MAX) {
		unsigned c = size_class(n);

		if (!h->small[c] && !small_refill(h, c))
			return NULL;
		b = h->small[c];
		h->small[c] = b->next;
	} else {
		b = large_alloc(h, (n + ALIGN - 1) & ~(size_t)(ALIGN - 1));
		if (!b)
			return NULL;
		b->cls = CLASS_LARGE;
	}
	b->magic = MAGIC_USED;
	return payload(b);
}

void rt_heap_free(struct rt_heap *h, void *p)
{
	if (!p)
		return;
	struct rt_free *b = hdr_of(p);

	if (b->magic != MAGIC_USED) {
		h->corrupt("free() of a block that is not allocated");
		return;
	}
	if (b->cls == CLASS_LARGE) {
		large_insert(h, b);
		return;
	}
	b->magic = MAGIC_FREE;
	b->next = h->small[b->cls];
	h->small[b->cls] = b;
}

void *rt_heap_calloc(struct rt_heap *h, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = rt_heap_alloc(h, n * size);

	if (p)
		rt_memset(p, 0, n * size);
	return p;
}

void *rt_heap_realloc(struct rt_heap *h, void *p, size_t n)
{
	if (!p)
		return rt_heap_alloc(h, n);
	if (hdr_of(p)->magic != MAGIC_USED) {
		h->corrupt("realloc() of a block that is not allocated");
		return NULL;
	}
	if (n == 0) {
		rt_heap_free(h, p);
		return NULL;
	}
	size_t have = hdr_of(p)->size;

	if (n <= have)
		return p;
	void *q = rt_heap_alloc(h, n);

	if (!q)
		return NULL;
	rt_memcpy(q, p, have);
	rt_heap_free(h, p);
	return q;
}

size_t rt_heap_usable(const void *p)
{
	return hdr_of(p)->size;
}
