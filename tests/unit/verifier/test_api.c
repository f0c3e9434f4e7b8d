// SPDX-License-Identifier: MIT
// The decoded-module API: what the engine and loader read (index spaces,
// locals, block side table, max stack, custom sections), the allocator
// cap, the arena, and feature names.
#include "vf_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define H "\0asm\1\0\0\0"

// (import "m" "f" (func)) (func (param i32) (result i32) (local i64 i64 f32)
//   block if else end end ...) with a custom section "c" in front.
static const char mod[] =
	H "\x00\x04\x01\x63\xaa\xbb"			     // custom "c" aa bb
	"\x01\x09\x02\x60\x00\x00\x60\x01\x7f\x01\x7f"	     // types
	"\x02\x07\x01\x01m\x01\x66\x00\x00"		     // import func 0
	"\x03\x02\x01\x01"				     // func 1: type 1
	"\x0a\x17\x01\x15\x02\x02\x7e\x01\x7d"		     // code, locals
	"\x02\x7f"					     // block i32
	"\x20\x00\x04\x7f\x41\x01\x05\x41\x02\x0b"	     // if/else/end
	"\x0b"						     // end block
	"\x10\x00\x0b";					     // call 0, end

static void test_module_shape(void **state)
{
	struct vf_buf b = {.n = 0};
	struct vf_diag d;
	struct vf_module *m;
	(void)state;

	buf_put(&b, mod, sizeof(mod) - 1);
	assert_int_equal(load(&b, VF_FEATURES_ALL, 0, &d, &m), ERR_OK);
	assert_int_equal(m->ncustoms, 1);
	assert_int_equal(m->customs[0].name.len, 1);
	assert_int_equal(m->bytes[m->customs[0].name.off], 'c');
	assert_int_equal(m->customs[0].payload.len, 2);
	assert_int_equal(m->bytes[m->customs[0].payload.off], 0xaa);
	assert_int_equal(m->nfuncs, 2);
	assert_int_equal(m->nimported_funcs, 1);
	assert_true(m->funcs[0].is_imported);
	const struct vf_func *f = &m->funcs[1];
	assert_int_equal(f->type_index, 1);
	assert_int_equal(f->nlocals, 3);
	assert_int_equal(f->nlocal_runs, 2);
	assert_int_equal(f->local_runs[0].count, 2);
	assert_int_equal(f->local_runs[0].type, VF_TYPE_I64);
	assert_int_equal(f->local_runs[1].type, VF_TYPE_F32);
	assert_int_equal(f->max_depth, 3);
	assert_int_equal(f->max_stack, 1);
	// Side table: the block and the if, with else and end offsets.
	size_t code = (size_t)f->code_off;
	assert_int_equal(f->nblocks, 2);
	assert_int_equal(f->blocks[0].off, code);
	assert_int_equal(f->blocks[0].end_off, code + 12);
	assert_int_equal(f->blocks[1].off, code + 4);
	assert_int_equal(f->blocks[1].else_off, code + 8);
	assert_int_equal(f->blocks[1].end_off, code + 11);
	assert_int_equal(m->code_section.off, 40);
	vf_module_free(m);
}

static size_t live;

static void *count_alloc(void *ctx, size_t size)
{
	(void)ctx;
	live += size;
	return malloc(size);
}

static void count_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	live -= size;
	free(p);
}

// L-MEM: over the cap is ERR_VF_NOMEM; nothing leaks either way.
static void test_cap_and_release(void **state)
{
	struct vf_allocator a = {count_alloc, count_free, NULL, 1 << 20};
	struct vf_options o = {.features = VF_FEATURES_ALL, .alloc = &a};
	struct vf_diag d;
	struct vf_module *m;
	(void)state;

	assert_int_equal(vf_module_load((const uint8_t *)mod, sizeof(mod) - 1,
					&o, &m, &d), ERR_OK);
	assert_true(live > 0);
	assert_int_equal(live, m->mem_used);
	vf_module_free(m);
	assert_int_equal(live, 0);
	a.cap = 200;
	assert_int_equal(vf_module_load((const uint8_t *)mod, sizeof(mod) - 1,
					&o, &m, &d), ERR_VF_NOMEM);
	assert_int_equal(live, 0);
	// A rejected module gives everything back too.
	a.cap = 1 << 20;
	char bad[sizeof(mod)];
	memcpy(bad, mod, sizeof(mod));
	bad[sizeof(mod) - 4] = 0x11; // call 0 -> call_indirect: no table
	assert_int_not_equal(vf_module_load((const uint8_t *)bad,
					    sizeof(mod) - 1, &o, &m, &d), ERR_OK);
	assert_int_equal(live, 0);
}

