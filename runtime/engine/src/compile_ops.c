// SPDX-License-Identifier: MIT
// Compiling the non-control instructions: locals, globals, constants,
// memory, numerics, calls and the 0xfc prefix, over the virtual operand
// stack. Each emits its handler word, a destination slot and operand
// slots; instructions that may trap record their code offset (a site)
// for trap reports.
#include "compile.h"

void cc_op_site(struct cc *c, enum eng_op op)
{
	if (isola_unlikely(c->nsites >= c->sites_cap)) {
		c->bad = true;
		return;
	}
	c->sites[c->nsites].word = c->n;
	c->sites[c->nsites].code_off = c->op_off - c->m->code_section.off;
	c->nsites++;
	cc_op(c, op);
}

// ---- the virtual operand stack ----------------------------------------

static void cc_materialize(struct cc *c, uint32_t i)
{
	struct cc_val *v = &c->vs[i];
	if (v->kind == CC_V_LOCAL) {
		cc_op(c, ENG_OP_COPY);
		cc_word(c, cc_slot(c, i));
		cc_word(c, v->local);
	} else if (v->kind == CC_V_CONST) {
		cc_op(c, ENG_OP_CONST);
		cc_word(c, cc_slot(c, i));
		cc_word(c, v->value);
	}
	v->kind = CC_V_SLOT;
}

uint32_t cc_pop(struct cc *c)
{
	if (isola_unlikely(c->h == 0)) {
		c->bad = true;
		return 0;
	}
	struct cc_val *v = &c->vs[--c->h];
	if (v->kind == CC_V_CONST)
		cc_materialize(c, c->h);
	return v->kind == CC_V_LOCAL ? v->local : cc_slot(c, c->h);
}

void cc_push(struct cc *c)
{
	if (!cc_room(c, 1))
		return;
	c->vs[c->h].kind = CC_V_SLOT;
	c->last_dst = c->n;
	cc_word(c, cc_slot(c, c->h));
	c->h++;
}

void cc_flush(struct cc *c)
{
	for (uint32_t i = 0; i < c->h; i++)
		cc_materialize(c, i);
	c->last_dst = CC_NONE;
}

void cc_reset_slots(struct cc *c)
{
	for (uint32_t i = 0; i < c->h; i++)
		c->vs[i].kind = CC_V_SLOT;
	c->last_dst = CC_NONE;
}

// Lazy operands below the top that read local x, written out before x
// changes.
static bool cc_flush_local(struct cc *c, uint32_t x, uint32_t below)
{
	bool any = false;
	for (uint32_t i = 0; i < below; i++) {
		if (c->vs[i].kind == CC_V_LOCAL && c->vs[i].local == x) {
			cc_materialize(c, i);
			any = true;
		}
	}
	return any;
}

static void cc_copy(struct cc *c, uint32_t dst, uint32_t src)
{
	if (dst == src)
		return;
	cc_op(c, ENG_OP_COPY);
	cc_word(c, dst);
	cc_word(c, src);
}

// local.set and local.tee. When the top operand was just written by the
// previous instruction, that instruction writes the local instead.
static void cc_set_local(struct cc *c, uint32_t x, bool tee)
{
	uint32_t top = c->h - 1;
	bool pending = false;
	for (uint32_t i = 0; i < top; i++)
		pending |= c->vs[i].kind == CC_V_LOCAL && c->vs[i].local == x;
	if (!pending && c->vs[top].kind == CC_V_SLOT && c->last_dst != CC_NONE &&
	    c->code[c->last_dst] == cc_slot(c, top)) {
		c->code[c->last_dst] = x;
		c->last_dst = CC_NONE;
		if (tee) {
			c->vs[top].kind = CC_V_LOCAL;
			c->vs[top].local = x;
		} else {
			c->h--;
		}
		return;
	}
	if (c->vs[top].kind == CC_V_CONST && !pending) {
		cc_op(c, ENG_OP_CONST);
		cc_word(c, x);
		cc_word(c, c->vs[top].value);
		if (!tee)
			c->h--;
		return;
	}
	cc_flush_local(c, x, top);
	uint32_t src = cc_pop(c);
	cc_copy(c, x, src);
	if (tee)
		c->h++; // the operand stays where it was
}

