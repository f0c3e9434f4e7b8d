// SPDX-License-Identifier: MIT
// wasi-libc's <stdlib.h>, with the checked-C annotations (sip/cdefs.h).
// malloc takes memory from the SIP's linear memory (memory.grow), up to
// the manifest's `memory` limit; it returns null when that is reached.
// abort() ends the SIP with status 136 (SIP_EXIT_ABORT, sip/sip.h).
#ifndef SIP_STDLIB_H
#define SIP_STDLIB_H

#include_next <stdlib.h>
#include <sip/cdefs.h>

void *malloc(size_t n) ISOLA_MUST_CHECK;
void *calloc(size_t n, size_t size) ISOLA_MUST_CHECK;
void *realloc(SIP_NULLABLE void *p, size_t n) ISOLA_MUST_CHECK;
void free(SIP_NULLABLE void *p);

long strtol(const char *s, SIP_NULLABLE char **end, int base);
unsigned long strtoul(const char *s, SIP_NULLABLE char **end, int base);
long long strtoll(const char *s, SIP_NULLABLE char **end, int base);
unsigned long long strtoull(const char *s, SIP_NULLABLE char **end, int base);
double strtod(const char *s, SIP_NULLABLE char **end);

SIP_NULLABLE void *bsearch(const void *key, const void *base, size_t n, size_t size,
			   int (*cmp)(const void *, const void *));
SIP_NULLABLE char *getenv(const char *name);

#endif
