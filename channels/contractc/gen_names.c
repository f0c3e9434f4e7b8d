// SPDX-License-Identifier: MIT
// The emitter the header writer uses, and the check that no two generated
// C names collide (ERR_CONTRACT_NAME_CLASH): struct/enum tags and ordinary
// identifiers are separate C namespaces and are checked separately.
#include "gen.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void gen_emit(struct gen *g, const char *fmt, ...)
{
	if (!g->out)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(g->out, fmt, ap);
	va_end(ap);
}

void gen_declare(struct gen *g, enum gen_ns ns, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	if (g->out)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	struct gen_name *n = cc_push(&g->names, &g->nnames, sizeof(*n));
	n->ns = ns;
	n->s = cc_strndup(buf, strlen(buf));
}

const char *gen_upper(struct gen *g, const char *s)
{
	size_t i;
	for (i = 0; s[i] && i + 1 < sizeof(g->up); i++)
		g->up[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
	g->up[i] = 0;
	return g->up;
}

void gen_ep_name(const struct cc_contract *c, int side, int state, char *buf, size_t n)
{
	const char *sd = side == CONTRACT_IMP ? "imp" : "exp";
	if (state < 0 || c->nstates == 0)
		snprintf(buf, n, "%s_%s", c->name, sd);
	else
		snprintf(buf, n, "%s_%s_%s", c->name, sd, c->states[state].name);
}

static int cmp_names(const void *a, const void *b)
{
	const struct gen_name *x = a, *y = b;
	if (x->ns != y->ns)
		return (int)x->ns - (int)y->ns;
	return strcmp(x->s, y->s);
}

void cc_check_names(struct cc_ctx *cx, struct cc_file *f)
{
	for (size_t i = 0; i < f->ncontracts; i++) {
		struct gen g = { .f = f, .c = &f->contracts[i] };
		gen_header(&g);
		qsort(g.names, g.nnames, sizeof(*g.names), cmp_names);
		for (size_t k = 1; k < g.nnames; k++) {
			if (cmp_names(&g.names[k - 1], &g.names[k]) == 0) {
				cc_error(cx, g.c->pos, ERR_CONTRACT_NAME_CLASH,
					 "generated C name '%s' is declared twice; rename a message, state or struct",
					 g.names[k].s);
				break;
			}
		}
		for (size_t k = 0; k < g.nnames; k++)
			free(g.names[k].s);
		free(g.names);
	}
}

void gen_reline(struct gen *g)
{
	const char *p = g->f->line_file;

	if (!p || !g->out || g->at.line <= 0)
		return;
	gen_emit(g, "#line %d \"", g->at.line);
	for (; *p; p++)
		gen_emit(g, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
	gen_emit(g, "\"\n");
}

void gen_line(struct gen *g, struct cc_pos pos)
{
	g->at = pos;
	gen_reline(g);
}