static void cc_push_lazy(struct cc *c, uint8_t kind, uint32_t local, uint64_t v)
{
	if (!cc_room(c, 1))
		return;
	struct cc_val *e = &c->vs[c->h++];
	e->kind = kind;
	e->local = local;
	e->value = v;
}

// ---- instructions -------------------------------------------------------

// Loads 0x28..0x35 and stores 0x36..0x3e, in opcode order.
static const uint8_t cc_mem_ops[] = {
	ENG_OP_LOAD32,	   ENG_OP_LOAD64,     ENG_OP_LOAD32,	ENG_OP_LOAD64,
	ENG_OP_LOAD8_S32,  ENG_OP_LOAD8_U,    ENG_OP_LOAD16_S32, ENG_OP_LOAD16_U,
	ENG_OP_LOAD8_S64,  ENG_OP_LOAD8_U,    ENG_OP_LOAD16_S64, ENG_OP_LOAD16_U,
	ENG_OP_LOAD32_S64, ENG_OP_LOAD32,     ENG_OP_STORE32,	ENG_OP_STORE64,
	ENG_OP_STORE32,	   ENG_OP_STORE64,    ENG_OP_STORE8,	ENG_OP_STORE16,
	ENG_OP_STORE8,	   ENG_OP_STORE16,    ENG_OP_STORE32,
};

// True if the operand at height i is the result of an I32_ADD_RI just
// emitted.
static bool cc_fresh_add_ri(const struct cc *c, uint32_t i)
{
	return c->last_dst != CC_NONE && c->h > i && c->vs[i].kind == CC_V_SLOT &&
	       c->code[c->last_dst] == cc_slot(c, i) &&
	       c->code[c->last_dst - 1] ==
		       (uint64_t)(uintptr_t)c->labels[ENG_OP_I32_ADD_RI];
}

// A load from (a + k) wrapped to 32 bits, plus the offset: the add is
// taken back out and fused (dst, a, k, offset). The sum wraps exactly as
// i32.add does, so the effective address is unchanged.
static void cc_load_ak(struct cc *c, enum eng_op e, uint32_t off)
{
	uint32_t at = c->last_dst - 1;
	uint64_t a = c->code[at + 2], k = c->code[at + 3];
	c->n = at;
	c->h--;
	cc_op_site(c, (enum eng_op)(e - ENG_OP_LOAD32 + ENG_OP_LOAD32_AK));
	cc_push(c);
	cc_word(c, a);
	cc_word(c, k);
	cc_word(c, off);
}

// A store of a local to (a + k) wrapped, plus the offset: a, k, local,
// offset (the local is read after the add, as in the wasm order).
static void cc_store_ak(struct cc *c, enum eng_op e, uint32_t off)
{
	uint32_t at = c->last_dst - 1;
	uint64_t a = c->code[at + 2], k = c->code[at + 3];
	uint32_t v = c->vs[c->h - 1].local;
	c->n = at;
	c->h -= 2;
	cc_op_site(c, (enum eng_op)(e - ENG_OP_STORE8 + ENG_OP_STORE8_AK));
	cc_word(c, a);
	cc_word(c, k);
	cc_word(c, v);
	cc_word(c, off);
}

// Loads: dst, address, offset. Stores: address, value, offset.
static void cc_memop(struct cc *c, const struct vf_instr *in)
{
	uint8_t op = (uint8_t)vf_ops[in->id].code;
	uint32_t off = in->mem.offset; // the alignment is only a hint
	enum eng_op e = (enum eng_op)cc_mem_ops[op - 0x28];
	if (op >= 0x36 && c->h >= 2 && c->vs[c->h - 1].kind == CC_V_LOCAL &&
	    cc_fresh_add_ri(c, c->h - 2)) {
		cc_store_ak(c, e, off);
	} else if (op >= 0x36) {
		uint32_t v = cc_pop(c), a = cc_pop(c);
		cc_op_site(c, e);
		cc_word(c, a);
		cc_word(c, v);
		cc_word(c, off);
	} else if (c->h > 0 && cc_fresh_add_ri(c, c->h - 1)) {
		cc_load_ak(c, e, off);
	} else {
		uint32_t a = cc_pop(c);
		cc_op_site(c, e);
		cc_push(c);
		cc_word(c, a);
		cc_word(c, off);
	}
}

