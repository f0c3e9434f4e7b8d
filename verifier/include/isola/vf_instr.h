// SPDX-License-Identifier: MIT
// The instruction table (<isola/wasm_ops.def>) as C data, and the one
// reader of instructions and their immediates that every pass uses: the
// validator, the ownership analysis, the engine's compiler. The reader is
// bounds-checked against the code's end: it never reads past it, and
// every malformed encoding is an error with the position to report.
// The per-kind readers (vf_imm_<IMM>) are inline so that a pass whose
// switch is generated from the table reads each row's immediates without
// a second dispatch; vf_instr_read does the whole instruction.
#ifndef ISOLA_VF_INSTR_H
#define ISOLA_VF_INSTR_H

#include <isola/compiler.h>
#include <isola/err.h>
#include <isola/verifier.h> // VF_FEAT_*
#include <isola/vf_module.h>
#include <stdbool.h>
#include <stdint.h>

enum vf_op_id {
#define WASM_OP(name, ...) VF_OP_##name,
#include <isola/wasm_ops.def>
#undef WASM_OP
	VF_NOPS
};

// The IMM column.
enum vf_imm {
	VF_IMM_NONE, VF_IMM_BLOCK, VF_IMM_LABEL, VF_IMM_BR_TABLE, VF_IMM_FUNC,
	VF_IMM_CALL_INDIRECT, VF_IMM_LOCAL, VF_IMM_GLOBAL, VF_IMM_MEM8,
	VF_IMM_MEM16, VF_IMM_MEM32, VF_IMM_MEM64, VF_IMM_ZERO,
	VF_IMM_ZERO_ZERO, VF_IMM_I32, VF_IMM_I64, VF_IMM_F32, VF_IMM_F64,
	VF_IMM_DATA, VF_IMM_DATA_ZERO, VF_IMM_ELEM, VF_IMM_ELEM_TABLE,
	VF_IMM_TABLE_TABLE,
};

// The KIND column: the handler families.
enum vf_kind {
	VF_K_UNREACHABLE, VF_K_NOP, VF_K_BLOCK, VF_K_LOOP, VF_K_IF, VF_K_ELSE,
	VF_K_END, VF_K_BR, VF_K_BR_IF, VF_K_BR_TABLE, VF_K_RETURN, VF_K_CALL,
	VF_K_CALL_INDIRECT, VF_K_DROP, VF_K_SELECT, VF_K_LOCAL_GET,
	VF_K_LOCAL_SET, VF_K_LOCAL_TEE, VF_K_GLOBAL_GET, VF_K_GLOBAL_SET,
	VF_K_LOAD, VF_K_STORE, VF_K_MEMORY_SIZE, VF_K_MEMORY_GROW, VF_K_CONST,
	VF_K_NUMERIC, VF_K_NUMERIC_TRAPS, VF_K_MEMORY_INIT, VF_K_DATA_DROP,
	VF_K_MEMORY_COPY, VF_K_MEMORY_FILL, VF_K_TABLE_INIT, VF_K_ELEM_DROP,
	VF_K_TABLE_COPY, VF_NKINDS
};

// The type columns: value types, X (none) and P (polymorphic).
#define VF_T_I32 VF_TYPE_I32
#define VF_T_I64 VF_TYPE_I64
#define VF_T_F32 VF_TYPE_F32
#define VF_T_F64 VF_TYPE_F64
#define VF_T_X ((vf_valtype_t)0)
#define VF_T_P ((vf_valtype_t)1)

// The FEAT column: MVP needs no feature bit.
#define VF_FEAT_MVP 0u

// The PREFIX column as a byte.
#define VF_PREFIX_NONE 0x00
#define VF_PREFIX_FC 0xfc

// Log2 of the natural alignment of the memarg kinds (rule V-MEMARG).
#define VF_IMM_ALIGN_MEM8 0
#define VF_IMM_ALIGN_MEM16 1
#define VF_IMM_ALIGN_MEM32 2
#define VF_IMM_ALIGN_MEM64 3

// One row of the table.
struct vf_op_info {
	const char *text;
	uint32_t code;	   // the opcode byte, or the u32 after the prefix
	uint8_t prefix;	   // VF_PREFIX_*
	uint8_t imm;	   // enum vf_imm
	uint8_t kind;	   // enum vf_kind
	uint32_t features; // VF_FEAT_* bits it needs
	vf_valtype_t a, b, c, r;
};

extern const struct vf_op_info vf_ops[VF_NOPS];

// A cursor over [p, end). After an error, err_at is the position to
// report (as the validator reports it: the missing byte at the end, the
// last byte of an over-long or out-of-range LEB, a non-zero reserved
// byte, the opcode of an unknown instruction).
struct vf_cursor {
	const uint8_t *p;
	const uint8_t *end;
	const uint8_t *err_at;
};

