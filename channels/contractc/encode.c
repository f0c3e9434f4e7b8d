// SPDX-License-Identifier: MIT
// contractc's encoder: writes each contract's canonical descriptor
// (docs/channels.md, "Descriptor format"), contracts it refers to first so
// their hashes are known, then runs the portable decoder on the result so
// that contractc and the kernel accept exactly the same contracts, and
// finally seals the SHA-256 hash. Also warns about unreachable states.
#include "cc.h"

#include <stdlib.h>
#include <string.h>

struct buf {
	uint8_t *p;
	size_t n;
};

static void put(struct buf *b, const void *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*(uint8_t *)cc_push(&b->p, &b->n, 1) = ((const uint8_t *)src)[i];
}

static void put8(struct buf *b, unsigned v)
{
	uint8_t x = (uint8_t)v;
	put(b, &x, 1);
}

static void put16(struct buf *b, unsigned v)
{
	put8(b, v & 0xff);
	put8(b, (v >> 8) & 0xff);
}

static void put_name(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	put8(b, (unsigned)n);
	put(b, s, n);
}

// The index of contract t in c's reference list (added if new).
static unsigned ref_index(struct cc_ctx *cx, struct cc_contract *c, int self, int t,
			  struct cc_pos pos)
{
	if (t == self)
		return CONTRACT_REF_SELF;
	for (size_t i = 0; i < c->nrefs; i++)
		if (c->refs[i] == t)
			return (unsigned)i;
	if (c->nrefs == CONTRACT_MAX_REFS) {
		cc_error(cx, pos, ERR_CONTRACT_LIMIT, "more than %d other contracts",
			 CONTRACT_MAX_REFS);
		return 0;
	}
	c->refs[c->nrefs] = t;
	return (unsigned)c->nrefs++;
}

static void put_field(struct cc_ctx *cx, struct buf *b, struct cc_contract *c,
		      int self, const struct cc_field *f)
{
	const struct cc_type *t = &f->type;
	put8(b, t->kind);
	switch (t->kind) {
	case CC_TY_SCALAR:
		put8(b, t->scalar);
		break;
	case CC_TY_ARRAY:
		put8(b, t->scalar);
		put16(b, t->count);
		break;
	case CC_TY_STRUCT:
		put8(b, (unsigned)t->strct);
		break;
	case CC_TY_BLOCK:
		put8(b, t->strct >= 0 ? 0 : t->scalar);
		put8(b, t->strct >= 0 ? (unsigned)t->strct : 0xff);
		break;
	case CC_TY_ENDPOINT:
		if (t->any)
			put8(b, CONTRACT_REF_ANY);
		else
			put8(b, ref_index(cx, c, self, t->target, t->pos));
		put8(b, t->side_v);
		put16(b, t->state_v);
		break;
	}
}

static bool limits_ok(struct cc_ctx *cx, const struct cc_contract *c)
{
	if (c->nstructs > CONTRACT_MAX_STRUCTS || c->nmsgs > CONTRACT_MAX_MSGS ||
	    c->nstates > CONTRACT_MAX_STATES) {
		cc_error(cx, c->pos, ERR_CONTRACT_LIMIT,
			 "contract '%s' exceeds %d structs, %d messages or %d states",
			 c->name, CONTRACT_MAX_STRUCTS, CONTRACT_MAX_MSGS,
			 CONTRACT_MAX_STATES);
		return false;
	}
	for (size_t i = 0; i < c->nstates; i++) {
		if (c->states[i].ntrans > CONTRACT_MAX_TRANS) {
			cc_error(cx, c->states[i].pos, ERR_CONTRACT_LIMIT,
				 "more than %d transitions", CONTRACT_MAX_TRANS);
			return false;
		}
	}
	return true;
}

static void put_body(struct cc_ctx *cx, struct buf *b, struct cc_file *f, int self)
{
	struct cc_contract *c = &f->contracts[self];
	put8(b, (unsigned)c->nstructs);
	for (size_t i = 0; i < c->nstructs; i++) {
		put_name(b, c->structs[i].name);
		put8(b, (unsigned)c->structs[i].nfields);
		for (size_t j = 0; j < c->structs[i].nfields; j++)
			put_field(cx, b, c, self, &c->structs[i].fields[j]);
	}
	put16(b, (unsigned)c->nmsgs);
	for (size_t i = 0; i < c->nmsgs; i++) {
		const struct cc_msg *m = &c->msgs[i];
		put_name(b, m->name);
		put8(b, (unsigned)m->dir);
		put8(b, (unsigned)m->nfields);
		for (size_t j = 0; j < m->nfields; j++)
			put_field(cx, b, c, self, &m->fields[j]);
	}
	put16(b, (unsigned)c->nstates);
	for (size_t i = 0; i < c->nstates; i++) {
		put_name(b, c->states[i].name);
		put8(b, (unsigned)c->states[i].ntrans);
		for (size_t t = 0; t < c->states[i].ntrans; t++) {
			const struct cc_trans *tr = &c->states[i].trans[t];
			put16(b, (unsigned)tr->msg_v);
			put8(b, tr->recv);
			put16(b, (unsigned)tr->next_v);
		}
	}
}

