// SPDX-License-Identifier: MIT
// The 0xfc-prefixed instructions: saturating float-to-int conversions
// (sat-float-to-int) and the bulk memory and table operations
// (bulk-memory). Reference-type table operations are rejected as
// unsupported.
#include "validate.h"

static isola_err_t vf_pop3_i32(struct vf_fn *f)
{
	TRY(vf_pop1(f, VF_TYPE_I32));
	TRY(vf_pop1(f, VF_TYPE_I32));
	return vf_pop1(f, VF_TYPE_I32);
}

static isola_err_t vf_memory_zero(struct vf_fn *f)
{
	uint8_t b;

	TRY(vf_rd_byte(f->e, &f->r, &b));
	if (b != 0)
		return vf_fail(f->e, ERR_VF_ZERO_BYTE, f->r.p - 1);
	if (f->m->nmemories == 0)
		return vf_fail_op(f, ERR_VF_UNKNOWN_MEMORY);
	return ERR_OK;
}

// V-DATA-IDX: memory.init and data.drop need the data count section
// (M-DATACOUNT-REQ) and an index below its count.
static isola_err_t vf_data_index(struct vf_fn *f)
{
	const uint8_t *at = f->r.p;
	uint32_t i;

	TRY(vf_rd_u32(f->e, &f->r, &i));
	if (!f->m->has_data_count)
		return vf_fail_op(f, ERR_VF_DATA_COUNT_REQUIRED);
	if (i >= f->m->data_count)
		return vf_failf(f->e, ERR_VF_UNKNOWN_DATA, at, "segment %u", i);
	return ERR_OK;
}

static isola_err_t vf_elem_index(struct vf_fn *f)
{
	const uint8_t *at = f->r.p;
	uint32_t i;

	TRY(vf_rd_u32(f->e, &f->r, &i));
	if (i >= f->m->nelems)
		return vf_failf(f->e, ERR_VF_UNKNOWN_ELEM, at, "segment %u", i);
	return ERR_OK;
}

static isola_err_t vf_table_index(struct vf_fn *f)
{
	const uint8_t *at = f->r.p;
	uint32_t i;

	TRY(vf_rd_u32(f->e, &f->r, &i));
	if (i >= f->m->ntables)
		return vf_failf(f->e, ERR_VF_UNKNOWN_TABLE, at, "table %u", i);
	return ERR_OK;
}

static isola_err_t vf_op_bulk(struct vf_fn *f, uint32_t sub)
{
	switch (sub) {
	case 8: // memory.init
		TRY(vf_data_index(f));
		TRY(vf_memory_zero(f));
		return vf_pop3_i32(f);
	case 9: // data.drop
		return vf_data_index(f);
	case 10: // memory.copy
		TRY(vf_memory_zero(f));
		TRY(vf_memory_zero(f));
		return vf_pop3_i32(f);
	case 11: // memory.fill
		TRY(vf_memory_zero(f));
		return vf_pop3_i32(f);
	case 12: // table.init
		TRY(vf_elem_index(f));
		TRY(vf_table_index(f));
		return vf_pop3_i32(f);
	case 13: // elem.drop
		return vf_elem_index(f);
	default: // 14: table.copy
		TRY(vf_table_index(f));
		TRY(vf_table_index(f));
		return vf_pop3_i32(f);
	}
}

isola_err_t vf_op_prefix_fc(struct vf_fn *f)
{
	static const struct {
		vf_valtype_t in, out;
	} sat[8] = {
		{VF_TYPE_F32, VF_TYPE_I32}, {VF_TYPE_F32, VF_TYPE_I32},
		{VF_TYPE_F64, VF_TYPE_I32}, {VF_TYPE_F64, VF_TYPE_I32},
		{VF_TYPE_F32, VF_TYPE_I64}, {VF_TYPE_F32, VF_TYPE_I64},
		{VF_TYPE_F64, VF_TYPE_I64}, {VF_TYPE_F64, VF_TYPE_I64},
	};
	uint32_t sub;
	uint32_t feats = f->e->features;

	TRY(vf_rd_u32(f->e, &f->r, &sub));
	if (sub < 8) {
		if (!(feats & VF_FEAT_SAT_FLOAT_TO_INT))
			return vf_failf(f->e, ERR_VF_UNSUPPORTED, f->op_at,
					"opcode 0xfc %u", sub);
		TRY(vf_pop1(f, sat[sub].in));
		return vf_push(f, sat[sub].out);
	}
	if (sub <= 14) {
		if (!(feats & VF_FEAT_BULK_MEMORY))
			return vf_failf(f->e, ERR_VF_UNSUPPORTED, f->op_at,
					"opcode 0xfc %u", sub);
		return vf_op_bulk(f, sub);
	}
	if (sub <= 17)
		return vf_failf(f->e, ERR_VF_UNSUPPORTED, f->op_at,
				"opcode 0xfc %u", sub);
	return vf_failf(f->e, ERR_VF_OPCODE, f->op_at, "opcode 0xfc %u", sub);
}
