// SPDX-License-Identifier: MIT
// contractc's parser: recursive descent over the grammar in
// docs/contracts.md, one token of lookahead. It stops at the first syntax
// error (the rest of the file would only produce noise) and keeps the tree
// built so far, which the driver then discards.
#include "cc.h"

#include <stdlib.h>
#include <string.h>

#define CC_MAX_IMPORT_DEPTH 8

struct parser {
	struct cc_ctx *cx;
	struct cc_lexer lx;
	struct cc_tok tok;
	bool failed;
	bool imported; // contracts parsed here are imported ones
	int depth;
};

static struct cc_pos parse_source(struct cc_ctx *cx, struct cc_file *f,
				  const char *src, size_t len, const char *file,
				  int depth);

static void next(struct parser *p)
{
	p->tok = cc_lex_next(&p->lx);
	if (p->tok.kind == CC_T_BAD && !p->failed) {
		cc_error(p->cx, p->tok.pos, ERR_CONTRACT_LEX, "invalid token '%.*s'",
			 (int)(p->tok.len > 20 ? 20 : p->tok.len), p->tok.text);
		p->failed = true;
	}
}

static bool fail(struct parser *p, const char *what)
{
	if (!p->failed) {
		if (p->tok.kind == CC_T_EOF)
			cc_error(p->cx, p->tok.pos, ERR_CONTRACT_SYNTAX,
				 "expected %s before end of file", what);
		else
			cc_error(p->cx, p->tok.pos, ERR_CONTRACT_SYNTAX,
				 "expected %s, found '%.*s'", what,
				 (int)(p->tok.len > 20 ? 20 : p->tok.len), p->tok.text);
	}
	p->failed = true;
	return false;
}

static bool is_punct(const struct parser *p, const char *s)
{
	return p->tok.kind == CC_T_PUNCT && p->tok.len == strlen(s) &&
	       !memcmp(p->tok.text, s, p->tok.len);
}

static bool is_word(const struct parser *p, const char *s)
{
	return p->tok.kind == CC_T_IDENT && p->tok.len == strlen(s) &&
	       !memcmp(p->tok.text, s, p->tok.len);
}

static bool accept(struct parser *p, const char *s)
{
	if (!is_punct(p, s))
		return false;
	next(p);
	return true;
}

static bool expect(struct parser *p, const char *s)
{
	if (accept(p, s))
		return true;
	char what[8];
	snprintf(what, sizeof(what), "'%s'", s);
	return fail(p, what);
}

static const char *const keywords[] = { "contract", "interface", "struct",
					"message", "state", "in", "out",
					"bytes", "block", "import", "endpoint" };

static bool is_keyword(const struct parser *p)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (is_word(p, keywords[i]))
			return true;
	return false;
}

static bool ident(struct parser *p, char **out, struct cc_pos *pos)
{
	if (p->tok.kind != CC_T_IDENT || is_keyword(p))
		return fail(p, "a name");
	*out = cc_strndup(p->tok.text, p->tok.len);
	if (pos)
		*pos = p->tok.pos;
	next(p);
	return true;
}

static bool parse_block_type(struct parser *p, struct cc_type *t)
{
	t->kind = CC_TY_BLOCK;
	next(p);
	if (!expect(p, "<") || p->tok.kind != CC_T_IDENT)
		return fail(p, "an element type");
	t->scalar = (uint8_t)cc_scalar_lookup(p->tok.text, p->tok.len);
	if (!t->scalar && !ident(p, &t->name, NULL))
		return false;
	if (t->scalar)
		next(p);
	return expect(p, ">");
}

static bool parse_endpoint_type(struct parser *p, struct cc_type *t, char *name)
{
	t->kind = CC_TY_ENDPOINT;
	t->name = name;
	next(p); // '.'
	if (!ident(p, &t->side, NULL))
		return false;
	if (accept(p, "@"))
		return ident(p, &t->state, NULL);
	return true;
}

