// SPDX-License-Identifier: MIT
// The instruction dispatch of the function-body validator: one switch
// generated from the instruction table (<isola/wasm_ops.def>), each case
// checking the row's feature, reading its immediates with the shared
// reader and calling the handler of its KIND. Instructions of fixed type
// are typed from the table's A B C R columns. Opcodes that are not rows
// are rejected: proposals outside the feature set as unsupported, the
// rest as illegal (never skipped or misread). The dispatch reads through
// a cursor of its own, kept in registers, and sets f->r.p before each
// handler (the handlers only read it).
#include "validate.h"

// The handlers below are inlined into the dispatch: the common
// instructions then cost no call, as one hand-written switch would. The
// kinds with many rows (numeric operators, loads and stores) share one
// out-of-line body, typed from the row, so the dispatch stays small
// enough for the instruction cache.
#define VF_HOT static inline __attribute__((always_inline))
#define VF_SHARED static __attribute__((noinline))

// The table's types and immediate kind per row, as constants here so that
// the compiler folds them into each case.
static const struct vf_sig {
	vf_valtype_t a, b, c, r;
	uint8_t imm;
} vf_sigs[VF_NOPS] = {
#define WASM_OP(name, pfx, code, text, imm, kind, feat, a, b, c, r)            \
	[VF_OP_##name] = {VF_T_##a, VF_T_##b, VF_T_##c, VF_T_##r, VF_IMM_##imm},
#include <isola/wasm_ops.def>
#undef WASM_OP
};

// Pops the row's operands (last first) and pushes its result.
ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_typed(struct vf_fn *f, enum vf_op_id id)
{
	const struct vf_sig *s = &vf_sigs[id];

	if (s->c)
		TRY(vf_pop1(f, s->c));
	if (s->b)
		TRY(vf_pop1(f, s->b));
	if (s->a)
		TRY(vf_pop1(f, s->a));
	return s->r ? vf_push(f, s->r) : ERR_OK;
}

isola_err_t vf_need_memory(struct vf_fn *f)
{
	if (f->m->nmemories == 0)
		return vf_fail_op(f, ERR_VF_UNKNOWN_MEMORY);
	return ERR_OK;
}

// ---- the handlers of the kinds that are not control ------------------------

// The numeric operators: one body per arity for all their rows, given
// the row's types (constants in each case).
ISOLA_MUST_CHECK
VF_SHARED isola_err_t vf_unop(struct vf_fn *f, vf_valtype_t a, vf_valtype_t r)
{
	TRY(vf_pop1(f, a));
	return vf_push(f, r);
}

ISOLA_MUST_CHECK
VF_SHARED isola_err_t vf_binop(struct vf_fn *f, vf_valtype_t a, vf_valtype_t b,
			       vf_valtype_t r)
{
	TRY(vf_pop1(f, b));
	TRY(vf_pop1(f, a));
	return vf_push(f, r);
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_numeric(struct vf_fn *f, enum vf_op_id id)
{
	const struct vf_sig *s = &vf_sigs[id];

	if (s->c == VF_T_X && s->b == VF_T_X && s->r != VF_T_X)
		return vf_unop(f, s->a, s->r);
	if (s->c == VF_T_X && s->r != VF_T_X)
		return vf_binop(f, s->a, s->b, s->r);
	return vf_typed(f, id);
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_NUMERIC(struct vf_fn *f, const struct vf_instr *in,
				enum vf_op_id id)
{
	(void)in;
	return vf_numeric(f, id);
}

// (The base set's numeric rows are typed in the dispatch's default case.)
#define vf_v_NUMERIC_TRAPS vf_v_NUMERIC

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_CONST(struct vf_fn *f, const struct vf_instr *in,
				     enum vf_op_id id)
{
	(void)in;
	return vf_typed(f, id);
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_NOP(struct vf_fn *f, const struct vf_instr *in,
				   enum vf_op_id id)
{
	(void)f, (void)in, (void)id;
	return ERR_OK;
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_UNREACHABLE(struct vf_fn *f,
					   const struct vf_instr *in,
					   enum vf_op_id id)
{
	(void)in, (void)id;
	vf_set_unreachable(f);
	return ERR_OK;
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_DROP(struct vf_fn *f, const struct vf_instr *in,
				    enum vf_op_id id)
{
	(void)in, (void)id;
	return vf_pop1(f, VF_TYPE_ANY);
}

// V-SELECT: i32 condition and two operands of one numeric type.
ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_SELECT(struct vf_fn *f, const struct vf_instr *in,
			       enum vf_op_id id)
{
	vf_valtype_t a, b;

	(void)in, (void)id;
	TRY(vf_pop1(f, VF_TYPE_I32));
	TRY(vf_pop(f, VF_TYPE_ANY, &b));
	TRY(vf_pop(f, b, &a));
	return vf_push(f, a == VF_TYPE_ANY ? b : a);
}

// V-MEMARG: align (log2) at most natural, offset any u32, memory exists.
// One body for all loads and one for all stores, given the row's
// natural alignment and value type; align was read at imm_at.
ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_memarg(struct vf_fn *f, uint32_t align,
				uint32_t natural, const uint8_t *imm_at)
{
	if (isola_unlikely(f->m->nmemories == 0)) // vf_need_memory, inline
		return vf_fail_op(f, ERR_VF_UNKNOWN_MEMORY);
	if (align > natural)
		return vf_failf(f->e, ERR_VF_ALIGN, imm_at, "align 2^%u", align);
	return ERR_OK;
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_load(struct vf_fn *f, uint32_t align, uint32_t natural,
			      const uint8_t *imm_at, vf_valtype_t r)
{
	TRY(vf_memarg(f, align, natural, imm_at));
	TRY(vf_pop1(f, VF_TYPE_I32));
	return vf_push(f, r);
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_store(struct vf_fn *f, uint32_t align,
			       uint32_t natural, const uint8_t *imm_at,
			       vf_valtype_t b)
{
	TRY(vf_memarg(f, align, natural, imm_at));
	TRY(vf_pop1(f, b));
	return vf_pop1(f, VF_TYPE_I32);
}

// (The base set's loads and stores are the dispatch's MEM group: a row
// of another feature set would need a vf_v_LOAD or vf_v_STORE here.)

// memory.size and memory.grow.
ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_memory(struct vf_fn *f,
				      const struct vf_instr *in,
				      enum vf_op_id id)
{
	(void)in;
	TRY(vf_need_memory(f));
	return vf_typed(f, id);
}
#define vf_v_MEMORY_SIZE vf_v_memory
#define vf_v_MEMORY_GROW vf_v_memory

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_local(struct vf_fn *f, const struct vf_instr *in,
			    vf_valtype_t *t)
{
	if (in->idx >= f->nlocals)
		return vf_failf(f->e, ERR_VF_UNKNOWN_LOCAL, in->imm_at,
				"local %u", in->idx);
	*t = f->locals[in->idx];
	return ERR_OK;
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_LOCAL_GET(struct vf_fn *f, const struct vf_instr *in,
				  enum vf_op_id id)
{
	vf_valtype_t t;

	(void)id;
	TRY(vf_local(f, in, &t));
	return vf_push(f, t);
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_LOCAL_SET(struct vf_fn *f, const struct vf_instr *in,
				  enum vf_op_id id)
{
	vf_valtype_t t;

	(void)id;
	TRY(vf_local(f, in, &t));
	return vf_pop1(f, t);
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_LOCAL_TEE(struct vf_fn *f, const struct vf_instr *in,
				  enum vf_op_id id)
{
	vf_valtype_t t;

	(void)id;
	TRY(vf_local(f, in, &t));
	TRY(vf_pop1(f, t));
	return vf_push(f, t);
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_global(struct vf_fn *f, const struct vf_instr *in,
			     const struct vf_globaltype **g)
{
	if (in->idx >= f->m->nglobals)
		return vf_failf(f->e, ERR_VF_UNKNOWN_GLOBAL, in->imm_at,
				"global %u", in->idx);
	*g = &f->m->globals[in->idx].type;
	return ERR_OK;
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_GLOBAL_GET(struct vf_fn *f, const struct vf_instr *in,
				   enum vf_op_id id)
{
	const struct vf_globaltype *g;

	(void)id;
	TRY(vf_global(f, in, &g));
	return vf_push(f, g->type);
}

ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_v_GLOBAL_SET(struct vf_fn *f, const struct vf_instr *in,
				   enum vf_op_id id)
{
	const struct vf_globaltype *g;

	(void)id;
	TRY(vf_global(f, in, &g));
	if (!g->is_mutable)
		return vf_fail_op(f, ERR_VF_GLOBAL_IMMUTABLE);
	return vf_pop1(f, g->type);
}

// ---- the dispatch -----------------------------------------------------------


// One case per one-byte row: feature, immediates, handler. Each case has
// its own instruction, so that the ones whose handlers are inlined keep
// it in registers.
//
// Two groups of rows share one body each instead, typed from a view of
// the table by opcode byte, so that the dispatch stays small and the most
// common instructions cost one jump and no call, as a hand-written range
// case would: the numeric operators of the base feature set (group NUM,
// the switch's default case) and its loads and stores (group MEM).
// VF_GROUP(KIND, FEAT) names a row's group, ONE for a case of its own (a
// probe: only the grouped rows' names are defined, as two words that
// shift the group into place).
#define VF_GROUP_NUMERIC_MVP ~, NUM
#define VF_GROUP_NUMERIC_TRAPS_MVP ~, NUM
#define VF_GROUP_LOAD_MVP ~, MEM
#define VF_GROUP_STORE_MVP ~, MEM
#define VF_SECOND(a, b, ...) b
#define VF_SECOND_(...) VF_SECOND(__VA_ARGS__)
#define VF_GROUP(kind, feat) VF_SECOND_(VF_GROUP_##kind##_##feat, ONE, ~)
#define VF_CAT_(a, b) a##b
#define VF_CAT(a, b) VF_CAT_(a, b)
#define VF_IN_NUM_NUM 1
#define VF_IN_NUM_MEM 0
#define VF_IN_NUM_ONE 0
#define VF_IN_MEM_NUM 0
#define VF_IN_MEM_MEM 1
#define VF_IN_MEM_ONE 0
#define VF_IN(group, kind, feat) VF_CAT(VF_IN_##group##_, VF_GROUP(kind, feat))

#define VF_CASE_NONE(name, code, imm, kind, feat)                              \
	VF_CAT(VF_CASE_, VF_GROUP(kind, feat))(name, code, imm, kind, feat)
#define VF_CASE_NUM(name, code, imm, kind, feat) // the default case
#define VF_CASE_MEM(name, code, imm, kind, feat) // after the switch's rows
#define VF_LABEL_NONE(code, kind, feat)                                        \
	VF_CAT(VF_LABEL_, VF_GROUP(kind, feat))(code)
#define VF_LABEL_MEM(code) case code:
#define VF_LABEL_NUM(code)
#define VF_LABEL_ONE(code)
#define VF_LABEL_FC(code, kind, feat)
#define VF_CASE_ONE(name, code, imm, kind, feat)                               \
	case code: {                                                           \
		struct vf_instr in;                                            \
		TRY(vf_row(f, VF_FEAT_##feat, vf_imm_##imm(&r, &in), &r));     \
		f->r.p = r.p;                                                  \
		TRY(vf_v_##kind(f, &in, VF_OP_##name));                        \
		if (VF_OP_##name == VF_OP_END && f->nctls == 0)                \
			return ERR_OK; /* the function's own end */            \
		break;                                                         \
	}
#define VF_CASE_FC(name, code, imm, kind, feat)

// The grouped rows' types by opcode byte: a, b (0 for none) and r for
// NUM; for MEM, a load's result or a store's value in r or b, and the
// natural alignment.
static const struct vf_bytesig {
	vf_valtype_t a, b, r;
	uint8_t natural;
} vf_num_sig[256] = {
#define VF_NUM_NONE(code, imm, kind, feat, a, b, r)                            \
	[code] = {VF_IN(NUM, kind, feat) ? VF_T_##a : 0,                       \
		  VF_IN(NUM, kind, feat) ? VF_T_##b : 0,                       \
		  VF_IN(NUM, kind, feat) ? VF_T_##r : 0, 0},
#define VF_NUM_FC(code, imm, kind, feat, a, b, r)
#define WASM_OP(name, pfx, code, text, imm, kind, feat, a, b, c, r)            \
	VF_NUM_##pfx(code, imm, kind, feat, a, b, r)
#include <isola/wasm_ops.def>
#undef WASM_OP
}, vf_mem_sig[256] = {
#define VF_MEM_NONE(code, imm, kind, feat, a, b, r)                            \
	[code] = {0, VF_IN(MEM, kind, feat) ? VF_T_##b : 0,                    \
		  VF_IN(MEM, kind, feat) ? VF_T_##r : 0,                       \
		  VF_IN(MEM, kind, feat) ? VF_IMM_##imm - VF_IMM_MEM8 : 0},
#define VF_MEM_FC(code, imm, kind, feat, a, b, r)
#define WASM_OP(name, pfx, code, text, imm, kind, feat, a, b, c, r)            \
	VF_MEM_##pfx(code, imm, kind, feat, a, b, r)
#include <isola/wasm_ops.def>
#undef WASM_OP
};

// A numeric operator of the base set (the switch's default), or a byte
// that is no instruction.
ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_numeric_byte(struct vf_fn *f, uint8_t op)
{
	const struct vf_bytesig *ns = &vf_num_sig[op];

	if (isola_unlikely(!ns->r))
		return vf_failf(f->e, ERR_VF_OPCODE, f->op_at, "opcode 0x%02x",
				op);
	if (ns->b)
		TRY(vf_pop1(f, ns->b));
	TRY(vf_pop1(f, ns->a));
	return vf_push(f, ns->r);
}

// A load or a store of the base set: its memarg, then the row's types.
ISOLA_MUST_CHECK
VF_HOT isola_err_t vf_mem_byte(struct vf_fn *f, struct vf_cursor *r,
			       uint8_t op)
{
	const struct vf_bytesig *ms = &vf_mem_sig[op];
	struct vf_instr in;

	TRY(vf_row(f, 0, vf_imm_memarg(r, &in), r));
	if (ms->r)
		return vf_load(f, in.mem.align, ms->natural, in.imm_at, ms->r);
	return vf_store(f, in.mem.align, ms->natural, in.imm_at, ms->b);
}

isola_err_t vf_dispatch(struct vf_fn *f)
{
	struct vf_cursor r = f->r; // f->r.p is set before each handler
	uint8_t op;

	for (;;) {
		if (isola_unlikely(r.p >= r.end))
			return vf_fail(f->e, ERR_VF_BODY_END, r.end);
		f->op_at = r.p;
		op = *r.p++;
		switch (op) {
#define WASM_OP(name, pfx, code, text, imm, kind, feat, ...)                    \
	VF_CASE_##pfx(name, code, imm, kind, feat)
#include <isola/wasm_ops.def>
#undef WASM_OP
#define WASM_OP(name, pfx, code, text, imm, kind, feat, ...)                    \
	VF_LABEL_##pfx(code, kind, feat)
#include <isola/wasm_ops.def>
#undef WASM_OP
			TRY(vf_mem_byte(f, &r, op));
			break;
		case VF_PREFIX_FC:
			f->r.p = r.p;
			TRY(vf_op_prefix_fc(f));
			r.p = f->r.p;
			break;
		// Exceptions, tail calls, typed select, table.get/set,
		// references, SIMD, threads.
		case 0x06 ... 0x0a:
		case 0x12 ... 0x13:
		case 0x18 ... 0x19:
		case 0x1c:
		case 0x25 ... 0x26:
		case 0xd0 ... 0xd2:
		case 0xfd ... 0xfe:
			return vf_failf(f->e, ERR_VF_UNSUPPORTED, f->op_at,
					"opcode 0x%02x", op);
		default: TRY(vf_numeric_byte(f, op)); break;
		}
	}
}
