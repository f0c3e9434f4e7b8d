// SPDX-License-Identifier: MIT
// assert(): on failure prints "assertion failed: EXPR (file:line)" and
// ends the SIP with status 134 through isola_exit (no trap). NDEBUG turns
// it off.
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#include <sip/cdefs.h>
SIP_NORETURN void sip_assert_failed(const char *expr, const char *file, int line);
#define assert(e) ((e) ? (void)0 : sip_assert_failed(#e, __FILE__, __LINE__))
#endif

#ifndef _ASSERT_H
#define _ASSERT_H
#define static_assert _Static_assert
#endif
