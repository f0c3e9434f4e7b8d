// SPDX-License-Identifier: MIT
// The analysis's control flow (see own_interp.c for the whole): abstract
// states made and freed, the state a branch carries to its label, blocks,
// loops iterated to a fixed point and ifs joined at their end, and what a
// return leaves (leaks, and the function's summary for its callers).
#include "own.h"

#include <string.h>

struct own_state *own_state_new(struct own_run *r)
{
	struct own_fn *f = &r->f;
	struct own_state *s = vf_sip_alloc(f->in->mem, sizeof(*s));

	if (!s)
		return NULL;
	s->vals = vf_sip_alloc(f->in->mem, (size_t)f->nvals * sizeof(*s->vals));
	if (!s->vals) {
		vf_sip_free(f->in->mem, s, sizeof(*s));
		return NULL;
	}
	return s;
}

void own_state_del(struct own_run *r, struct own_state *s)
{
	if (!s)
		return;
	vf_sip_free(r->f.in->mem, s->vals, (size_t)r->f.nvals * sizeof(*s->vals));
	vf_sip_free(r->f.in->mem, s, sizeof(*s));
}

// The objects in use: the parameters' and one per site met so far.
uint32_t own_nobjs(const struct own_fn *f)
{
	return OWN_PARAM_OBJS + f->nsites;
}

// What joining or copying a state of this function costs (own_charge):
// the objects, the values and the slots compared, at four to a unit.
uint64_t own_state_cost(const struct own_fn *f)
{
	return (OWN_MAX_OBJS + f->nlocals + f->cur.nstack +
		(uint64_t)f->cur.nslots * OWN_MAX_SLOTS) / 4 + 1;
}

// The state a branch to ctl carries: the stack below it plus its values.
void own_branch(struct own_run *r, struct own_ctl *c)
{
	struct own_fn *f = &r->f;
	struct own_state *tmp = c->label;
	uint32_t n = c->op == 0x03 ? c->nparams : c->nresults;
	uint32_t top = f->cur.nstack;

	if (!f->cur.live)
		return;
	if (c->op == 0) {
		own_at_return(f);
		return;
	}
	if (top < c->height + n)
		return;
	own_charge(f, own_state_cost(f));
	// Shift the label's values down onto the block's base, join, undo.
	struct own_val save[8];
	uint32_t k = n < 8 ? n : 8;
	memcpy(save, &f->cur.vals[f->nlocals + c->height], k * sizeof(*save));
	memmove(&f->cur.vals[f->nlocals + c->height],
		&f->cur.vals[f->nlocals + top - n], k * sizeof(*save));
	f->cur.nstack = c->height + n;
	(void)own_join(tmp, &f->cur, f->nlocals, own_nobjs(f));
	memcpy(&f->cur.vals[f->nlocals + c->height], save, k * sizeof(*save));
	f->cur.nstack = top;
}

// Whether v is what a failed making returns: an error constant, or a
// handle-or-error object (or its error code) on its error path.
static bool own_is_err_val(const struct own_fn *f, struct own_val v)
{
	uint32_t o = v.k == OWN_H ? v.v
		     : v.k == OWN_TEST && (v.v & OWN_TEST_CODE) ? v.v & 0xff
								 : OWN_MAX_OBJS;

	return v.k == OWN_CONST || (o < OWN_MAX_OBJS && f->cur.objs[o].st == OWN_ERR);
}

// The results (a bit each, the first 8) that may be the error code of
// the handle this return gives at fresh_at: 0, or that handle's code;
// on a return without a handle, the results that are errors.
static uint8_t own_code_mask(const struct own_fn *f, const struct own_val *res,
			     uint32_t nr, int fresh_at)
{
	uint8_t mask = 0;

	for (uint32_t j = 0; j < nr && j < 8; j++) {
		struct own_val v = res[j];
		bool code;
		if (fresh_at < 0)
			code = own_is_err_val(f, v) && !(v.k == OWN_CONST && v.v == 0);
		else
			code = (int)j != fresh_at &&
			       ((v.k == OWN_CONST && v.v == 0) ||
				(v.k == OWN_TEST && (v.v & OWN_TEST_CODE) &&
				 (v.v & 0xff) == res[fresh_at].v));
		mask |= (uint8_t)(code << j);
	}
	return mask;
}

// What one return adds to the summary's result: a new handle (with its
// error code next to it, as libsip's struct sip_bytes_made), errors
// only (a handle-or-error result on its error path), or something else.
static void own_sum_return(struct own_fn *f, const struct own_val *res,
			   uint32_t nr, int fresh_at)
{
	struct own_sum *sum = f->sum;
	uint8_t mask = own_code_mask(f, res, nr, fresh_at);

	sum->code_mask = f->any_return ? sum->code_mask & mask : mask;
	if (fresh_at < 0) {
		bool err = nr > 0;
		for (uint32_t i = 0; i < nr; i++)
			err = err && own_is_err_val(f, res[i]);
		if (!err)
			sum->ret_other = true;
	} else if (sum->ret_fresh && sum->ret_index != fresh_at) {
		sum->ret_other = true;
	} else {
		const struct own_obj *o = &f->cur.objs[res[fresh_at].v];
		if (sum->ret_fresh && (sum->ret_kind != o->kind || sum->ret_c != o->c))
			sum->ret_kind = OWN_K_ANY, sum->ret_c = NULL;
		else if (!sum->ret_fresh)
			sum->ret_kind = o->kind, sum->ret_c = o->c;
		sum->ret_fresh = true;
		sum->ret_index = (uint8_t)fresh_at;
	}
	if (sum->ret_other)
		sum->ret_fresh = false;
	sum->ret_code = 0;
	for (uint8_t j = 0; j < 8 && sum->ret_fresh && sum->ret_code == 0; j++)
		if (sum->code_mask & (1u << j))
			sum->ret_code = (uint8_t)(j + 1);
}

