// SPDX-License-Identifier: MIT
// Formatted output. stdout is the console service (docs/libsip.md): text
// is buffered and sent at each newline, when the buffer is full, at
// sip_flush() (sip/sip.h) and at exit. There are no FILE streams.
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <sip/cdefs.h>

#define EOF (-1)

// Return the number of characters written (or that would have been).
SIP_PRINTF_LIKE(1, 2) int printf(const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
SIP_PRINTF_LIKE(3, 4) int snprintf(SIP_NULLABLE char *buf, size_t size, const char *fmt, ...);
int vsnprintf(SIP_NULLABLE char *buf, size_t size, const char *fmt, va_list ap);
// Writes s and a newline; returns 0.
int puts(const char *s);
// Returns c as an unsigned char.
int putchar(int c);

#endif
