// SPDX-License-Identifier: MIT
// The function-body validator's abstract machine and its control
// instructions: an operand stack of value types (with "unknown" for dead
// code), a control stack of blocks with their label types, and the rules
// for block, loop, if, else, end, br, br_if, br_table, return and calls.
// The instruction dispatch is in validate_ops.c. Iterative: nesting depth
// costs control-stack entries from the allocator, never C stack.
#include "validate.h"

#include <string.h>

isola_err_t vf_push_slow(struct vf_fn *f, vf_valtype_t t)
{
	struct vf_scratch *s = &f->e->s;

	TRY(vf_grow(f->e, (void **)&s->vals, &s->vals_cap, f->nvals + 1,
		    sizeof(*s->vals)));
	f->vals = s->vals;
	f->vals_cap = s->vals_cap;
	return vf_push(f, t);
}

isola_err_t vf_pop_slow(struct vf_fn *f, vf_valtype_t want, vf_valtype_t *got)
{
	(void)want; // the fast path in vf_pop compared it already
	if (f->nvals == f->height) {
		if (f->unreachable) {
			*got = VF_TYPE_ANY;
			return ERR_OK;
		}
		return vf_fail_op(f, ERR_VF_STACK_UNDERFLOW);
	}
	return vf_fail_op(f, ERR_VF_TYPE_MISMATCH);
}

isola_err_t vf_pops(struct vf_fn *f, const vf_valtype_t *t, uint32_t n)
{
	while (n > 0)
		TRY(vf_pop1(f, t[--n]));
	return ERR_OK;
}

isola_err_t vf_pushes(struct vf_fn *f, const vf_valtype_t *t, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		TRY(vf_push(f, t[i]));
	return ERR_OK;
}

void vf_set_unreachable(struct vf_fn *f)
{
	struct vf_ctl *c = &f->ctls[f->nctls - 1];

	f->nvals = c->height;
	c->unreachable = true;
	f->unreachable = true;
}

// A side-table entry for a new block, loop or if (not for the function or
// an else, which shares its if's entry).
ISOLA_MUST_CHECK
static isola_err_t vf_block_entry(struct vf_fn *f, uint8_t op, uint32_t *idx)
{
	struct vf_scratch *s = &f->e->s;

	*idx = VF_NO_INDEX;
	if (!f->want_blocks || op == 0 || op == 0x05)
		return ERR_OK;
	TRY(vf_grow(f->e, (void **)&s->blocks, &s->blocks_cap, f->nblocks + 1,
		    sizeof(*s->blocks)));
	s->blocks[f->nblocks] = (struct vf_block){vf_off(f->e, f->op_at), 0, 0};
	*idx = f->nblocks++;
	return ERR_OK;
}

isola_err_t vf_push_ctl(struct vf_fn *f, uint8_t op, const vf_valtype_t *params,
			uint32_t np, const vf_valtype_t *results, uint32_t nr)
{
	struct vf_scratch *s = &f->e->s;
	struct vf_ctl *c;

	if (isola_unlikely(f->nctls >= s->ctls_cap)) {
		if (f->nctls >= VF_MAX_DEPTH)
			return vf_fail_op(f, ERR_VF_LIMIT_DEPTH);
		TRY(vf_grow(f->e, (void **)&s->ctls, &s->ctls_cap,
			    f->nctls + 1, sizeof(*s->ctls)));
		f->ctls = s->ctls;
	}
	c = &f->ctls[f->nctls++];
	if (f->nctls > f->max_ctls)
		f->max_ctls = f->nctls;
	*c = (struct vf_ctl){.params = params, .results = results,
			     .nparams = np, .nresults = nr,
			     .height = f->nvals, .op = op};
	f->height = f->nvals;
	f->unreachable = false;
	TRY(vf_block_entry(f, op, &c->block));
	return vf_pushes(f, params, np);
}

// ---- block types ----------------------------------------------------------

static const vf_valtype_t vf_single[4] = {VF_TYPE_F64, VF_TYPE_F32,
					  VF_TYPE_I64, VF_TYPE_I32};

// M-BLOCKTYPE: 0x40, a value type, or (multi-value) a type index as s33.
ISOLA_MUST_CHECK
static isola_err_t vf_blocktype(struct vf_fn *f, const struct vf_instr *in,
				struct vf_functype *bt)
{
	struct vf_env *e = f->e;
	const uint8_t *at = in->imm_at;
	uint8_t b = in->block.byte;
	int64_t idx = in->block.type;

