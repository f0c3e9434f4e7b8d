// SPDX-License-Identifier: MIT
// contractc's checker: names (valid, not C keywords, no duplicates),
// types (known structs and contracts, endpoint sides and states, what a
// struct may hold), messages' directions, and transitions (known messages
// and states, direction, determinism, no mixed states). The same rules the
// decoder enforces are checked here first so that errors point at source.
#include "cc.h"

#include <stdlib.h>
#include <string.h>

static const char *const c_keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"inline", "int", "long", "register", "restrict", "return", "short",
	"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
	"unsigned", "void", "volatile", "while", "bool", "true", "false",
	"_Bool", "NULL",
};

// Names become C identifiers: no trailing or double underscores (reserved
// for generated locals), no C keywords, at most CONTRACT_MAX_NAME bytes.
static void check_name(struct cc_ctx *cx, const char *name, struct cc_pos pos)
{
	size_t n = strlen(name);
	if (n > CONTRACT_MAX_NAME) {
		cc_error(cx, pos, ERR_CONTRACT_LIMIT, "name '%s' longer than %d",
			 name, CONTRACT_MAX_NAME);
		return;
	}
	if (name[n - 1] == '_' || strstr(name, "__")) {
		cc_error(cx, pos, ERR_CONTRACT_NAME_CLASH,
			 "name '%s' ends in '_' or contains '__'", name);
		return;
	}
	// Type names like uint32_t would break the generated parameter lists.
	if (n >= 2 && !strcmp(name + n - 2, "_t")) {
		cc_error(cx, pos, ERR_CONTRACT_NAME_CLASH,
			 "name '%s' ends in '_t' (reserved for C types)", name);
		return;
	}
	for (size_t i = 0; i < sizeof(c_keywords) / sizeof(c_keywords[0]); i++)
		if (!strcmp(name, c_keywords[i]))
			cc_error(cx, pos, ERR_CONTRACT_NAME_CLASH,
				 "name '%s' is a C keyword", name);
}

// Reports a duplicate among names[0..n) (each at stride bytes), by pointer
// to the char * member of the first element.
static void check_dups(struct cc_ctx *cx, const void *base, size_t n, size_t stride,
		       size_t name_off, size_t pos_off, const char *what)
{
	const char *b = base;
	for (size_t i = 0; i < n; i++) {
		const char *ni = *(char *const *)(b + i * stride + name_off);
		check_name(cx, ni, *(const struct cc_pos *)(b + i * stride + pos_off));
		for (size_t j = 0; j < i; j++) {
			const char *nj = *(char *const *)(b + j * stride + name_off);
			if (!strcmp(ni, nj)) {
				cc_error(cx, *(const struct cc_pos *)(b + i * stride + pos_off),
					 ERR_CONTRACT_DUPLICATE, "duplicate %s '%s'", what, ni);
				break;
			}
		}
	}
}

#define CHECK_DUPS(cx, arr, n, type, what)                                     \
	check_dups(cx, arr, n, sizeof(type), offsetof(type, name),             \
		   offsetof(type, pos), what)

static int find_struct(const struct cc_contract *c, const char *name)
{
	for (size_t i = 0; i < c->nstructs; i++)
		if (!strcmp(c->structs[i].name, name))
			return (int)i;
	return -1;
}

static int find_state(const struct cc_contract *c, const char *name)
{
	for (size_t i = 0; i < c->nstates; i++)
		if (!strcmp(c->states[i].name, name))
			return (int)i;
	return -1;
}

static int find_msg(const struct cc_contract *c, const char *name)
{
	for (size_t i = 0; i < c->nmsgs; i++)
		if (!strcmp(c->msgs[i].name, name))
			return (int)i;
	return -1;
}

static int find_contract(const struct cc_file *f, const char *name)
{
	for (size_t i = 0; i < f->ncontracts; i++)
		if (!strcmp(f->contracts[i].name, name))
			return (int)i;
	return -1;
}