static void test_arena(void **state)
{
	static uint8_t buf[1 << 16];
	struct vf_arena ar;
	struct vf_allocator a;
	struct vf_options o = {.features = VF_FEATURES_ALL, .alloc = &a};
	struct vf_diag d;
	struct vf_module *m;
	(void)state;

	vf_arena_init(&ar, buf, sizeof(buf));
	a = vf_arena_allocator(&ar);
	assert_int_equal(vf_module_load((const uint8_t *)mod, sizeof(mod) - 1,
					&o, &m, &d), ERR_OK);
	assert_true(ar.used > 0 && ar.used <= sizeof(buf));
	vf_arena_init(&ar, buf, 256);
	a = vf_arena_allocator(&ar);
	assert_int_equal(vf_module_load((const uint8_t *)mod, sizeof(mod) - 1,
					&o, &m, &d), ERR_VF_NOMEM);
}

static void test_features(void **state)
{
	uint32_t f = 99;
	(void)state;

	assert_int_equal(vf_features_parse("mvp", &f), ERR_OK);
	assert_int_equal(f, 0);
	assert_int_equal(vf_features_parse("sign-ext,bulk-memory", &f), ERR_OK);
	assert_int_equal(f, VF_FEAT_SIGN_EXT | VF_FEAT_BULK_MEMORY);
	assert_int_equal(vf_features_parse("all", &f), ERR_OK);
	assert_int_equal(f, VF_FEATURES_ALL);
	assert_int_equal(vf_features_parse("mvp,simd", &f), ERR_VF_FEATURE_NAME);
	assert_int_equal(vf_features_parse("", &f), ERR_VF_FEATURE_NAME);
	assert_int_equal(f, VF_FEATURES_ALL); // untouched on failure
	assert_string_equal(vf_feature_name(VF_FEAT_MULTI_VALUE), "multi-value");
	assert_null(vf_feature_name(1u << 20));
}

// The diagnostic of an error in a body names the function and the offset
// from the code section payload.
static void test_diag_position(void **state)
{
	struct vf_buf b = {.n = 0};
	struct vf_diag d;
	struct vf_module *m;
	char bad[sizeof(mod)];
	(void)state;

	memcpy(bad, mod, sizeof(mod));
	bad[sizeof(mod) - 3] = 0x05; // call 5: unknown function
	buf_put(&b, bad, sizeof(mod) - 1);
	assert_int_equal(load(&b, VF_FEATURES_ALL, 0, &d, &m),
			 ERR_VF_UNKNOWN_FUNC);
	assert_int_equal(d.offset, sizeof(mod) - 3);
	assert_int_equal(d.func_index, 1);
	assert_int_equal(d.instr_off, sizeof(mod) - 3 - 40);
}

// Regression (fuzz.verifier timeout): a DWARF 5 directory table with no
// entry formats and a huge count made the line lookup loop for ages. It
// must answer "no line" at once.
static void test_dwarf_v5_empty_format_huge_count(void **state)
{
	static const uint8_t line[] = {
		0x2d, 0, 0, 0,		  // unit_length
		5, 0, 4, 0,		  // version 5, address size 4, segment 0
		0x1a, 0, 0, 0,		  // header_length
		1, 1, 1, 0xfb, 14, 13,	  // min_len .. opcode_base
		0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, // standard_opcode_lengths
		0,			  // directory_entry_format_count
		0xff, 0xff, 0xff, 0xff, 0x0f, // directories_count
		0, 0,			  // no file formats, no files
		0, 5, 2, 0, 0, 0, 0,	  // set_address 0
		1, 2, 0x10, 1,		  // copy, advance_pc 16, copy
	};
	struct vf_buf b = {.n = 0};
	struct vf_srcpos pos;
	(void)state;

	buf_header(&b);
	buf_byte(&b, 0);
	buf_u32(&b, (uint32_t)(12 + sizeof(line)));
	buf_u32(&b, 11);
	buf_put(&b, ".debug_line", 11);
	buf_put(&b, line, sizeof(line));
	assert_false(vf_debug_line_lookup(b.b, b.n, 0, &pos));
	assert_false(vf_debug_line_lookup(b.b, b.n - 3, 0, &pos));
	assert_false(vf_debug_line_lookup(b.b, 4, 0, &pos));
}

