// SPDX-License-Identifier: MIT
// rt_strtoll/rt_strtoull against the host's strtoll/strtoull: values, end
// positions and overflow on a table of inputs and every base.
#include "rt.h"
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const char *const inputs[] = {
	"0", "1", "-1", "+1", "  42", "\t\n-17xyz", "0x1f", "0X1F", "0x", "0xg", "017", "08", "09",
	"z", "Zz", "101", "-0x8000000000000000", "0x7fffffffffffffff", "0x8000000000000000",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"99999999999999999999999", "-18446744073709551615", "-", "+", "", "   ", "0b101", "1e5",
	"-0", "000000000000000000000000000000001", "zzzzzzzzzzzzzzzzzzzz", "0x0x1",
};

static void check_one(const char *s, int base)
{
	char *e1 = NULL, *e2 = NULL;
	bool over = false;

	errno = 0;
	long long want = strtoll(s, &e2, base);
	bool want_over = errno == ERANGE;
	long long got = rt_strtoll(s, &e1, base, &over);

	if (got != want || e1 != e2 || over != want_over)
		fail_msg("strtoll('%s', %d): got %lld end %td over %d, want %lld end %td over %d", s,
			 base, got, e1 - s, over, want, e2 - s, want_over);
	errno = 0;
	unsigned long long uwant = strtoull(s, &e2, base);
	want_over = errno == ERANGE;
	unsigned long long ugot = rt_strtoull(s, &e1, base, &over);

	if (ugot != uwant || e1 != e2 || over != want_over)
		fail_msg("strtoull('%s', %d): got %llu end %td, want %llu end %td", s, base, ugot,
			 e1 - s, uwant, e2 - s);
}

static void test_against_host(void **state)
{
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
			check_one(inputs[i], bases[b]);
	for (int b = 2; b <= 36; b++)
		check_one("1234567890abcdefghijklmnopqrstuvwxyz", b);
}

static void test_bad_base(void **state)
{
	const char *s = "123";
	char *end = NULL;

	(void)state;
	assert_int_equal(rt_strtoll(s, &end, 1, NULL), 0);
	assert_ptr_equal(end, s);
	assert_int_equal(rt_strtoull(s, &end, 37, NULL), 0);
	assert_ptr_equal(end, s);
	assert_int_equal(rt_strtoll(s, NULL, -2, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_host),
		cmocka_unit_test(test_bad_base),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
