// SPDX-License-Identifier: MIT
// String and memory functions. There is no strcpy, strcat or strncpy:
// use strlcpy/strlcat, which always terminate and return the length they
// needed (>= size means the result was cut).
#ifndef _STRING_H
#define _STRING_H

#include <stddef.h>
#include <sip/cdefs.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
SIP_NULLABLE void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
SIP_NULLABLE char *strchr(const char *s, int c);
SIP_NULLABLE char *strrchr(const char *s, int c);
SIP_NULLABLE char *strstr(const char *hay, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcat(char *dst, const char *src, size_t size);
// Copies into memory from malloc; null when it is exhausted.
SIP_NULLABLE char *strdup(const char *s) ISOLA_MUST_CHECK;
SIP_NULLABLE char *strndup(const char *s, size_t max) ISOLA_MUST_CHECK;
// s is null to continue after the previous token; *save keeps the place.
SIP_NULLABLE char *strtok_r(SIP_NULLABLE char *s, const char *delim, char **save);

#endif
