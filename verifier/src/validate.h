// SPDX-License-Identifier: MIT
// Internal to the function-body validator (validate.c, validate_ops.c,
// validate_bulk.c):
// the abstract state of one body (operand type stack, control stack,
// local types) and its push/pop primitives, which follow the validation
// algorithm of the WebAssembly specification's appendix.
#ifndef VF_VALIDATE_H
#define VF_VALIDATE_H

#include "vf_env.h"

// One entry of the control stack: a block, loop, if/else, or the function.
struct vf_ctl {
	const vf_valtype_t *params;
	const vf_valtype_t *results;
	uint32_t nparams;
	uint32_t nresults;
	uint32_t height;   // operand stack height below this block's values
	uint32_t block;	   // entry in the block side table, or VF_NO_INDEX
	uint8_t op;	   // 0x02 block, 0x03 loop, 0x04 if, 0x05 else, 0 func
	bool unreachable;  // V-STACK-POLY: the rest of the block is dead code
};

struct vf_fn {
	struct vf_env *e;
	const struct vf_module *m;
	struct vf_cursor r;
	const uint8_t *op_at; // the instruction being validated
	vf_slot_t *vals;
	uint32_t nvals;
	uint32_t vals_cap; // copy of e->s.vals_cap
	uint32_t max_vals;
	struct vf_ctl *ctls;
	uint32_t nctls;
	uint32_t max_ctls;
	// Copies of the top frame's height and unreachable flag, for the
	// pop fast path (vf_sync_top keeps them current).
	uint32_t height;
	bool unreachable;
	const vf_valtype_t *locals; // parameters then declared locals
	uint32_t nlocals;
	uint32_t nblocks;
	bool want_blocks;
};

isola_err_t vf_push_slow(struct vf_fn *f, vf_valtype_t t) ISOLA_MUST_CHECK;
isola_err_t vf_pop_slow(struct vf_fn *f, vf_valtype_t want, vf_valtype_t *got)
	ISOLA_MUST_CHECK;

ISOLA_MUST_CHECK
static inline isola_err_t vf_push(struct vf_fn *f, vf_valtype_t t)
{
	if (isola_likely(f->nvals < f->vals_cap)) {
		f->vals[f->nvals++] = t;
		if (f->nvals > f->max_vals)
			f->max_vals = f->nvals;
		return ERR_OK;
	}
	return vf_push_slow(f, t);
}

// V-POP: pops one operand, which must be want (or either may be unknown).
ISOLA_MUST_CHECK
static inline isola_err_t vf_pop(struct vf_fn *f, vf_valtype_t want,
				 vf_valtype_t *got)
{
	if (isola_likely(f->nvals > f->height)) {
		vf_valtype_t t = (vf_valtype_t)f->vals[f->nvals - 1];
		if (isola_likely(t == want || t == VF_TYPE_ANY ||
				 want == VF_TYPE_ANY)) {
			f->nvals--;
			*got = t;
			return ERR_OK;
		}
	}
	return vf_pop_slow(f, want, got);
}

ISOLA_MUST_CHECK
static inline isola_err_t vf_pop1(struct vf_fn *f, vf_valtype_t want)
{
	vf_valtype_t got;

	return vf_pop(f, want, &got);
}

static inline void vf_sync_top(struct vf_fn *f)
{
	if (f->nctls > 0) {
		f->height = f->ctls[f->nctls - 1].height;
		f->unreachable = f->ctls[f->nctls - 1].unreachable;
	}
}

isola_err_t vf_pops(struct vf_fn *f, const vf_valtype_t *t, uint32_t n)
	ISOLA_MUST_CHECK;
isola_err_t vf_pushes(struct vf_fn *f, const vf_valtype_t *t, uint32_t n)
	ISOLA_MUST_CHECK;
void vf_set_unreachable(struct vf_fn *f);

// The handlers of the table's kinds (<isola/wasm_ops.def>), one per
// KIND: control and calls here (validate.c), the rest in validate_ops.c
// and validate_bulk.c. in holds the row's immediates, already read.
#define VF_V_HANDLER(kind)                                                     \
	isola_err_t vf_v_##kind(struct vf_fn *f, const struct vf_instr *in,    \
				enum vf_op_id id) ISOLA_MUST_CHECK;
VF_V_HANDLER(BLOCK)
VF_V_HANDLER(LOOP)
VF_V_HANDLER(IF)
VF_V_HANDLER(ELSE)
VF_V_HANDLER(END) // leaves nctls == 0 at the function's own end
VF_V_HANDLER(BR)
VF_V_HANDLER(BR_IF)
VF_V_HANDLER(BR_TABLE)
VF_V_HANDLER(RETURN)
VF_V_HANDLER(CALL)
VF_V_HANDLER(CALL_INDIRECT)
VF_V_HANDLER(MEMORY_INIT)
VF_V_HANDLER(DATA_DROP)
VF_V_HANDLER(MEMORY_COPY)
VF_V_HANDLER(MEMORY_FILL)
VF_V_HANDLER(TABLE_INIT)
VF_V_HANDLER(ELEM_DROP)
VF_V_HANDLER(TABLE_COPY)
#undef VF_V_HANDLER

isola_err_t vf_push_ctl(struct vf_fn *f, uint8_t op, const vf_valtype_t *params,
			uint32_t np, const vf_valtype_t *results, uint32_t nr)
	ISOLA_MUST_CHECK;

// The dispatch (validate_ops.c): the whole body, to the function's end.
isola_err_t vf_dispatch(struct vf_fn *f) ISOLA_MUST_CHECK;
// The prefix's instructions (validate_bulk.c).
isola_err_t vf_op_prefix_fc(struct vf_fn *f) ISOLA_MUST_CHECK;

// Checks that the module has a memory (V-MEM-IDX).
isola_err_t vf_need_memory(struct vf_fn *f) ISOLA_MUST_CHECK;

// The feature bits a row needs, then its immediates' reading error (at
// c->err_at).
ISOLA_MUST_CHECK
static inline isola_err_t vf_row(struct vf_fn *f, uint32_t feat, isola_err_t imm,
				 const struct vf_cursor *c)
{
	if (feat != 0 && !(f->e->features & feat))
		return vf_failf(f->e, ERR_VF_UNSUPPORTED, f->op_at,
				"feature 0x%x", feat);
	if (isola_unlikely(imm != ERR_OK))
		return vf_fail(f->e, imm, c->err_at);
	return ERR_OK;
}

ISOLA_MUST_CHECK
static inline isola_err_t vf_fail_op(struct vf_fn *f, isola_err_t code)
{
	return vf_fail(f->e, code, f->op_at);
}

#endif
