// SPDX-License-Identifier: MIT
// Linear memories and tables as objects: creation, growth (a new block,
// copied, so the base moves: the dispatch loop reloads it after every
// call and grow; or, guarded, more of a reserved region committed in
// place), and release. Linear memory comes from the embedder's
// memory allocator (the kernel gives frames).
#include "eng_internal.h"

ISOLA_MUST_CHECK
static isola_err_t eng_mem_block(const struct vf_allocator *a, uint32_t pages,
				 uint8_t **out)
{
	*out = NULL;
	if (pages == 0)
		return ERR_OK;
	size_t bytes = (size_t)pages * ENG_PAGE_SIZE;
	uint8_t *p = a->alloc(a->ctx, bytes);
	if (p == NULL)
		return ERR_NOMEM;
	memset(p, 0, bytes);
	*out = p;
	return ERR_OK;
}

isola_err_t eng_memory_init(struct eng_memory *mem,
			    const struct vf_allocator *a, uint32_t pages,
			    uint32_t max_pages, bool has_max)
{
	memset(mem, 0, sizeof(*mem));
	if (max_pages > ENG_MAX_PAGES)
		max_pages = ENG_MAX_PAGES;
	if (pages > max_pages)
		return ERR_ENG_MEMORY_LIMIT;
	TRY(eng_mem_block(a, pages, &mem->base));
	mem->pages = pages;
	mem->size = (uint64_t)pages * ENG_PAGE_SIZE;
	mem->max_pages = max_pages;
	mem->has_max = has_max;
	mem->alloc = a;
	return ERR_OK;
}

isola_err_t eng_memory_init_vm(struct eng_memory *mem, const struct eng_vm *vm,
			       uint32_t pages, uint32_t max_pages, bool has_max)
{
	memset(mem, 0, sizeof(*mem));
	if (max_pages > ENG_MAX_PAGES)
		max_pages = ENG_MAX_PAGES;
	if (pages > max_pages)
		return ERR_ENG_MEMORY_LIMIT;
	void *base;
	TRY(vm->reserve(vm->ctx, ENG_GUARD_RESERVE, &base));
	uint64_t size = (uint64_t)pages * ENG_PAGE_SIZE;
	if (size) {
		isola_err_t err = vm->commit(vm->ctx, base, 0, size);
		if (err != ERR_OK) {
			vm->release(vm->ctx, base, ENG_GUARD_RESERVE, 0);
			return err;
		}
	}
	mem->base = base;
	mem->vm = vm;
	mem->pages = pages;
	mem->size = size;
	mem->max_pages = max_pages;
	mem->has_max = has_max;
	return ERR_OK;
}

void eng_memory_fini(struct eng_memory *mem)
{
	if (mem->vm != NULL) {
		if (mem->base != NULL)
			mem->vm->release(mem->vm->ctx, mem->base, ENG_GUARD_RESERVE, mem->size);
	} else if (mem->base != NULL && mem->alloc->free != NULL)
		mem->alloc->free(mem->alloc->ctx, mem->base, (size_t)mem->size);
	mem->base = NULL;
	mem->size = 0;
	mem->pages = 0;
}

int32_t eng_memory_grow(struct eng_memory *mem, uint32_t delta)
{
	uint32_t old = mem->pages;
	if (delta == 0)
		return (int32_t)old;
	if (delta > mem->max_pages - old)
		return -1;
	if (mem->vm != NULL) { // in place: the base never moves
		uint64_t to = (uint64_t)(old + delta) * ENG_PAGE_SIZE;
		if (mem->vm->commit(mem->vm->ctx, mem->base, mem->size, to) != ERR_OK)
			return -1;
		mem->pages = old + delta;
		mem->size = to;
		return (int32_t)old;
	}
	uint8_t *nb;
	if (eng_mem_block(mem->alloc, old + delta, &nb) != ERR_OK)
		return -1;
	if (mem->base != NULL) {
		memcpy(nb, mem->base, (size_t)mem->size);
		if (mem->alloc->free != NULL)
			mem->alloc->free(mem->alloc->ctx, mem->base, (size_t)mem->size);
	}
	mem->base = nb;
	mem->pages = old + delta;
	mem->size = (uint64_t)mem->pages * ENG_PAGE_SIZE;
	return (int32_t)old;
}

isola_err_t eng_table_init(struct eng_table *t, const struct vf_allocator *a,
			   uint32_t size, uint32_t max, bool has_max)
{
	memset(t, 0, sizeof(*t));
	if (size > 10000000u)
		return ERR_ENG_MEMORY_LIMIT;
	size_t bytes = (size_t)size * sizeof(t->elems[0]) + 16;
	t->elems = a->alloc(a->ctx, bytes);
	if (t->elems == NULL)
		return ERR_NOMEM;
	memset(t->elems, 0, bytes);
	t->size = size;
	t->max = has_max ? max : UINT32_MAX;
	t->has_max = has_max;
	return ERR_OK;
}

void eng_table_fini(struct eng_table *t, const struct vf_allocator *a)
{
	if (t->elems != NULL && a->free != NULL)
		a->free(a->ctx, t->elems,
			(size_t)t->size * sizeof(t->elems[0]) + 16);
	t->elems = NULL;
	t->size = 0;
}