static void check_endpoint(struct cc_ctx *cx, const struct cc_file *f,
			   struct cc_type *t)
{
	t->target = find_contract(f, t->name);
	if (t->target < 0) {
		cc_error(cx, t->pos, ERR_CONTRACT_UNKNOWN_NAME, "unknown contract '%s'",
			 t->name);
		return;
	}
	const struct cc_contract *tc = &f->contracts[t->target];
	if (strcmp(t->side, "imp") && strcmp(t->side, "exp")) {
		cc_error(cx, t->pos, ERR_CONTRACT_UNKNOWN_NAME,
			 "endpoint side must be 'imp' or 'exp', not '%s'", t->side);
		return;
	}
	t->side_v = !strcmp(t->side, "imp") ? CONTRACT_IMP : CONTRACT_EXP;
	t->state_v = CONTRACT_NO_STATE;
	if (tc->nstates == 0 && t->state) {
		cc_error(cx, t->pos, ERR_CONTRACT_BAD_TYPE,
			 "contract '%s' has no states", t->name);
	} else if (tc->nstates > 0 && !t->state) {
		cc_error(cx, t->pos, ERR_CONTRACT_BAD_TYPE,
			 "endpoint of '%s' needs a state: %s.%s@STATE", t->name,
			 t->name, t->side);
	} else if (t->state) {
		int s = find_state(tc, t->state);
		if (s < 0)
			cc_error(cx, t->pos, ERR_CONTRACT_UNKNOWN_NAME,
				 "contract '%s' has no state '%s'", t->name, t->state);
		t->state_v = (uint16_t)(s < 0 ? 0 : s);
	}
}

static void check_type(struct cc_ctx *cx, const struct cc_file *f,
		       const struct cc_contract *c, struct cc_type *t, bool in_struct)
{
	if (t->kind == CC_TY_ENDPOINT && !t->any) {
		check_endpoint(cx, f, t);
	} else if (t->name) {
		t->strct = find_struct(c, t->name);
		if (t->strct < 0)
			cc_error(cx, t->pos, ERR_CONTRACT_UNKNOWN_NAME,
				 "unknown type '%s'", t->name);
		if (t->kind == CC_TY_ARRAY)
			cc_error(cx, t->pos, ERR_CONTRACT_BAD_TYPE,
				 "arrays hold scalars only");
	}
	if (t->kind == CC_TY_ARRAY && (t->count == 0 || t->count > CONTRACT_MAX_ARRAY))
		cc_error(cx, t->pos, ERR_CONTRACT_LIMIT,
			 "array length must be 1 to %d", CONTRACT_MAX_ARRAY);
	bool inline_ok = t->kind == CC_TY_SCALAR || t->kind == CC_TY_ARRAY;
	if (in_struct && !inline_ok)
		cc_error(cx, t->pos, ERR_CONTRACT_BAD_TYPE,
			 "a struct holds only scalars and arrays of scalars");
}

static void check_fields(struct cc_ctx *cx, const struct cc_file *f,
			 const struct cc_contract *c, struct cc_field *fl, size_t n,
			 bool in_struct, struct cc_pos pos)
{
	// A received message's variant holds `ep` next to the payload fields.
	for (size_t i = 0; !in_struct && i < n; i++)
		if (!strcmp(fl[i].name, "ep"))
			cc_error(cx, fl[i].pos, ERR_CONTRACT_NAME_CLASH,
				 "a message field may not be called 'ep'");
	if (n > CONTRACT_MAX_FIELDS)
		cc_error(cx, pos, ERR_CONTRACT_LIMIT, "more than %d fields",
			 CONTRACT_MAX_FIELDS);
	CHECK_DUPS(cx, fl, n, struct cc_field, "field");
	for (size_t i = 0; i < n; i++)
		check_type(cx, f, c, &fl[i].type, in_struct);
}

