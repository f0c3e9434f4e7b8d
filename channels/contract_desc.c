// SPDX-License-Identifier: MIT
// The contract descriptor decoder. Input is untrusted (it comes from a SIP
// image), so every count, index and length is checked and every failure is
// an error code with the place it was found; nothing here asserts. The
// format is specified in docs/channels.md ("Descriptor format").
#include "contract_internal.h"
#include "sha256.h"

#include <string.h>

struct rd {
	const uint8_t *p;
	size_t len, pos;
};

static isola_err_t rd_bytes(struct rd *r, size_t n, const uint8_t **out)
{
	if (r->len - r->pos < n)
		return ERR_DESC_TRUNCATED;
	*out = r->p + r->pos;
	r->pos += n;
	return ERR_OK;
}

static isola_err_t rd_u8(struct rd *r, uint8_t *out)
{
	const uint8_t *b;
	TRY(rd_bytes(r, 1, &b));
	*out = b[0];
	return ERR_OK;
}

static isola_err_t rd_u16(struct rd *r, uint16_t *out)
{
	const uint8_t *b;
	TRY(rd_bytes(r, 2, &b));
	*out = (uint16_t)(b[0] | b[1] << 8);
	return ERR_OK;
}

// Fails unless n records of at least min bytes each can still follow: a
// count is checked against the input before anything is allocated for it,
// so a short descriptor never asks for a large arena.
static isola_err_t rd_room(const struct rd *r, size_t n, size_t min)
{
	return n * min > r->len - r->pos ? ERR_DESC_TRUNCATED : ERR_OK;
}

static bool is_ident(const char *s, size_t n)
{
	if (n == 0 || n > CONTRACT_MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			     ch == '_';
		if (!alpha && !(i > 0 && ch >= '0' && ch <= '9'))
			return false;
	}
	return true;
}

static isola_err_t rd_name(struct rd *r, const char **name, uint8_t *len)
{
	const uint8_t *b;
	TRY(rd_u8(r, len));
	TRY(rd_bytes(r, *len, &b));
	if (!is_ident((const char *)b, *len))
		return ERR_DESC_MALFORMED;
	*name = (const char *)b;
	return ERR_OK;
}

static isola_err_t rd_field(struct rd *r, struct contract_field *f)
{
	f->strct = 0xff;
	f->ref = 0;
	f->state = CONTRACT_NO_STATE;
	TRY(rd_u8(r, &f->kind));
	switch (f->kind) {
	case CONTRACT_K_SCALAR:
		return rd_u8(r, &f->scalar);
	case CONTRACT_K_ARRAY:
		TRY(rd_u8(r, &f->scalar));
		return rd_u16(r, &f->count);
	case CONTRACT_K_STRUCT:
		return rd_u8(r, &f->strct);
	case CONTRACT_K_BLOCK:
		TRY(rd_u8(r, &f->scalar));
		return rd_u8(r, &f->strct);
	case CONTRACT_K_ENDPOINT:
		TRY(rd_u8(r, &f->ref));
		TRY(rd_u8(r, &f->side));
		return rd_u16(r, &f->state);
	}
	return ERR_DESC_MALFORMED;
}

static bool is_scalar(uint8_t s)
{
	return s >= CONTRACT_BOOL && s <= CONTRACT_SCALAR_LAST;
}

// An endpoint field names a reference, or is an any-endpoint, which has
// exactly one spelling (side 0, no state) so the descriptor stays canonical.
static bool endpoint_ok(const struct contract *c, const struct contract_field *f)
{
	if (f->ref == CONTRACT_REF_ANY)
		return f->side == CONTRACT_EXP && f->state == CONTRACT_NO_STATE;
	return f->side <= CONTRACT_IMP &&
	       (f->ref == CONTRACT_REF_SELF || f->ref < c->n_refs);
}

// Checks a field's own values; references to states are checked later.
static bool field_ok(const struct contract *c, const struct contract_field *f,
		     bool in_struct)
{
	switch (f->kind) {
	case CONTRACT_K_SCALAR:
		return is_scalar(f->scalar);
	case CONTRACT_K_ARRAY:
		return is_scalar(f->scalar) && f->count >= 1 &&
		       f->count <= CONTRACT_MAX_ARRAY;
	case CONTRACT_K_STRUCT:
		return !in_struct && f->strct < c->n_structs;
	case CONTRACT_K_BLOCK:
		if (in_struct)
			return false;
		if (f->strct == 0xff)
			return is_scalar(f->scalar);
		return f->scalar == 0 && f->strct < c->n_structs;
	case CONTRACT_K_ENDPOINT:
		return !in_struct && endpoint_ok(c, f);
	}
	return false;
}

