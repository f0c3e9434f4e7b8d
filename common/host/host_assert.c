// SPDX-License-Identifier: MIT
// Assertion hook for host tools: report and abort.
#include <isola/assert.h>
#include <stdio.h>
#include <stdlib.h>

void isola_assert_fail(const char *expr, const char *file, int line,
		       const char *func)
{
	fprintf(stderr, "%s:%d: %s: internal error: assertion '%s' failed\n",
		file, line, func, expr);
	abort();
}