static bool parse_type(struct parser *p, struct cc_type *t)
{
	t->pos = p->tok.pos;
	t->strct = t->target = -1;
	if (is_word(p, "bytes")) {
		t->kind = CC_TY_BLOCK;
		t->bytes = true;
		t->scalar = CONTRACT_U8;
		next(p);
		return true;
	}
	if (is_word(p, "block"))
		return parse_block_type(p, t);
	if (is_word(p, "endpoint")) {
		t->kind = CC_TY_ENDPOINT;
		t->any = true;
		t->side_v = CONTRACT_EXP;
		t->state_v = CONTRACT_NO_STATE;
		next(p);
		return true;
	}
	if (p->tok.kind != CC_T_IDENT || is_keyword(p))
		return fail(p, "a type");
	t->scalar = (uint8_t)cc_scalar_lookup(p->tok.text, p->tok.len);
	t->kind = t->scalar ? CC_TY_SCALAR : CC_TY_STRUCT;
	char *name = cc_strndup(p->tok.text, p->tok.len);
	next(p);
	if (is_punct(p, ".") && !t->scalar)
		return parse_endpoint_type(p, t, name);
	if (t->scalar)
		free(name);
	else
		t->name = name;
	if (!accept(p, "["))
		return true;
	if (p->tok.kind != CC_T_INT)
		return fail(p, "an array length");
	t->kind = CC_TY_ARRAY;
	t->count = p->tok.value > 0xffff ? 0xffff : (uint16_t)p->tok.value;
	next(p);
	return expect(p, "]");
}

static bool parse_field(struct parser *p, struct cc_field *f)
{
	if (!parse_type(p, &f->type))
		return false;
	f->pos = p->tok.pos;
	return ident(p, &f->name, NULL);
}

static bool parse_struct(struct parser *p, struct cc_contract *c)
{
	struct cc_struct *s = cc_push(&c->structs, &c->nstructs, sizeof(*s));
	next(p);
	if (!ident(p, &s->name, &s->pos) || !expect(p, "{"))
		return false;
	while (!accept(p, "}")) {
		struct cc_field *f = cc_push(&s->fields, &s->nfields, sizeof(*f));
		if (!parse_field(p, f) || !expect(p, ";"))
			return false;
	}
	accept(p, ";");
	return true;
}

static bool parse_message(struct parser *p, struct cc_contract *c)
{
	struct cc_msg *m = cc_push(&c->msgs, &c->nmsgs, sizeof(*m));
	m->dir = CONTRACT_BOTH;
	m->pos = p->tok.pos;
	if (is_word(p, "in") || is_word(p, "out")) {
		m->dir = is_word(p, "in") ? CONTRACT_IN : CONTRACT_OUT;
		m->has_dir = true;
		next(p);
	}
	if (!is_word(p, "message"))
		return fail(p, "'message'");
	next(p);
	if (!ident(p, &m->name, &m->pos) || !expect(p, "("))
		return false;
	if (!accept(p, ")")) {
		do {
			struct cc_field *f = cc_push(&m->fields, &m->nfields, sizeof(*f));
			if (!parse_field(p, f))
				return false;
		} while (accept(p, ","));
		if (!expect(p, ")"))
			return false;
	}
	return expect(p, ";");
}

static bool parse_trans(struct parser *p, struct cc_state *s)
{
	struct cc_trans *t = cc_push(&s->trans, &s->ntrans, sizeof(*t));
	if (!ident(p, &t->msg, &t->pos))
		return false;
	if (accept(p, "?"))
		t->recv = true;
	else if (!expect(p, "!"))
		return false;
	if (!expect(p, "->") || !ident(p, &t->next, &t->next_pos))
		return false;
	return expect(p, ";");
}

static bool parse_state(struct parser *p, struct cc_contract *c)
{
	struct cc_state *s = cc_push(&c->states, &c->nstates, sizeof(*s));
	next(p);
	if (!ident(p, &s->name, &s->pos) || !expect(p, "{"))
		return false;
	while (!accept(p, "}"))
		if (!parse_trans(p, s))
			return false;
	accept(p, ";");
	return true;
}