static isola_err_t rd_fields(struct rd *r, struct contract *c,
			     struct contract_arena *a, uint8_t n, bool in_struct,
			     struct contract_field **out)
{
	if (n > CONTRACT_MAX_FIELDS)
		return ERR_CONTRACT_LIMIT;
	TRY(rd_room(r, n, 2)); // kind and one byte at least
	struct contract_field *f = contract_arena_alloc(a, n * sizeof(*f) + 1);
	if (!f)
		return ERR_DESC_ARENA;
	for (uint8_t i = 0; i < n; i++) {
		TRY(rd_field(r, &f[i]));
		if (!field_ok(c, &f[i], in_struct))
			return ERR_DESC_MALFORMED;
	}
	*out = f;
	return ERR_OK;
}

static isola_err_t rd_header(struct rd *r, struct contract *c,
			     struct contract_arena *a)
{
	const uint8_t *b;
	uint16_t version;
	uint8_t reserved;
	TRY(rd_bytes(r, 4, &b));
	if (!(b[0] == 'I' && b[1] == 'C' && b[2] == 'T' && b[3] == 'R'))
		return ERR_DESC_MAGIC;
	TRY(rd_u16(r, &version));
	if (version != CONTRACT_DESC_VERSION)
		return ERR_DESC_MAGIC;
	TRY(rd_u8(r, &c->form));
	TRY(rd_u8(r, &reserved));
	if (c->form > CONTRACT_FORM_STATES || reserved != 0)
		return ERR_DESC_MALFORMED;
	TRY(rd_bytes(r, CONTRACT_HASH_SIZE, &b));
	memcpy(c->hash, b, CONTRACT_HASH_SIZE);
	TRY(rd_name(r, &c->name, &c->name_len));
	TRY(rd_u8(r, &c->n_refs));
	if (c->n_refs > CONTRACT_MAX_REFS)
		return ERR_CONTRACT_LIMIT;
	TRY(rd_bytes(r, (size_t)c->n_refs * CONTRACT_HASH_SIZE, &b));
	c->refs = (const uint8_t(*)[CONTRACT_HASH_SIZE])b;
	(void)a;
	return ERR_OK;
}

static isola_err_t rd_structs(struct rd *r, struct contract *c,
			      struct contract_arena *a, struct contract_diag *d)
{
	TRY(rd_u8(r, &c->n_structs));
	if (c->n_structs > CONTRACT_MAX_STRUCTS)
		return ERR_CONTRACT_LIMIT;
	TRY(rd_room(r, c->n_structs, 5)); // name, count, one field
	c->structs = contract_arena_alloc(a, c->n_structs * sizeof(*c->structs) + 1);
	if (!c->structs)
		return ERR_DESC_ARENA;
	for (uint8_t i = 0; i < c->n_structs; i++) {
		struct contract_struct *s = &c->structs[i];
		d->where = CONTRACT_AT_STRUCT;
		d->index = i;
		TRY(rd_name(r, &s->name, &s->name_len));
		TRY(rd_u8(r, &s->n_fields));
		if (s->n_fields == 0)
			return ERR_DESC_MALFORMED;
		TRY(rd_fields(r, c, a, s->n_fields, true, &s->fields));
	}
	return ERR_OK;
}

static isola_err_t rd_msgs(struct rd *r, struct contract *c,
			   struct contract_arena *a, struct contract_diag *d)
{
	TRY(rd_u16(r, &c->n_msgs));
	if (c->n_msgs > CONTRACT_MAX_MSGS)
		return ERR_CONTRACT_LIMIT;
	TRY(rd_room(r, c->n_msgs, 4)); // name, direction, count
	c->msgs = contract_arena_alloc(a, c->n_msgs * sizeof(*c->msgs) + 1);
	if (!c->msgs)
		return ERR_DESC_ARENA;
	for (uint16_t i = 0; i < c->n_msgs; i++) {
		struct contract_msg *m = &c->msgs[i];
		d->where = CONTRACT_AT_MSG;
		d->index = i;
		TRY(rd_name(r, &m->name, &m->name_len));
		TRY(rd_u8(r, &m->dir));
		if (m->dir > CONTRACT_BOTH)
			return ERR_DESC_MALFORMED;
		TRY(rd_u8(r, &m->n_fields));
		TRY(rd_fields(r, c, a, m->n_fields, false, &m->fields));
	}
	return ERR_OK;
}

