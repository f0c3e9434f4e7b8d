// SPDX-License-Identifier: MIT
// Handle tables (see handle.h). A handle is (generation << 16) | (index + 1)
// with a 15-bit generation, so 0 is never valid and no handle is negative
// as an int32_t; free slots form a list through next_free.
#include <handle.h>
#include <string.h>

// Generations are 15 bits, so a handle is always positive as an int32_t
// and a SIP can tell it from a negative error code.
#define GEN_MASK 0x7fffu

static handle_t make_handle(uint32_t index, uint16_t gen)
{
	return (handle_t)(gen & GEN_MASK) << 16 | (index + 1);
}

void handle_table_init(struct handle_table *t, struct handle_slot *slots,
		       uint32_t cap)
{
	if (cap > HANDLE_MAX_SLOTS)
		cap = HANDLE_MAX_SLOTS;
	t->slots = slots;
	t->cap = cap;
	t->used = 0;
	for (uint32_t i = 0; i < cap; i++)
		slots[i] = (struct handle_slot){ NULL, HANDLE_KIND_NONE, 0, i + 1 };
	t->free_head = cap ? 0 : cap;
}

isola_err_t handle_insert(struct handle_table *t, uint16_t kind, void *obj,
			  handle_t *out)
{
	if (t->free_head >= t->cap || kind == HANDLE_KIND_NONE)
		return kind == HANDLE_KIND_NONE ? ERR_INVAL : ERR_LIMIT;
	uint32_t i = t->free_head;
	struct handle_slot *s = &t->slots[i];
	t->free_head = s->next_free;
	s->obj = obj;
	s->kind = kind;
	t->used++;
	*out = make_handle(i, s->gen);
	return ERR_OK;
}

static isola_err_t lookup(const struct handle_table *t, handle_t h,
			  uint16_t kind, uint32_t *index)
{
	uint32_t i = (h & 0xffff) - 1;
	if ((h & 0xffff) == 0 || i >= t->cap)
		return ERR_HANDLE_INVALID;
	const struct handle_slot *s = &t->slots[i];
	if ((h >> 16) > GEN_MASK)
		return ERR_HANDLE_INVALID;
	uint16_t age = (uint16_t)((s->gen - (h >> 16)) & GEN_MASK);
	if (age != 0 || s->kind == HANDLE_KIND_NONE)
		// Issued for an earlier generation of the slot: stale. A
		// generation the slot has not reached was never issued.
		return age != 0 && age < 0x4000 ? ERR_HANDLE_STALE
						: ERR_HANDLE_INVALID;
	if (s->kind != kind)
		return ERR_HANDLE_KIND;
	*index = i;
	return ERR_OK;
}

isola_err_t handle_get(const struct handle_table *t, handle_t h,
		       uint16_t kind, void **obj)
{
	uint32_t i;
	TRY(lookup(t, h, kind, &i));
	*obj = t->slots[i].obj;
	return ERR_OK;
}

static void slot_free(struct handle_table *t, uint32_t i)
{
	struct handle_slot *s = &t->slots[i];
	s->obj = NULL;
	s->kind = HANDLE_KIND_NONE;
	s->gen = (s->gen + 1) & GEN_MASK; // wraps to an old value after 32768
	          // reuses of one slot is the documented limit
	s->next_free = t->free_head;
	t->free_head = i;
	t->used--;
}

isola_err_t handle_take(struct handle_table *t, handle_t h, uint16_t kind,
			void **obj)
{
	uint32_t i;
	TRY(lookup(t, h, kind, &i));
	*obj = t->slots[i].obj;
	slot_free(t, i);
	return ERR_OK;
}

isola_err_t handle_rekind(struct handle_table *t, handle_t h, uint16_t from,
			  uint16_t to, handle_t *out)
{
	uint32_t i;
	if (to == HANDLE_KIND_NONE)
		return ERR_INVAL;
	TRY(lookup(t, h, from, &i));
	struct handle_slot *s = &t->slots[i];
	s->gen = (s->gen + 1) & GEN_MASK;
	s->kind = to;
	*out = make_handle(i, s->gen);
	return ERR_OK;
}

void handle_table_drain(struct handle_table *t,
			void (*fn)(void *ctx, uint16_t kind, void *obj),
			void *ctx)
{
	for (uint32_t i = 0; i < t->cap; i++) {
		struct handle_slot *s = &t->slots[i];
		if (s->kind == HANDLE_KIND_NONE)
			continue;
		uint16_t kind = s->kind;
		void *obj = s->obj;
		slot_free(t, i);
		fn(ctx, kind, obj);
	}
}
