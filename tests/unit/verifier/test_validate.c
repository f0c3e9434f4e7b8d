// SPDX-License-Identifier: MIT
// Function-body validation: accept/reject pairs. Each accepted body has a
// mutated twin that must be rejected with the given code at the given
// offset (relative to the body's first instruction).
#include "vf_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define ALL VF_FEATURES_ALL
#define MVP VF_FEATURES_MVP
#define V_V S("\x00\x00")
#define V_I S("\x00\x01\x7f")
#define I_I S("\x01\x7f\x01\x7f")

static const struct body_case cases[] = {
	{"empty", V_V, S("\x0b"), ERR_OK, 0, ALL, false},
	{"empty_needs_result", V_I, S("\x0b"), ERR_VF_STACK_UNDERFLOW, 0, ALL, false},
	{"add", V_I, S("\x41\x01\x41\x02\x6a\x0b"), ERR_OK, 0, ALL, false},
	{"add_i64_operand", V_I, S("\x41\x01\x42\x02\x6a\x0b"), ERR_VF_TYPE_MISMATCH, 4, ALL, false},
	{"drop_value", V_V, S("\x41\x01\x1a\x0b"), ERR_OK, 0, ALL, false},
	{"leftover_value", V_V, S("\x41\x01\x0b"), ERR_VF_STACK_LEFTOVER, 2, ALL, false},
	{"block_result", V_I, S("\x02\x7f\x41\x01\x0b\x0b"), ERR_OK, 0, ALL, false},
	{"block_result_missing", V_I, S("\x02\x7f\x0b\x0b"), ERR_VF_STACK_UNDERFLOW, 2, ALL, false},
	{"br_0", V_V, S("\x0c\x00\x0b"), ERR_OK, 0, ALL, false},
	{"br_unknown_label", V_V, S("\x0c\x01\x0b"), ERR_VF_UNKNOWN_LABEL, 1, ALL, false},
	{"unreachable_poly", V_I, S("\x00\x6a\x0b"), ERR_OK, 0, ALL, false},
	{"unreachable_known_wrong", V_I, S("\x00\x42\x00\x6a\x0b"), ERR_VF_TYPE_MISMATCH, 3, ALL, false},
	{"if_else_result", V_I, S("\x41\x01\x04\x7f\x41\x01\x05\x41\x02\x0b\x0b"), ERR_OK, 0, ALL, false},
	{"if_no_else_result", V_I, S("\x41\x01\x04\x7f\x41\x01\x0b\x0b"), ERR_VF_IF_NO_ELSE, 6, ALL, false},
	{"if_else_empty", V_V, S("\x41\x00\x04\x40\x05\x0b\x0b"), ERR_OK, 0, ALL, false},
	{"else_without_if", V_V, S("\x05\x0b"), ERR_VF_ELSE, 0, ALL, false},
	{"if_needs_i32", V_V, S("\x42\x00\x04\x40\x0b\x0b"), ERR_VF_TYPE_MISMATCH, 2, ALL, false},
	{"local_get", I_I, S("\x20\x00\x0b"), ERR_OK, 0, ALL, false},
	{"local_unknown", I_I, S("\x20\x01\x0b"), ERR_VF_UNKNOWN_LOCAL, 1, ALL, false},
	{"load", V_I, S("\x41\x00\x28\x02\x00\x0b"), ERR_OK, 0, ALL, true},
	{"load_no_memory", V_I, S("\x41\x00\x28\x02\x00\x0b"), ERR_VF_UNKNOWN_MEMORY, 2, ALL, false},
	{"load_over_aligned", V_I, S("\x41\x00\x28\x03\x00\x0b"), ERR_VF_ALIGN, 3, ALL, true},
	{"store8", V_V, S("\x41\x00\x41\x00\x3a\x00\x00\x0b"), ERR_OK, 0, ALL, true},
	{"store8_over_aligned", V_V, S("\x41\x00\x41\x00\x3a\x01\x00\x0b"), ERR_VF_ALIGN, 5, ALL, true},
	{"memory_size", V_I, S("\x3f\x00\x0b"), ERR_OK, 0, ALL, true},
	{"memory_size_flag", V_I, S("\x3f\x01\x0b"), ERR_VF_ZERO_BYTE, 1, ALL, true},
	{"call_indirect", V_V, S("\x41\x00\x11\x00\x00\x0b"), ERR_OK, 0, ALL, true},
	{"call_indirect_table_byte", V_V, S("\x41\x00\x11\x00\x01\x0b"), ERR_VF_ZERO_BYTE, 4, ALL, true},
	{"call_indirect_no_table", V_V, S("\x41\x00\x11\x00\x00\x0b"), ERR_VF_UNKNOWN_TABLE, 2, ALL, false},
	{"br_table_same", V_V, S("\x02\x40\x02\x40\x41\x00\x0e\x01\x00\x01\x0b\x0b\x0b"), ERR_OK, 0, ALL, false},
	{"br_table_types_differ", V_V, S("\x02\x40\x02\x7f\x41\x00\x0e\x01\x00\x01\x0b\x0b\x0b"), ERR_VF_BR_TABLE_TYPES, 6, ALL, false},
	{"sign_ext", V_I, S("\x41\x00\xc0\x0b"), ERR_OK, 0, ALL, false},
	{"sign_ext_mvp", V_I, S("\x41\x00\xc0\x0b"), ERR_VF_UNSUPPORTED, 2, MVP, false},
	{"sat_trunc", V_I, S("\x43\x00\x00\x00\x00\xfc\x00\x0b"), ERR_OK, 0, ALL, false},
	{"sat_trunc_mvp", V_I, S("\x43\x00\x00\x00\x00\xfc\x00\x0b"), ERR_VF_UNSUPPORTED, 5, MVP, false},
	{"memory_fill", V_V, S("\x41\x00\x41\x00\x41\x00\xfc\x0b\x00\x0b"), ERR_OK, 0, ALL, true},
	{"memory_fill_mvp", V_V, S("\x41\x00\x41\x00\x41\x00\xfc\x0b\x00\x0b"), ERR_VF_UNSUPPORTED, 6, MVP, true},
	{"memory_fill_i64", V_V, S("\x41\x00\x41\x00\x42\x00\xfc\x0b\x00\x0b"), ERR_VF_TYPE_MISMATCH, 6, ALL, true},
	{"memory_init_no_datacount", V_V, S("\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x0b"), ERR_VF_DATA_COUNT_REQUIRED, 6, ALL, true},
	{"table_copy", V_V, S("\x41\x00\x41\x00\x41\x00\xfc\x0e\x00\x00\x0b"), ERR_OK, 0, ALL, true},
	{"table_copy_unknown_src", V_V, S("\x41\x00\x41\x00\x41\x00\xfc\x0e\x00\x01\x0b"), ERR_VF_UNKNOWN_TABLE, 9, ALL, true},
	{"elem_drop_unknown", V_V, S("\xfc\x0d\x00\x0b"), ERR_VF_UNKNOWN_ELEM, 2, ALL, true},
	{"data_drop_no_datacount", V_V, S("\xfc\x09\x00\x0b"), ERR_VF_DATA_COUNT_REQUIRED, 0, ALL, true},
	{"table_grow_reftypes", V_V, S("\xfc\x0f\x00\x0b"), ERR_VF_UNSUPPORTED, 0, ALL, true},
	{"simd", V_V, S("\xfd\x0c\x0b"), ERR_VF_UNSUPPORTED, 0, ALL, false},
	{"ref_null", V_V, S("\xd0\x70\x1a\x0b"), ERR_VF_UNSUPPORTED, 0, ALL, false},
	{"illegal_opcode", V_V, S("\xff\x0b"), ERR_VF_OPCODE, 0, ALL, false},
	{"illegal_fc_opcode", V_V, S("\xfc\x20\x0b"), ERR_VF_OPCODE, 0, ALL, false},
	{"block_typeidx", V_V, S("\x02\x00\x0b\x0b"), ERR_OK, 0, ALL, false},
	{"block_typeidx_mvp", V_V, S("\x02\x00\x0b\x0b"), ERR_VF_UNSUPPORTED, 1, MVP, false},
	{"block_param", I_I, S("\x20\x00\x02\x00\x0b\x0b"), ERR_OK, 0, ALL, false},
	{"block_param_mvp", I_I, S("\x20\x00\x02\x00\x0b\x0b"), ERR_VF_RESULT_ARITY, 3, MVP, false},
	{"block_typeidx_unknown", V_V, S("\x02\x05\x0b\x0b"), ERR_VF_UNKNOWN_TYPE, 1, ALL, false},
	{"block_type_bad", V_V, S("\x02\x60\x0b\x0b"), ERR_VF_BLOCK_TYPE, 1, ALL, false},
	{"loop_label_is_params", I_I, S("\x20\x00\x03\x00\x0c\x00\x0b\x0b"), ERR_OK, 0, ALL, false},
	{"loop_label_no_params", I_I, S("\x20\x00\x03\x7f\x0c\x00\x0b\x0b"), ERR_VF_STACK_LEFTOVER, 7, ALL, false},
	{"nop_end", V_V, S("\x01\x0b"), ERR_OK, 0, ALL, false},
	{"missing_end", V_V, S("\x01"), ERR_VF_BODY_END, 1, ALL, false},
	{"junk_after_end", V_V, S("\x0b\x01"), ERR_VF_BODY_SIZE, 1, ALL, false},
	{"select", V_I, S("\x41\x00\x41\x00\x41\x00\x1b\x0b"), ERR_OK, 0, ALL, false},
	{"select_mixed", V_I, S("\x41\x00\x42\x00\x41\x00\x1b\x0b"), ERR_VF_TYPE_MISMATCH, 6, ALL, false},
	{"const_leb_max", V_V, S("\x41\x80\x80\x80\x80\x07\x1a\x0b"), ERR_OK, 0, ALL, false},
	{"const_leb_neg", V_V, S("\x41\x80\x80\x80\x80\x7f\x1a\x0b"), ERR_OK, 0, ALL, false},
	{"const_leb_range", V_V, S("\x41\x80\x80\x80\x80\x0f\x1a\x0b"), ERR_VF_LEB_RANGE, 5, ALL, false},
	{"const_leb_long", V_V, S("\x41\x80\x80\x80\x80\x80\x00\x1a\x0b"), ERR_VF_LEB_LONG, 5, ALL, false},
	{"i64_const_leb_max", V_V, S("\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f\x1a\x0b"), ERR_OK, 0, ALL, false},
	{"i64_const_leb_range", V_V, S("\x42\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\x1a\x0b"), ERR_VF_LEB_RANGE, 10, ALL, false},
	{"call_self", V_V, S("\x10\x00\x0b"), ERR_OK, 0, ALL, false},
	{"call_unknown", V_V, S("\x10\x01\x0b"), ERR_VF_UNKNOWN_FUNC, 1, ALL, false},
	{"global_unknown", V_V, S("\x23\x00\x1a\x0b"), ERR_VF_UNKNOWN_GLOBAL, 1, ALL, false},
	{"return_value", V_I, S("\x41\x00\x0f\x0b"), ERR_OK, 0, ALL, false},
	{"return_wrong", V_I, S("\x42\x00\x0f\x0b"), ERR_VF_TYPE_MISMATCH, 2, ALL, false},
	{"f32_truncated", V_V, S("\x43\x00\x00"), ERR_VF_EOF, 3, ALL, false},
};

static void test_body_cases(void **state)
{
	(void)state;
	run_body_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
