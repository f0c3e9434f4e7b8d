// SPDX-License-Identifier: MIT
// The instruction table (<isola/wasm_ops.def>) and its one reader
// (<isola/vf_instr.h>): every row decodes from its encoding, every
// truncation and every malformed immediate is an error at the right
// byte (the input sits in a buffer of exactly its size, so ASan sees any
// read past it), and the validator agrees with the table: it knows every
// row and rejects every opcode that is not one.
#include "vf_test.h"

#include <isola/vf_instr.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

struct enc {
	uint8_t b[64];
	size_t n;
};

static void put(struct enc *e, uint8_t v)
{
	assert_true(e->n < sizeof(e->b));
	e->b[e->n++] = v;
}

static void put_u32(struct enc *e, uint32_t v)
{
	do {
		put(e, (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
		v >>= 7;
	} while (v);
}

static void put_s64(struct enc *e, int64_t v)
{
	for (;;) {
		uint8_t b = v & 0x7f;
		v >>= 7; // arithmetic
		bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
		put(e, done ? b : (uint8_t)(b | 0x80));
		if (done)
			return;
	}
}

// The sample immediates every row is encoded with, and checked against.
#define IDX 300u
#define IDX2 7u
#define ALIGN 2u
#define OFFSET 0x12345u
#define I32V (-129)
#define I64V INT64_MIN
#define F32V 0x3f800000u
#define F64V 0x400921fb54442d18ull

static void encode(struct enc *e, enum vf_op_id id)
{
	const struct vf_op_info *o = &vf_ops[id];

	e->n = 0;
	if (o->prefix == VF_PREFIX_FC) {
		put(e, 0xfc);
		put_u32(e, o->code);
	} else {
		put(e, (uint8_t)o->code);
	}
	switch ((enum vf_imm)o->imm) {
	case VF_IMM_NONE: break;
	case VF_IMM_BLOCK: put(e, 0x7e); break;
	case VF_IMM_LABEL: case VF_IMM_FUNC: case VF_IMM_LOCAL:
	case VF_IMM_GLOBAL: case VF_IMM_DATA: case VF_IMM_ELEM:
		put_u32(e, IDX);
		break;
	case VF_IMM_BR_TABLE:
		put_u32(e, 2), put_u32(e, 1), put_u32(e, IDX), put_u32(e, 3);
		break;
	case VF_IMM_CALL_INDIRECT: case VF_IMM_DATA_ZERO:
		put_u32(e, IDX), put(e, 0);
		break;
	case VF_IMM_MEM8: case VF_IMM_MEM16: case VF_IMM_MEM32:
	case VF_IMM_MEM64:
		put_u32(e, ALIGN), put_u32(e, OFFSET);
		break;
	case VF_IMM_ZERO: put(e, 0); break;
	case VF_IMM_ZERO_ZERO: put(e, 0), put(e, 0); break;
	case VF_IMM_I32: put_s64(e, I32V); break;
	case VF_IMM_I64: put_s64(e, I64V); break;
	case VF_IMM_F32:
		for (int i = 0; i < 4; i++)
			put(e, (uint8_t)(F32V >> (8 * i)));
		break;
	case VF_IMM_F64:
		for (int i = 0; i < 8; i++)
			put(e, (uint8_t)(F64V >> (8 * i)));
		break;
	case VF_IMM_ELEM_TABLE: case VF_IMM_TABLE_TABLE:
		put_u32(e, IDX), put_u32(e, IDX2);
		break;
	}
}

// Reads bytes [0, n) from a heap copy of exactly n bytes.
static isola_err_t read_exact(const uint8_t *bytes, size_t n,
			      struct vf_instr *in, size_t *used, size_t *err_off)
{
	uint8_t *b = malloc(n ? n : 1);
	assert_non_null(b);
	memset(in, 0, sizeof(*in));
	memcpy(b, bytes, n);
	struct vf_cursor c = {b, b + n, NULL};
	isola_err_t err = vf_instr_read(&c, in);
	*used = (size_t)(c.p - b);
	*err_off = c.err_at ? (size_t)(c.err_at - b) : SIZE_MAX;
	if (err == ERR_OK)
		assert_ptr_equal(in->at, b);
	free(b);
	return err;
}

static void check_imm(enum vf_op_id id, const struct vf_instr *in)
{
	switch ((enum vf_imm)vf_ops[id].imm) {
	case VF_IMM_BLOCK:
		assert_int_equal(in->block.byte, 0x7e);
		assert_true(in->block.type == -2);
		break;
	case VF_IMM_LABEL: case VF_IMM_FUNC: case VF_IMM_LOCAL:
	case VF_IMM_GLOBAL: case VF_IMM_DATA: case VF_IMM_ELEM:
	case VF_IMM_CALL_INDIRECT: case VF_IMM_DATA_ZERO:
		assert_int_equal(in->idx, IDX);
		break;
	case VF_IMM_BR_TABLE:
		assert_int_equal(in->br.count, 2);
		assert_int_equal(in->br.labels - in->imm_at, 1);
		break;
	case VF_IMM_MEM8: case VF_IMM_MEM16: case VF_IMM_MEM32:
	case VF_IMM_MEM64:
		assert_int_equal(in->mem.align, ALIGN);
		assert_int_equal(in->mem.offset, OFFSET);
		break;
	case VF_IMM_I32: assert_int_equal(in->i32, I32V); break;
	case VF_IMM_I64: assert_true(in->i64 == I64V); break;
	case VF_IMM_F32: assert_int_equal(in->f32, F32V); break;
	case VF_IMM_F64: assert_true(in->f64 == F64V); break;
	case VF_IMM_ELEM_TABLE: case VF_IMM_TABLE_TABLE:
		assert_int_equal(in->idx, IDX);
		assert_int_equal(in->idx2, IDX2);
		assert_true(in->imm2_at > in->imm_at);
		break;
	case VF_IMM_NONE: case VF_IMM_ZERO: case VF_IMM_ZERO_ZERO: break;
	}
}

// Every row reads back from its encoding, to its last byte.
static void test_every_row_reads(void **state)
{
	(void)state;
	for (unsigned id = 0; id < VF_NOPS; id++) {
		struct enc e;
		struct vf_instr in;
		size_t used, eo;

		encode(&e, (enum vf_op_id)id);
		isola_err_t err = read_exact(e.b, e.n, &in, &used, &eo);
		if (err != ERR_OK || in.id != id || used != e.n) {
			print_error("row %s: %s, id %u, %zu of %zu bytes\n",
				    vf_ops[id].text, isola_err_name(err), in.id,
				    used, e.n);
			fail();
		}
		check_imm((enum vf_op_id)id, &in);
	}
}

// Every proper prefix of every row's encoding is an error inside it.
static void test_truncated(void **state)
{
	(void)state;
	for (unsigned id = 0; id < VF_NOPS; id++) {
		struct enc e;
		struct vf_instr in;
		size_t used, eo;

		encode(&e, (enum vf_op_id)id);
		for (size_t k = 0; k < e.n; k++) {
			isola_err_t err = read_exact(e.b, k, &in, &used, &eo);
			if ((err != ERR_VF_EOF && err != ERR_VF_LENGTH) ||
			    eo > k || used > k) {
				print_error("row %s cut at %zu: %s at %zu\n",
					    vf_ops[id].text, k,
					    isola_err_name(err), eo);
				fail();
			}
		}
	}
}

struct bad {
	const char *name;
	const char *b;
	size_t n;
	isola_err_t code;
	size_t off;
};

static const struct bad bads[] = {
	{"u32_six_bytes", S("\x20\x80\x80\x80\x80\x80\x00"), ERR_VF_LEB_LONG, 5},
	{"u32_fifth_byte_high", S("\x20\xff\xff\xff\xff\x1f"), ERR_VF_LEB_RANGE, 5},
	{"s32_six_bytes", S("\x41\x80\x80\x80\x80\x80\x00"), ERR_VF_LEB_LONG, 5},
	{"s32_fifth_byte_sign", S("\x41\x80\x80\x80\x80\x08"), ERR_VF_LEB_RANGE, 5},
	{"s64_eleven_bytes", S("\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00"),
	 ERR_VF_LEB_LONG, 10},
	{"s64_tenth_byte_sign", S("\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02"),
	 ERR_VF_LEB_RANGE, 10},
	{"s33_block_type_range", S("\x02\x80\x80\x80\x80\x10"), ERR_VF_LEB_RANGE, 5},
	{"memarg_offset_long", S("\x28\x02\x80\x80\x80\x80\x80\x00"),
	 ERR_VF_LEB_LONG, 6},
	{"fc_sub_long", S("\xfc\x80\x80\x80\x80\x80\x00"), ERR_VF_LEB_LONG, 5},
	{"memory_size_byte", S("\x3f\x01"), ERR_VF_ZERO_BYTE, 1},
	{"memory_grow_byte", S("\x40\x80"), ERR_VF_ZERO_BYTE, 1},
	{"call_indirect_table", S("\x11\x00\x01"), ERR_VF_ZERO_BYTE, 2},
	{"memory_copy_second", S("\xfc\x0a\x00\x01"), ERR_VF_ZERO_BYTE, 3},
	{"memory_init_byte", S("\xfc\x08\x00\x02"), ERR_VF_ZERO_BYTE, 3},
	{"br_table_count", S("\x0e\x05\x00"), ERR_VF_LENGTH, 1},
	{"br_table_label_long", S("\x0e\x00\x80\x80\x80\x80\x80\x00"),
	 ERR_VF_LEB_LONG, 6},
	{"unknown_0x06", S("\x06\x40"), ERR_VF_OPCODE, 0},
	{"unknown_0xff", S("\xff"), ERR_VF_OPCODE, 0},
	{"unknown_fc_15", S("\xfc\x0f\x00"), ERR_VF_OPCODE, 0},
	{"unknown_fc_big", S("\xfc\xff\xff\xff\xff\x0f"), ERR_VF_OPCODE, 0},
	{"empty", S(""), ERR_VF_EOF, 0},
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct vf_instr in;
		size_t used, eo;
		isola_err_t err = read_exact((const uint8_t *)bads[i].b,
					     bads[i].n, &in, &used, &eo);
		if (err != bads[i].code || eo != bads[i].off) {
			print_error("%s: got %s at %zu, want %s at %zu\n",
				    bads[i].name, isola_err_name(err), eo,
				    isola_err_name(bads[i].code), bads[i].off);
			fail();
		}
	}
}

struct good {
	const char *name;
	const char *b;
	size_t n;
	enum vf_op_id id;
	int64_t v; // the immediate read back
};

// Edge values each immediate kind must accept.
static const struct good goods[] = {
	{"u32_max", S("\x20\xff\xff\xff\xff\x0f"), VF_OP_LOCAL_GET, UINT32_MAX},
	{"u32_padded_zero", S("\x20\x80\x80\x80\x80\x00"), VF_OP_LOCAL_GET, 0},
	{"s32_min", S("\x41\x80\x80\x80\x80\x78"), VF_OP_I32_CONST, INT32_MIN},
	{"s32_minus_one_long", S("\x41\xff\xff\xff\xff\x7f"), VF_OP_I32_CONST, -1},
	{"s64_max", S("\x42\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00"),
	 VF_OP_I64_CONST, INT64_MAX},
	{"s33_type_index", S("\x02\x80\x80\x80\x80\x0f"), VF_OP_BLOCK,
	 0xf0000000ll},
	{"block_empty", S("\x02\x40"), VF_OP_BLOCK, -64},
	{"fc_sub_padded", S("\xfc\x80\x00"), VF_OP_I32_TRUNC_SAT_F32_S, 0},
};

static int64_t imm_value(const struct vf_instr *in)
{
	switch ((enum vf_imm)vf_ops[in->id].imm) {
	case VF_IMM_LOCAL: return in->idx;
	case VF_IMM_I32: return in->i32;
	case VF_IMM_I64: return in->i64;
	case VF_IMM_BLOCK: return in->block.type;
	default: return 0;
	}
}

static void test_edges(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		struct vf_instr in;
		size_t used, eo;
		isola_err_t err = read_exact((const uint8_t *)goods[i].b,
					     goods[i].n, &in, &used, &eo);
		if (err != ERR_OK || in.id != goods[i].id ||
		    imm_value(&in) != goods[i].v || used != goods[i].n) {
			print_error("%s: %s\n", goods[i].name, isola_err_name(err));
			fail();
		}
	}
}