// The form with a constant second operand, or 0 if there is none.
static enum eng_op cc_ri_form(uint8_t op)
{
	static const struct {
		uint8_t wasm;
		uint8_t ri;
	} map[] = {
		{0x6a, ENG_OP_I32_ADD_RI},  {0x6b, ENG_OP_I32_SUB_RI},
		{0x6c, ENG_OP_I32_MUL_RI},  {0x71, ENG_OP_I32_AND_RI},
		{0x72, ENG_OP_I32_OR_RI},   {0x73, ENG_OP_I32_XOR_RI},
		{0x74, ENG_OP_I32_SHL_RI},  {0x75, ENG_OP_I32_SHR_S_RI},
		{0x76, ENG_OP_I32_SHR_U_RI}, {0x77, ENG_OP_I32_ROTL_RI},
		{0x78, ENG_OP_I32_ROTR_RI}, {0x46, ENG_OP_I32_EQ_RI},
		{0x47, ENG_OP_I32_NE_RI},   {0x48, ENG_OP_I32_LT_S_RI},
		{0x49, ENG_OP_I32_LT_U_RI}, {0x4a, ENG_OP_I32_GT_S_RI},
		{0x4b, ENG_OP_I32_GT_U_RI}, {0x4c, ENG_OP_I32_LE_S_RI},
		{0x4d, ENG_OP_I32_LE_U_RI}, {0x4e, ENG_OP_I32_GE_S_RI},
		{0x4f, ENG_OP_I32_GE_U_RI}, {0x7c, ENG_OP_I64_ADD_RI},
		{0x7d, ENG_OP_I64_SUB_RI},  {0x7e, ENG_OP_I64_MUL_RI},
		{0x83, ENG_OP_I64_AND_RI},  {0x84, ENG_OP_I64_OR_RI},
		{0x85, ENG_OP_I64_XOR_RI},  {0x86, ENG_OP_I64_SHL_RI},
		{0x87, ENG_OP_I64_SHR_S_RI}, {0x88, ENG_OP_I64_SHR_U_RI},
		{0xa0, ENG_OP_F64_ADD_RI},  {0xa1, ENG_OP_F64_SUB_RI},
		{0xa2, ENG_OP_F64_MUL_RI},  {0xa3, ENG_OP_F64_DIV_RI},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].wasm == op)
			return (enum eng_op)map[i].ri;
	return (enum eng_op)0;
}

// Remembers an i32 comparison just emitted at word start (eqz is a
// comparison with the constant 0).
static void cc_note_cmp(struct cc *c, uint32_t start, uint8_t op, bool ri,
			uint64_t a, uint64_t b)
{
	c->last_cmp = start;
	c->cmp_index = op == 0x45 ? 0 : (uint8_t)(op - 0x46);
	c->cmp_ri = ri;
	c->cmp_a = a;
	c->cmp_b = b;
}

// The engine operation of a numeric row: ops.def lists the one-byte
// numeric operators in opcode order from i32.eqz, and the saturating
// conversions in sub-opcode order.
static enum eng_op cc_numeric_op(const struct vf_op_info *o)
{
	if (o->prefix == VF_PREFIX_FC)
		return (enum eng_op)(ENG_OP_I32_TRUNC_SAT_F32_S + o->code);
	return (enum eng_op)(ENG_OP_I32_EQZ + (o->code - 0x45));
}

_Static_assert(ENG_OP_I64_EXTEND32_S - ENG_OP_I32_EQZ == 0xc4 - 0x45,
	       "ops.def's numeric rows follow the opcodes");
_Static_assert(ENG_OP_I64_TRUNC_SAT_F64_U - ENG_OP_I32_TRUNC_SAT_F32_S == 7,
	       "ops.def's saturating conversions follow the sub-opcodes");

