// SPDX-License-Identifier: MIT
// String and memory functions and ctype against the host's, plus the
// argument splitter used by _start.
#include "rt.h"
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_mem(void **state)
{
	unsigned char a[64], b[64];

	(void)state;
	for (int i = 0; i < 64; i++)
		a[i] = (unsigned char)(i * 7);
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n < 40; n++) {
			memset(b, 0, sizeof(b));
			rt_memcpy(b + off, a + (7 - off), n);
			assert_memory_equal(b + off, a + (7 - off), n);
		}
	// Overlap both ways.
	rt_memcpy(b, a, 64);
	rt_memmove(b + 3, b, 50);
	assert_memory_equal(b + 3, a, 50);
	rt_memcpy(b, a, 64);
	rt_memmove(b, b + 5, 50);
	assert_memory_equal(b, a + 5, 50);
	rt_memset(b, 0xab, 10);
	assert_int_equal(b[9], 0xab);
	assert_int_equal(sign(rt_memcmp("abc", "abd", 3)), -1);
	assert_int_equal(sign(rt_memcmp("\xff", "\x01", 1)), 1);
	assert_int_equal(rt_memcmp("abc", "abd", 2), 0);
	assert_ptr_equal(rt_memchr(a, 14, 64), a + 2);
	assert_null(rt_memchr(a, 14, 2));
}

static void test_str(void **state)
{
	static const char *const words[] = { "", "a", "ab", "abc", "b", "\x80", "abcd" };
	char buf[8];

	(void)state;
	for (size_t i = 0; i < 7; i++)
		for (size_t j = 0; j < 7; j++) {
			assert_int_equal(sign(rt_strcmp(words[i], words[j])),
					 sign(strcmp(words[i], words[j])));
			assert_int_equal(sign(rt_strncmp(words[i], words[j], 2)),
					 sign(strncmp(words[i], words[j], 2)));
			assert_ptr_equal(rt_strstr(words[i], words[j]), strstr(words[i], words[j]));
		}
	assert_int_equal(rt_strlen("hello"), 5);
	assert_int_equal(rt_strnlen("hello", 3), 3);
	assert_ptr_equal(rt_strchr("hello", 'l'), strchr("hello", 'l'));
	const char *h = "hello";
	assert_ptr_equal(rt_strchr(h, '\0'), h + 5);
	assert_ptr_equal(rt_strrchr(h, 'l'), h + 3);
	assert_null(rt_strrchr(h, 'z'));
	assert_int_equal(rt_strspn("aabbc", "ab"), 4);
	assert_int_equal(rt_strcspn("aabbc", "c"), 4);
	assert_int_equal(rt_strlcpy(buf, "truncated!", sizeof(buf)), 10);
	assert_string_equal(buf, "truncat");
	assert_int_equal(rt_strlcpy(buf, "ab", sizeof(buf)), 2);
	assert_int_equal(rt_strlcat(buf, "cd", sizeof(buf)), 4);
	assert_string_equal(buf, "abcd");
	assert_int_equal(rt_strlcat(buf, "efghij", sizeof(buf)), 10);
	assert_string_equal(buf, "abcdefg");
	assert_int_equal(rt_strlcat(buf, "x", 3), 3 + 1);
}

static void test_strtok_and_args(void **state)
{
	char line[] = "  ls  -l /svc ";
	char *argv[4], *save = NULL;
	char s[] = ",a,,b,";

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
	assert_string_equal(rt_strtok_r(s, ",", &save), "a");
	assert_string_equal(rt_strtok_r(NULL, ",", &save), "b");
	assert_null(rt_strtok_r(NULL, ",", &save));
	assert_null(rt_strtok_r(NULL, ",", &save));
}

static void test_ctype(void **state)
{
	(void)state;
	for (int c = -1; c < 256; c++) {
		assert_int_equal(!!rt_isalpha(c), !!isalpha(c));
		assert_int_equal(!!rt_isdigit(c), !!isdigit(c));
		assert_int_equal(!!rt_isalnum(c), !!isalnum(c));
		assert_int_equal(!!rt_isxdigit(c), !!isxdigit(c));
		assert_int_equal(!!rt_isspace(c), !!isspace(c));
		assert_int_equal(!!rt_isupper(c), !!isupper(c));
		assert_int_equal(!!rt_islower(c), !!islower(c));
		assert_int_equal(!!rt_isprint(c), !!isprint(c));
		assert_int_equal(!!rt_isgraph(c), !!isgraph(c));
		assert_int_equal(!!rt_ispunct(c), !!ispunct(c));
		assert_int_equal(!!rt_iscntrl(c), !!iscntrl(c));
		assert_int_equal(!!rt_isblank(c), !!isblank(c));
		assert_int_equal(rt_tolower(c), tolower(c));
		assert_int_equal(rt_toupper(c), toupper(c));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_strtok_and_args),
		cmocka_unit_test(test_ctype),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