static bool parse_member(struct parser *p, struct cc_contract *c)
{
	if (is_word(p, "struct"))
		return parse_struct(p, c);
	if (is_word(p, "state"))
		return parse_state(p, c);
	if (is_word(p, "message") || is_word(p, "in") || is_word(p, "out"))
		return parse_message(p, c);
	return fail(p, "'message', 'state' or 'struct'");
}

static bool parse_contract(struct parser *p, struct cc_file *f)
{
	if (!is_word(p, "contract") && !is_word(p, "interface"))
		return fail(p, "'contract' or 'interface'");
	struct cc_contract *c = cc_push(&f->contracts, &f->ncontracts, sizeof(*c));
	c->interface_kw = is_word(p, "interface");
	c->imported = p->imported;
	next(p);
	if (!ident(p, &c->name, &c->pos))
		return false;
	if (p->tok.kind == CC_T_STRING) {
		c->doc = cc_strndup(p->tok.text, p->tok.len);
		next(p);
	}
	if (!expect(p, "{"))
		return false;
	while (!accept(p, "}"))
		if (!parse_member(p, c))
			return false;
	accept(p, ";");
	return true;
}

static bool seen_file(const struct cc_ctx *cx, const char *path)
{
	for (size_t i = 0; i < cx->nfiles; i++)
		if (!strcmp(cx->files[i], path))
			return true;
	return false;
}

// import "path"; : parses the file once, however often it is imported.
static bool parse_import(struct parser *p, struct cc_file *f)
{
	struct cc_pos pos = p->tok.pos;
	next(p);
	if (p->tok.kind != CC_T_STRING)
		return fail(p, "a file name");
	char *rel = cc_strndup(p->tok.text, p->tok.len), *resolved = NULL, *src = NULL;
	size_t len = 0;
	next(p);
	bool ok = expect(p, ";");
	if (ok && p->depth >= CC_MAX_IMPORT_DEPTH)
		cc_error(p->cx, pos, ERR_CONTRACT_IMPORT, "imports nested too deep");
	else if (ok && p->cx->load)
		src = p->cx->load(p->cx->load_ctx, p->lx.pos.file, rel, &len, &resolved);
	if (ok && !src && p->depth < CC_MAX_IMPORT_DEPTH)
		cc_error(p->cx, pos, ERR_CONTRACT_IMPORT, "cannot import '%s'", rel);
	if (src && !seen_file(p->cx, resolved)) {
		*(char **)cc_push(&p->cx->files, &p->cx->nfiles, sizeof(char *)) = resolved;
		resolved = NULL;
		parse_source(p->cx, f, src, len, p->cx->files[p->cx->nfiles - 1],
			     p->depth + 1);
	}
	free(resolved);
	free(src);
	free(rel);
	return ok && p->cx->nerrors == 0;
}

// Parses one file; returns where it ended.
static struct cc_pos parse_source(struct cc_ctx *cx, struct cc_file *f,
				  const char *src, size_t len, const char *file,
				  int depth)
{
	struct parser p = { .cx = cx, .imported = depth > 0, .depth = depth };
	cc_lex_init(&p.lx, src, len);
	p.lx.pos.file = file;
	next(&p);
	while (!p.failed && p.tok.kind != CC_T_EOF) {
		if (is_word(&p, "import")) {
			if (!parse_import(&p, f))
				p.failed = true;
		} else {
			parse_contract(&p, f);
		}
	}
	return p.tok.pos;
}

struct cc_file *cc_parse(struct cc_ctx *cx, const char *src, size_t len)
{
	struct cc_file *f = calloc(1, sizeof(*f));
	if (!f) {
		fprintf(stderr, "contractc: out of memory\n");
		exit(1);
	}
	struct cc_pos end = parse_source(cx, f, src, len, NULL, 0);
	size_t own = 0;
	for (size_t i = 0; i < f->ncontracts; i++)
		own += !f->contracts[i].imported;
	if (cx->nerrors == 0 && own == 0)
		cc_error(cx, end, ERR_CONTRACT_SYNTAX,
			 "no contract in file");
	return f;
}