	if (b == 0x40 || (b >= 0x7c && b <= 0x7f)) {
		// Never NULL: callers offset the pointer even when empty.
		*bt = (struct vf_functype){0, b != 0x40,
					   b != 0x40 ? &vf_single[b - 0x7c]
						     : vf_single};
		return ERR_OK;
	}
	if (idx < 0) {
		bool known = b == 0x7b || b == 0x70 || b == 0x6f;
		return vf_failf(e, known ? ERR_VF_UNSUPPORTED : ERR_VF_BLOCK_TYPE,
				at, "block type 0x%02x", b);
	}
	if (idx >= f->m->ntypes)
		return vf_failf(e, ERR_VF_UNKNOWN_TYPE, at, "type %u",
				(uint32_t)idx);
	*bt = f->m->types[idx];
	if (!(e->features & VF_FEAT_MULTI_VALUE)) {
		bool arity = bt->nparams > 0 || bt->nresults > 1;
		return vf_fail(e, arity ? ERR_VF_RESULT_ARITY : ERR_VF_UNSUPPORTED,
			       at);
	}
	return ERR_OK;
}

// V-BLOCK: block, loop and if pop their parameters and push a frame.
ISOLA_MUST_CHECK
static isola_err_t vf_op_block(struct vf_fn *f, const struct vf_instr *in,
			       uint8_t op)
{
	struct vf_functype bt;

	TRY(vf_blocktype(f, in, &bt));
	if (op == 0x04)
		TRY(vf_pop1(f, VF_TYPE_I32));
	TRY(vf_pops(f, bt.types, bt.nparams));
	return vf_push_ctl(f, op, bt.types, bt.nparams, bt.types + bt.nparams,
			   bt.nresults);
}

isola_err_t vf_v_BLOCK(struct vf_fn *f, const struct vf_instr *in,
		       enum vf_op_id id)
{
	(void)id;
	return vf_op_block(f, in, 0x02);
}

isola_err_t vf_v_LOOP(struct vf_fn *f, const struct vf_instr *in,
		      enum vf_op_id id)
{
	(void)id;
	return vf_op_block(f, in, 0x03);
}

isola_err_t vf_v_IF(struct vf_fn *f, const struct vf_instr *in,
		    enum vf_op_id id)
{
	(void)id;
	return vf_op_block(f, in, 0x04);
}
// V-BLOCK-END: the results on top, nothing below them.
ISOLA_MUST_CHECK
static isola_err_t vf_pop_ctl(struct vf_fn *f, struct vf_ctl *out)
{
	struct vf_ctl *c = &f->ctls[f->nctls - 1];

	TRY(vf_pops(f, c->results, c->nresults));
	if (f->nvals != c->height)
		return vf_fail_op(f, ERR_VF_STACK_LEFTOVER);
	*out = *c;
	f->nctls--;
	vf_sync_top(f);
	return ERR_OK;
}

isola_err_t vf_v_ELSE(struct vf_fn *f, const struct vf_instr *in,
		      enum vf_op_id id)
{
	struct vf_ctl c;

	(void)in, (void)id;
	if (f->ctls[f->nctls - 1].op != 0x04)
		return vf_fail_op(f, ERR_VF_ELSE);
	TRY(vf_pop_ctl(f, &c));
	TRY(vf_push_ctl(f, 0x05, c.params, c.nparams, c.results, c.nresults));
	// The else belongs to the if's side-table entry, not a new one.
	if (c.block != VF_NO_INDEX) {
		f->ctls[f->nctls - 1].block = c.block;
		f->e->s.blocks[c.block].else_off = vf_off(f->e, f->op_at);
	}
	return ERR_OK;
}

