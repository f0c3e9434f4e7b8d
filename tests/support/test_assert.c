// SPDX-License-Identifier: MIT
// Assertion hook for cmocka tests: hand the failure to mock_assert, so a
// test can use expect_assert_failure() and an unexpected one fails the test.
#include <isola/assert.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

void isola_assert_fail(const char *expr, const char *file, int line,
		       const char *func)
{
	(void)func;
	mock_assert(0, expr, file, line);
}
