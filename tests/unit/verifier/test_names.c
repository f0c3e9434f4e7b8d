// SPDX-License-Identifier: MIT
// The function name lookup (vf_names.h) on name sections built byte by
// byte: a normal map, every truncation, overlong and out-of-range LEB128,
// control bytes and long names, indices not in the map or out of order,
// and modules with no name section at all.
#include "vf_test.h"

#include <isola/vf_names.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

// (0, "main"), (2, "helper"), (5, "__original_main")
#define MAP3 "\x03\x00\x04main\x02\x06helper\x05\x0f__original_main"

// A module with an unrelated custom section, then a "name" section with a
// module name subsection and a function name map holding map[0 .. n).
static void build_names(struct vf_buf *b, const void *map, size_t n)
{
	struct vf_buf sec = {.n = 0};

	buf_header(b);
	buf_section(b, 0, "\x05otherxx", 8);
	buf_u32(&sec, 4);
	buf_put(&sec, "name", 4);
	buf_section(&sec, 0, "\x03mod", 4);
	buf_section(&sec, 1, map, n);
	buf_section(b, 0, sec.b, sec.n);
}

static bool lookup(const struct vf_buf *b, size_t n, uint32_t fi, char *out)
{
	return vf_func_name_lookup(b->b, n, fi, out);
}

static void expect_none(const struct vf_buf *b, size_t n, uint32_t fi)
{
	char out[VF_FUNC_NAME_MAX + 1];

	memset(out, 'x', sizeof(out));
	assert_false(lookup(b, n, fi, out));
	assert_string_equal(out, "");
}

static void expect_name(const struct vf_buf *b, uint32_t fi, const char *want)
{
	char out[VF_FUNC_NAME_MAX + 1];

	assert_true(lookup(b, b->n, fi, out));
	assert_string_equal(out, want);
}

static void test_normal_map(void **state)
{
	struct vf_buf b;

	(void)state;
	build_names(&b, S(MAP3));
	expect_name(&b, 0, "main");
	expect_name(&b, 2, "helper");
	expect_name(&b, 5, "__original_main");
}

// clang's names for a C main on wasm32-wasi are reported as main; a name
// that only starts like them is not.
static void test_wasi_main(void **state)
{
	struct vf_buf b;

	(void)state;
	build_names(&b, S("\x03\x00\x10__main_argc_argv\x01\x0b__main_void"
			  "\x02\x11__main_argc_argvx"));
	expect_name(&b, 0, "main");
	expect_name(&b, 1, "main");
	expect_name(&b, 2, "__main_argc_argvx");
}

static void test_index_not_in_map(void **state)
{
	struct vf_buf b;

	(void)state;
	build_names(&b, S(MAP3));
	expect_none(&b, b.n, 1);
	expect_none(&b, b.n, 3);
	expect_none(&b, b.n, 6);
	expect_none(&b, b.n, UINT32_MAX);
	// An empty map, and an empty name, name nothing.
	build_names(&b, S("\x00"));
	expect_none(&b, b.n, 0);
	build_names(&b, S("\x01\x00\x00"));
	expect_none(&b, b.n, 0);
}

static void test_truncated(void **state)
{
	struct vf_buf b;

	(void)state;
	build_names(&b, S(MAP3));
	for (size_t n = 0; n < b.n; n++)
		expect_none(&b, n, 0);
	// The framing holds but the map does not: its count says 4, a name
	// runs past the subsection, bytes follow the vector.
	build_names(&b, S("\x04\x00\x04main\x02\x06helper"
			  "\x05\x0f__original_main"));
	expect_none(&b, b.n, 0);
	build_names(&b, S("\x01\x00\x09main"));
	expect_none(&b, b.n, 0);
	build_names(&b, S("\x01\x00\x04mainX"));
	expect_none(&b, b.n, 0);
	// A subsection longer than its section.
	buf_header(&b);
	buf_section(&b, 0, "\x04name\x01\x7f\x00", 8);
	expect_none(&b, b.n, 0);
}

static void test_overlong_leb(void **state)
{
	struct vf_buf b;

	(void)state;
	// Index 2 in five bytes is allowed; in six, or with bits past 32 in
	// the fifth byte, it is malformed.
	build_names(&b, S("\x01\x82\x80\x80\x80\x00\x01z"));
	expect_name(&b, 2, "z");
	build_names(&b, S("\x01\x82\x80\x80\x80\x80\x00\x01z"));
	expect_none(&b, b.n, 2);
	build_names(&b, S("\x01\x82\x80\x80\x80\x10\x01z"));
	expect_none(&b, b.n, 2);
	// An overlong count and an overlong name length.
	build_names(&b, S("\x81\x80\x80\x80\x80\x00\x00\x01z"));
	expect_none(&b, b.n, 0);
	build_names(&b, S("\x01\x00\x81\x80\x80\x80\x80\x00z"));
	expect_none(&b, b.n, 0);
	// An overlong section size.
	buf_header(&b);
	buf_put(&b, S("\x00\x8b\x80\x80\x80\x80\x00"
		      "\x04name\x01\x04\x01\x00\x01z"));
	expect_none(&b, b.n, 0);
}

static void test_control_bytes(void **state)
{
	struct vf_buf b;

	(void)state;
	build_names(&b, S("\x01\x00\x0c" "a\x1b[31mb\x7f\xff\x00z\""));
	expect_name(&b, 0, "a?[31mb???z\"");
}

static void test_long_name_cut(void **state)
{
	char map[4 + 300], want[VF_FUNC_NAME_MAX + 1];
	struct vf_buf b;

	(void)state;
	memcpy(map, "\x01\x07\xac\x02", 4); // index 7, length 300
	memset(map + 4, 'n', 300);
	memset(want, 'n', VF_FUNC_NAME_MAX);
	want[VF_FUNC_NAME_MAX] = '\0';
	build_names(&b, map, sizeof(map));
	expect_name(&b, 7, want);
	// 299 bytes where 300 are announced: malformed.
	build_names(&b, map, sizeof(map) - 1);
	expect_none(&b, b.n, 7);
}

static void test_order(void **state)
{
	struct vf_buf b;

	(void)state;
	build_names(&b, S("\x02\x03\x01x\x01\x01y"));
	expect_none(&b, b.n, 3);
	build_names(&b, S("\x02\x03\x01x\x03\x01y"));
	expect_none(&b, b.n, 3);
}

static void test_no_section(void **state)
{
	struct vf_buf b;
	char out[VF_FUNC_NAME_MAX + 1];

	(void)state;
	buf_header(&b);
	expect_none(&b, b.n, 0);
	buf_section(&b, 0, "\x04namf\x01\x03\x01\x00\x01z", 11);
	expect_none(&b, b.n, 0);
	// Only the first name section counts; a broken magic number is not
	// a module.
	build_names(&b, S(MAP3));
	buf_section(&b, 0, "\x04name\x01\x04\x01\x09\x01z", 11);
	expect_none(&b, b.n, 9);
	expect_name(&b, 5, "__original_main");
	b.b[1] = 'A';
	expect_none(&b, b.n, 5);
	assert_false(vf_func_name_lookup(NULL, 0, 0, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_map),
		cmocka_unit_test(test_wasi_main),
		cmocka_unit_test(test_index_not_in_map),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_overlong_leb),
		cmocka_unit_test(test_control_bytes),
		cmocka_unit_test(test_long_name_cut),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_no_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
