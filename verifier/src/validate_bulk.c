// SPDX-License-Identifier: MIT
// The 0xfc-prefixed instructions: saturating float-to-int conversions
// (sat-float-to-int) and the bulk memory and table operations
// (bulk-memory), dispatched from the table's FC rows like the one-byte
// ones (validate_ops.c). Reference-type table operations are rejected as
// unsupported.
#include "validate.h"

// Pops the row's operands (last first) and pushes its result, from the
// table's own rows (vf_ops): these instructions are rare, so they need no
// copy folded into the dispatch as the one-byte rows have.
ISOLA_MUST_CHECK
static isola_err_t vf_fc_typed(struct vf_fn *f, enum vf_op_id id)
{
	const struct vf_op_info *s = &vf_ops[id];

	if (s->c)
		TRY(vf_pop1(f, s->c));
	if (s->b)
		TRY(vf_pop1(f, s->b));
	if (s->a)
		TRY(vf_pop1(f, s->a));
	return s->r ? vf_push(f, s->r) : ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_fc_NUMERIC(struct vf_fn *f, const struct vf_instr *in,
				 enum vf_op_id id)
{
	(void)in;
	return vf_fc_typed(f, id);
}

// V-DATA-IDX: memory.init and data.drop need the data count section
// (M-DATACOUNT-REQ) and an index below its count.
ISOLA_MUST_CHECK
static isola_err_t vf_data_index(struct vf_fn *f, const struct vf_instr *in)
{
	if (!f->m->has_data_count)
		return vf_fail_op(f, ERR_VF_DATA_COUNT_REQUIRED);
	if (in->idx >= f->m->data_count)
		return vf_failf(f->e, ERR_VF_UNKNOWN_DATA, in->imm_at,
				"segment %u", in->idx);
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_elem_index(struct vf_fn *f, const struct vf_instr *in)
{
	if (in->idx >= f->m->nelems)
		return vf_failf(f->e, ERR_VF_UNKNOWN_ELEM, in->imm_at,
				"segment %u", in->idx);
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_table_index(struct vf_fn *f, uint32_t i,
				  const uint8_t *at)
{
	if (i >= f->m->ntables)
		return vf_failf(f->e, ERR_VF_UNKNOWN_TABLE, at, "table %u", i);
	return ERR_OK;
}

isola_err_t vf_v_MEMORY_INIT(struct vf_fn *f, const struct vf_instr *in,
			     enum vf_op_id id)
{
	TRY(vf_data_index(f, in));
	TRY(vf_need_memory(f));
	return vf_fc_typed(f, id);
}

isola_err_t vf_v_DATA_DROP(struct vf_fn *f, const struct vf_instr *in,
			   enum vf_op_id id)
{
	(void)id;
	return vf_data_index(f, in);
}

isola_err_t vf_v_MEMORY_COPY(struct vf_fn *f, const struct vf_instr *in,
			     enum vf_op_id id)
{
	(void)in;
	TRY(vf_need_memory(f));
	return vf_fc_typed(f, id);
}

isola_err_t vf_v_MEMORY_FILL(struct vf_fn *f, const struct vf_instr *in,
			     enum vf_op_id id)
{
	(void)in;
	TRY(vf_need_memory(f));
	return vf_fc_typed(f, id);
}

isola_err_t vf_v_TABLE_INIT(struct vf_fn *f, const struct vf_instr *in,
			    enum vf_op_id id)
{
	TRY(vf_elem_index(f, in));
	TRY(vf_table_index(f, in->idx2, in->imm2_at));
	return vf_fc_typed(f, id);
}

isola_err_t vf_v_ELEM_DROP(struct vf_fn *f, const struct vf_instr *in,
			   enum vf_op_id id)
{
	(void)id;
	return vf_elem_index(f, in);
}

isola_err_t vf_v_TABLE_COPY(struct vf_fn *f, const struct vf_instr *in,
			    enum vf_op_id id)
{
	TRY(vf_table_index(f, in->idx, in->imm_at));
	TRY(vf_table_index(f, in->idx2, in->imm2_at));
	return vf_fc_typed(f, id);
}

// One case per 0xfc row: feature, immediates, handler.
#define VF_CASE_NONE(name, code, imm, kind, feat)
#define VF_CASE_FC(name, code, imm, kind, feat)                                \
	case code:                                                             \
		TRY(vf_row(f, VF_FEAT_##feat, vf_imm_##imm(&f->r, &in), &f->r)); \
		TRY(vf_fc_##kind(f, &in, VF_OP_##name));                       \
		break;
// The FC rows' kinds that are not NUMERIC have one handler each.
#define vf_fc_MEMORY_INIT vf_v_MEMORY_INIT
#define vf_fc_DATA_DROP vf_v_DATA_DROP
#define vf_fc_MEMORY_COPY vf_v_MEMORY_COPY
#define vf_fc_MEMORY_FILL vf_v_MEMORY_FILL
#define vf_fc_TABLE_INIT vf_v_TABLE_INIT
#define vf_fc_ELEM_DROP vf_v_ELEM_DROP
#define vf_fc_TABLE_COPY vf_v_TABLE_COPY

isola_err_t vf_op_prefix_fc(struct vf_fn *f)
{
	struct vf_instr in;
	uint32_t sub;
	isola_err_t err;

	in.at = f->op_at;
	err = vf_cur_u32(&f->r, &sub);
	if (err != ERR_OK)
		return vf_fail(f->e, err, f->r.err_at);
	switch (sub) {
#define WASM_OP(name, pfx, code, text, imm, kind, feat, ...)                    \
	VF_CASE_##pfx(name, code, imm, kind, feat)
#include <isola/wasm_ops.def>
#undef WASM_OP
	case 15 ... 17: // table.grow, table.size, table.fill
		return vf_failf(f->e, ERR_VF_UNSUPPORTED, f->op_at,
				"opcode 0xfc %u", sub);
	default:
		return vf_failf(f->e, ERR_VF_OPCODE, f->op_at, "opcode 0xfc %u",
				sub);
	}
	return ERR_OK;
}
