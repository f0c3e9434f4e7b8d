// SPDX-License-Identifier: MIT
// Memory allocation, number parsing, sorting and ending the SIP. malloc
// takes memory from the SIP's linear memory (memory.grow), up to the
// manifest's `memory` limit; it returns null when that is reached.
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>
#include <sip/cdefs.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void *malloc(size_t n) ISOLA_MUST_CHECK;
void *calloc(size_t n, size_t size) ISOLA_MUST_CHECK;
void *realloc(SIP_NULLABLE void *p, size_t n) ISOLA_MUST_CHECK;
void free(SIP_NULLABLE void *p);

// C's rules: base 0 or 2..36, *end after the number, saturation on
// overflow with errno set to ERANGE.
long strtol(const char *s, SIP_NULLABLE char **end, int base);
unsigned long strtoul(const char *s, SIP_NULLABLE char **end, int base);
long long strtoll(const char *s, SIP_NULLABLE char **end, int base);
unsigned long long strtoull(const char *s, SIP_NULLABLE char **end, int base);
int atoi(const char *s);
long atol(const char *s);

int abs(int v);
long labs(long v);
long long llabs(long long v);

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
SIP_NULLABLE void *bsearch(const void *key, const void *base, size_t n, size_t size,
			   int (*cmp)(const void *, const void *));

// Flushes stdout and ends the SIP with status code.
SIP_NORETURN void exit(int code);
// Ends the SIP at once with status 134, without flushing.
SIP_NORETURN void abort(void);

#endif