// Numeric operators: typed by the table (one operand or two), trapping
// ones (NUMERIC_TRAPS) record their site.
static void cc_numeric(struct cc *c, const struct vf_instr *in, bool traps)
{
	const struct vf_op_info *o = &vf_ops[in->id];
	enum eng_op e = cc_numeric_op(o);
	uint8_t op = o->prefix == VF_PREFIX_NONE ? (uint8_t)o->code : 0;
	bool cmp = in->id >= VF_OP_I32_EQ && in->id <= VF_OP_I32_GE_U;
	if (o->b == VF_T_X) {
		uint32_t a = cc_pop(c);
		uint32_t start = c->n;
		if (traps)
			cc_op_site(c, e);
		else
			cc_op(c, e);
		cc_push(c);
		cc_word(c, a);
		if (in->id == VF_OP_I32_EQZ)
			cc_note_cmp(c, start, op, true, a, 0);
		return;
	}
	enum eng_op ri = cc_ri_form(op);
	if (ri != 0 && c->vs[c->h - 1].kind == CC_V_CONST) {
		uint64_t k = c->vs[--c->h].value;
		uint32_t a = cc_pop(c);
		uint32_t start = c->n;
		cc_op(c, ri);
		cc_push(c);
		cc_word(c, a);
		cc_word(c, k);
		if (cmp)
			cc_note_cmp(c, start, op, true, a, k);
		return;
	}
	uint32_t b = cc_pop(c), a = cc_pop(c);
	uint32_t start = c->n;
	if (traps)
		cc_op_site(c, e);
	else
		cc_op(c, e);
	cc_push(c);
	cc_word(c, a);
	cc_word(c, b);
	if (cmp)
		cc_note_cmp(c, start, op, false, a, b);
}

static void cc_results(struct cc *c, const struct vf_functype *t)
{
	if (!cc_room(c, t->nresults))
		return;
	for (uint32_t i = 0; i < t->nresults; i++)
		c->vs[c->h++].kind = CC_V_SLOT;
	c->last_dst = CC_NONE;
}

// Calls: the arguments are flushed to their own slots, where the
// callee's frame begins (the base slot).
static void cc_call(struct cc *c, uint32_t fi)
{
	const struct vf_functype *t = vf_func_type(c->m, fi);
	cc_flush(c);
	if (isola_unlikely(c->h < t->nparams)) {
		c->bad = true;
		return;
	}
	c->h -= t->nparams;
	if (fi >= c->m->nimported_funcs) {
		cc_op_site(c, ENG_OP_CALL);
		cc_word(c, (uint64_t)(uintptr_t)&c->prep->codes[fi - c->m->nimported_funcs]);
	} else {
		// Imports are bound per instance: the code names the index.
		cc_op_site(c, ENG_OP_CALL_FUNC);
		cc_word(c, fi);
	}
	cc_word(c, cc_slot(c, c->h));
	cc_results(c, t);
}

// call_indirect: type, signature hash, index slot, base slot. The table
// is the running instance's.
static void cc_call_indirect(struct cc *c, uint32_t ti)
{
	const struct vf_functype *t = &c->m->types[ti];
	uint32_t idx = cc_pop(c);
	cc_flush(c);
	if (isola_unlikely(c->h < t->nparams)) {
		c->bad = true;
		return;
	}
	c->h -= t->nparams;
	cc_op_site(c, ENG_OP_CALL_INDIRECT);
	cc_word(c, (uint64_t)(uintptr_t)t);
	cc_word(c, eng_sig_hash(t));
	cc_word(c, idx);
	cc_word(c, cc_slot(c, c->h));
	cc_results(c, t);
}

// memory.init, memory.copy, memory.fill, table.init, table.copy: three
// operand slots, then the segment index where there is one.
static void cc_bulk(struct cc *c, enum eng_op e, uint32_t seg)
{
	uint32_t n = cc_pop(c), s = cc_pop(c), d = cc_pop(c);
	cc_op_site(c, e);
	cc_word(c, d);
	cc_word(c, s);
	cc_word(c, n);
	cc_word(c, seg);
}

// ---- the handlers of the kinds that are not control ---------------------------

void cc_h_NOP(struct cc *c, const struct vf_instr *in)
{
	(void)c, (void)in;
}

