// SPDX-License-Identifier: MIT
// Formatted output into a buffer, the same in the kernel, tools and tests.
// Supports %d %i %u %x %X %o %c %s %p %%, flags '-' '0' ' ' '+', width and
// precision (also '*'), and the length modifiers hh h l ll z t j.
// No floating point: the kernel does not use the FPU outside SIP code.
#ifndef ISOLA_FMT_H
#define ISOLA_FMT_H

#include <isola/compiler.h>
#include <stdarg.h>
#include <stddef.h>

// Writes at most size-1 characters and a terminating NUL (if size > 0).
// Returns the length the full output would have had, like C's vsnprintf.
int isola_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int isola_snprintf(char *buf, size_t size, const char *fmt, ...) ISOLA_PRINTF(3, 4);

// Appends to a report being built in buf[0 .. size): formats at buf +
// *used with what room is left and adds the full length to *used, so a
// report that does not fit is cut, and *used still says how long it is.
void isola_appendf(char *buf, size_t size, size_t *used, const char *fmt, ...)
	ISOLA_PRINTF(4, 5);

// A sink that receives formatted text in pieces; used by the kernel log.
typedef void (*isola_fmt_sink_fn)(void *ctx, const char *s, size_t n);
int isola_vformat(isola_fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);

#endif