static void check_trans(struct cc_ctx *cx, struct cc_contract *c,
			struct cc_state *s, size_t i)
{
	struct cc_trans *t = &s->trans[i];
	t->msg_v = find_msg(c, t->msg);
	t->next_v = find_state(c, t->next);
	if (t->msg_v < 0)
		cc_error(cx, t->pos, ERR_CONTRACT_UNKNOWN_NAME, "unknown message '%s'", t->msg);
	if (t->next_v < 0)
		cc_error(cx, t->next_pos, ERR_CONTRACT_UNKNOWN_NAME, "unknown state '%s'",
			 t->next);
	if (t->msg_v < 0)
		return;
	const struct cc_msg *m = &c->msgs[t->msg_v];
	if (m->has_dir && (m->dir == CONTRACT_IN) != t->recv)
		cc_error(cx, t->pos, ERR_CONTRACT_DIRECTION,
			 "'%s' is an %s message: the exporter %s it, write '%s%c'",
			 m->name, m->dir == CONTRACT_IN ? "in" : "out",
			 m->dir == CONTRACT_IN ? "receives" : "sends", m->name,
			 m->dir == CONTRACT_IN ? '?' : '!');
	for (size_t j = 0; j < i; j++) {
		if (s->trans[j].msg_v == t->msg_v) {
			cc_error(cx, t->pos, ERR_CONTRACT_NONDETERMINISTIC,
				 "state '%s' has two transitions on '%s'", s->name, t->msg);
			return;
		}
		if (s->trans[j].recv != t->recv) {
			cc_error(cx, t->pos, ERR_CONTRACT_MIXED_STATE,
				 "state '%s' both sends and receives", s->name);
			return;
		}
	}
}

static void check_contract(struct cc_ctx *cx, struct cc_file *f, struct cc_contract *c)
{
	check_name(cx, c->name, c->pos);
	if (c->interface_kw && c->nstates > 0)
		cc_error(cx, c->states[0].pos, ERR_CONTRACT_STATES_IN_INTERFACE,
			 "interface '%s' declares states; use 'contract'", c->name);
	CHECK_DUPS(cx, c->structs, c->nstructs, struct cc_struct, "struct");
	CHECK_DUPS(cx, c->msgs, c->nmsgs, struct cc_msg, "message");
	CHECK_DUPS(cx, c->states, c->nstates, struct cc_state, "state");
	for (size_t i = 0; i < c->nstructs; i++)
		check_fields(cx, f, c, c->structs[i].fields, c->structs[i].nfields,
			     true, c->structs[i].pos);
	for (size_t i = 0; i < c->nmsgs; i++) {
		struct cc_msg *m = &c->msgs[i];
		check_fields(cx, f, c, m->fields, m->nfields, false, m->pos);
		// Variants sit next to the `tag` field of a receive's result.
		if (!strcmp(m->name, "tag"))
			cc_error(cx, m->pos, ERR_CONTRACT_NAME_CLASH,
				 "a message may not be called 'tag'");
		if (c->nstates > 0 && !m->has_dir)
			cc_error(cx, m->pos, ERR_CONTRACT_NO_DIRECTION,
				 "message '%s' needs 'in' or 'out' in a contract with states",
				 m->name);
	}
	for (size_t i = 0; i < c->nstates; i++)
		for (size_t t = 0; t < c->states[i].ntrans; t++)
			check_trans(cx, c, &c->states[i], t);
}

void cc_check(struct cc_ctx *cx, struct cc_file *f)
{
	for (size_t i = 0; i < f->ncontracts; i++) {
		for (size_t j = 0; j < i; j++)
			if (!strcmp(f->contracts[i].name, f->contracts[j].name))
				cc_error(cx, f->contracts[i].pos, ERR_CONTRACT_DUPLICATE,
					 "duplicate contract '%s'", f->contracts[i].name);
		check_contract(cx, f, &f->contracts[i]);
	}
}

static void free_fields(struct cc_field *fl, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(fl[i].name);
		free(fl[i].type.name);
		free(fl[i].type.side);
		free(fl[i].type.state);
	}
	free(fl);
}

static void free_contract(struct cc_contract *c)
{
	for (size_t i = 0; i < c->nstructs; i++) {
		free(c->structs[i].name);
		free_fields(c->structs[i].fields, c->structs[i].nfields);
	}
	for (size_t i = 0; i < c->nmsgs; i++) {
		free(c->msgs[i].name);
		free_fields(c->msgs[i].fields, c->msgs[i].nfields);
	}
	for (size_t i = 0; i < c->nstates; i++) {
		for (size_t t = 0; t < c->states[i].ntrans; t++) {
			free(c->states[i].trans[t].msg);
			free(c->states[i].trans[t].next);
		}
		free(c->states[i].name);
		free(c->states[i].trans);
	}
	free(c->structs);
	free(c->msgs);
	free(c->states);
	free(c->name);
	free(c->doc);
	free(c->desc);
	free(c->arena);
}

void cc_file_free(struct cc_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->ncontracts; i++)
		free_contract(&f->contracts[i]);
	free(f->contracts);
	free(f);
}
