// SPDX-License-Identifier: MIT
// rt_vsnprintf against the host's snprintf on a table of formats and
// values, plus truncation, the return value and what the host lacks.
#include "rt.h"
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#pragma clang diagnostic ignored "-Wformat-security"
#pragma clang diagnostic ignored "-Wformat"
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define CHECK(fmt, ...)                                                        \
	do {                                                                   \
		char a[256], b[256];                                           \
		int na = rt_snprintf(a, sizeof(a), fmt, __VA_ARGS__);          \
		int nb = snprintf(b, sizeof(b), fmt, __VA_ARGS__);             \
		if (strcmp(a, b) != 0 || na != nb)                             \
			fail_msg("%s: got '%s' (%d), want '%s' (%d)", fmt, a, na, b, nb); \
	} while (0)

static const char *const int_flags[] = { "", "-", "0", "+", " ", "#", "-0", "+0", "-+", "#0", "- ", "#-" };
static const char *const widths[] = { "", "1", "5", "12", "*" };
static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".15", ".*" };

// Every combination of flags, width and precision for one conversion.
static void check_int_matrix(const char *len, char conv, long long sv, unsigned long long uv)
{
	for (size_t f = 0; f < sizeof(int_flags) / sizeof(int_flags[0]); f++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (size_t p = 0; p < sizeof(precs) / sizeof(precs[0]); p++) {
				char fmt[32];
				bool sw = widths[w][0] == '*', sp = precs[p][0] && precs[p][1] == '*';

				snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", int_flags[f], widths[w],
					 precs[p], len, conv);
				bool sgn = conv == 'd' || conv == 'i';

				if (len[0] == 'l' && len[1] == 'l') {
					if (sw && sp)
						CHECK(fmt, 7, 3, sgn ? sv : (long long)uv);
					else if (sw || sp)
						CHECK(fmt, sw ? -9 : -1, sgn ? sv : (long long)uv);
					else
						CHECK(fmt, sgn ? sv : (long long)uv);
				} else {
					int v = sgn ? (int)sv : (int)(unsigned)uv;

					if (sw && sp)
						CHECK(fmt, 7, 3, v);
					else if (sw || sp)
						CHECK(fmt, sw ? -9 : 2, v);
					else
						CHECK(fmt, v);
				}
			}
}

static void test_int_matrix(void **state)
{
	static const long long values[] = { 0, 1, -1, 7, 42, -42, 255, 4096, INT_MAX, INT_MIN, 123456789 };

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		const char *convs = "diuxXo";

		for (const char *c = convs; *c; c++) {
			check_int_matrix("", *c, values[i], (unsigned long long)values[i]);
			check_int_matrix("ll", *c, values[i] * 1000003LL,
					 (unsigned long long)values[i] * 1000003ULL);
		}
	}
}

static void test_lengths(void **state)
{
	(void)state;
	CHECK("%hhd %hhu %hhx", 300, 300, -1);
	CHECK("%hd %hu %hx", 70000, 70000, -1);
	CHECK("%ld %lu %lx", -5L, 5UL, 0xdeadbeefUL);
	CHECK("%lld %llu %llx", LLONG_MIN, ULLONG_MAX, ULLONG_MAX);
	CHECK("%zu %zd %zx", (size_t)12345, (ptrdiff_t)-3, SIZE_MAX);
	CHECK("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
	CHECK("%td %tx", (ptrdiff_t)-77, (ptrdiff_t)77);
	CHECK("%i|%5i|%-5i|", 3, -3, 33);
}

static void test_strings_chars(void **state)
{
	(void)state;
	CHECK("%s|%10s|%-10s|%.2s|%10.3s|%-*s|", "abc", "abc", "abc", "abc", "abcdef", 6, "xy");
	CHECK("%c%c%5c%-5c|", 'a', 'b', 'c', 'd');
	CHECK("%s", "");
	CHECK("%.0s|%.*s|", "abc", 2, "hello");
	CHECK("%%|%c%%", 'z');
	CHECK("no conversions %s", "");
	CHECK("%p %20p %-20p|", (void *)&state, (void *)0x1234, (void *)0xff);
}

static void test_floats(void **state)
{
	static const double values[] = { 0.0, 1.0, -1.0, 3.14159, 2.5e-3, 123456.789, -0.001,
					 1e10, 42.0626, 0.3, 99.99 };
	static const char *const fmts[] = { "%f", "%.0f", "%.2f", "%10.3f", "%-10.1f|", "%+f",
					    "% .4f", "%010.2f", "%#.0f", "%F", "%.9f" };

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		for (size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++)
			CHECK(fmts[f], values[i]);
	CHECK("%f %F %5f %-5f|", __builtin_inf(), -__builtin_inf(), __builtin_nan(""), __builtin_inf());
}

static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(rt_snprintf(buf, sizeof(buf), "%s-%d", "hello", 12345), 11);
	assert_string_equal(buf, "hello-1");
	assert_int_equal(rt_snprintf(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
	buf[0] = 'q';
	assert_int_equal(rt_snprintf(NULL, 0, "%d", 1000), 4);
	assert_int_equal(rt_snprintf(buf, 0, "%d", 1000), 4);
	assert_int_equal(buf[0], 'q');
}

static void test_unknown_and_edges(void **state)
{
	char buf[64];

	(void)state;
	// Unknown conversions and %n are copied out; nothing is read for them.
	assert_int_equal(rt_snprintf(buf, sizeof(buf), "a%qb%d", 5), 5);
	assert_string_equal(buf, "a%qb5");
	rt_snprintf(buf, sizeof(buf), "%n%d", 9);
	assert_string_equal(buf, "%n9");
	rt_snprintf(buf, sizeof(buf), "end%");
	assert_string_equal(buf, "end%");
	rt_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
	assert_string_equal(buf, "(null)");
	rt_snprintf(buf, sizeof(buf), "%p", (void *)0);
	assert_string_equal(buf, "0x0");
	rt_snprintf(buf, sizeof(buf), "%99999999999d|", 1);
	assert_true(strlen(buf) == 0 || buf[0] == ' ');
	assert_int_equal(rt_snprintf(buf, sizeof(buf), "%300d", 1), 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_matrix),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_strings_chars),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_unknown_and_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
