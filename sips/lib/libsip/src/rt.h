// SPDX-License-Identifier: MIT
// libsip's portable core: the parts that are plain C and are compiled both
// for wasm32 (into libsip.a) and for the host (unit tests, fuzzing). They
// carry the rt_ prefix so that the host build does not clash with the
// host's C library; libc.c gives them their standard names on wasm32.
#ifndef RT_H
#define RT_H

#include <isola/compiler.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// mem.c, str.c
void *rt_memcpy(void *dst, const void *src, size_t n);
void *rt_memmove(void *dst, const void *src, size_t n);
void *rt_memset(void *dst, int c, size_t n);
int rt_memcmp(const void *a, const void *b, size_t n);
void *rt_memchr(const void *s, int c, size_t n);
size_t rt_strlen(const char *s);
size_t rt_strnlen(const char *s, size_t max);
int rt_strcmp(const char *a, const char *b);
int rt_strncmp(const char *a, const char *b, size_t n);
char *rt_strchr(const char *s, int c);
char *rt_strrchr(const char *s, int c);
size_t rt_strlcpy(char *dst, const char *src, size_t size);
size_t rt_strlcat(char *dst, const char *src, size_t size);
char *rt_strstr(const char *hay, const char *needle);
size_t rt_strspn(const char *s, const char *accept);
size_t rt_strcspn(const char *s, const char *reject);
char *rt_strtok_r(char *s, const char *delim, char **save);

// ctype.c: the "C" locale, ASCII only; c is an unsigned char value or EOF.
int rt_isalpha(int c);
int rt_isdigit(int c);
int rt_isalnum(int c);
int rt_isxdigit(int c);
int rt_isspace(int c);
int rt_isupper(int c);
int rt_islower(int c);
int rt_isprint(int c);
int rt_isgraph(int c);
int rt_ispunct(int c);
int rt_iscntrl(int c);
int rt_isblank(int c);
int rt_tolower(int c);
int rt_toupper(int c);

// strtol.c: C semantics (base 0 or 2..36, endptr, saturation). Instead of
// errno, *overflow (if not null) is set to true on a range error.
unsigned long long rt_strtoull(const char *s, char **end, int base, bool *overflow);
long long rt_strtoll(const char *s, char **end, int base, bool *overflow);

// sort.c
typedef int (*rt_cmp_fn)(const void *a, const void *b);
void rt_qsort(void *base, size_t n, size_t size, rt_cmp_fn cmp);
void *rt_bsearch(const void *key, const void *base, size_t n, size_t size, rt_cmp_fn cmp);

// fmt.c: the printf engine. The sink receives the output in pieces.
typedef void (*rt_sink_fn)(void *ctx, const char *s, size_t n);
int rt_vformat(rt_sink_fn sink, void *ctx, const char *fmt, va_list ap);
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

// args.c: splits line in place on spaces into at most max words, with
// double and single quotes and backslash escapes; returns the count.
// argv[count] is set to NULL (argv holds max + 1 slots).
int rt_args_split(char *line, char **argv, int max);

// heap.c: malloc over memory obtained from `more`, which returns a fresh
// region of at least want bytes (its size in *got) or NULL. Regions need
// not be contiguous; adjacent ones are merged. `corrupt` is called (and
// must not return) when free() or realloc() gets a pointer the heap did
// not hand out or already freed.
#define RT_HEAP_CLASSES 8 // 16, 32, ... 2048 bytes
struct rt_free;
struct rt_heap {
	void *(*more)(size_t want, size_t *got);
	void (*corrupt)(const char *what);
	struct rt_free *large;                 // free blocks, by address
	struct rt_free *small[RT_HEAP_CLASSES]; // free blocks of one class
};
void *rt_heap_alloc(struct rt_heap *h, size_t n) ISOLA_MUST_CHECK;
void *rt_heap_calloc(struct rt_heap *h, size_t n, size_t size) ISOLA_MUST_CHECK;
void *rt_heap_realloc(struct rt_heap *h, void *p, size_t n) ISOLA_MUST_CHECK;
void rt_heap_free(struct rt_heap *h, void *p);
// The usable size of an allocated block.
size_t rt_heap_usable(const void *p);

#endif