// The header, with the reference hashes; refs are known after the body.
static void put_head(struct buf *b, const struct cc_file *f, const struct cc_contract *c)
{
	static const uint8_t zero[CONTRACT_HASH_SIZE];
	put(b, "ICTR", 4);
	put16(b, CONTRACT_DESC_VERSION);
	put8(b, c->nstates ? CONTRACT_FORM_STATES : CONTRACT_FORM_INTERFACE);
	put8(b, 0);
	put(b, zero, sizeof(zero));
	put_name(b, c->name);
	put8(b, (unsigned)c->nrefs);
	for (size_t i = 0; i < c->nrefs; i++)
		put(b, f->contracts[c->refs[i]].desc + CONTRACT_DESC_HASH_OFFSET,
		    CONTRACT_HASH_SIZE);
}

static struct cc_pos diag_pos(const struct cc_contract *c, const struct contract_diag *d)
{
	if (d->where == CONTRACT_AT_STRUCT && d->index < c->nstructs)
		return c->structs[d->index].pos;
	if (d->where == CONTRACT_AT_MSG && d->index < c->nmsgs)
		return c->msgs[d->index].pos;
	if (d->where == CONTRACT_AT_STATE && d->index < c->nstates)
		return c->states[d->index].pos;
	return c->pos;
}

static void validate(struct cc_ctx *cx, struct cc_contract *c)
{
	struct contract_arena a = { 0 };
	struct contract_diag d;
	a.size = CONTRACT_ARENA_SIZE(c->desc_len);
	a.base = c->arena = malloc(a.size);
	if (!a.base) {
		fprintf(stderr, "contractc: out of memory\n");
		exit(1);
	}
	contract_desc_seal(c->desc, c->desc_len);
	isola_err_t err = contract_decode(c->desc, c->desc_len, &a, &c->model, &d);
	if (err != ERR_OK) {
		c->model = NULL;
		cc_error(cx, diag_pos(c, &d), err, "%s", isola_err_message(err));
	}
}

// Encodes contract i after the contracts it refers to.
static void encode_one(struct cc_ctx *cx, struct cc_file *f, int i)
{
	struct cc_contract *c = &f->contracts[i];
	if (c->mark == 2)
		return;
	if (c->mark == 1) {
		cc_error(cx, c->pos, ERR_CONTRACT_REF_CYCLE,
			 "contract '%s' is part of a cycle of references", c->name);
		return;
	}
	c->mark = 1;
	struct buf body = { 0 }, all = { 0 };
	if (!limits_ok(cx, c)) {
		c->mark = 2;
		return;
	}
	put_body(cx, &body, f, i);
	for (size_t r = 0; r < c->nrefs; r++) {
		encode_one(cx, f, c->refs[r]);
		if (!f->contracts[c->refs[r]].desc) {
			free(body.p);
			c->mark = 2;
			return;
		}
	}
	put_head(&all, f, c);
	put(&all, body.p, body.n);
	free(body.p);
	c->desc = all.p;
	c->desc_len = all.n;
	c->mark = 2;
	validate(cx, c);
}

static void warn_unreachable(struct cc_ctx *cx, const struct cc_contract *c)
{
	if (c->nstates == 0 || c->imported)
		return;
	bool *seen = calloc(c->nstates, 1);
	size_t *stack = calloc(c->nstates, sizeof(*stack)), top = 0;
	if (!seen || !stack)
		exit(1);
	seen[0] = true;
	stack[top++] = 0;
	while (top > 0) {
		const struct cc_state *s = &c->states[stack[--top]];
		for (size_t t = 0; t < s->ntrans; t++) {
			int n = s->trans[t].next_v;
			if (n >= 0 && !seen[n]) {
				seen[n] = true;
				stack[top++] = (size_t)n;
			}
		}
	}
	for (size_t i = 0; i < c->nstates; i++)
		if (!seen[i])
			cc_warning(cx, c->states[i].pos,
				   "state '%s' is unreachable from '%s'",
				   c->states[i].name, c->states[0].name);
	free(seen);
	free(stack);
}

void cc_encode(struct cc_ctx *cx, struct cc_file *f)
{
	for (size_t i = 0; i < f->ncontracts; i++)
		encode_one(cx, f, (int)i);
	for (size_t i = 0; i < f->ncontracts; i++)
		warn_unreachable(cx, &f->contracts[i]);
}
