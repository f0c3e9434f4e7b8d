// SPDX-License-Identifier: MIT
// The ownership analysis's instructions (own_interp.c has the design
// comment): one handler per kind of the instruction table
// (<isola/wasm_ops.def>) and the dispatch generated from its rows. Each
// handler moves abstract values between locals, the operand stack and the
// stack frame's slots, and reads handle tests out of comparisons.
#include "own.h"

// The handlers of the common kinds are inlined into the dispatch (the
// walk is one function, as one hand-written switch would be); the larger
// ones that serve many rows stay out of line, called with the row's
// opcode, so the dispatch stays small.
#define OWN_HOT static inline __attribute__((always_inline))
#define OWN_COLD static __attribute__((noinline))

// The table's opcode byte (0 for prefixed rows) and arity per row, as
// constants here (vf_ops is in another file).
static const struct own_row {
	uint8_t op;
	bool unary;
} own_rows[VF_NOPS] = {
#define OWN_OP_NONE(code) (code)
#define OWN_OP_FC(code) 0
#define WASM_OP(name, pfx, code, text, imm, kind, feat, a, b, c, r)            \
	[VF_OP_##name] = {OWN_OP_##pfx(code), VF_T_##b == VF_T_X},
#include <isola/wasm_ops.def>
#undef WASM_OP
#undef OWN_OP_NONE
#undef OWN_OP_FC
};

// loads (0x28-0x35) and stores (0x36-0x3e) with their memarg.
OWN_COLD void own_mem(struct own_fn *f, uint8_t op, uint32_t off)
{
	if (!f->cur.live)
		return;
	if (op <= 0x35) {
		struct own_val a = own_pop(f), v = {OWN_TOP, 0};
		if (op == 0x28 && a.k == OWN_SP) {
			struct own_val *s = own_slot_find(&f->cur, (int32_t)(a.v + off));
			if (s)
				v = *s;
		}
		own_push(f, v);
		return;
	}
	struct own_val v = own_pop(f), a = own_pop(f);
	static const uint8_t width[9] = {4, 8, 4, 8, 1, 2, 1, 2, 4};
	if (a.k == OWN_SP && op == 0x36) {
		own_slot_set(&f->cur, (int32_t)(a.v + off), v);
	} else if (a.k == OWN_SP) {
		own_slots_clobber(&f->cur, (int32_t)(a.v + off), width[op - 0x36]);
	} else {
		if (f->cur.frame_escaped)
			own_slots_clobber(&f->cur, INT32_MIN, 0);
		own_escape(f, v, "handle stored to linear memory outside the "
			   "stack frame");
	}
	if (v.k == OWN_SP && !(a.k == OWN_SP && op == 0x36))
		f->cur.frame_escaped = true;
}

static struct own_val own_arith(uint8_t op, struct own_val a, struct own_val b)
{
	struct own_val top = {OWN_TOP, 0};

	if (op == 0x6a) { // i32.add
		if (a.k == OWN_CONST && b.k == OWN_CONST)
			return (struct own_val){OWN_CONST, a.v + b.v};
		if (a.k == OWN_SP && b.k == OWN_CONST)
			return (struct own_val){OWN_SP, a.v + b.v};
		if (a.k == OWN_CONST && b.k == OWN_SP)
			return (struct own_val){OWN_SP, a.v + b.v};
	}
	if (op == 0x6b && b.k == OWN_CONST &&
	    (a.k == OWN_CONST || a.k == OWN_SP)) // i32.sub
		return (struct own_val){a.k, a.v - b.v};
	// i32.or of a frame address and low bits it has clear: compilers
	// write sp + 12 as (sp + 8) | 4, relying on the stack pointer's
	// 16-byte alignment.
	if (op == 0x72 && a.k == OWN_SP && b.k == OWN_CONST && b.v < 16 &&
	    (a.v & b.v) == 0)
		return (struct own_val){OWN_SP, a.v + b.v};
	return top;
}

OWN_HOT void own_local(struct own_fn *f, uint8_t op, uint32_t i)
{
	if (!f->cur.live || i >= f->nlocals)
		return;
	if (op == 0x20) {
		f->cur.vals[i] = own_read(&f->cur, f->cur.vals[i]);
		own_push(f, f->cur.vals[i]);
		return;
	}
	struct own_val v = own_pop(f);
	f->cur.vals[i] = v;
	if (op == 0x22)
		own_push(f, v);
}

OWN_HOT void own_global(struct own_fn *f, uint8_t op, uint32_t g)
{
	bool is_sp = g == 0 && f->m->nglobals > 0 &&
		     f->m->globals[0].type.type == VF_TYPE_I32 &&
		     f->m->globals[0].type.is_mutable;

	if (!f->cur.live)
		return;
	if (op == 0x23) {
		struct own_val v = {OWN_TOP, 0};
		if (is_sp && f->cur.sp_known)
			v = (struct own_val){OWN_SP, (uint32_t)f->cur.sp};
		own_push(f, v);
		return;
	}
	struct own_val v = own_pop(f);
	if (is_sp) {
		f->cur.sp_known = v.k == OWN_SP;
		f->cur.sp = (int32_t)v.v;
	} else {
		own_escape(f, v, "handle stored to a global");
	}
}

// memory.init, memory.copy and memory.fill: the destination's frame
// slots are overwritten; a copy out of the frame copies the handles there.
static void own_bulk(struct own_fn *f, bool copy)
{
	if (!f->cur.live)
		return;
	struct own_val n = own_pop(f), src = own_pop(f), dst = own_pop(f);
	if (dst.k == OWN_SP)
		own_slots_clobber(&f->cur, (int32_t)dst.v,
				  n.k == OWN_CONST ? n.v : 0);
	else if (f->cur.frame_escaped)
		own_slots_clobber(&f->cur, INT32_MIN, 0);
	if (copy && src.k == OWN_SP)
		own_slots_escape(f, (int32_t)src.v, n.k == OWN_CONST ? n.v : 0,
				 "handle copied by memory.copy");
}

// A comparison of an error code a (OWN_TEST_CODE: 0, or negative) with
// b: x != 0, x < 0 and x <= -1 are true on an error; x == 0, x >= 0 and
// x > -1 on a handle.
static struct own_val own_code_test(uint8_t op, struct own_val a,
				    struct own_val b)
{
	int32_t c = (int32_t)b.v;
	uint32_t o = a.v & 0xff;

	if (b.k != OWN_CONST)
		return (struct own_val){OWN_TOP, 0};
	if ((op == 0x47 && c == 0) || (op == 0x48 && c == 0) || (op == 0x4c && c == -1))
		return (struct own_val){OWN_TEST, o | OWN_TEST_ERR};
	if ((op == 0x46 && c == 0) || (op == 0x4e && c == 0) || (op == 0x4a && c == -1))
		return (struct own_val){OWN_TEST, o};
	return (struct own_val){OWN_TOP, 0};
}

// A comparison that tells a handle from an error code (a negative
// number; a handle is positive and never 0) in handle-or-error object a:
// x < 0, x <= -1, x >= 0, x > -1, x == 0, and x <u c with c >= 2^31; or
// one of its error code (own_code_test).
static struct own_val own_test(const struct own_fn *f, uint8_t op,
			       struct own_val a, struct own_val b)
{
	struct own_val top = {OWN_TOP, 0};
	int32_t c = (int32_t)b.v;
	bool err;

	if (a.k == OWN_TEST && (a.v & OWN_TEST_CODE))
		return own_code_test(op, a, b);
	if (a.k != OWN_H || a.v < OWN_PARAM_OBJS || a.v >= OWN_MAX_OBJS ||
	    f->cur.objs[a.v].st != OWN_OWNED || b.k != OWN_CONST)
		return top;
	if ((op == 0x48 && c == 0) || (op == 0x4c && c == -1))
		err = true; // lt_s 0, le_s -1
	else if ((op == 0x4e && c == 0) || (op == 0x4a && c == -1))
		err = false; // ge_s 0, gt_s -1
	else if (op == 0x49 && b.v >= 0x80000000u)
		err = false; // lt_u c: at most c - 1, so not negative
	else
		return top;
	return (struct own_val){OWN_TEST, a.v | (err ? OWN_TEST_ERR : 0)};
}

// Numeric operators: comparisons test handles and error codes, a few
// i32 operators compute frame addresses, the rest make unknown values
// (the table says how many operands).
OWN_COLD void own_numeric(struct own_fn *f, enum vf_op_id id)
{
	uint8_t op = own_rows[id].op;

	if (!f->cur.live)
		return;
	if (op >= 0x46 && op <= 0x4f) {
		struct own_val b = own_pop(f), a = own_pop(f);
		own_push(f, own_test(f, op, a, b));
		return;
	}
	if (op == 0x45) { // i32.eqz: negates a test; of a handle, x == 0
		struct own_val a = own_pop(f);
		struct own_val t = own_test(f, 0x48, a, (struct own_val){OWN_CONST, 0});
		if (a.k == OWN_TEST)
			t = (struct own_val){OWN_TEST, (a.v & ~OWN_TEST_CODE) ^ OWN_TEST_ERR};
		else if (t.k == OWN_TEST)
			t.v |= OWN_TEST_ZERO;
		own_push(f, t);
		return;
	}
	if (op == 0x6a || op == 0x6b || op == 0x72) {
		struct own_val b = own_pop(f), a = own_pop(f);
		own_push(f, own_arith(op, a, b));
		return;
	}
	own_top(f, own_rows[id].unary ? 1 : 2, 1);
}

// ---- the handlers of the table's kinds ---------------------------------------

OWN_HOT void own_h_UNREACHABLE(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	r->f.cur.live = false;
}

OWN_HOT void own_h_NOP(struct own_run *r, const struct vf_instr *in)
{
	(void)r, (void)in;
}

// A block type's parameter and result counts.
static void own_blocktype(const struct own_fn *f, const struct vf_instr *in,
			  uint32_t *np, uint32_t *nr)
{
	uint8_t b = in->block.byte;
	int64_t idx = in->block.type;

	*np = 0;
	*nr = 0;
	if (b == 0x40 || (b >= 0x7c && b <= 0x7f))
		*nr = b != 0x40;
	else if (idx >= 0 && (uint64_t)idx < f->m->ntypes)
		*np = f->m->types[idx].nparams, *nr = f->m->types[idx].nresults;
}

// block, loop and if (op: 0x02, 0x03, 0x04).
static void own_block(struct own_run *r, const struct vf_instr *in, uint8_t op)
{
	struct own_fn *f = &r->f;
	struct own_val cond = {OWN_TOP, 0};
	uint32_t np, nr;

	own_blocktype(f, in, &np, &nr);
	if (op == 0x04 && f->cur.live)
		cond = own_pop(f);
	if (!own_push_ctl(r, op, np, nr)) {
		own_note(f, ERR_SIP_OWN_LIMIT, "nesting");
		f->ended = true;
		return;
	}
	if (op == 0x04) { // else entry: false; then: true
		own_refine(r->ctls[r->nctls - 1].alt, cond, false, NULL);
		own_refine(&f->cur, cond, true, NULL);
	}
}

OWN_HOT void own_h_BLOCK(struct own_run *r, const struct vf_instr *in)
{
	own_block(r, in, 0x02);
}

OWN_HOT void own_h_LOOP(struct own_run *r, const struct vf_instr *in)
{
	own_block(r, in, 0x03);
}

OWN_HOT void own_h_IF(struct own_run *r, const struct vf_instr *in)
{
	own_block(r, in, 0x04);
}

OWN_HOT void own_h_ELSE(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	own_else(r);
}

OWN_HOT void own_h_END(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	if (own_end(r) && r->nctls == 0)
		r->f.ended = true; // the function's own end
}

static struct own_ctl *own_label(struct own_run *r, uint32_t l)
{
	return l < r->nctls ? &r->ctls[r->nctls - 1 - l] : NULL;
}

// br and br_if: the branch is taken where cond is true, not taken where
// it is false.
OWN_HOT void own_h_BR_IF(struct own_run *r, const struct vf_instr *in)
{
	struct own_fn *f = &r->f;
	struct own_ctl *c = own_label(r, in->idx);
	struct own_val cond = {OWN_TOP, 0};
	struct own_obj was;

	if (in->id == VF_OP_BR_IF && f->cur.live)
		cond = own_pop(f);
	uint32_t o = own_refine(&f->cur, cond, true, &was);
	if (c)
		own_branch(r, c);
	if (o < OWN_MAX_OBJS)
		f->cur.objs[o] = was; // undone for the fall-through
	own_refine(&f->cur, cond, false, NULL);
	if (in->id == VF_OP_BR)
		f->cur.live = false;
}

OWN_HOT void own_h_BR(struct own_run *r, const struct vf_instr *in)
{
	own_h_BR_IF(r, in);
}

OWN_HOT void own_h_BR_TABLE(struct own_run *r, const struct vf_instr *in)
{
	struct own_fn *f = &r->f;
	struct vf_cursor labels = {in->br.labels, f->p, NULL};
	uint32_t l;

	if (f->cur.live)
		(void)own_pop(f); // the index: any target may be taken
	for (uint32_t i = 0; i <= in->br.count; i++) {
		if (vf_cur_u32(&labels, &l) != ERR_OK)
			break; // read once by the reader already: never
		struct own_ctl *c = own_label(r, l);
		if (c)
			own_branch(r, c);
	}
	f->cur.live = false;
}

OWN_HOT void own_h_RETURN(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	own_branch(r, &r->ctls[0]);
	r->f.cur.live = false;
}

OWN_HOT void own_h_CALL(struct own_run *r, const struct vf_instr *in)
{
	if (r->f.cur.live && in->idx < r->f.m->nfuncs)
		own_call(r, in->idx);
}

OWN_HOT void own_h_CALL_INDIRECT(struct own_run *r, const struct vf_instr *in)
{
	if (r->f.cur.live && in->idx < r->f.m->ntypes)
		own_call_indirect(&r->f, in->idx);
}

OWN_HOT void own_h_DROP(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	if (r->f.cur.live)
		(void)own_pop(&r->f); // the value: unknown where it goes
}

// select: either operand may come out, so both escape.
OWN_HOT void own_h_SELECT(struct own_run *r, const struct vf_instr *in)
{
	struct own_fn *f = &r->f;

	(void)in;
	if (!f->cur.live)
		return;
	(void)own_pop(f); // the condition
	struct own_val b = own_pop(f), a = own_pop(f);
	own_escape_val(&f->cur, a);
	own_escape_val(&f->cur, b);
	own_push(f, (struct own_val){OWN_TOP, 0});
}

OWN_HOT void own_h_LOCAL_GET(struct own_run *r, const struct vf_instr *in)
{
	own_local(&r->f, 0x20, in->idx);
}

OWN_HOT void own_h_LOCAL_SET(struct own_run *r, const struct vf_instr *in)
{
	own_local(&r->f, 0x21, in->idx);
}

OWN_HOT void own_h_LOCAL_TEE(struct own_run *r, const struct vf_instr *in)
{
	own_local(&r->f, 0x22, in->idx);
}

OWN_HOT void own_h_GLOBAL_GET(struct own_run *r, const struct vf_instr *in)
{
	own_global(&r->f, 0x23, in->idx);
}

OWN_HOT void own_h_GLOBAL_SET(struct own_run *r, const struct vf_instr *in)
{
	own_global(&r->f, 0x24, in->idx);
}

OWN_HOT void own_h_LOAD(struct own_run *r, const struct vf_instr *in)
{
	own_mem(&r->f, own_rows[in->id].op, in->mem.offset);
}

OWN_HOT void own_h_STORE(struct own_run *r, const struct vf_instr *in)
{
	own_mem(&r->f, own_rows[in->id].op, in->mem.offset);
}

OWN_HOT void own_h_MEMORY_SIZE(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	if (r->f.cur.live)
		own_top(&r->f, 0, 1);
}

OWN_HOT void own_h_MEMORY_GROW(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	if (r->f.cur.live)
		own_top(&r->f, 1, 1);
}

// i32 constants are tracked (frame offsets, error codes); others not.
OWN_HOT void own_h_CONST(struct own_run *r, const struct vf_instr *in)
{
	if (!r->f.cur.live)
		return;
	if (in->id == VF_OP_I32_CONST)
		own_push(&r->f, (struct own_val){OWN_CONST, (uint32_t)in->i32});
	else
		own_top(&r->f, 0, 1);
}

OWN_HOT void own_h_NUMERIC(struct own_run *r, const struct vf_instr *in)
{
	own_numeric(&r->f, in->id);
}

OWN_HOT void own_h_NUMERIC_TRAPS(struct own_run *r, const struct vf_instr *in)
{
	own_numeric(&r->f, in->id);
}

OWN_HOT void own_h_MEMORY_INIT(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	own_bulk(&r->f, false);
}

OWN_HOT void own_h_MEMORY_COPY(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	own_bulk(&r->f, true);
}

OWN_HOT void own_h_MEMORY_FILL(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	own_bulk(&r->f, false);
}

OWN_HOT void own_h_DATA_DROP(struct own_run *r, const struct vf_instr *in)
{
	(void)r, (void)in;
}

OWN_HOT void own_h_ELEM_DROP(struct own_run *r, const struct vf_instr *in)
{
	(void)r, (void)in;
}

// table.init and table.copy: three i32 operands, nothing of the frame.
OWN_HOT void own_h_TABLE_INIT(struct own_run *r, const struct vf_instr *in)
{
	(void)in;
	if (r->f.cur.live)
		own_top(&r->f, 3, 0);
}

OWN_HOT void own_h_TABLE_COPY(struct own_run *r, const struct vf_instr *in)
{
	own_h_TABLE_INIT(r, in);
}

// ---- the dispatch -------------------------------------------------------------

// One case per row, as in the validator (validate_ops.c): the row's
// immediates with the shared reader, then its kind's handler. The body
// was validated, so a reading error is an internal one.
#define OWN_CASE(name, code, imm, kind)                                        \
	case code:                                                             \
		in.id = VF_OP_##name;                                          \
		if (vf_imm_##imm(c, &in) != ERR_OK)                            \
			return own_bad(f);                                     \
		f->p = c->p;                                                   \
		own_h_##kind(r, &in);                                          \
		break;
#define OWN_CASE_NONE(name, code, imm, kind) OWN_CASE(name, code, imm, kind)
#define OWN_CASE_FC(name, code, imm, kind)

static bool own_bad(struct own_fn *f)
{
	own_error(f, ERR_INTERNAL, "instruction reader");
	return false;
}

// The 0xfc rows.
static bool own_step_fc(struct own_run *r, struct vf_cursor *c)
{
	struct own_fn *f = &r->f;
	struct vf_instr in;
	uint32_t sub;

	in.at = f->op_at;
	if (vf_cur_u32(c, &sub) != ERR_OK)
		return own_bad(f);
#undef OWN_CASE_NONE
#undef OWN_CASE_FC
#define OWN_CASE_NONE(name, code, imm, kind)
#define OWN_CASE_FC(name, code, imm, kind) OWN_CASE(name, code, imm, kind)
	switch (sub) {
#define WASM_OP(name, pfx, code, text, imm, kind, ...)                          \
	OWN_CASE_##pfx(name, code, imm, kind)
#include <isola/wasm_ops.def>
#undef WASM_OP
	default: return own_bad(f);
	}
	return true;
}

// One instruction at f->p. Returns false when the walk is over: the
// function's final end, a verdict, or the work budget spent.
OWN_HOT bool own_step(struct own_run *r)
{
	struct own_fn *f = &r->f;
	struct vf_cursor cur = {f->p + 1, f->end, NULL}, *c = &cur;
	struct vf_instr in;

	own_charge(f, 1);
	in.at = f->p;
#undef OWN_CASE_NONE
#undef OWN_CASE_FC
#define OWN_CASE_NONE(name, code, imm, kind) OWN_CASE(name, code, imm, kind)
#define OWN_CASE_FC(name, code, imm, kind)
	switch (*f->p) {
#define WASM_OP(name, pfx, code, text, imm, kind, ...)                          \
	OWN_CASE_##pfx(name, code, imm, kind)
#include <isola/wasm_ops.def>
#undef WASM_OP
	case VF_PREFIX_FC:
		if (!own_step_fc(r, c))
			return false;
		break;
	default: return own_bad(f);
	}
	return !f->ended && !f->stop && !f->over && f->p < f->end;
}

void own_walk(struct own_run *r)
{
	struct own_fn *f = &r->f;

	do
		f->op_at = f->p;
	while (own_step(r));
}