// Lookups by name, with a twin that must miss for each hit.
static void test_find(void **state)
{
	struct vf_buf b = {.n = 0};
	struct vf_diag d;
	struct vf_module *m;
	(void)state;

	buf_header(&b);
	buf_section(&b, 0, "\x01\x61\x01", 3);		   // custom "a" 01
	buf_section(&b, 5, "\x01\x00\x01", 3);		   // memory
	buf_section(&b, 7, "\x01\x03mem\x02\x00", 7);	   // export "mem"
	buf_section(&b, 0, "\x01\x61\x02", 3);		   // custom "a" 02
	assert_int_equal(load(&b, VF_FEATURES_ALL, 0, &d, &m), ERR_OK);
	const struct vf_export *x = vf_find_export(m, "mem", 3, VF_EXTERN_MEMORY);
	assert_non_null(x);
	assert_int_equal(x->index, 0);
	assert_null(vf_find_export(m, "mem", 3, VF_EXTERN_FUNC));
	assert_null(vf_find_export(m, "me", 2, VF_EXTERN_MEMORY));
	const struct vf_custom *c = vf_find_custom(m, "a", 1, NULL);
	assert_non_null(c);
	assert_int_equal(m->bytes[c->payload.off], 1);
	c = vf_find_custom(m, "a", 1, c);
	assert_non_null(c);
	assert_int_equal(m->bytes[c->payload.off], 2);
	assert_null(vf_find_custom(m, "a", 1, c));
	assert_null(vf_find_custom(m, "b", 1, NULL));
	vf_module_free(m);
}

// A caller that breaks the contract (no options, no allocator) hits an
// assertion, not undefined behaviour; a complete call does not.
static void test_caller_contract(void **state)
{
	static const uint8_t empty[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
	struct vf_allocator none = {NULL, NULL, NULL, 0};
	struct vf_options o = {.alloc = &none};
	struct vf_module *m;
	struct vf_diag d;
	(void)state;

	expect_assert_failure((void)vf_module_load(empty, 8, NULL, &m, &d));
	expect_assert_failure((void)vf_module_load(empty, 8, &o, &m, &d));
	struct vf_buf b = {.n = 0};
	buf_put(&b, empty, 8);
	assert_int_equal(load(&b, VF_FEATURES_ALL, 0, &d, &m), ERR_OK);
	vf_module_free(m);
}

// Regression (fuzz.verifier heap overflow): a header_length shorter than
// the header's own fields put the opcode-length table past the input.
static void test_dwarf_header_length_short(void **state)
{
	static const uint8_t line[] = {
		12, 0, 0, 0,		// unit_length
		4, 0,			// version 4
		0, 0, 0, 0,		// header_length 0: the program starts here
		13, 1, 1, 0xfb, 14, 20, // min_len (also opcode 13) .. opcode_base
	};
	struct vf_buf b = {.n = 0};
	struct vf_srcpos pos;
	(void)state;

	buf_header(&b);
	buf_byte(&b, 0);
	buf_u32(&b, (uint32_t)(12 + sizeof(line)));
	buf_u32(&b, 11);
	buf_put(&b, ".debug_line", 11);
	buf_put(&b, line, sizeof(line));
	// An exact-size copy, so AddressSanitizer sees any read past the end.
	uint8_t *exact = malloc(b.n);
	assert_non_null(exact);
	memcpy(exact, b.b, b.n);
	assert_false(vf_debug_line_lookup(exact, b.n, 0, &pos));
	free(exact);
}

// The start-up self-test the kernel runs passes on the host too, and
// reports a scratch buffer that is too small.
static void test_selftest(void **state)
{
	static uint8_t scratch[16384];
	(void)state;

	assert_int_equal(vf_selftest(scratch, sizeof(scratch)), ERR_OK);
	assert_int_equal(vf_selftest(scratch, 512), ERR_VF_NOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_shape),
		cmocka_unit_test(test_cap_and_release),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_diag_position),
		cmocka_unit_test(test_dwarf_v5_empty_format_huge_count),
		cmocka_unit_test(test_selftest),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_caller_contract),
		cmocka_unit_test(test_dwarf_header_length_short),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