// One decoded instruction. The fields of its immediate kind are set; the
// others are left as they were.
struct vf_instr {
	uint16_t id;		// enum vf_op_id
	const uint8_t *at;	// the opcode's first byte
	const uint8_t *imm_at;	// the first immediate's first byte
	const uint8_t *imm2_at; // the second index (two-index kinds)
	uint32_t idx;  // LABEL, FUNC, LOCAL, GLOBAL, DATA, ELEM, the type of
		       // CALL_INDIRECT, the first index of two-index kinds
	uint32_t idx2; // the second index of ELEM_TABLE and TABLE_TABLE
	union {
		struct {
			uint32_t align, offset;
		} mem;
		// A block type: byte is its first byte; type is the s33 it
		// encodes, a type index when >= 0. 0x40 (empty) and the value
		// types are single negative bytes.
		struct {
			int64_t type;
			uint8_t byte;
		} block;
		// count + 1 labels (the default last) at labels, each a u32
		// already checked: re-read them with vf_cur_u32.
		struct {
			uint32_t count;
			const uint8_t *labels;
		} br;
		int32_t i32;
		int64_t i64;
		uint32_t f32; // the bits
		uint64_t f64;
	};
};

// The readers below are always inlined: each case of a generated
// dispatch then reads its row's immediates in registers, with no call.
#define VF_INLINE static inline __attribute__((always_inline))

// ---- LEB128 and bytes ----------------------------------------------------

isola_err_t vf_cur_u32_slow(struct vf_cursor *c, uint32_t *out)
	ISOLA_MUST_CHECK;
// A signed LEB128 of bits (32, 33 or 64) bits (rules M-LEB-LONG,
// M-LEB-RANGE).
isola_err_t vf_cur_signed(struct vf_cursor *c, unsigned bits, int64_t *out)
	ISOLA_MUST_CHECK;

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_cur_fail(struct vf_cursor *c, isola_err_t code,
				      const uint8_t *at)
{
	c->err_at = at;
	return code;
}

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_cur_u32(struct vf_cursor *c, uint32_t *out)
{
	if (isola_likely(c->p < c->end && *c->p < 0x80)) {
		*out = *c->p++;
		return ERR_OK;
	}
	// Two to four bytes (indexes, offsets): always in range.
	uint32_t v = 0;
	for (unsigned i = 0; i < 4 && i < (size_t)(c->end - c->p); i++) {
		v |= (uint32_t)(c->p[i] & 0x7f) << (7 * i);
		if (c->p[i] & 0x80)
			continue;
		*out = v;
		c->p += i + 1;
		return ERR_OK;
	}
	return vf_cur_u32_slow(c, out);
}

// A signed LEB of two to four bytes (addresses, offsets): always in
// range of 32 and 64 bits. False, with nothing read, for any other.
VF_INLINE bool vf_cur_s28(struct vf_cursor *c, int64_t *out)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 4 && i < (size_t)(c->end - c->p); i++) {
		uint8_t b = c->p[i];
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (b & 0x80)
			continue;
		if (b & 0x40)
			v |= ~(uint64_t)0 << (7 * (i + 1));
		*out = (int64_t)v;
		c->p += i + 1;
		return true;
	}
	return false;
}

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_cur_s32(struct vf_cursor *c, int32_t *out)
{
	int64_t v;

	if (isola_likely(c->p < c->end && *c->p < 0x80)) {
		int32_t b = *c->p++;
		*out = (b & 0x40) ? b - 0x80 : b;
		return ERR_OK;
	}
	if (vf_cur_s28(c, &v)) {
		*out = (int32_t)v;
		return ERR_OK;
	}
	TRY(vf_cur_signed(c, 32, &v));
	*out = (int32_t)v;
	return ERR_OK;
}

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_cur_s64(struct vf_cursor *c, int64_t *out)
{
	if (isola_likely(c->p < c->end && *c->p < 0x80)) {
		int32_t b = *c->p++;
		*out = (b & 0x40) ? b - 0x80 : b;
		return ERR_OK;
	}
	if (vf_cur_s28(c, out))
		return ERR_OK;
	return vf_cur_signed(c, 64, out);
}

// M-ZERO: a reserved byte that must be 0x00.
ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_cur_zero(struct vf_cursor *c)
{
	if (isola_unlikely(c->p >= c->end))
		return vf_cur_fail(c, ERR_VF_EOF, c->p);
	if (isola_unlikely(*c->p != 0))
		return vf_cur_fail(c, ERR_VF_ZERO_BYTE, c->p);
	c->p++;
	return ERR_OK;
}

// n raw bytes (little-endian) into *out.
ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_cur_bytes(struct vf_cursor *c, unsigned n,
				       uint64_t *out)
{
	uint64_t v = 0;

	if (isola_unlikely((size_t)(c->end - c->p) < n))
		return vf_cur_fail(c, ERR_VF_EOF, c->end);
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += n;
	*out = v;
	return ERR_OK;
}

// ---- one reader per immediate kind -----------------------------------------

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_NONE(struct vf_cursor *c, struct vf_instr *in)
{
	in->imm_at = c->p;
	return ERR_OK;
}

