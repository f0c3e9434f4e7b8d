// SPDX-License-Identifier: MIT
// Module-level decoding and validation: accept/reject pairs over whole
// binaries, with the expected code and absolute byte offset.
#include "vf_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#define ALL VF_FEATURES_ALL
#define MVP VF_FEATURES_MVP
#define H "\0asm\1\0\0\0"
#define TYPE_V_V "\x01\x04\x01\x60\x00\x00"
#define FUNC1 "\x03\x02\x01\x00"
#define CODE_NOP "\x0a\x04\x01\x02\x00\x0b"
#define TABLE1 "\x04\x04\x01\x70\x00\x01"
#define MEM1 "\x05\x03\x01\x00\x01"

struct mod_case {
	const char *name;
	const char *bytes;
	size_t n;
	isola_err_t code;
	uint32_t off;
	uint32_t features;
};

static const struct mod_case cases[] = {
	{"empty", S(H), ERR_OK, 0, ALL},
	{"bad_magic", S("\0asn\1\0\0\0"), ERR_VF_MAGIC, 0, ALL},
	{"bad_version", S("\0asm\2\0\0\0"), ERR_VF_VERSION, 4, ALL},
	{"short_header", S("\0asm\1\0"), ERR_VF_EOF, 6, ALL},
	{"type", S(H TYPE_V_V), ERR_OK, 0, ALL},
	{"type_form", S(H "\x01\x04\x01\x61\x00\x00"), ERR_VF_FUNCTYPE_FORM, 11, ALL},
	{"type_valtype", S(H "\x01\x05\x01\x60\x01\x55\x00"), ERR_VF_VALTYPE, 13, ALL},
	{"type_v128", S(H "\x01\x05\x01\x60\x01\x7b\x00"), ERR_VF_UNSUPPORTED, 13, ALL},
	{"multi_result", S(H "\x01\x06\x01\x60\x00\x02\x7f\x7f"), ERR_OK, 0, ALL},
	{"multi_result_mvp", S(H "\x01\x06\x01\x60\x00\x02\x7f\x7f"), ERR_VF_RESULT_ARITY, 11, MVP},
	{"section_size_long", S(H "\x01\x05\x01\x60\x00\x00\x00"), ERR_VF_SECTION_SIZE, 14, ALL},
	{"section_past_end", S(H "\x01\x10\x01"), ERR_VF_EOF, 11, ALL},
	{"section_twice", S(H TYPE_V_V TYPE_V_V), ERR_VF_SECTION_ORDER, 14, ALL},
	{"section_id_bad", S(H "\x0e\x00"), ERR_VF_SECTION_ID, 8, ALL},
	{"section_id_tag", S(H "\x0d\x00"), ERR_VF_UNSUPPORTED, 8, ALL},
	{"custom", S(H "\x00\x05\x04name"), ERR_OK, 0, ALL},
	{"custom_bad_utf8", S(H "\x00\x02\x01\xff"), ERR_VF_UTF8, 11, ALL},
	{"custom_name_long", S(H "\x00\x02\x05\x61"), ERR_VF_LENGTH, 10, ALL},
	{"func_and_code", S(H TYPE_V_V FUNC1 CODE_NOP), ERR_OK, 0, ALL},
	{"func_without_code", S(H TYPE_V_V FUNC1), ERR_VF_FUNC_CODE_COUNT, 18, ALL},
	{"code_count", S(H TYPE_V_V FUNC1 "\x0a\x07\x02\x02\x00\x0b\x02\x00\x0b"), ERR_VF_FUNC_CODE_COUNT, 20, ALL},
	{"func_unknown_type", S(H TYPE_V_V "\x03\x02\x01\x01" CODE_NOP), ERR_VF_UNKNOWN_TYPE, 17, ALL},
	{"memory", S(H MEM1), ERR_OK, 0, ALL},
	{"memory_two", S(H "\x05\x05\x02\x00\x01\x00\x01"), ERR_VF_MULTIPLE_MEMORIES, 10, ALL},
	{"memory_pages_max", S(H "\x05\x05\x01\x00\x80\x80\x04"), ERR_OK, 0, ALL},
	{"memory_pages_over", S(H "\x05\x05\x01\x00\x81\x80\x04"), ERR_VF_MEMORY_PAGES, 12, ALL},
	{"memory_min_over_max", S(H "\x05\x04\x01\x01\x02\x01"), ERR_VF_LIMITS_MIN_MAX, 11, ALL},
	{"memory_shared", S(H "\x05\x04\x01\x03\x01\x02"), ERR_VF_UNSUPPORTED, 11, ALL},
	{"memory_flags_bad", S(H "\x05\x04\x01\x09\x01\x02"), ERR_VF_LIMITS_FLAGS, 11, ALL},
	{"table_two", S(H "\x04\x07\x02\x70\x00\x01\x70\x00\x01"), ERR_VF_MULTIPLE_TABLES, 10, ALL},
	{"table_externref", S(H "\x04\x04\x01\x6f\x00\x01"), ERR_VF_UNSUPPORTED, 11, ALL},
	{"global", S(H "\x06\x06\x01\x7f\x00\x41\x00\x0b"), ERR_OK, 0, ALL},
	{"global_init_type", S(H "\x06\x06\x01\x7f\x00\x42\x00\x0b"), ERR_VF_TYPE_MISMATCH, 13, ALL},
	{"global_init_not_const", S(H "\x06\x06\x01\x7f\x00\x6a\x00\x0b"), ERR_VF_CONST_EXPR, 13, ALL},
	{"global_init_two", S(H "\x06\x08\x01\x7f\x00\x41\x00\x41\x00\x0b"), ERR_VF_TYPE_MISMATCH, 15, ALL},
	{"global_mutability", S(H "\x06\x06\x01\x7f\x02\x41\x00\x0b"), ERR_VF_MUTABILITY, 12, ALL},
	{"global_get_local", S(H "\x06\x0b\x02\x7f\x00\x41\x00\x0b\x7f\x00\x23\x00\x0b"), ERR_VF_UNKNOWN_GLOBAL, 18, ALL},
	{"export", S(H MEM1 "\x07\x05\x01\x01m\x02\x00"), ERR_OK, 0, ALL},
	{"export_twice", S(H MEM1 "\x07\x09\x02\x01m\x02\x00\x01m\x02\x00"), ERR_VF_DUPLICATE_EXPORT, 21, ALL},
	{"export_unknown_memory", S(H MEM1 "\x07\x05\x01\x01m\x02\x01"), ERR_VF_UNKNOWN_MEMORY, 18, ALL},
	{"export_kind_bad", S(H MEM1 "\x07\x05\x01\x01m\x07\x00"), ERR_VF_EXPORT_KIND, 18, ALL},
	{"import_mut_global", S(H "\x02\x08\x01\x01m\x01g\x03\x7f\x01"), ERR_OK, 0, ALL},
	{"import_mut_global_mvp", S(H "\x02\x08\x01\x01m\x01g\x03\x7f\x01"), ERR_VF_MUTABLE_GLOBAL, 16, MVP},
	{"import_kind_bad", S(H "\x02\x08\x01\x01m\x01g\x07\x7f\x01"), ERR_VF_IMPORT_KIND, 15, ALL},
	{"import_unknown_type", S(H "\x02\x07\x01\x01m\x01g\x00\x00"), ERR_VF_UNKNOWN_TYPE, 16, ALL},
	{"start", S(H TYPE_V_V FUNC1 "\x08\x01\x00" CODE_NOP), ERR_OK, 0, ALL},
	{"start_with_param", S(H "\x01\x05\x01\x60\x01\x7f\x00" FUNC1 "\x08\x01\x00" CODE_NOP), ERR_VF_START_TYPE, 21, ALL},
	{"start_unknown", S(H TYPE_V_V FUNC1 "\x08\x01\x01" CODE_NOP), ERR_VF_UNKNOWN_FUNC, 20, ALL},
	{"datacount", S(H MEM1 "\x0c\x01\x00\x0b\x01\x00"), ERR_OK, 0, ALL},
	{"datacount_mismatch", S(H MEM1 "\x0c\x01\x01\x0b\x01\x00"), ERR_VF_DATA_COUNT, 18, ALL},
	{"datacount_no_data", S(H MEM1 "\x0c\x01\x01"), ERR_VF_DATA_COUNT, 16, ALL},
	{"datacount_mvp", S(H MEM1 "\x0c\x01\x00\x0b\x01\x00"), ERR_VF_UNSUPPORTED, 13, MVP},
	{"data", S(H MEM1 "\x0b\x07\x01\x00\x41\x00\x0b\x01x"), ERR_OK, 0, ALL},
	{"data_no_memory", S(H "\x0b\x07\x01\x00\x41\x00\x0b\x01x"), ERR_VF_UNKNOWN_MEMORY, 11, ALL},
	{"data_passive", S(H MEM1 "\x0b\x04\x01\x01\x01x"), ERR_OK, 0, ALL},
	{"data_passive_mvp", S(H MEM1 "\x0b\x04\x01\x01\x01x"), ERR_VF_UNKNOWN_MEMORY, 16, MVP},
	{"data_kind_bad", S(H MEM1 "\x0b\x04\x01\x03\x01x"), ERR_VF_DATA_KIND, 16, ALL},
	{"data_len_long", S(H MEM1 "\x0b\x04\x01\x01\x05x"), ERR_VF_LENGTH, 17, ALL},
	{"elem", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x07\x01\x00\x41\x00\x0b\x01\x00" CODE_NOP), ERR_OK, 0, ALL},
	{"elem_unknown_func", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x07\x01\x00\x41\x00\x0b\x01\x01" CODE_NOP), ERR_VF_UNKNOWN_FUNC, 32, ALL},
	{"elem_no_table", S(H TYPE_V_V FUNC1 "\x09\x07\x01\x00\x41\x00\x0b\x01\x00" CODE_NOP), ERR_VF_UNKNOWN_TABLE, 21, ALL},
	{"elem_declarative", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x04\x01\x03\x00\x00" CODE_NOP), ERR_VF_UNSUPPORTED, 27, ALL},
	{"elem_exprs", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x0a\x01\x05\x70\x02\xd2\x00\x0b\xd0\x70\x0b" CODE_NOP), ERR_OK, 0, ALL},
	{"elem_exprs_mvp", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x0a\x01\x05\x70\x02\xd2\x00\x0b\xd0\x70\x0b" CODE_NOP), ERR_VF_UNSUPPORTED, 27, MVP},
	{"elem_exprs_bad_func", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x0a\x01\x05\x70\x02\xd2\x09\x0b\xd0\x70\x0b" CODE_NOP), ERR_VF_UNKNOWN_FUNC, 30, ALL},
	{"elem_table_index", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x09\x01\x02\x00\x41\x00\x0b\x00\x01\x00" CODE_NOP), ERR_OK, 0, ALL},
	{"elem_table_index_unknown", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x09\x01\x02\x01\x41\x00\x0b\x00\x01\x00" CODE_NOP), ERR_VF_UNKNOWN_TABLE, 28, ALL},
	{"elem_active_exprs", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x09\x01\x04\x41\x00\x0b\x01\xd2\x00\x0b" CODE_NOP), ERR_OK, 0, ALL},
	{"elem_active_exprs_const", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x09\x01\x04\x41\x00\x0b\x01\x41\x00\x0b" CODE_NOP), ERR_VF_CONST_EXPR, 32, ALL},
	{"elem_table_exprs", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x0b\x01\x06\x00\x41\x00\x0b\x70\x01\xd0\x70\x0b" CODE_NOP), ERR_OK, 0, ALL},
	{"elem_table_exprs_externref", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x0b\x01\x06\x00\x41\x00\x0b\x6f\x01\xd0\x70\x0b" CODE_NOP), ERR_VF_UNSUPPORTED, 32, ALL},
	{"elem_kind_bad", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x04\x01\x08\x00\x00" CODE_NOP), ERR_VF_ELEM_KIND, 27, ALL},
	{"elem_passive_kind_bad", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x04\x01\x01\x01\x00" CODE_NOP), ERR_VF_ELEM_TYPE, 28, ALL},
	{"elem_passive", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x05\x01\x01\x00\x01\x00" CODE_NOP), ERR_OK, 0, ALL},
	{"table_elem_type_bad", S(H "\x04\x04\x01\x71\x00\x01"), ERR_VF_ELEM_TYPE, 11, ALL},
	{"elem_expr_no_end", S(H TYPE_V_V FUNC1 TABLE1 "\x09\x07\x01\x05\x70\x01\xd2\x00\x01" CODE_NOP), ERR_VF_CONST_END, 32, ALL},
	{"memory_init", S(H TYPE_V_V FUNC1 MEM1 "\x0c\x01\x01" "\x0a\x0e\x01\x0c\x00\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x0b" "\x0b\x04\x01\x01\x01x"), ERR_OK, 0, ALL},
	{"memory_init_unknown_data", S(H TYPE_V_V FUNC1 MEM1 "\x0c\x01\x01" "\x0a\x0e\x01\x0c\x00\x41\x00\x41\x00\x41\x00\xfc\x08\x01\x00\x0b" "\x0b\x04\x01\x01\x01x"), ERR_VF_UNKNOWN_DATA, 39, ALL},
	{"global_set_mutable", S(H TYPE_V_V FUNC1 "\x06\x06\x01\x7f\x01\x41\x00\x0b" "\x0a\x08\x01\x06\x00\x41\x00\x24\x00\x0b"), ERR_OK, 0, ALL},
	{"global_set_immutable", S(H TYPE_V_V FUNC1 "\x06\x06\x01\x7f\x00\x41\x00\x0b" "\x0a\x08\x01\x06\x00\x41\x00\x24\x00\x0b"), ERR_VF_GLOBAL_IMMUTABLE, 33, ALL},
	{"datacount_max", S(H "\x0c\x03\xa0\x8d\x06"), ERR_VF_DATA_COUNT, 13, ALL},
	{"datacount_over_limit", S(H "\x0c\x03\xa1\x8d\x06"), ERR_VF_LIMIT_COUNT, 10, ALL},
	{"locals_max", S(H TYPE_V_V FUNC1 "\x0a\x08\x01\x06\x01\xd0\x86\x03\x7f\x0b"), ERR_OK, 0, ALL},
	{"locals_too_many", S(H TYPE_V_V FUNC1 "\x0a\x08\x01\x06\x01\xd1\x86\x03\x7f\x0b"), ERR_VF_TOO_MANY_LOCALS, 23, ALL},
	{"locals_sum_overflow", S(H TYPE_V_V FUNC1 "\x0a\x0f\x01\x0d\x02\xff\xff\xff\xff\x0f\x7f\xff\xff\xff\xff\x0f\x7f\x0b"), ERR_VF_TOO_MANY_LOCALS, 23, ALL},
	{"body_size_past_section", S(H TYPE_V_V FUNC1 "\x0a\x04\x01\x05\x00\x0b"), ERR_VF_EOF, 24, ALL},
	// Found by the differential run (wabt 1.0.32 accepts these; the
	// specification does not): docs/verifier.md, "Differential testing".
	{"body_block_end", S(H TYPE_V_V FUNC1 "\x0a\x07\x01\x05\x00\x02\x40\x0b\x0b"), ERR_OK, 0, ALL},
	{"body_last_end_closes_block", S(H TYPE_V_V FUNC1 "\x0a\x06\x01\x04\x00\x02\x40\x0b"), ERR_VF_BODY_END, 26, ALL},
	{"global_init_no_end", S(H "\x06\x05\x01\x7f\x00\x41\x00"), ERR_VF_EOF, 15, ALL},
	{"data_kind_4", S(H MEM1 "\x0b\x07\x01\x04\x41\x00\x0b\x01x"), ERR_VF_DATA_KIND, 16, ALL},
	{"count_past_section", S(H "\x01\x02\x7f\x60"), ERR_VF_LENGTH, 10, ALL},
};

static void test_module_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mod_case *c = &cases[i];
		struct vf_buf b = {.n = 0};
		struct vf_diag d;
		struct vf_module *m = NULL;

		buf_put(&b, c->bytes, c->n);
		isola_err_t err = load(&b, c->features, 0, &d, &m);
		if (err != c->code || (err != ERR_OK && d.offset != c->off)) {
			print_error("case %s: got %s at %u (%s), want %s at %u\n",
				    c->name, isola_err_name(err), d.offset,
				    d.detail, isola_err_name(c->code), c->off);
			fail();
		}
		if (err == ERR_OK)
			vf_module_free(m);
	}
}

// Every prefix of a valid module is rejected, never read past its end.
static void test_truncations(void **state)
{
	static const char mod[] = H TYPE_V_V FUNC1 TABLE1 MEM1
		"\x07\x05\x01\x01m\x02\x00"
		"\x09\x07\x01\x00\x41\x00\x0b\x01\x00" CODE_NOP
		"\x0b\x07\x01\x00\x41\x00\x0b\x01x";
	(void)state;
	for (size_t n = 0; n < sizeof(mod) - 1; n++) {
		struct vf_buf b = {.n = 0};
		struct vf_diag d;
		struct vf_module *m = NULL;
		buf_put(&b, mod, n);
		isola_err_t err = load(&b, ALL, 0, &d, &m);
		if (n == 8 || n == 14 || n == 18 || n == 24 || n == 29 ||
		    n == 36 || n == 45 || n == 51) {
			// Prefixes that end between sections are valid modules,
			// unless a function has lost its body.
			if (err == ERR_OK)
				vf_module_free(m);
			continue;
		}
		assert_int_not_equal(err, ERR_OK);
		assert_true(d.offset <= n);
	}
	struct vf_buf b = {.n = 0};
	struct vf_diag d;
	struct vf_module *m = NULL;
	buf_put(&b, mod, sizeof(mod) - 1);
	assert_int_equal(load(&b, ALL, 0, &d, &m), ERR_OK);
	vf_module_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_cases),
		cmocka_unit_test(test_truncations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
