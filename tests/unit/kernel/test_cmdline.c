// SPDX-License-Identifier: MIT
// Kernel command-line parser: accept/reject tables with error offsets.
#include <cmdline.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

struct bad_case {
	const char *name, *input;
	size_t pos;   // expected error offset
	size_t kept;  // options parsed before the error
};

static const struct bad_case bad[] = {
	{ "bare equals", "=x", 0, 0 },
	{ "stray char", "a=1 !", 4, 1 },
	{ "unterminated quote", "a=1 b=\"xyz", 10, 1 },
	{ "junk after quote", "a=\"x\"y", 5, 0 },
	{ "quote inside value", "a=x\"y", 3, 0 },
	{ "key too long", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1", 31, 0 },
	{ "bad key char", "a/b=1", 1, 0 },
};

static void test_rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cmdline cl;
		size_t pos = 999;
		assert_int_equal(cmdline_parse(bad[i].input, &cl, &pos), ERR_CMDLINE_SYNTAX);
		if (pos != bad[i].pos || cl.n != bad[i].kept)
			fail_msg("%s: pos %zu n %zu", bad[i].name, pos, cl.n);
	}
}

static void test_accepts(void **state)
{
	(void)state;
	struct cmdline cl;
	size_t pos;
	assert_int_equal(cmdline_parse("  ktest=all  loglevel=3 quiet name=\"a b\"\t", &cl, &pos), ERR_OK);
	assert_int_equal(cl.n, 4);
	assert_string_equal(cmdline_get(&cl, "ktest"), "all");
	assert_string_equal(cmdline_get(&cl, "quiet"), "");
	assert_false(cl.opts[2].has_value);
	assert_string_equal(cmdline_get(&cl, "name"), "a b");
	assert_null(cmdline_get(&cl, "missing"));
	assert_int_equal(cmdline_parse("", &cl, &pos), ERR_OK);
	assert_int_equal(cl.n, 0);
}

static void test_last_occurrence_wins(void **state)
{
	(void)state;
	struct cmdline cl;
	size_t pos;
	assert_int_equal(cmdline_parse("a=1 a=2", &cl, &pos), ERR_OK);
	assert_string_equal(cmdline_get(&cl, "a"), "2");
}

static void test_too_many_options(void **state)
{
	(void)state;
	char buf[512] = "";
	for (int i = 0; i <= CMDLINE_MAX_OPTS; i++)
		strcat(buf, "k ");
	struct cmdline cl;
	size_t pos;
	assert_int_equal(cmdline_parse(buf, &cl, &pos), ERR_CMDLINE_SYNTAX);
	assert_int_equal(cl.n, CMDLINE_MAX_OPTS);
	assert_int_equal(pos, 2 * CMDLINE_MAX_OPTS);
}

static void test_uint_values(void **state)
{
	(void)state;
	struct cmdline cl;
	size_t pos;
	uint64_t v = 77;
	assert_int_equal(cmdline_parse("a=3 b=x c= d=99999999999999999999999 e=9", &cl, &pos), ERR_OK);
	assert_int_equal(cmdline_get_uint(&cl, "a", 0, 3, &v), ERR_OK);
	assert_int_equal(v, 3);
	assert_int_equal(cmdline_get_uint(&cl, "b", 0, 3, &v), ERR_CMDLINE_VALUE);
	assert_int_equal(cmdline_get_uint(&cl, "c", 0, 3, &v), ERR_CMDLINE_VALUE);
	assert_int_equal(cmdline_get_uint(&cl, "d", 0, UINT64_MAX, &v), ERR_CMDLINE_VALUE);
	assert_int_equal(cmdline_get_uint(&cl, "e", 0, 3, &v), ERR_CMDLINE_VALUE);
	assert_int_equal(cmdline_get_uint(&cl, "zz", 0, 3, &v), ERR_NOTFOUND);
	assert_int_equal(v, 3);
}

static void test_unused_reported(void **state)
{
	(void)state;
	struct cmdline cl;
	size_t pos, cursor = 0;
	assert_int_equal(cmdline_parse("known=1 typo=2 other", &cl, &pos), ERR_OK);
	(void)cmdline_get(&cl, "known");
	const struct cmdline_opt *o = cmdline_next_unused(&cl, &cursor);
	assert_non_null(o);
	assert_string_equal(o->key, "typo");
	o = cmdline_next_unused(&cl, &cursor);
	assert_string_equal(o->key, "other");
	assert_null(cmdline_next_unused(&cl, &cursor));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_accepts),
		cmocka_unit_test(test_last_occurrence_wins),
		cmocka_unit_test(test_too_many_options),
		cmocka_unit_test(test_uint_values),
		cmocka_unit_test(test_unused_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
