// SPDX-License-Identifier: MIT
// Decoders for constant expressions and for the sections that fill things:
// element segments (with the bulk-memory forms), data segments, the data
// count, and custom sections (kept by name and byte range for later stages:
// the manifest, the contracts and DWARF).
#include "vf_env.h"

// ---- constant expressions -----------------------------------------------

// V-CONST-GLOBAL: global.get in a constant expression names an imported,
// immutable global.
ISOLA_MUST_CHECK
static isola_err_t vf_const_global(struct vf_env *e, const uint8_t *at,
				   uint32_t gi, vf_valtype_t *type)
{
	const struct vf_module *m = e->m;

	// The global space is built before the global section is read.
	if (gi >= m->nimported_globals)
		return vf_failf(e, ERR_VF_UNKNOWN_GLOBAL, at, "global %u", gi);
	if (e->globals[gi].type.is_mutable)
		return vf_fail(e, ERR_VF_CONST_EXPR, at);
	*type = e->globals[gi].type.type;
	return ERR_OK;
}

// One constant instruction; *type is the type it pushes.
ISOLA_MUST_CHECK
static isola_err_t vf_const_instr(struct vf_env *e, struct vf_rd *r,
				  struct vf_const *c, vf_valtype_t *type)
{
	const uint8_t *at = r->p;
	uint8_t op;
	int32_t v32;
	int64_t v64;
	uint32_t idx;

	TRY(vf_rd_byte(e, r, &op));
	c->kind = op;
	switch (op) {
	case VF_CONST_I32:
		TRY(vf_rd_s32(e, r, &v32));
		c->value = (uint32_t)v32, *type = VF_TYPE_I32;
		return ERR_OK;
	case VF_CONST_I64:
		TRY(vf_rd_s64(e, r, &v64));
		c->value = (uint64_t)v64, *type = VF_TYPE_I64;
		return ERR_OK;
	case VF_CONST_F32:
		c->value = 0, *type = VF_TYPE_F32;
		TRY(vf_rd_skip(e, r, 4));
		for (int i = 0; i < 4; i++)
			c->value |= (uint64_t)r->p[i - 4] << (8 * i);
		return ERR_OK;
	case VF_CONST_F64:
		c->value = 0, *type = VF_TYPE_F64;
		TRY(vf_rd_skip(e, r, 8));
		for (int i = 0; i < 8; i++)
			c->value |= (uint64_t)r->p[i - 8] << (8 * i);
		return ERR_OK;
	case VF_CONST_GLOBAL_GET:
		TRY(vf_rd_u32(e, r, &idx));
		c->value = idx;
		return vf_const_global(e, at, idx, type);
	case 0x0b:
		// V-CONST-TYPE: an empty expression pushes nothing.
		return vf_fail(e, ERR_VF_TYPE_MISMATCH, at);
	default:
		return vf_failf(e, ERR_VF_CONST_EXPR, at, "opcode 0x%02x", op);
	}
}

isola_err_t vf_const_expr(struct vf_env *e, struct vf_rd *r, vf_valtype_t want,
			  struct vf_const *out)
{
	const uint8_t *at = r->p;
	vf_valtype_t got;
	uint8_t end;

	TRY(vf_const_instr(e, r, out, &got));
	if (got != want)
		return vf_fail(e, ERR_VF_TYPE_MISMATCH, at);
	const uint8_t *end_at = r->p;
	TRY(vf_rd_byte(e, r, &end));
	if (end != 0x0b) {
		// A second value is a type error; anything else is not constant.
		bool is_const = end == 0x41 || end == 0x42 || end == 0x43 ||
				end == 0x44 || end == 0x23;
		return vf_fail(e, is_const ? ERR_VF_TYPE_MISMATCH
					   : ERR_VF_CONST_EXPR, end_at);
	}
	return ERR_OK;
}

// ---- element segments ---------------------------------------------------

