// SPDX-License-Identifier: MIT
// The instruction table as data (vf_ops, from <isola/wasm_ops.def>) and
// the one instruction reader: opcode to row, then the row's immediates,
// with the LEB128 rules of the binary format. leb.c's readers, which
// report through the verifier's environment, are built on these.
#include <isola/vf_instr.h>

const struct vf_op_info vf_ops[VF_NOPS] = {
#define WASM_OP(name, pfx, code, text, imm, kind, feat, a, b, c, r)            \
	[VF_OP_##name] = {text,	       code,	       VF_PREFIX_##pfx,         \
			  VF_IMM_##imm, VF_K_##kind, VF_FEAT_##feat,           \
			  VF_T_##a,	VF_T_##b,    VF_T_##c,	     VF_T_##r},
#include <isola/wasm_ops.def>
#undef WASM_OP
};

// Opcode to row + 1 (0: not in the table), per prefix.
#define VF_NFC 15
#define VF_ROW_NONE(code, name) [code] = VF_OP_##name + 1,
#define VF_ROW_FC(code, name)
static const uint8_t vf_row_byte[256] = {
#define WASM_OP(name, pfx, code, ...) VF_ROW_##pfx(code, name)
#include <isola/wasm_ops.def>
#undef WASM_OP
};
#undef VF_ROW_NONE
#undef VF_ROW_FC
#define VF_ROW_NONE(code, name)
#define VF_ROW_FC(code, name) [code] = VF_OP_##name + 1,
static const uint8_t vf_row_fc[VF_NFC] = {
#define WASM_OP(name, pfx, code, ...) VF_ROW_##pfx(code, name)
#include <isola/wasm_ops.def>
#undef WASM_OP
};

_Static_assert(VF_NOPS < 255, "table rows fit the opcode maps");

isola_err_t vf_cur_u32_slow(struct vf_cursor *c, uint32_t *out)
{
	uint32_t acc = 0;

	for (unsigned i = 0; i < 5; i++) {
		if (c->p >= c->end)
			return vf_cur_fail(c, ERR_VF_EOF, c->p);
		uint8_t b = *c->p++;
		acc |= (uint32_t)(b & 0x7f) << (7 * i);
		if (b & 0x80)
			continue;
		// M-LEB-RANGE: the fifth byte holds only 4 value bits.
		if (i == 4 && (b & 0x70))
			return vf_cur_fail(c, ERR_VF_LEB_RANGE, c->p - 1);
		*out = acc;
		return ERR_OK;
	}
	return vf_cur_fail(c, ERR_VF_LEB_LONG, c->p - 1);
}

// Signed LEB of width bits; the unused bits of the last byte must all
// equal the sign bit.
isola_err_t vf_cur_signed(struct vf_cursor *c, unsigned bits, int64_t *out)
{
	unsigned max_bytes = (bits + 6) / 7;
	uint64_t v = 0;
	uint8_t b = 0;
	unsigned n;

	for (n = 0; n < max_bytes; n++) {
		if (c->p >= c->end)
			return vf_cur_fail(c, ERR_VF_EOF, c->p);
		b = *c->p++;
		v |= (uint64_t)(b & 0x7f) << (7 * n);
		if (!(b & 0x80))
			break;
	}
	if (n == max_bytes)
		return vf_cur_fail(c, ERR_VF_LEB_LONG, c->p - 1);
	n++;
	if (n == max_bytes) {
		unsigned used = bits - 7 * (max_bytes - 1); // value bits in b
		uint8_t rest = (uint8_t)((b & 0x7f) >> (used - 1));
		uint8_t all = (uint8_t)(0x7f >> (used - 1));
		if (rest != 0 && rest != all)
			return vf_cur_fail(c, ERR_VF_LEB_RANGE, c->p - 1);
	}
	if (7 * n < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << (7 * n);
	*out = (int64_t)v;
	return ERR_OK;
}

enum vf_op_id vf_op_find(uint8_t prefix, uint32_t code)
{
	unsigned row = 0;

	if (prefix == VF_PREFIX_NONE && code < 256 && code != VF_PREFIX_FC)
		row = vf_row_byte[code];
	else if (prefix == VF_PREFIX_FC && code < VF_NFC)
		row = vf_row_fc[code];
	return row == 0 ? VF_NOPS : (enum vf_op_id)(row - 1);
}

isola_err_t vf_imm_read(struct vf_cursor *c, struct vf_instr *in,
			enum vf_op_id id)
{
	in->id = (uint16_t)id;
	switch ((enum vf_imm)vf_ops[id].imm) {
#define VF_IMM_CASE(k)                                                         \
	case VF_IMM_##k:                                                       \
		return vf_imm_##k(c, in);
	VF_IMM_CASE(NONE) VF_IMM_CASE(BLOCK) VF_IMM_CASE(LABEL)
	VF_IMM_CASE(BR_TABLE) VF_IMM_CASE(FUNC) VF_IMM_CASE(CALL_INDIRECT)
	VF_IMM_CASE(LOCAL) VF_IMM_CASE(GLOBAL) VF_IMM_CASE(MEM8)
	VF_IMM_CASE(MEM16) VF_IMM_CASE(MEM32) VF_IMM_CASE(MEM64)
	VF_IMM_CASE(ZERO) VF_IMM_CASE(ZERO_ZERO) VF_IMM_CASE(I32)
	VF_IMM_CASE(I64) VF_IMM_CASE(F32) VF_IMM_CASE(F64) VF_IMM_CASE(DATA)
	VF_IMM_CASE(DATA_ZERO) VF_IMM_CASE(ELEM) VF_IMM_CASE(ELEM_TABLE)
	VF_IMM_CASE(TABLE_TABLE)
#undef VF_IMM_CASE
	}
	return vf_cur_fail(c, ERR_INTERNAL, in->at);
}

isola_err_t vf_instr_read(struct vf_cursor *c, struct vf_instr *in)
{
	uint32_t code;
	uint8_t prefix = VF_PREFIX_NONE;

	in->at = c->p;
	if (isola_unlikely(c->p >= c->end))
		return vf_cur_fail(c, ERR_VF_EOF, c->p);
	code = *c->p++;
	if (code == VF_PREFIX_FC) {
		prefix = VF_PREFIX_FC;
		TRY(vf_cur_u32(c, &code));
	}
	enum vf_op_id id = vf_op_find(prefix, code);
	if (id == VF_NOPS)
		return vf_cur_fail(c, ERR_VF_OPCODE, in->at);
	return vf_imm_read(c, in, id);
}
