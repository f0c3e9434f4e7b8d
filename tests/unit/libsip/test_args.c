// SPDX-License-Identifier: MIT
// The argument splitter behind WASI's args_get: words, quotes, escapes.
#include "rt.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void test_words(void **state)
{
	char line[] = "  ls  -l /svc ";
	char *argv[4];

	(void)state;
	assert_int_equal(rt_args_split(line, argv, 3), 3);
	assert_string_equal(argv[0], "ls");
	assert_string_equal(argv[1], "-l");
	assert_string_equal(argv[2], "/svc");
	assert_null(argv[3]);
	char two[] = "a b c d";
	assert_int_equal(rt_args_split(two, argv, 2), 2);
	char none[] = "   ";
	assert_int_equal(rt_args_split(none, argv, 3), 0);
	assert_null(argv[0]);
}

static void test_quotes(void **state)
{
	char *argv[4];

	(void)state;
	// Quotes keep spaces and go away; a backslash escapes the next byte.
	char quoted[] = "echo \"two words\" 'it''s' a\\ b \"\"";
	assert_int_equal(rt_args_split(quoted, argv, 3), 3);
	assert_string_equal(argv[0], "echo");
	assert_string_equal(argv[1], "two words");
	assert_string_equal(argv[2], "its");
	char esc[] = "x a\\ b \"\" 'unterminated";
	assert_int_equal(rt_args_split(esc, argv, 3), 3);
	assert_string_equal(argv[1], "a b");
	assert_string_equal(argv[2], "");
	char rest[] = "'unterminated runs on";
	assert_int_equal(rt_args_split(rest, argv, 3), 1);
	assert_string_equal(argv[0], "unterminated runs on");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_quotes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