// An element expression (bulk memory): ref.null func or ref.func f, end.
ISOLA_MUST_CHECK
static isola_err_t vf_elem_expr(struct vf_env *e, struct vf_rd *r,
				uint32_t *func)
{
	const uint8_t *at = r->p;
	uint8_t op, b;

	TRY(vf_rd_byte(e, r, &op));
	if (op == 0xd0) {
		TRY(vf_rd_byte(e, r, &b));
		if (b != VF_TYPE_FUNCREF)
			return vf_fail(e, ERR_VF_TYPE_MISMATCH, r->p - 1);
		*func = VF_NO_INDEX;
	} else if (op == 0xd2) {
		TRY(vf_rd_u32(e, r, func));
		if (*func >= e->m->nfuncs)
			return vf_failf(e, ERR_VF_UNKNOWN_FUNC, at, "function %u",
					*func);
	} else {
		return vf_failf(e, ERR_VF_CONST_EXPR, at, "opcode 0x%02x", op);
	}
	TRY(vf_rd_byte(e, r, &b));
	if (b != 0x0b)
		return vf_fail(e, ERR_VF_CONST_END, r->p - 1);
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_elem_items(struct vf_env *e, struct vf_rd *r,
				 struct vf_elem *s, bool exprs)
{
	uint32_t *f;

	TRY(vf_rd_count(e, r, VF_MAX_ELEM_ENTRIES, 1, &s->count));
	TRY(vf_alloc(e, s->count, sizeof(*f), (void **)&f));
	s->funcs = f;
	for (uint32_t i = 0; i < s->count; i++) {
		const uint8_t *at = r->p;
		if (exprs) {
			TRY(vf_elem_expr(e, r, &f[i]));
			continue;
		}
		TRY(vf_rd_u32(e, r, &f[i]));
		if (f[i] >= e->m->nfuncs)
			return vf_failf(e, ERR_VF_UNKNOWN_FUNC, at, "function %u",
					f[i]);
	}
	return ERR_OK;
}

// The element type of the flag forms that carry one: an elemkind byte
// (0x00 = funcref) for index lists, a reference type for expressions.
ISOLA_MUST_CHECK
static isola_err_t vf_elem_type(struct vf_env *e, struct vf_rd *r, bool exprs)
{
	uint8_t b;

	TRY(vf_rd_byte(e, r, &b));
	if ((exprs && b == VF_TYPE_FUNCREF) || (!exprs && b == 0x00))
		return ERR_OK;
	if (exprs && b == 0x6f)
		return vf_fail(e, ERR_VF_UNSUPPORTED, r->p - 1);
	return vf_failf(e, ERR_VF_ELEM_TYPE, r->p - 1, "0x%02x", b);
}

// M-ELEM-KIND: flags bit 0 passive/declarative, bit 1 explicit table
// index (or declarative), bit 2 expressions instead of indices.
ISOLA_MUST_CHECK
static isola_err_t vf_elem_segment(struct vf_env *e, struct vf_rd *r,
				   struct vf_elem *s)
{
	const uint8_t *at = r->p;
	uint32_t flags;

	s->offset_in_file = vf_off(e, at);
	s->elem_type = VF_TYPE_FUNCREF;
	TRY(vf_rd_u32(e, r, &flags));
	if (flags > 7)
		return vf_failf(e, ERR_VF_ELEM_KIND, at, "flags %u", flags);
	if (flags != 0 && !(e->features & VF_FEAT_BULK_MEMORY))
		return vf_failf(e, ERR_VF_UNSUPPORTED, at, "element flags %u",
				flags);
	if ((flags & 3) == 3)
		return vf_failf(e, ERR_VF_UNSUPPORTED, at,
				"declarative element segment");
	bool exprs = flags & 4;
	s->mode = (flags & 1) ? VF_SEG_PASSIVE : VF_SEG_ACTIVE;
	if (s->mode == VF_SEG_ACTIVE) {
		const uint8_t *tat = (flags & 2) ? r->p : at;
		if (flags & 2)
			TRY(vf_rd_u32(e, r, &s->table_index));
		if (s->table_index >= e->m->ntables)
			return vf_failf(e, ERR_VF_UNKNOWN_TABLE, tat, "table %u",
					s->table_index);
		TRY(vf_const_expr(e, r, VF_TYPE_I32, &s->offset));
	}
	if (flags & 3)
		TRY(vf_elem_type(e, r, exprs));
	return vf_elem_items(e, r, s, exprs);
}

isola_err_t vf_sec_elem(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	struct vf_elem *s;

	TRY(vf_rd_count(e, r, VF_MAX_SEGMENTS, 2, &m->nelems));
	TRY(vf_alloc(e, m->nelems, sizeof(*s), (void **)&s));
	m->elems = s;
	for (uint32_t i = 0; i < m->nelems; i++)
		TRY(vf_elem_segment(e, r, &s[i]));
	return ERR_OK;
}

// ---- data segments ------------------------------------------------------

ISOLA_MUST_CHECK
static isola_err_t vf_data_segment(struct vf_env *e, struct vf_rd *r,
				   struct vf_data *d)
{
	const uint8_t *at = r->p;
	uint32_t flags, len;

	TRY(vf_rd_u32(e, r, &flags));
	// Without bulk memory the first field is the memory index.
	if (!(e->features & VF_FEAT_BULK_MEMORY)) {
		d->memory_index = flags;
		flags = 0;
	} else if (flags > 2) {
		return vf_failf(e, ERR_VF_DATA_KIND, at, "flags %u", flags);
	} else if (flags == 2) {
		at = r->p;
		TRY(vf_rd_u32(e, r, &d->memory_index));
	}
	d->mode = flags == 1 ? VF_SEG_PASSIVE : VF_SEG_ACTIVE;
	if (d->mode == VF_SEG_ACTIVE) {
		if (d->memory_index >= e->m->nmemories)
			return vf_failf(e, ERR_VF_UNKNOWN_MEMORY, at, "memory %u",
					d->memory_index);
		TRY(vf_const_expr(e, r, VF_TYPE_I32, &d->offset));
	}
	const uint8_t *len_at = r->p;
	TRY(vf_rd_u32(e, r, &len));
	if (len > (size_t)(r->end - r->p))
		return vf_fail(e, ERR_VF_LENGTH, len_at);
	d->bytes.off = vf_off(e, r->p);
	d->bytes.len = len;
	r->p += len;
	return ERR_OK;
}

isola_err_t vf_sec_data(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	const uint8_t *at = r->p;
	struct vf_data *d;
	uint32_t n;

	TRY(vf_rd_count(e, r, VF_MAX_SEGMENTS, 1, &n));
	// M-DATA-COUNT: the data count section, if any, announced n.
	if (m->has_data_count && n != m->data_count)
		return vf_fail(e, ERR_VF_DATA_COUNT, at);
	TRY(vf_alloc(e, n, sizeof(*d), (void **)&d));
	m->datas = d;
	m->ndatas = n;
	for (uint32_t i = 0; i < n; i++)
		TRY(vf_data_segment(e, r, &d[i]));
	return ERR_OK;
}

isola_err_t vf_sec_datacount(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	const uint8_t *at = r->p;

	TRY(vf_rd_u32(e, r, &m->data_count));
	if (m->data_count > VF_MAX_SEGMENTS)
		return vf_fail(e, ERR_VF_LIMIT_COUNT, at);
	m->has_data_count = true;
	return ERR_OK;
}

// ---- custom sections ----------------------------------------------------

isola_err_t vf_sec_custom(struct vf_env *e, struct vf_rd *r,
			  const uint8_t *sec_start)
{
	struct vf_module *m = e->m;
	struct vf_custom *c;

	if (m->ncustoms >= VF_MAX_CUSTOMS)
		return vf_fail(e, ERR_VF_LIMIT_COUNT, sec_start);
	TRY(vf_grow(e, (void **)&e->customs, &e->customs_cap, m->ncustoms + 1,
		    sizeof(*c)));
	m->customs = e->customs;
	c = &e->customs[m->ncustoms];
	TRY(vf_rd_name(e, r, &c->name));
	c->section_off = vf_off(e, sec_start);
	c->payload.off = vf_off(e, r->p);
	c->payload.len = (uint32_t)(r->end - r->p);
	r->p = r->end;
	m->ncustoms++;
	return ERR_OK;
}
