// SPDX-License-Identifier: MIT
// The engine's arenas: every block (except linear memory) comes from the
// embedder's allocator with a small header on one list (an instance's, or
// a prepared module's), so that freeing it, or a failed instantiation,
// gives everything back. Also the
// structural signature helpers that import checks and call_indirect use.
#include "eng_internal.h"

ISOLA_STATIC_ASSERT(eng_blk_keeps_alignment, sizeof(struct eng_blk) % 16 == 0);

static isola_err_t eng_alloc_blk(struct eng_arena *arena, size_t size, bool zero,
				  void **out)
{
	const struct vf_allocator *a = arena->alloc;
	if (size > SIZE_MAX / 2)
		return ERR_NOMEM;
	size_t bytes = ISOLA_ALIGN_UP(size + sizeof(struct eng_blk), (size_t)16);
	struct eng_blk *b = a->alloc(a->ctx, bytes);
	if (b == NULL)
		return ERR_NOMEM;
	if (zero)
		memset(b, 0, bytes);
	else
		memset(b, 0, sizeof(*b));
	b->size = bytes;
	b->next = arena->blocks;
	arena->blocks = b;
	*out = b + 1;
	return ERR_OK;
}

isola_err_t eng_alloc(struct eng_arena *arena, size_t size, void **out)
{
	return eng_alloc_blk(arena, size, true, out);
}

isola_err_t eng_alloc_raw(struct eng_arena *arena, size_t size, void **out)
{
	return eng_alloc_blk(arena, size, false, out);
}

void eng_free_all(struct eng_arena *arena)
{
	const struct vf_allocator *a = arena->alloc;
	struct eng_blk *b = arena->blocks;
	arena->blocks = NULL;
	while (b != NULL) {
		struct eng_blk *next = b->next;
		if (a->free != NULL)
			a->free(a->ctx, b, b->size);
		b = next;
	}
}

uint32_t eng_sig_hash(const struct vf_functype *t)
{
	uint32_t h = 2166136261u ^ (t->nparams * 31u) ^ (t->nresults << 16);
	for (uint32_t i = 0; i < t->nparams + t->nresults; i++)
		h = (h ^ t->types[i]) * 16777619u;
	return h;
}

bool eng_sig_equal(const struct vf_functype *a, const struct vf_functype *b)
{
	if (a == b)
		return true;
	if (a->nparams != b->nparams || a->nresults != b->nresults)
		return false;
	return memcmp(a->types, b->types, a->nparams + a->nresults) == 0;
}

void eng_func_init_host(struct eng_func *f, const struct vf_functype *type,
			eng_host_fn fn, void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->type = type;
	f->sig_hash = eng_sig_hash(type);
	f->index = VF_NO_INDEX;
	f->host = fn;
	f->host_ctx = ctx;
}