void cc_h_NUMERIC(struct cc *c, const struct vf_instr *in)
{
	cc_numeric(c, in, false);
}

void cc_h_NUMERIC_TRAPS(struct cc *c, const struct vf_instr *in)
{
	cc_numeric(c, in, true);
}

void cc_h_LOAD(struct cc *c, const struct vf_instr *in)
{
	cc_memop(c, in);
}

void cc_h_STORE(struct cc *c, const struct vf_instr *in)
{
	cc_memop(c, in);
}

void cc_h_CALL(struct cc *c, const struct vf_instr *in)
{
	cc_call(c, in->idx);
}

void cc_h_CALL_INDIRECT(struct cc *c, const struct vf_instr *in)
{
	cc_call_indirect(c, in->idx); // the table is 0
}

// Constants stay lazy until an instruction needs them in a slot.
void cc_h_CONST(struct cc *c, const struct vf_instr *in)
{
	uint64_t v;
	switch (in->id) {
	case VF_OP_I32_CONST: v = (uint32_t)in->i32; break;
	case VF_OP_I64_CONST: v = (uint64_t)in->i64; break;
	case VF_OP_F32_CONST: v = in->f32; break;
	default: v = in->f64; break;
	}
	cc_push_lazy(c, CC_V_CONST, 0, v);
}

void cc_h_LOCAL_GET(struct cc *c, const struct vf_instr *in)
{
	cc_push_lazy(c, CC_V_LOCAL, in->idx, 0);
}

void cc_h_LOCAL_SET(struct cc *c, const struct vf_instr *in)
{
	cc_set_local(c, in->idx, false);
}

void cc_h_LOCAL_TEE(struct cc *c, const struct vf_instr *in)
{
	cc_set_local(c, in->idx, true);
}

// Globals: the index names the cell, which is per instance.
void cc_h_GLOBAL_GET(struct cc *c, const struct vf_instr *in)
{
	cc_op(c, ENG_OP_GLOBAL_GET);
	cc_push(c);
	cc_word(c, in->idx);
}

void cc_h_GLOBAL_SET(struct cc *c, const struct vf_instr *in)
{
	uint32_t a = cc_pop(c);
	cc_op(c, ENG_OP_GLOBAL_SET);
	cc_word(c, a);
	cc_word(c, in->idx);
}

// drop: the value just stays in its slot.
void cc_h_DROP(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	c->h--;
	c->last_dst = CC_NONE;
}

void cc_h_SELECT(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	uint32_t k = cc_pop(c), b = cc_pop(c), a = cc_pop(c);
	cc_op(c, ENG_OP_SELECT);
	cc_push(c);
	cc_word(c, a);
	cc_word(c, b);
	cc_word(c, k);
}

void cc_h_MEMORY_SIZE(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	cc_op(c, ENG_OP_MEMORY_SIZE);
	cc_push(c);
}

void cc_h_MEMORY_GROW(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	uint32_t a = cc_pop(c);
	cc_op(c, ENG_OP_MEMORY_GROW);
	cc_push(c);
	cc_word(c, a);
}

void cc_h_MEMORY_INIT(struct cc *c, const struct vf_instr *in)
{
	cc_bulk(c, ENG_OP_MEMORY_INIT, in->idx);
}

void cc_h_DATA_DROP(struct cc *c, const struct vf_instr *in)
{
	cc_op(c, ENG_OP_DATA_DROP);
	cc_word(c, in->idx);
}

void cc_h_MEMORY_COPY(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	cc_bulk(c, ENG_OP_MEMORY_COPY, 0);
}

void cc_h_MEMORY_FILL(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	cc_bulk(c, ENG_OP_MEMORY_FILL, 0);
}

void cc_h_TABLE_INIT(struct cc *c, const struct vf_instr *in)
{
	cc_bulk(c, ENG_OP_TABLE_INIT, in->idx);
}

void cc_h_ELEM_DROP(struct cc *c, const struct vf_instr *in)
{
	cc_op(c, ENG_OP_ELEM_DROP);
	cc_word(c, in->idx);
}

void cc_h_TABLE_COPY(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	cc_bulk(c, ENG_OP_TABLE_COPY, 0);
}