// u32 index kinds.
ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_index(struct vf_cursor *c, struct vf_instr *in)
{
	in->imm_at = c->p;
	return vf_cur_u32(c, &in->idx);
}
#define vf_imm_LABEL vf_imm_index
#define vf_imm_FUNC vf_imm_index
#define vf_imm_LOCAL vf_imm_index
#define vf_imm_GLOBAL vf_imm_index
#define vf_imm_DATA vf_imm_index
#define vf_imm_ELEM vf_imm_index

// Two u32 indexes.
ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_pair(struct vf_cursor *c, struct vf_instr *in)
{
	in->imm_at = c->p;
	TRY(vf_cur_u32(c, &in->idx));
	in->imm2_at = c->p;
	return vf_cur_u32(c, &in->idx2);
}
#define vf_imm_ELEM_TABLE vf_imm_pair
#define vf_imm_TABLE_TABLE vf_imm_pair

// An index, then a reserved zero byte.
ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_index_zero(struct vf_cursor *c,
					    struct vf_instr *in)
{
	TRY(vf_imm_index(c, in));
	return vf_cur_zero(c);
}
#define vf_imm_CALL_INDIRECT vf_imm_index_zero
#define vf_imm_DATA_ZERO vf_imm_index_zero

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_ZERO(struct vf_cursor *c, struct vf_instr *in)
{
	in->imm_at = c->p;
	return vf_cur_zero(c);
}

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_ZERO_ZERO(struct vf_cursor *c,
					   struct vf_instr *in)
{
	in->imm_at = c->p;
	TRY(vf_cur_zero(c));
	return vf_cur_zero(c);
}

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_memarg(struct vf_cursor *c, struct vf_instr *in)
{
	in->imm_at = c->p;
	TRY(vf_cur_u32(c, &in->mem.align));
	return vf_cur_u32(c, &in->mem.offset);
}
#define vf_imm_MEM8 vf_imm_memarg
#define vf_imm_MEM16 vf_imm_memarg
#define vf_imm_MEM32 vf_imm_memarg
#define vf_imm_MEM64 vf_imm_memarg

// M-BLOCKTYPE's encoding: 0x40 and the value types are one byte; anything
// else is read as an s33 (the validator judges what it names).
ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_BLOCK(struct vf_cursor *c, struct vf_instr *in)
{
	in->imm_at = c->p;
	if (isola_unlikely(c->p >= c->end))
		return vf_cur_fail(c, ERR_VF_EOF, c->p);
	in->block.byte = *c->p;
	if (*c->p == 0x40 || (*c->p >= 0x7c && *c->p <= 0x7f)) {
		in->block.type = (int64_t)*c->p++ - 0x80;
		return ERR_OK;
	}
	return vf_cur_signed(c, 33, &in->block.type);
}

// M-LENGTH: count + 1 labels cannot need fewer bytes than there are left.
// Each label is read once here, so later readings cannot fail.
ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_BR_TABLE(struct vf_cursor *c,
					  struct vf_instr *in)
{
	uint32_t l;

	in->imm_at = c->p;
	TRY(vf_cur_u32(c, &in->br.count));
	if (in->br.count > (uint64_t)(c->end - c->p))
		return vf_cur_fail(c, ERR_VF_LENGTH, in->imm_at);
	in->br.labels = c->p;
	for (uint64_t i = 0; i <= in->br.count; i++)
		TRY(vf_cur_u32(c, &l));
	return ERR_OK;
}

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_I32(struct vf_cursor *c, struct vf_instr *in)
{
	in->imm_at = c->p;
	return vf_cur_s32(c, &in->i32);
}

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_I64(struct vf_cursor *c, struct vf_instr *in)
{
	in->imm_at = c->p;
	return vf_cur_s64(c, &in->i64);
}

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_F32(struct vf_cursor *c, struct vf_instr *in)
{
	uint64_t v;

	in->imm_at = c->p;
	TRY(vf_cur_bytes(c, 4, &v));
	in->f32 = (uint32_t)v;
	return ERR_OK;
}

ISOLA_MUST_CHECK
VF_INLINE isola_err_t vf_imm_F64(struct vf_cursor *c, struct vf_instr *in)
{
	in->imm_at = c->p;
	return vf_cur_bytes(c, 8, &in->f64);
}

// ---- whole instructions ----------------------------------------------------

// The row of an opcode, or VF_NOPS if the table has none.
enum vf_op_id vf_op_find(uint8_t prefix, uint32_t code);

// The immediates of row id, from c->p (just after the opcode).
isola_err_t vf_imm_read(struct vf_cursor *c, struct vf_instr *in,
			enum vf_op_id id) ISOLA_MUST_CHECK;

// Reads one instruction at c->p: opcode, prefix, immediates. An opcode
// not in the table is ERR_VF_OPCODE at the opcode. On success c->p is
// just past it; on failure c->err_at says where the encoding is wrong.
isola_err_t vf_instr_read(struct vf_cursor *c, struct vf_instr *in)
	ISOLA_MUST_CHECK;

#endif