// The table itself: opcodes map back to their rows, rows of one prefix
// are in opcode order, and the type columns follow the design comment.
static void test_table_shape(void **state)
{
	(void)state;
	for (unsigned id = 0; id < VF_NOPS; id++) {
		const struct vf_op_info *o = &vf_ops[id];
		assert_int_equal(vf_op_find(o->prefix, o->code), id);
		if (id > 0 && vf_ops[id - 1].prefix == o->prefix)
			assert_true(vf_ops[id - 1].code < o->code);
		assert_non_null(o->text);
		if (o->a == VF_T_P)
			assert_true(o->b == VF_T_X && o->c == VF_T_X &&
				    o->r == VF_T_X);
		if (o->kind == VF_K_NUMERIC || o->kind == VF_K_NUMERIC_TRAPS ||
		    o->kind == VF_K_CONST || o->kind == VF_K_LOAD)
			assert_true(o->r != VF_T_X && o->a != VF_T_P);
		if (o->kind <= VF_K_GLOBAL_SET && o->kind != VF_K_NOP)
			assert_int_equal(o->a, VF_T_P);
	}
	assert_int_equal(vf_op_find(VF_PREFIX_NONE, VF_PREFIX_FC), VF_NOPS);
}

// Validates a body of function (i32) -> () with memory and table.
static isola_err_t validate_body(const uint8_t *body, size_t n, uint32_t *off,
				 struct vf_diag *d)
{
	return load_body(S("\x01\x7f\x00"), (const char *)body, n, true,
			 VF_FEATURES_ALL, d, off);
}