static bool vf_types_equal(const vf_valtype_t *a, uint32_t na,
			   const vf_valtype_t *b, uint32_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

isola_err_t vf_v_END(struct vf_fn *f, const struct vf_instr *in,
		     enum vf_op_id id)
{
	struct vf_ctl c;

	(void)in, (void)id;
	TRY(vf_pop_ctl(f, &c));
	// V-IF-NO-ELSE: a missing else passes the parameters through.
	if (c.op == 0x04 &&
	    !vf_types_equal(c.params, c.nparams, c.results, c.nresults))
		return vf_fail_op(f, ERR_VF_IF_NO_ELSE);
	if (c.block != VF_NO_INDEX)
		f->e->s.blocks[c.block].end_off = vf_off(f->e, f->op_at);
	if (f->nctls == 0)
		return ERR_OK;
	return vf_pushes(f, c.results, c.nresults);
}

// V-LABEL: label l, read at at, names an enclosing block.
ISOLA_MUST_CHECK
static inline __attribute__((always_inline)) isola_err_t
vf_label(struct vf_fn *f, uint32_t l, const uint8_t *at,
	 const struct vf_ctl **out)
{
	if (l >= f->nctls)
		return vf_failf(f->e, ERR_VF_UNKNOWN_LABEL, at, "label %u", l);
	*out = &f->ctls[f->nctls - 1 - l];
	return ERR_OK;
}

static inline const vf_valtype_t *vf_label_types(const struct vf_ctl *c,
						 uint32_t *n)
{
	*n = c->op == 0x03 ? c->nparams : c->nresults;
	return c->op == 0x03 ? c->params : c->results;
}

// V-BR: br and br_if pass the label's values; br_if keeps them.
isola_err_t vf_v_BR(struct vf_fn *f, const struct vf_instr *in,
		    enum vf_op_id id)
{
	const struct vf_ctl *c;
	const vf_valtype_t *t;
	uint32_t n;

	TRY(vf_label(f, in->idx, in->imm_at, &c));
	t = vf_label_types(c, &n);
	if (id == VF_OP_BR_IF) {
		TRY(vf_pop1(f, VF_TYPE_I32));
		TRY(vf_pops(f, t, n));
		return vf_pushes(f, t, n);
	}
	TRY(vf_pops(f, t, n));
	vf_set_unreachable(f);
	return ERR_OK;
}

isola_err_t vf_v_BR_IF(struct vf_fn *f, const struct vf_instr *in,
		       enum vf_op_id id)
{
	return vf_v_BR(f, in, id);
}

// The next label of a br_table, whose encoding the reader has checked.
ISOLA_MUST_CHECK
static inline __attribute__((always_inline)) isola_err_t
vf_table_label(struct vf_fn *f, struct vf_cursor *c,
	       const struct vf_ctl **out)
{
	const uint8_t *at = c->p;
	uint32_t l;

	if (vf_cur_u32(c, &l) != ERR_OK)
		return vf_fail(f->e, ERR_INTERNAL, at);
	return vf_label(f, l, at, out);
}

// V-BR-TABLE: every target has exactly the default's label types.
isola_err_t vf_v_BR_TABLE(struct vf_fn *f, const struct vf_instr *in,
			  enum vf_op_id id)
{
	struct vf_cursor labels = {in->br.labels, f->r.p, NULL};
	struct vf_cursor again;
	const struct vf_ctl *c;
	const vf_valtype_t *dt, *t;
	uint32_t dn, n;

	(void)id;
	for (uint32_t i = 0; i < in->br.count; i++)
		TRY(vf_table_label(f, &labels, &c));
	TRY(vf_table_label(f, &labels, &c));
	dt = vf_label_types(c, &dn);
	// Second reading of the targets, now that the default is known.
	again = (struct vf_cursor){in->br.labels, f->r.p, NULL};
	for (uint32_t i = 0; i < in->br.count; i++) {
		TRY(vf_table_label(f, &again, &c));
		t = vf_label_types(c, &n);
		if (!vf_types_equal(t, n, dt, dn))
			return vf_fail_op(f, ERR_VF_BR_TABLE_TYPES);
	}
	TRY(vf_pop1(f, VF_TYPE_I32));
	TRY(vf_pops(f, dt, dn));
	vf_set_unreachable(f);
	return ERR_OK;
}

isola_err_t vf_v_RETURN(struct vf_fn *f, const struct vf_instr *in,
			enum vf_op_id id)
{
	const struct vf_ctl *c = &f->ctls[0];

	(void)in, (void)id;
	TRY(vf_pops(f, c->results, c->nresults));
	vf_set_unreachable(f);
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_call_type(struct vf_fn *f, const struct vf_functype *t)
{
	TRY(vf_pops(f, t->types, t->nparams));
	return vf_pushes(f, t->types + t->nparams, t->nresults);
}

isola_err_t vf_v_CALL(struct vf_fn *f, const struct vf_instr *in,
		      enum vf_op_id id)
{
	uint32_t fi = in->idx;

	(void)id;
	if (fi >= f->m->nfuncs)
		return vf_failf(f->e, ERR_VF_UNKNOWN_FUNC, in->imm_at,
				"function %u", fi);
	return vf_call_type(f, vf_func_type(f->m, fi));
}

// V-CALL-INDIRECT: a type index and the table byte (0x00, checked by the
// reader as M-ZERO).
isola_err_t vf_v_CALL_INDIRECT(struct vf_fn *f, const struct vf_instr *in,
			       enum vf_op_id id)
{
	uint32_t ti = in->idx;

	(void)id;
	if (ti >= f->m->ntypes)
		return vf_failf(f->e, ERR_VF_UNKNOWN_TYPE, in->imm_at, "type %u",
				ti);
	if (f->m->ntables == 0)
		return vf_fail_op(f, ERR_VF_UNKNOWN_TABLE);
	TRY(vf_pop1(f, VF_TYPE_I32));
	return vf_call_type(f, &f->m->types[ti]);
}
