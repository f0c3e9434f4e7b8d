// SPDX-License-Identifier: MIT
// wasi-libc's <string.h>, with the checked-C annotations (sip/cdefs.h) on
// the functions that may return null. Prefer strlcpy/strlcat, which
// always terminate and return the length they needed (>= size means the
// result was cut), to strcpy, strcat and strncpy.
#ifndef SIP_STRING_H
#define SIP_STRING_H

#include_next <string.h>
#include <sip/cdefs.h>

SIP_NULLABLE void *memchr(const void *s, int c, size_t n);
SIP_NULLABLE char *strchr(const char *s, int c);
SIP_NULLABLE char *strrchr(const char *s, int c);
SIP_NULLABLE char *strstr(const char *hay, const char *needle);
SIP_NULLABLE char *strpbrk(const char *s, const char *accept);
// Copies into memory from malloc; null when it is exhausted.
SIP_NULLABLE char *strdup(const char *s) ISOLA_MUST_CHECK;
SIP_NULLABLE char *strndup(const char *s, size_t max) ISOLA_MUST_CHECK;
// s is null to continue after the previous token; *save keeps the place.
SIP_NULLABLE char *strtok_r(SIP_NULLABLE char *s, const char *delim, char **save);

#endif
