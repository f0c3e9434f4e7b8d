// SPDX-License-Identifier: MIT
// The instruction dispatch of the function-body validator: one switch over
// the opcode, each case a call or a few lines. Numeric operators are typed
// from one table; memory, variable and bulk-memory instructions check
// their immediates here. Opcodes of proposals outside the feature set are
// rejected as unsupported (never skipped or misread).
#include "validate.h"

#define I32 VF_TYPE_I32
#define I64 VF_TYPE_I64
#define F32 VF_TYPE_F32
#define F64 VF_TYPE_F64

// The type of a numeric operator: operands a (and b if binary) -> out.
struct vf_sig {
	vf_valtype_t a, b, out;
};

static const struct vf_sig vf_num_sig[256] = {
	[0x45] = {I32, 0, I32},
	[0x46 ... 0x4f] = {I32, I32, I32},
	[0x50] = {I64, 0, I32},
	[0x51 ... 0x5a] = {I64, I64, I32},
	[0x5b ... 0x60] = {F32, F32, I32},
	[0x61 ... 0x66] = {F64, F64, I32},
	[0x67 ... 0x69] = {I32, 0, I32},
	[0x6a ... 0x78] = {I32, I32, I32},
	[0x79 ... 0x7b] = {I64, 0, I64},
	[0x7c ... 0x8a] = {I64, I64, I64},
	[0x8b ... 0x91] = {F32, 0, F32},
	[0x92 ... 0x98] = {F32, F32, F32},
	[0x99 ... 0x9f] = {F64, 0, F64},
	[0xa0 ... 0xa6] = {F64, F64, F64},
	[0xa7] = {I64, 0, I32},
	[0xa8 ... 0xa9] = {F32, 0, I32},
	[0xaa ... 0xab] = {F64, 0, I32},
	[0xac ... 0xad] = {I32, 0, I64},
	[0xae ... 0xaf] = {F32, 0, I64},
	[0xb0 ... 0xb1] = {F64, 0, I64},
	[0xb2 ... 0xb3] = {I32, 0, F32},
	[0xb4 ... 0xb5] = {I64, 0, F32},
	[0xb6] = {F64, 0, F32},
	[0xb7 ... 0xb8] = {I32, 0, F64},
	[0xb9 ... 0xba] = {I64, 0, F64},
	[0xbb] = {F32, 0, F64},
	[0xbc] = {F32, 0, I32},
	[0xbd] = {F64, 0, I64},
	[0xbe] = {I32, 0, F32},
	[0xbf] = {I64, 0, F64},
	[0xc0 ... 0xc1] = {I32, 0, I32}, // sign-ext
	[0xc2 ... 0xc4] = {I64, 0, I64}, // sign-ext
};

static isola_err_t vf_apply_sig(struct vf_fn *f, const struct vf_sig *s)
{
	if (s->b)
		TRY(vf_pop1(f, s->b));
	TRY(vf_pop1(f, s->a));
	return vf_push(f, s->out);
}

// Loads 0x28..0x35 and stores 0x36..0x3e: value type, log2 natural align.
static const struct {
	vf_valtype_t type;
	uint8_t align;
} vf_mem_ops[23] = {
	{I32, 2}, {I64, 3}, {F32, 2}, {F64, 3}, {I32, 0}, {I32, 0},
	{I32, 1}, {I32, 1}, {I64, 0}, {I64, 0}, {I64, 1}, {I64, 1},
	{I64, 2}, {I64, 2}, {I32, 2}, {I64, 3}, {F32, 2}, {F64, 3},
	{I32, 0}, {I32, 1}, {I64, 0}, {I64, 1}, {I64, 2},
};

static isola_err_t vf_need_memory(struct vf_fn *f)
{
	if (f->m->nmemories == 0)
		return vf_fail_op(f, ERR_VF_UNKNOWN_MEMORY);
	return ERR_OK;
}

// V-MEMARG: align (log2) at most natural, offset any u32, memory exists.
static isola_err_t vf_op_mem(struct vf_fn *f, uint8_t op)
{
	uint32_t align, offset;
	const uint8_t *at = f->r.p;

	TRY(vf_rd_u32(f->e, &f->r, &align));
	TRY(vf_rd_u32(f->e, &f->r, &offset));
	TRY(vf_need_memory(f));
	if (align > vf_mem_ops[op - 0x28].align)
		return vf_failf(f->e, ERR_VF_ALIGN, at, "align 2^%u", align);
	if (op <= 0x35) {
		TRY(vf_pop1(f, I32));
		return vf_push(f, vf_mem_ops[op - 0x28].type);
	}
	TRY(vf_pop1(f, vf_mem_ops[op - 0x28].type));
	return vf_pop1(f, I32);
}

static isola_err_t vf_zero_byte(struct vf_fn *f)
{
	uint8_t b;

	TRY(vf_rd_byte(f->e, &f->r, &b));
	if (b != 0)
		return vf_fail(f->e, ERR_VF_ZERO_BYTE, f->r.p - 1);
	return ERR_OK;
}

// memory.size (0x3f) and memory.grow (0x40).
static isola_err_t vf_op_mem_size(struct vf_fn *f, uint8_t op)
{
	TRY(vf_zero_byte(f));
	TRY(vf_need_memory(f));
	if (op == 0x40)
		TRY(vf_pop1(f, I32));
	return vf_push(f, I32);
}