// The validator knows every row: after unreachable (any operand types),
// a row's instruction may be wrong in other ways, never unknown.
static void test_validator_knows_rows(void **state)
{
	(void)state;
	for (unsigned id = 0; id < VF_NOPS; id++) {
		struct enc e;
		uint8_t body[80];
		struct vf_diag d;
		uint32_t off;

		encode(&e, (enum vf_op_id)id);
		body[0] = 0x00;
		memcpy(body + 1, e.b, e.n);
		body[1 + e.n] = 0x0b;
		isola_err_t err = validate_body(body, e.n + 2, &off, &d);
		if (err == ERR_VF_OPCODE || err == ERR_VF_UNSUPPORTED) {
			print_error("row %s: %s\n", vf_ops[id].text,
				    isola_err_name(err));
			fail();
		}
	}
}

// Opcodes that are not rows are rejected at the opcode, as unsupported
// (a known proposal) or illegal.
static void test_validator_rejects_others(void **state)
{
	(void)state;
	for (unsigned op = 0; op < 256; op++) {
		if (op == VF_PREFIX_FC || vf_op_find(VF_PREFIX_NONE, op) != VF_NOPS)
			continue;
		uint8_t body[] = {0x00, (uint8_t)op, 0x00, 0x00, 0x0b};
		struct vf_diag d;
		uint32_t off;
		isola_err_t err = validate_body(body, sizeof(body), &off, &d);
		assert_true(err == ERR_VF_OPCODE || err == ERR_VF_UNSUPPORTED);
		assert_int_equal(d.offset, off + 1);
	}
	for (unsigned sub = 0; sub < 40; sub++) {
		if (vf_op_find(VF_PREFIX_FC, sub) != VF_NOPS)
			continue;
		uint8_t body[] = {0x00, 0xfc, (uint8_t)sub, 0x00, 0x00, 0x0b};
		struct vf_diag d;
		uint32_t off;
		isola_err_t err = validate_body(body, sizeof(body), &off, &d);
		assert_true(err == ERR_VF_OPCODE || err == ERR_VF_UNSUPPORTED);
		assert_int_equal(d.offset, off + 1);
	}
}

// A row's feature gates it: without the bit it is unsupported.
static void test_features_gate_rows(void **state)
{
	(void)state;
	for (unsigned id = 0; id < VF_NOPS; id++) {
		if (vf_ops[id].features == 0)
			continue;
		struct enc e;
		uint8_t body[80];
		struct vf_diag d;
		uint32_t off;

		encode(&e, (enum vf_op_id)id);
		body[0] = 0x00;
		memcpy(body + 1, e.b, e.n);
		body[1 + e.n] = 0x0b;
		isola_err_t err = load_body(S("\x01\x7f\x00"), (const char *)body,
					    e.n + 2, true,
					    VF_FEATURES_ALL & ~vf_ops[id].features,
					    &d, &off);
		assert_int_equal(err, ERR_VF_UNSUPPORTED);
		assert_int_equal(d.offset, off + 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_reads),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_validator_knows_rows),
		cmocka_unit_test(test_validator_rejects_others),
		cmocka_unit_test(test_features_gate_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
