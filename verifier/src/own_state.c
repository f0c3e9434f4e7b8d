// SPDX-License-Identifier: MIT
// The ownership analysis's lattice: copying and joining abstract states.
// Values that differ join to TOP, or to OWN_LOST when either may be a
// handle (its objects become MAYBE only if it is read again); objects in
// different states join to MAYBE (freed and sent: gone), contracts and
// protocol states that differ to unknown, and an object made on one path
// only to its state there. Stack-frame words join as values do; whatever
// reads one that may be a handle (a load, a send's moved field, spawn's
// endpoints) reads it through own_read, so the analysis never claims a
// leak it cannot see.
#include "own.h"

#include <string.h>

void own_copy(struct own_state *dst, const struct own_state *src,
	      uint32_t nlocals, uint32_t nobjs)
{
	dst->live = src->live;
	dst->sp_known = src->sp_known;
	dst->frame_escaped = src->frame_escaped;
	dst->sp = src->sp;
	dst->nstack = src->nstack;
	dst->nslots = src->nslots;
	memcpy(dst->slots, src->slots, src->nslots * sizeof(src->slots[0]));
	memcpy(dst->objs, src->objs, nobjs * sizeof(src->objs[0]));
	memcpy(dst->vals, src->vals,
	       (size_t)(nlocals + src->nstack) * sizeof(src->vals[0]));
}

// An owned object goes out of sight. One freed or sent stays so: that is
// a fact about the handle, wherever copies of it went.
static void own_escape_obj(struct own_state *s, uint32_t i)
{
	if (s->objs[i].st == OWN_OWNED)
		s->objs[i].st = OWN_MAYBE;
}

void own_escape_val(struct own_state *s, struct own_val v)
{
	if (v.k == OWN_H && v.v < OWN_MAX_OBJS)
		own_escape_obj(s, v.v);
	if (v.k != OWN_LOST)
		return;
	for (uint32_t i = 0; i < OWN_MAX_OBJS; i++)
		if (v.v & (1u << (i % 32)))
			own_escape_obj(s, i);
}

uint32_t own_refine(struct own_state *s, struct own_val c, bool truth,
		    struct own_obj *was)
{
	uint32_t o = c.v & 0xff;

	if (c.k != OWN_TEST || o >= OWN_MAX_OBJS || s->objs[o].st != OWN_OWNED)
		return OWN_MAX_OBJS;
	if (was)
		*was = s->objs[o];
	// The test says which: an error code (no handle) or a valid handle.
	if (((c.v & OWN_TEST_ERR) != 0) == truth)
		s->objs[o].st = OWN_ERR;
	else if (!(c.v & OWN_TEST_ZERO))
		s->objs[o].confirmed = true;
	return o;
}

struct own_val own_read(struct own_state *s, struct own_val v)
{
	if (v.k != OWN_LOST)
		return v;
	own_escape_val(s, v);
	return (struct own_val){OWN_TOP, 0};
}

static bool own_val_eq(struct own_val a, struct own_val b)
{
	return a.k == b.k && (a.k == OWN_TOP || a.v == b.v);
}

// The objects a value may be, as an OWN_LOST mask.
static uint32_t own_val_mask(struct own_val v)
{
	if (v.k == OWN_H && v.v < OWN_MAX_OBJS)
		return 1u << (v.v % 32);
	return v.k == OWN_LOST ? v.v : 0;
}

// Joins one value: different ones become TOP, or OWN_LOST when either
// may be a handle (escaped only if it is read again).
static bool own_join_val(struct own_val *dv, struct own_val sv)
{
	if (own_val_eq(*dv, sv))
		return false;
	uint32_t mask = own_val_mask(*dv) | own_val_mask(sv);
	struct own_val j = {mask ? OWN_LOST : OWN_TOP, mask};
	bool changed = !own_val_eq(*dv, j);
	*dv = j;
	return changed;
}

static bool own_obj_eq(const struct own_obj *a, const struct own_obj *b)
{
	return a->st == b->st && a->kind == b->kind && a->side == b->side &&
	       a->confirmed == b->confirmed && a->pstate == b->pstate &&
	       a->c == b->c && a->site == b->site;
}

static bool own_gone(uint8_t st)
{
	return st == OWN_FREED || st == OWN_SENT;
}

static bool own_join_obj(struct own_obj *d, const struct own_obj *s)
{
	struct own_obj old = *d;

	if (s->st == OWN_NONE && d->st == OWN_NONE)
		return false;
	if (s->st == OWN_ERR)
		return false;
	if (d->st == OWN_ERR) {
		*d = *s;
		return true;
	}
	if (d->st != OWN_NONE && s->st != OWN_NONE && d->c != s->c) {
		// Made, or checked by chan_expect, with a contract on one path
		// only, or with another one: the contract is unknown here.
		d->c = NULL;
		d->pstate = OWN_NO_STATE;
	}
	if (own_gone(d->st) && own_gone(s->st) && d->st != s->st) {
		// Freed on one path, sent on the other: gone on both. Use after
		// it is still a definite error; the report calls it freed.
		d->st = OWN_FREED;
		d->pstate = OWN_NO_STATE;
	} else if (d->st != s->st) {
		d->st = OWN_MAYBE;
	} else {
		d->confirmed = d->confirmed && s->confirmed;
		if (d->pstate != s->pstate)
			d->pstate = OWN_NO_STATE;
	}
	if (old.st == OWN_NONE) // made on the other path only: as made there
		d->c = s->c, d->side = s->side, d->kind = s->kind;
	return !own_obj_eq(&old, d);
}

