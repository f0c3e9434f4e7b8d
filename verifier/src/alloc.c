// SPDX-License-Identifier: MIT
// The verifier's memory: every block comes from the caller's allocator,
// carries a small header on a list so a failed load can give all of it
// back, and counts against the caller's hard cap (rule L-MEM). Also the
// ready-made arena allocator over a caller buffer.
#include "vf_env.h"

#include <string.h>

ISOLA_STATIC_ASSERT(vf_blk_keeps_alignment, sizeof(struct vf_blk) % 16 == 0);

isola_err_t vf_alloc(struct vf_env *e, size_t n, size_t sz, void **out)
{
	const struct vf_allocator *a = e->alloc;
	size_t bytes;

	if (sz != 0 && n > (SIZE_MAX / 2) / sz)
		return vf_fail(e, ERR_VF_NOMEM, NULL);
	bytes = n * sz + sizeof(struct vf_blk);
	bytes = ISOLA_ALIGN_UP(bytes, (size_t)16);
	if (bytes > a->cap || e->mem_used > a->cap - bytes)
		return vf_failf(e, ERR_VF_NOMEM, NULL, "need %zu more bytes, cap %zu",
				bytes, a->cap);
	struct vf_blk *b = a->alloc(a->ctx, bytes);
	if (b == NULL)
		return vf_fail(e, ERR_VF_NOMEM, NULL);
	memset(b, 0, bytes);
	b->size = bytes;
	b->next = e->blocks;
	if (e->blocks)
		e->blocks->prev = b;
	e->blocks = b;
	e->mem_used += bytes;
	*out = b + 1;
	return ERR_OK;
}

void vf_free(struct vf_env *e, void *p)
{
	if (p == NULL)
		return;
	struct vf_blk *b = (struct vf_blk *)p - 1;
	if (b->prev)
		b->prev->next = b->next;
	else
		e->blocks = b->next;
	if (b->next)
		b->next->prev = b->prev;
	e->mem_used -= b->size;
	if (e->alloc->free)
		e->alloc->free(e->alloc->ctx, b, b->size);
}

isola_err_t vf_grow(struct vf_env *e, void **arr, uint32_t *cap, uint32_t need,
		    size_t sz)
{
	uint64_t ncap = *cap ? *cap : 16;
	void *n;

	if (need <= *cap)
		return ERR_OK;
	while (ncap < need)
		ncap *= 2;
	if (ncap > UINT32_MAX)
		return vf_fail(e, ERR_VF_NOMEM, NULL);
	TRY(vf_alloc(e, (size_t)ncap, sz, &n));
	if (*arr) {
		memcpy(n, *arr, (size_t)*cap * sz);
		vf_free(e, *arr);
	}
	*arr = n;
	*cap = (uint32_t)ncap;
	return ERR_OK;
}

#define VF_CHUNK_MIN 1024u
#define VF_CHUNK_MAX (64u * 1024u)

isola_err_t vf_carve(struct vf_env *e, size_t n, size_t sz, void **out)
{
	size_t bytes;

	if (sz != 0 && n > VF_CHUNK_MAX / sz)
		return vf_alloc(e, n, sz, out);
	bytes = ISOLA_ALIGN_UP(n * sz, (size_t)8);
	if (bytes == 0) {
		*out = NULL;
		return ERR_OK;
	}
	if (bytes > e->chunk_left) {
		// Chunks double from 1 KiB, so small modules stay small.
		size_t size = e->chunk_size ? e->chunk_size * 2 : VF_CHUNK_MIN;
		size = ISOLA_MIN(size, (size_t)VF_CHUNK_MAX);
		size = ISOLA_MAX(size, bytes);
		void *c;
		TRY(vf_alloc(e, size, 1, &c));
		e->chunk = c;
		e->chunk_left = size;
		e->chunk_size = size;
	}
	*out = e->chunk;
	e->chunk += bytes;
	e->chunk_left -= bytes;
	return ERR_OK;
}

void vf_free_all(struct vf_env *e)
{
	while (e->blocks)
		vf_free(e, e->blocks + 1);
}

// ---- arena ----------------------------------------------------------------

static void *vf_arena_alloc(void *ctx, size_t size)
{
	struct vf_arena *a = ctx;
	size_t at = ISOLA_ALIGN_UP(a->used, (size_t)16);

	if (at > a->size || a->size - at < size)
		return NULL;
	a->used = at + size;
	return a->base + at;
}

static void vf_arena_free(void *ctx, void *ptr, size_t size)
{
	struct vf_arena *a = ctx;

	// Only the most recent block can be taken back.
	if ((uint8_t *)ptr + size == a->base + a->used)
		a->used = (size_t)((uint8_t *)ptr - a->base);
}

void vf_arena_init(struct vf_arena *a, void *buf, size_t size)
{
	uintptr_t p = (uintptr_t)buf;
	uintptr_t q = ISOLA_ALIGN_UP(p, (uintptr_t)16);

	a->base = (uint8_t *)q;
	a->size = size > (size_t)(q - p) ? size - (size_t)(q - p) : 0;
	a->used = 0;
}

struct vf_allocator vf_arena_allocator(struct vf_arena *a)
{
	struct vf_allocator al = {
		.alloc = vf_arena_alloc,
		.free = vf_arena_free,
		.ctx = a,
		.cap = a->size,
	};
	return al;
}
