// SPDX-License-Identifier: MIT
// Diagnostics (`file:line:col: error: message`), growable arrays and the
// scalar type table shared by contractc's passes.
#include "cc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void add(struct cc_ctx *cx, struct cc_pos pos, isola_err_t err,
		const char *fmt, va_list ap)
{
	struct cc_diag *d = cc_push(&cx->diags, &cx->ndiags, sizeof(*d));
	d->err = err;
	d->pos = pos;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	if (err != ERR_OK)
		cx->nerrors++;
}

void cc_error(struct cc_ctx *cx, struct cc_pos pos, isola_err_t err,
	      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(cx, pos, err, fmt, ap);
	va_end(ap);
}

void cc_warning(struct cc_ctx *cx, struct cc_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(cx, pos, ERR_OK, fmt, ap);
	va_end(ap);
}

void cc_print_diags(const struct cc_ctx *cx, FILE *f)
{
	for (size_t i = 0; i < cx->ndiags; i++) {
		const struct cc_diag *d = &cx->diags[i];
		const char *file = d->pos.file ? d->pos.file : cx->path;
		fprintf(f, "%s:%d:%d: %s: %s\n", file ? file : "<input>",
			d->pos.line, d->pos.col,
			d->err == ERR_OK ? "warning" : "error", d->msg);
	}
}

void cc_ctx_free(struct cc_ctx *cx)
{
	for (size_t i = 0; i < cx->nfiles; i++)
		free(cx->files[i]);
	free(cx->files);
	cx->files = NULL;
	cx->nfiles = 0;
	free(cx->diags);
	cx->diags = NULL;
	cx->ndiags = cx->nerrors = 0;
}

isola_err_t cc_first_error(const struct cc_ctx *cx)
{
	for (size_t i = 0; i < cx->ndiags; i++)
		if (cx->diags[i].err != ERR_OK)
			return cx->diags[i].err;
	return ERR_OK;
}

// Arrays grow by doubling; the capacity is implied by n (powers of two).
void *cc_push(void *arrp, size_t *n, size_t elem)
{
	char **arr = arrp;
	size_t cap = 4;
	while (cap < *n)
		cap *= 2;
	if (*n == 0 || *n == cap) {
		size_t ncap = *n == 0 ? 4 : cap * 2;
		char *p = realloc(*arr, ncap * elem);
		if (!p) {
			fprintf(stderr, "contractc: out of memory\n");
			exit(1);
		}
		*arr = p;
	}
	char *e = *arr + *n * elem;
	memset(e, 0, elem);
	(*n)++;
	return e;
}

char *cc_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p) {
		fprintf(stderr, "contractc: out of memory\n");
		exit(1);
	}
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

static const struct {
	const char *name, *c;
} scalars[] = {
	[CONTRACT_BOOL] = { "bool", "bool" },
	[CONTRACT_I8] = { "int8", "int8_t" },
	[CONTRACT_U8] = { "uint8", "uint8_t" },
	[CONTRACT_I16] = { "int16", "int16_t" },
	[CONTRACT_U16] = { "uint16", "uint16_t" },
	[CONTRACT_I32] = { "int32", "int32_t" },
	[CONTRACT_U32] = { "uint32", "uint32_t" },
	[CONTRACT_I64] = { "int64", "int64_t" },
	[CONTRACT_U64] = { "uint64", "uint64_t" },
	[CONTRACT_F32] = { "float32", "float" },
	[CONTRACT_F64] = { "float64", "double" },
};

const char *cc_scalar_c(uint8_t s)
{
	return s >= CONTRACT_BOOL && s <= CONTRACT_SCALAR_LAST ? scalars[s].c : "?";
}

const char *cc_scalar_name(uint8_t s)
{
	return s >= CONTRACT_BOOL && s <= CONTRACT_SCALAR_LAST ? scalars[s].name : "?";
}

int cc_scalar_lookup(const char *name, size_t len)
{
	for (int s = CONTRACT_BOOL; s <= CONTRACT_SCALAR_LAST; s++)
		if (strlen(scalars[s].name) == len && !memcmp(scalars[s].name, name, len))
			return s;
	return 0;
}