// A frame word known on one path only, or holding different values,
// joins as a local does: to OWN_LOST when either may be a handle, whose
// objects go out of sight only if the word is read again (own_read). A
// word with no value on one path is unknown (TOP) there. Words that join
// to TOP are dropped; a new one that finds no room is lost at once.
// The value of the frame word at off in slots[0 .. n), or NULL.
static const struct own_val *own_word(const struct own_slot *slots, uint32_t n,
				      int32_t off)
{
	for (uint32_t i = 0; i < n; i++)
		if (slots[i].off == off)
			return &slots[i].val;
	return NULL;
}

static bool own_join_slots(struct own_state *d, const struct own_state *s)
{
	static const struct own_val top = {OWN_TOP, 0};
	struct own_slot old[OWN_MAX_SLOTS];
	uint32_t nold = d->nslots, n = 0;
	bool changed = false;

	memcpy(old, d->slots, nold * sizeof(old[0]));
	for (uint32_t i = 0; i < nold; i++) {
		struct own_slot w = old[i];
		const struct own_val *sv = own_word(s->slots, s->nslots, w.off);
		changed |= own_join_val(&w.val, sv ? *sv : top);
		if (w.val.k != OWN_TOP)
			d->slots[n++] = w;
	}
	for (uint32_t j = 0; j < s->nslots; j++) {
		struct own_val v = top;
		if (own_word(old, nold, s->slots[j].off))
			continue;
		changed |= own_join_val(&v, s->slots[j].val);
		if (v.k == OWN_TOP)
			continue;
		if (n == OWN_MAX_SLOTS)
			own_escape_val(d, v);
		else
			d->slots[n++] = (struct own_slot){s->slots[j].off, v};
	}
	d->nslots = n;
	return changed;
}

bool own_join(struct own_state *d, const struct own_state *s, uint32_t nlocals,
	      uint32_t nobjs)
{
	bool changed = false;

	if (!s->live)
		return false;
	if (!d->live) {
		own_copy(d, s, nlocals, nobjs);
		return true;
	}
	for (uint32_t i = 0; i < nobjs; i++)
		changed |= own_join_obj(&d->objs[i], &s->objs[i]);
	for (uint32_t i = 0; i < nlocals + d->nstack && i < nlocals + s->nstack; i++)
		changed |= own_join_val(&d->vals[i], s->vals[i]);
	changed |= own_join_slots(d, s);
	if (d->sp_known && (!s->sp_known || s->sp != d->sp)) {
		d->sp_known = false;
		changed = true;
	}
	if (s->frame_escaped && !d->frame_escaped) {
		d->frame_escaped = true;
		changed = true;
	}
	return changed;
}

struct own_val *own_slot_find(struct own_state *s, int32_t off)
{
	for (uint32_t i = 0; i < s->nslots; i++)
		if (s->slots[i].off == off)
			return &s->slots[i].val;
	return NULL;
}

void own_slots_clobber(struct own_state *s, int32_t off, uint32_t len)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->nslots; i++) {
		int64_t o = s->slots[i].off;
		bool hit = o + 4 > off && (len == 0 || o < (int64_t)off + len);
		if (hit)
			own_escape_val(s, s->slots[i].val);
		else
			s->slots[n++] = s->slots[i];
	}
	s->nslots = n;
}

void own_slot_set(struct own_state *s, int32_t off, struct own_val v)
{
	struct own_val *p;

	uint32_t n = 0;

	// A word overlapping another one ends it.
	for (uint32_t i = 0; i < s->nslots; i++) {
		int32_t o = s->slots[i].off;
		if (o != off && o > off - 4 && o < off + 4)
			own_escape_val(s, s->slots[i].val);
		else
			s->slots[n++] = s->slots[i];
	}
	s->nslots = n;
	p = own_slot_find(s, off);
	if (p) {
		*p = v;
		return;
	}
	if (s->nslots == OWN_MAX_SLOTS) {
		own_escape_val(s, v);
		return;
	}
	s->slots[s->nslots++] = (struct own_slot){off, v};
}

void own_widen(struct own_state *s, uint32_t nlocals)
{
	for (uint32_t i = 0; i < nlocals + s->nstack; i++) {
		own_escape_val(s, s->vals[i]);
		s->vals[i] = (struct own_val){OWN_TOP, 0};
	}
	for (uint32_t i = 0; i < OWN_MAX_OBJS; i++)
		if (s->objs[i].st != OWN_NONE)
			s->objs[i].st = OWN_MAYBE;
	s->nslots = 0;
	s->sp_known = false;
	s->frame_escaped = true;
}