static isola_err_t vf_op_local(struct vf_fn *f, uint8_t op)
{
	const uint8_t *at = f->r.p;
	uint32_t i;

	TRY(vf_rd_u32(f->e, &f->r, &i));
	if (i >= f->nlocals)
		return vf_failf(f->e, ERR_VF_UNKNOWN_LOCAL, at, "local %u", i);
	vf_valtype_t t = f->locals[i];
	if (op == 0x20)
		return vf_push(f, t);
	TRY(vf_pop1(f, t));
	return op == 0x22 ? vf_push(f, t) : ERR_OK;
}

static isola_err_t vf_op_global(struct vf_fn *f, uint8_t op)
{
	const uint8_t *at = f->r.p;
	uint32_t i;

	TRY(vf_rd_u32(f->e, &f->r, &i));
	if (i >= f->m->nglobals)
		return vf_failf(f->e, ERR_VF_UNKNOWN_GLOBAL, at, "global %u", i);
	const struct vf_globaltype *g = &f->m->globals[i].type;
	if (op == 0x23)
		return vf_push(f, g->type);
	if (!g->is_mutable)
		return vf_fail_op(f, ERR_VF_GLOBAL_IMMUTABLE);
	return vf_pop1(f, g->type);
}

static isola_err_t vf_op_const(struct vf_fn *f, uint8_t op)
{
	int32_t v32;
	int64_t v64;

	switch (op) {
	case 0x41: TRY(vf_rd_s32(f->e, &f->r, &v32)); return vf_push(f, I32);
	case 0x42: TRY(vf_rd_s64(f->e, &f->r, &v64)); return vf_push(f, I64);
	case 0x43: TRY(vf_rd_skip(f->e, &f->r, 4)); return vf_push(f, F32);
	default: TRY(vf_rd_skip(f->e, &f->r, 8)); return vf_push(f, F64);
	}
}

// V-SELECT: i32 condition and two operands of one numeric type.
static isola_err_t vf_op_select(struct vf_fn *f)
{
	vf_valtype_t a, b;

	TRY(vf_pop1(f, I32));
	TRY(vf_pop(f, VF_TYPE_ANY, &b));
	TRY(vf_pop(f, b, &a));
	return vf_push(f, a == VF_TYPE_ANY ? b : a);
}

static isola_err_t vf_op_numeric(struct vf_fn *f, uint8_t op)
{
	if (op >= 0xc0 && !(f->e->features & VF_FEAT_SIGN_EXT))
		return vf_failf(f->e, ERR_VF_UNSUPPORTED, f->op_at,
				"sign-extension operator 0x%02x", op);
	return vf_apply_sig(f, &vf_num_sig[op]);
}

static isola_err_t vf_unsupported(struct vf_fn *f, uint8_t op)
{
	return vf_failf(f->e, ERR_VF_UNSUPPORTED, f->op_at, "opcode 0x%02x", op);
}

isola_err_t vf_dispatch(struct vf_fn *f)
{
	uint8_t op;

	for (;;) {
		if (isola_unlikely(f->r.p >= f->r.end))
			return vf_fail(f->e, ERR_VF_BODY_END, f->r.end);
		f->op_at = f->r.p;
		op = *f->r.p++;
		switch (op) {
		case 0x00: vf_set_unreachable(f); break;
		case 0x01: break;
		case 0x02 ... 0x04: TRY(vf_op_block(f, op)); break;
		case 0x05: TRY(vf_op_else(f)); break;
		case 0x0b:
			TRY(vf_op_end(f));
			if (f->nctls == 0) // the function's own end
				return ERR_OK;
			break;
		case 0x0c ... 0x0d: TRY(vf_op_br(f, op)); break;
		case 0x0e: TRY(vf_op_br_table(f)); break;
		case 0x0f: TRY(vf_op_return(f)); break;
		case 0x10: TRY(vf_op_call(f)); break;
		case 0x11: TRY(vf_op_call_indirect(f)); break;
		case 0x1a: TRY(vf_pop1(f, VF_TYPE_ANY)); break;
		case 0x1b: TRY(vf_op_select(f)); break;
		case 0x20 ... 0x22: TRY(vf_op_local(f, op)); break;
		case 0x23 ... 0x24: TRY(vf_op_global(f, op)); break;
		case 0x28 ... 0x3e: TRY(vf_op_mem(f, op)); break;
		case 0x3f ... 0x40: TRY(vf_op_mem_size(f, op)); break;
		case 0x41 ... 0x44: TRY(vf_op_const(f, op)); break;
		case 0x45 ... 0xc4: TRY(vf_op_numeric(f, op)); break;
		case 0xfc: TRY(vf_op_prefix_fc(f)); break;
		// Exceptions, tail calls, typed select, table.get/set,
		// references, SIMD, threads.
		case 0x06 ... 0x0a:
		case 0x12 ... 0x13:
		case 0x18 ... 0x19:
		case 0x1c:
		case 0x25 ... 0x26:
		case 0xd0 ... 0xd2:
		case 0xfd ... 0xfe: return vf_unsupported(f, op);
		default:
			return vf_failf(f->e, ERR_VF_OPCODE, f->op_at,
					"opcode 0x%02x", op);
		}
	}
}