// Leaks at a return: objects made here, owned and known valid, that the
// function does not return. Also accumulates the summary.
void own_at_return(struct own_fn *f)
{
	const struct vf_functype *t = vf_func_type(f->m, f->fi);
	struct own_sum *sum = f->sum;
	uint32_t nr = t->nresults <= f->cur.nstack ? t->nresults : 0;
	struct own_val *res = &f->cur.vals[f->nlocals + f->cur.nstack - nr];
	int fresh_at = -1;

	for (uint32_t i = 0; i < nr; i++)
		res[i] = own_read(&f->cur, res[i]);
	own_charge(f, (uint64_t)OWN_MAX_OBJS * (nr + 1));
	for (uint32_t i = 0; i < nr && fresh_at < 0; i++)
		if (res[i].k == OWN_H && res[i].v >= OWN_PARAM_OBJS &&
		    res[i].v < OWN_MAX_OBJS &&
		    f->cur.objs[res[i].v].st == OWN_OWNED)
			fresh_at = (int)i;
	for (uint32_t i = OWN_PARAM_OBJS; i < own_nobjs(f) && !f->stop; i++) {
		const struct own_obj *o = &f->cur.objs[i];
		bool returned = false;
		for (uint32_t j = 0; j < nr; j++)
			returned |= res[j].k == OWN_H && res[j].v == i;
		if (o->st != OWN_OWNED || !o->confirmed || returned)
			continue;
		const uint8_t *keep = f->op_at;
		f->op_at = f->m->bytes + o->site;
		own_error(f, ERR_SIP_OWN_LEAK, "%s made here is still owned when "
			  "function %u returns", o->kind == OWN_K_BLOCK ? "block"
			  : "endpoint", f->fi);
		f->op_at = keep;
	}
	own_sum_return(f, res, nr, fresh_at);
	for (uint32_t i = 0; i < OWN_PARAM_OBJS; i++) {
		const struct own_obj *o = &f->cur.objs[i];
		uint8_t e = o->st == OWN_OWNED ? (o->confirmed ? OWN_P_USE : OWN_P_NONE)
			    : o->st == OWN_FREED || o->st == OWN_SENT ? OWN_P_CONSUME
								      : OWN_P_UNKNOWN;
		if (o->st == OWN_NONE || o->st == OWN_ERR)
			e = OWN_P_NONE;
		if (f->any_return && sum->param[i] != e)
			e = (sum->param[i] == OWN_P_NONE && e == OWN_P_USE) ||
				    (e == OWN_P_NONE && sum->param[i] == OWN_P_USE)
				    ? OWN_P_USE : OWN_P_UNKNOWN;
		sum->param[i] = e;
	}
	f->any_return = true;
}

bool own_push_ctl(struct own_run *r, uint8_t op, uint32_t np, uint32_t nr)
{
	struct own_fn *f = &r->f;
	struct own_ctl *c;

	if (r->nctls >= OWN_MAX_DEPTH)
		return false;
	c = &r->ctls[r->nctls++];
	*c = (struct own_ctl){op, f->cur.nstack >= np ? f->cur.nstack - np : 0,
			      np, nr, f->p, 0, c->label, c->alt};
	if (!c->label)
		c->label = own_state_new(r);
	if (!c->alt)
		c->alt = own_state_new(r);
	if (!c->label || !c->alt)
		return false;
	c->label->live = false;
	c->alt->live = false;
	if (op == 0x04 || op == 0x03) {
		own_charge(f, own_state_cost(f));
		own_copy(c->alt, &f->cur, f->nlocals, own_nobjs(f));
	}
	return true;
}

// end of a block, loop, if or the function. Returns false when a loop
// goes round again.
bool own_end(struct own_run *r)
{
	struct own_fn *f = &r->f;
	struct own_ctl *c = &r->ctls[r->nctls - 1];

	if (c->op == 0x03 && c->label->live) {
		// Back edges reached the header: iterate to a fixed point.
		own_charge(f, 3 * own_state_cost(f));
		bool grew = own_join(c->alt, c->label, f->nlocals,
				     own_nobjs(f));
		if (grew && !f->stop) {
			if (++c->iter >= OWN_MAX_ITER)
				own_widen(c->alt, f->nlocals);
			own_copy(&f->cur, c->alt, f->nlocals, own_nobjs(f));
			c->label->live = false;
			f->p = c->body;
			return false;
		}
	}
	if (c->op == 0x04 && c->alt->live) { // an if without else
		own_charge(f, own_state_cost(f));
		(void)own_join(&f->cur, c->alt, f->nlocals, own_nobjs(f));
	}
	if (c->op != 0x03 && c->op != 0 && c->label->live) {
		own_charge(f, own_state_cost(f));
		(void)own_join(&f->cur, c->label, f->nlocals, own_nobjs(f));
	}
	if (c->op == 0 && f->cur.live)
		own_at_return(f);
	r->nctls--;
	return true;
}

void own_else(struct own_run *r)
{
	struct own_fn *f = &r->f;
	struct own_ctl *c = &r->ctls[r->nctls - 1];

	own_branch(r, c);
	own_charge(f, own_state_cost(f));
	own_copy(&f->cur, c->alt, f->nlocals, own_nobjs(f));
	c->alt->live = false;
}
