// SPDX-License-Identifier: MIT
// Assertions for the project's own invariants (never for untrusted input,
// which always gets an error code). Each environment supplies the hook:
// the kernel panics, a SIP traps, host tests call cmocka's mock_assert,
// host tools print and abort.
#ifndef ISOLA_ASSERT_H
#define ISOLA_ASSERT_H

#include <isola/compiler.h>

// Called when an assertion fails. Must not return in the kernel or tools;
// under cmocka it longjmps back into the test.
void isola_assert_fail(const char *expr, const char *file, int line,
		       const char *func);

#define ISOLA_ASSERT(cond)                                                     \
	((cond) ? (void)0                                                      \
		: isola_assert_fail(#cond, __FILE__, __LINE__, __func__))

#endif
