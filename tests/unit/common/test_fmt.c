// SPDX-License-Identifier: MIT
// isola_snprintf against the C library's snprintf on a table of formats.
#include <isola/fmt.h>
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#pragma clang diagnostic ignored "-Wformat-security"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define CHECK(fmt, ...)                                                        \
	do {                                                                   \
		char a[128], b[128];                                           \
		int na = isola_snprintf(a, sizeof(a), fmt, __VA_ARGS__);       \
		int nb = snprintf(b, sizeof(b), fmt, __VA_ARGS__);             \
		assert_string_equal(a, b);                                     \
		assert_int_equal(na, nb);                                      \
	} while (0)

static void test_integers(void **state)
{
	(void)state;
	CHECK("%d %i %u", 0, -1, 4000000000u);
	CHECK("%d", INT32_MIN);
	CHECK("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
	CHECK("%lld %llx", -5ll, 0xdeadbeefcafeull);
	CHECK("%zu %zx", (size_t)12345, (size_t)0xabc);
	CHECK("%hhd %hd", (signed char)-3, (short)-300);
	CHECK("%x %X %o", 255u, 255u, 8u);
	CHECK("%#x %#X", 255u, 0u);
}

static void test_width_precision_flags(void **state)
{
	(void)state;
	CHECK("[%5d] [%-5d] [%05d]", 42, 42, 42);
	CHECK("[%5lu.%06lu]", 0ul, 1234ul);
	CHECK("[%+d] [% d] [%+d]", 5, 5, -5);
	CHECK("[%.3d] [%8.3d] [%-8.3d]", 7, 7, -7);
	CHECK("[%.0d]", 0);
	CHECK("[%*d] [%-*d]", 6, 1, 6, 1);
	CHECK("[%016lx]", 0x1234ul);
	CHECK("[%08d]", -42);
}

static void test_strings_and_chars(void **state)
{
	(void)state;
	CHECK("[%s] [%10s] [%-10s]", "abc", "abc", "abc");
	CHECK("[%.2s] [%.*s]", "abcdef", 3, "abcdef");
	CHECK("[%c%c] 100%%", 'o', 'k');
	CHECK("%p", (void *)0x1000);
}

static void test_truncation(void **state)
{
	(void)state;
	char buf[8];
	int n = isola_snprintf(buf, sizeof(buf), "%s", "0123456789");
	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");
	n = isola_snprintf(buf, 0, "%d", 12345);
	assert_int_equal(n, 5);
	n = isola_snprintf(buf, 1, "%d", 12345);
	assert_string_equal(buf, "");
}

static void test_null_string_and_unknown(void **state)
{
	(void)state;
	char buf[32];
	isola_snprintf(buf, sizeof(buf), "%s", (const char *)NULL);
	assert_string_equal(buf, "(null)");
	// An unknown conversion is printed visibly, not silently dropped.
	const char *fmt = "a%qb"; // not a literal: keeps -Wformat out of it
	isola_snprintf(buf, sizeof(buf), fmt, 0);
	assert_string_equal(buf, "a%?b");
}

// Appending keeps the full length even past the end, cuts what does not
// fit, and never writes beyond the buffer (ASan watches).
static void test_appendf(void **state)
{
	(void)state;
	char buf[8];
	size_t n = 0;
	isola_appendf(buf, sizeof(buf), &n, "abc");
	isola_appendf(buf, sizeof(buf), &n, "%d", 1234);
	assert_int_equal(n, 7);
	assert_string_equal(buf, "abc1234");
	isola_appendf(buf, sizeof(buf), &n, "xyz");
	assert_int_equal(n, 10);
	assert_string_equal(buf, "abc1234");
	isola_appendf(buf, sizeof(buf), &n, "more");
	assert_int_equal(n, 14);
	assert_string_equal(buf, "abc1234");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_width_precision_flags),
		cmocka_unit_test(test_strings_and_chars),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_null_string_and_unknown),
		cmocka_unit_test(test_appendf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
