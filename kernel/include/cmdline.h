// SPDX-License-Identifier: MIT
// Kernel command-line parsing: space-separated `key` or `key=value`
// tokens; a value may be double-quoted to hold spaces. Portable and
// host-tested; the kernel decides which keys it knows (kernel/main.c).
#ifndef ISOLA_CMDLINE_H
#define ISOLA_CMDLINE_H

#include <isola/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMDLINE_MAX_OPTS 32
#define CMDLINE_KEY_MAX 32
#define CMDLINE_VALUE_MAX 256

struct cmdline_opt {
	char key[CMDLINE_KEY_MAX];
	char value[CMDLINE_VALUE_MAX];
	bool has_value;
	bool used; // set by the getters; unused keys are reported as unknown
};

struct cmdline {
	struct cmdline_opt opts[CMDLINE_MAX_OPTS];
	size_t n;
};

// Parses s. On a syntax error returns ERR_CMDLINE_SYNTAX and writes the
// byte offset of the problem to *err_pos; the options before it are kept.
ISOLA_MUST_CHECK isola_err_t cmdline_parse(const char *s, struct cmdline *cl,
					   size_t *err_pos);

// The value of the last occurrence of key ("" for a bare key), or NULL.
const char *cmdline_get(struct cmdline *cl, const char *key);

// Reads key as an unsigned decimal number in [min, max]. ERR_NOTFOUND if
// absent (*out untouched), ERR_CMDLINE_VALUE if malformed or out of range.
ISOLA_MUST_CHECK isola_err_t cmdline_get_uint(struct cmdline *cl,
					      const char *key, uint64_t min,
					      uint64_t max, uint64_t *out);

// The first option no getter asked for, starting after *cursor (pass 0
// first); NULL when there are no more.
const struct cmdline_opt *cmdline_next_unused(const struct cmdline *cl,
					      size_t *cursor);

#endif
