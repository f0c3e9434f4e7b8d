// SPDX-License-Identifier: MIT
// Payload layouts of a decoded contract: field offsets in the wasm32 C
// layout that the generated header uses (natural alignment, handles are
// 4-byte values), struct and message sizes, moved slots and block type tags.
// Also the decode arena and the registry lookup.
#include "contract_internal.h"

#include <string.h>

void *contract_arena_alloc(struct contract_arena *a, size_t n)
{
	size_t start = (a->used + 7) & ~(size_t)7;
	if (start > a->size || a->size - start < n)
		return NULL;
	a->used = start + n;
	memset(a->base + start, 0, n);
	return a->base + start;
}

uint32_t contract_scalar_size(enum contract_scalar s)
{
	switch (s) {
	case CONTRACT_BOOL:
	case CONTRACT_I8:
	case CONTRACT_U8:
		return 1;
	case CONTRACT_I16:
	case CONTRACT_U16:
		return 2;
	case CONTRACT_I32:
	case CONTRACT_U32:
	case CONTRACT_F32:
		return 4;
	case CONTRACT_I64:
	case CONTRACT_U64:
	case CONTRACT_F64:
		return 8;
	}
	return 0;
}

static void field_shape(const struct contract *c, const struct contract_field *f,
			uint32_t *size, uint32_t *align)
{
	switch (f->kind) {
	case CONTRACT_K_SCALAR:
		*size = *align = contract_scalar_size(f->scalar);
		return;
	case CONTRACT_K_ARRAY:
		*align = contract_scalar_size(f->scalar);
		*size = *align * f->count;
		return;
	case CONTRACT_K_STRUCT:
		*size = c->structs[f->strct].size;
		*align = c->structs[f->strct].align;
		return;
	default:
		*size = *align = CONTRACT_HANDLE_SIZE;
		return;
	}
}

// Lays out fields in order; returns the padded size, or 0 if it exceeds max.
static uint32_t layout_fields(const struct contract *c, struct contract_field *f,
			      uint8_t n, uint32_t max, uint32_t *align_out)
{
	uint32_t off = 0, align = 1;
	for (uint8_t i = 0; i < n; i++) {
		uint32_t size, a;
		field_shape(c, &f[i], &size, &a);
		off = (off + a - 1) & ~(a - 1);
		f[i].offset = off;
		off += size;
		if (a > align)
			align = a;
		if (off > max)
			return 0;
	}
	*align_out = align;
	return (off + align - 1) & ~(align - 1);
}

// FNV-1a, for the struct type tag (a protocol check, not a security one).
static uint32_t fnv1a(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static uint32_t struct_tag(const struct contract_struct *s)
{
	uint32_t h = fnv1a(2166136261u, s->name, s->name_len);
	for (uint8_t i = 0; i < s->n_fields; i++) {
		const struct contract_field *f = &s->fields[i];
		uint8_t k[4] = { f->kind, f->scalar, (uint8_t)f->count,
				 (uint8_t)(f->count >> 8) };
		h = fnv1a(h, k, sizeof(k));
	}
	return h | 0x80000000u;
}

uint32_t contract_type_tag(const struct contract *c, const struct contract_field *f)
{
	if (f->strct != 0xff && f->strct < c->n_structs)
		return c->structs[f->strct].tag;
	return f->scalar;
}

static isola_err_t layout_msg(struct contract *c, struct contract_msg *m)
{
	uint32_t max = CONTRACT_MAX_INLINE + 1;
	m->size = layout_fields(c, m->fields, m->n_fields, max, &m->align);
	if (m->n_fields > 0 && (m->size == 0 || m->size > CONTRACT_MAX_INLINE))
		return ERR_CONTRACT_INLINE_SIZE;
	m->n_moved = 0;
	for (uint8_t i = 0; i < m->n_fields; i++) {
		struct contract_field *f = &m->fields[i];
		if (f->kind != CONTRACT_K_BLOCK && f->kind != CONTRACT_K_ENDPOINT)
			continue;
		if (m->n_moved == CONTRACT_MAX_MOVED)
			return ERR_CONTRACT_TOO_MANY_MOVED;
		m->moved[m->n_moved++] = i;
		if (f->kind == CONTRACT_K_BLOCK)
			f->type_tag = contract_type_tag(c, f);
	}
	return ERR_OK;
}

isola_err_t contract_layout(struct contract *c, struct contract_diag *d)
{
	for (uint8_t i = 0; i < c->n_structs; i++) {
		struct contract_struct *s = &c->structs[i];
		d->where = CONTRACT_AT_STRUCT;
		d->index = i;
		s->size = layout_fields(c, s->fields, s->n_fields,
					CONTRACT_MAX_STRUCT_SIZE, &s->align);
		if (s->size == 0 || s->size > CONTRACT_MAX_STRUCT_SIZE)
			return ERR_CONTRACT_INLINE_SIZE;
		s->tag = struct_tag(s);
	}
	for (uint16_t i = 0; i < c->n_msgs; i++) {
		d->where = CONTRACT_AT_MSG;
		d->index = i;
		TRY(layout_msg(c, &c->msgs[i]));
	}
	return ERR_OK;
}

const struct contract_registry_entry *
contract_registry_find(const struct contract_registry_entry *const *entries,
		       size_t n, const uint8_t hash[CONTRACT_HASH_SIZE])
{
	for (size_t i = 0; i < n; i++) {
		if (entries[i] && memcmp(entries[i]->hash, hash, CONTRACT_HASH_SIZE) == 0)
			return entries[i];
	}
	return NULL;
}