static isola_err_t rd_states(struct rd *r, struct contract *c,
			     struct contract_arena *a, struct contract_diag *d)
{
	TRY(rd_u16(r, &c->n_states));
	if (c->n_states > CONTRACT_MAX_STATES)
		return ERR_CONTRACT_LIMIT;
	TRY(rd_room(r, c->n_states, 3)); // name, count
	c->states = contract_arena_alloc(a, c->n_states * sizeof(*c->states) + 1);
	if (!c->states)
		return ERR_DESC_ARENA;
	for (uint16_t i = 0; i < c->n_states; i++) {
		struct contract_state *s = &c->states[i];
		d->where = CONTRACT_AT_STATE;
		d->index = i;
		TRY(rd_name(r, &s->name, &s->name_len));
		TRY(rd_u8(r, &s->n_trans));
		if (s->n_trans > CONTRACT_MAX_TRANS)
			return ERR_CONTRACT_LIMIT;
		TRY(rd_room(r, s->n_trans, 5));
		s->trans = contract_arena_alloc(a, s->n_trans * sizeof(*s->trans) + 1);
		if (!s->trans)
			return ERR_DESC_ARENA;
		for (uint8_t t = 0; t < s->n_trans; t++) {
			TRY(rd_u16(r, &s->trans[t].msg));
			TRY(rd_u8(r, &s->trans[t].exp_recv));
			TRY(rd_u16(r, &s->trans[t].next));
		}
	}
	return ERR_OK;
}

static isola_err_t decode_body(struct rd *r, struct contract *c,
			       struct contract_arena *a, struct contract_diag *d)
{
	TRY(rd_header(r, c, a));
	TRY(rd_structs(r, c, a, d));
	TRY(rd_msgs(r, c, a, d));
	TRY(rd_states(r, c, a, d));
	d->where = CONTRACT_AT_CONTRACT;
	d->index = 0;
	if (r->pos != r->len)
		return ERR_DESC_TRAILING;
	TRY(contract_layout(c, d));
	return contract_check_states(c, a, d);
}

static isola_err_t decode(const uint8_t *desc, size_t len,
			  struct contract_arena *arena, bool check_hash,
			  const struct contract **out, struct contract_diag *diag)
{
	struct contract_diag local;
	struct contract_diag *d = diag ? diag : &local;
	struct rd r = { desc, len, 0 };
	memset(d, 0, sizeof(*d));
	struct contract *c = contract_arena_alloc(arena, sizeof(*c));
	if (!c)
		return ERR_DESC_ARENA;
	isola_err_t err = decode_body(&r, c, arena, d);
	if (err != ERR_OK) {
		d->offset = (uint32_t)r.pos;
		return err;
	}
	if (check_hash) {
		uint8_t h[CONTRACT_HASH_SIZE];
		contract_desc_hash(desc, len, h);
		if (memcmp(h, c->hash, CONTRACT_HASH_SIZE) != 0)
			return ERR_DESC_HASH;
	}
	*out = c;
	return ERR_OK;
}

isola_err_t contract_decode(const uint8_t *desc, size_t len,
			    struct contract_arena *arena,
			    const struct contract **out, struct contract_diag *diag)
{
	return decode(desc, len, arena, true, out, diag);
}

isola_err_t contract_decode_unhashed(const uint8_t *desc, size_t len,
				     struct contract_arena *arena,
				     const struct contract **out,
				     struct contract_diag *diag)
{
	return decode(desc, len, arena, false, out, diag);
}

void contract_desc_hash(const uint8_t *desc, size_t len,
			uint8_t out[CONTRACT_HASH_SIZE])
{
	static const uint8_t zero[CONTRACT_HASH_SIZE];
	struct sha256 s;
	size_t hash_end = CONTRACT_DESC_HASH_OFFSET + CONTRACT_HASH_SIZE;
	contract_sha256_init(&s);
	if (len < hash_end) {
		contract_sha256_update(&s, desc, len);
	} else {
		contract_sha256_update(&s, desc, CONTRACT_DESC_HASH_OFFSET);
		contract_sha256_update(&s, zero, CONTRACT_HASH_SIZE);
		contract_sha256_update(&s, desc + hash_end, len - hash_end);
	}
	contract_sha256_final(&s, out);
}

void contract_desc_seal(uint8_t *desc, size_t len)
{
	uint8_t h[CONTRACT_HASH_SIZE];
	if (len < CONTRACT_DESC_HASH_OFFSET + CONTRACT_HASH_SIZE)
		return;
	contract_desc_hash(desc, len, h);
	memcpy(desc + CONTRACT_DESC_HASH_OFFSET, h, CONTRACT_HASH_SIZE);
}
