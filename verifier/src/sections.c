// SPDX-License-Identifier: MIT
// Decoders for the sections that declare things: types, imports, functions,
// tables, memories, globals, exports and start. Each checks its own rules
// (docs/verifier-rules.md) as it reads and fills the module's arrays.
#include "vf_env.h"

#include <string.h>

// ---- types --------------------------------------------------------------

ISOLA_MUST_CHECK
static isola_err_t vf_valtypes(struct vf_env *e, struct vf_rd *r,
			       uint32_t max, vf_valtype_t *pool, uint32_t *n)
{
	const uint8_t *at = r->p;

	TRY(vf_rd_count(e, r, UINT32_MAX, 1, n));
	if (*n > max)
		return vf_failf(e, ERR_VF_LIMIT_PARAMS, at, "%u types", *n);
	for (uint32_t i = 0; i < *n; i++)
		TRY(vf_rd_valtype(e, r, &pool[i]));
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_functype(struct vf_env *e, struct vf_rd *r,
			       struct vf_functype *t, vf_valtype_t **pool)
{
	const uint8_t *at = r->p;
	uint8_t form;

	TRY(vf_rd_byte(e, r, &form));
	if (form != 0x60)
		return vf_failf(e, ERR_VF_FUNCTYPE_FORM, at, "form 0x%02x", form);
	t->types = *pool;
	TRY(vf_valtypes(e, r, VF_MAX_PARAMS, *pool, &t->nparams));
	*pool += t->nparams;
	TRY(vf_valtypes(e, r, VF_MAX_RESULTS, *pool, &t->nresults));
	*pool += t->nresults;
	// V-RESULT-ARITY: several results need multi-value.
	if (t->nresults > 1 && !(e->features & VF_FEAT_MULTI_VALUE))
		return vf_fail(e, ERR_VF_RESULT_ARITY, at);
	return ERR_OK;
}

isola_err_t vf_sec_type(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	vf_valtype_t *pool;

	TRY(vf_rd_count(e, r, VF_MAX_TYPES, 3, &m->ntypes));
	TRY(vf_alloc(e, m->ntypes, sizeof(*e->types), (void **)&e->types));
	// Every value type takes one byte of the section: the pool fits.
	TRY(vf_alloc(e, (size_t)(r->end - r->p), 1, (void **)&pool));
	m->types = e->types;
	for (uint32_t i = 0; i < m->ntypes; i++)
		TRY(vf_functype(e, r, &e->types[i], &pool));
	return ERR_OK;
}

// ---- limits, tables, memories, globals ----------------------------------

ISOLA_MUST_CHECK
static isola_err_t vf_limits(struct vf_env *e, struct vf_rd *r,
			     uint32_t max_pages, struct vf_limits *l)
{
	const uint8_t *at = r->p;
	uint8_t flags;

	TRY(vf_rd_byte(e, r, &flags));
	if (flags == 2 || flags == 3 || flags == 4 || flags == 5)
		return vf_failf(e, ERR_VF_UNSUPPORTED, at,
				"limits flags 0x%02x (shared or 64-bit)", flags);
	if (flags > 1)
		return vf_failf(e, ERR_VF_LIMITS_FLAGS, at, "0x%02x", flags);
	const uint8_t *min_at = r->p;
	TRY(vf_rd_u32(e, r, &l->min));
	l->has_max = flags == 1;
	l->max = 0;
	const uint8_t *max_at = r->p;
	if (l->has_max)
		TRY(vf_rd_u32(e, r, &l->max));
	if (max_pages && l->min > max_pages)
		return vf_fail(e, ERR_VF_MEMORY_PAGES, min_at);
	if (max_pages && l->has_max && l->max > max_pages)
		return vf_fail(e, ERR_VF_MEMORY_PAGES, max_at);
	if (l->has_max && l->min > l->max)
		return vf_fail(e, ERR_VF_LIMITS_MIN_MAX, at);
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_tabletype(struct vf_env *e, struct vf_rd *r,
				struct vf_table *t)
{
	uint8_t b;

	TRY(vf_rd_byte(e, r, &b));
	if (b == 0x6f)
		return vf_fail(e, ERR_VF_UNSUPPORTED, r->p - 1);
	if (b != VF_TYPE_FUNCREF)
		return vf_failf(e, ERR_VF_ELEM_TYPE, r->p - 1, "0x%02x", b);
	t->elem_type = b;
	return vf_limits(e, r, 0, &t->limits);
}

ISOLA_MUST_CHECK
static isola_err_t vf_globaltype(struct vf_env *e, struct vf_rd *r,
				 struct vf_globaltype *g)
{
	uint8_t mut;

	TRY(vf_rd_valtype(e, r, &g->type));
	TRY(vf_rd_byte(e, r, &mut));
	if (mut > 1)
		return vf_failf(e, ERR_VF_MUTABILITY, r->p - 1, "0x%02x", mut);
	g->is_mutable = mut == 1;
	return ERR_OK;
}

// ---- imports ------------------------------------------------------------

static uint32_t vf_nimported(const struct vf_module *m, uint8_t kind)
{
	switch (kind) {
	case VF_EXTERN_FUNC: return m->nimported_funcs;
	case VF_EXTERN_TABLE: return m->nimported_tables;
	case VF_EXTERN_MEMORY: return m->nimported_memories;
	default: return m->nimported_globals;
	}
}

static void vf_count_import(struct vf_module *m, uint8_t kind)
{
	switch (kind) {
	case VF_EXTERN_FUNC: m->nimported_funcs++; break;
	case VF_EXTERN_TABLE: m->nimported_tables++; break;
	case VF_EXTERN_MEMORY: m->nimported_memories++; break;
	default: m->nimported_globals++; break;
	}
}

ISOLA_MUST_CHECK
static isola_err_t vf_import_desc(struct vf_env *e, struct vf_rd *r,
				  uint8_t kind, struct vf_import_desc *d)
{
	const uint8_t *at = r->p;

	switch (kind) {
	case VF_EXTERN_FUNC:
		TRY(vf_rd_u32(e, r, &d->type_index));
		if (d->type_index >= e->m->ntypes)
			return vf_failf(e, ERR_VF_UNKNOWN_TYPE, at, "type %u",
					d->type_index);
		return ERR_OK;
	case VF_EXTERN_TABLE:
		return vf_tabletype(e, r, &d->table);
	case VF_EXTERN_MEMORY:
		return vf_limits(e, r, VF_MAX_PAGES, &d->memory.limits);
	default:
		TRY(vf_globaltype(e, r, &d->global));
		// V-MUT-GLOBAL: mutable imports need mutable-globals.
		if (d->global.is_mutable &&
		    !(e->features & VF_FEAT_MUTABLE_GLOBALS))
			return vf_fail(e, ERR_VF_MUTABLE_GLOBAL, at);
		return ERR_OK;
	}
}

isola_err_t vf_sec_import(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	struct vf_import_desc *d;

	TRY(vf_rd_count(e, r, VF_MAX_IMPORTS, 4, &m->nimports));
	TRY(vf_alloc(e, m->nimports, sizeof(*e->imports), (void **)&e->imports));
	TRY(vf_alloc(e, m->nimports, sizeof(*d), (void **)&d));
	m->imports = e->imports;
	e->import_descs = d;
	for (uint32_t i = 0; i < m->nimports; i++) {
		struct vf_import *im = &e->imports[i];
		im->offset = vf_off(e, r->p);
		TRY(vf_rd_name(e, r, &im->module));
		TRY(vf_rd_name(e, r, &im->field));
		const uint8_t *at = r->p;
		TRY(vf_rd_byte(e, r, &im->kind));
		if (im->kind == 4)
			return vf_fail(e, ERR_VF_UNSUPPORTED, at);
		if (im->kind > 3)
			return vf_failf(e, ERR_VF_IMPORT_KIND, at, "0x%02x",
					im->kind);
		TRY(vf_import_desc(e, r, im->kind, &d[i]));
		im->index = vf_nimported(m, im->kind);
		vf_count_import(m, im->kind);
		// V-ONE-TABLE, V-ONE-MEMORY count imports too.
		if (m->nimported_tables > 1)
			return vf_fail(e, ERR_VF_MULTIPLE_TABLES, at);
		if (m->nimported_memories > 1)
			return vf_fail(e, ERR_VF_MULTIPLE_MEMORIES, at);
	}
	return ERR_OK;
}

// ---- index spaces -------------------------------------------------------

static void vf_space_import(struct vf_env *e, enum vf_extern_kind kind,
			    void *arr)
{
	const struct vf_module *m = e->m;

	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct vf_import *im = &m->imports[i];
		const struct vf_import_desc *d = &e->import_descs[i];
		if (im->kind != kind)
			continue;
		switch (kind) {
		case VF_EXTERN_FUNC:
			((struct vf_func *)arr)[im->index] = (struct vf_func){
				.type_index = d->type_index, .is_imported = true};
			break;
		case VF_EXTERN_TABLE:
			((struct vf_table *)arr)[im->index] = d->table;
			((struct vf_table *)arr)[im->index].is_imported = true;
			break;
		case VF_EXTERN_MEMORY:
			((struct vf_memory *)arr)[im->index] = d->memory;
			((struct vf_memory *)arr)[im->index].is_imported = true;
			break;
		case VF_EXTERN_GLOBAL:
			((struct vf_global *)arr)[im->index] = (struct vf_global){
				.type = d->global, .is_imported = true};
			break;
		}
	}
}

isola_err_t vf_space_build(struct vf_env *e, enum vf_extern_kind kind,
			   uint32_t nlocal)
{
	struct vf_module *m = e->m;
	static const size_t elem_size[4] = {
		sizeof(struct vf_func), sizeof(struct vf_table),
		sizeof(struct vf_memory), sizeof(struct vf_global)};
	uint32_t nimp = vf_nimported(m, (uint8_t)kind);
	uint64_t total = (uint64_t)nimp + nlocal;
	void *arr;

	if (total > VF_MAX_FUNCS)
		return vf_fail(e, ERR_VF_LIMIT_COUNT, NULL);
	TRY(vf_alloc(e, (size_t)total, elem_size[kind], &arr));
	vf_space_import(e, kind, arr);
	e->spaces_built[kind] = true;
	switch (kind) {
	case VF_EXTERN_FUNC:
		e->funcs = arr, m->funcs = arr, m->nfuncs = (uint32_t)total;
		break;
	case VF_EXTERN_TABLE:
		e->tables = arr, m->tables = arr, m->ntables = (uint32_t)total;
		break;
	case VF_EXTERN_MEMORY:
		e->memories = arr, m->memories = arr;
		m->nmemories = (uint32_t)total;
		break;
	case VF_EXTERN_GLOBAL:
		e->globals = arr, m->globals = arr, m->nglobals = (uint32_t)total;
		break;
	}
	return ERR_OK;
}

// ---- function, table, memory, global sections ---------------------------

isola_err_t vf_sec_function(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	uint32_t n;

	TRY(vf_rd_count(e, r, VF_MAX_FUNCS, 1, &n));
	TRY(vf_space_build(e, VF_EXTERN_FUNC, n));
	e->nlocal_funcs = n;
	for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
		const uint8_t *at = r->p;
		TRY(vf_rd_u32(e, r, &e->funcs[i].type_index));
		if (e->funcs[i].type_index >= m->ntypes)
			return vf_failf(e, ERR_VF_UNKNOWN_TYPE, at, "type %u",
					e->funcs[i].type_index);
	}
	return ERR_OK;
}

isola_err_t vf_sec_table(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	const uint8_t *at = r->p;
	uint32_t n;

	TRY(vf_rd_count(e, r, VF_MAX_GLOBALS, 3, &n));
	// V-ONE-TABLE: at most one table, imported or defined.
	if ((uint64_t)n + m->nimported_tables > 1)
		return vf_fail(e, ERR_VF_MULTIPLE_TABLES, at);
	TRY(vf_space_build(e, VF_EXTERN_TABLE, n));
	for (uint32_t i = m->nimported_tables; i < m->ntables; i++)
		TRY(vf_tabletype(e, r, &e->tables[i]));
	return ERR_OK;
}

isola_err_t vf_sec_memory(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	const uint8_t *at = r->p;
	uint32_t n;

	TRY(vf_rd_count(e, r, VF_MAX_GLOBALS, 2, &n));
	// V-ONE-MEMORY: at most one memory, imported or defined.
	if ((uint64_t)n + m->nimported_memories > 1)
		return vf_fail(e, ERR_VF_MULTIPLE_MEMORIES, at);
	TRY(vf_space_build(e, VF_EXTERN_MEMORY, n));
	for (uint32_t i = m->nimported_memories; i < m->nmemories; i++)
		TRY(vf_limits(e, r, VF_MAX_PAGES, &e->memories[i].limits));
	return ERR_OK;
}

isola_err_t vf_sec_global(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	uint32_t n;

	TRY(vf_rd_count(e, r, VF_MAX_GLOBALS, 4, &n));
	TRY(vf_space_build(e, VF_EXTERN_GLOBAL, n));
	for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
		struct vf_global *g = &e->globals[i];
		TRY(vf_globaltype(e, r, &g->type));
		TRY(vf_const_expr(e, r, g->type.type, &g->init));
	}
	return ERR_OK;
}

// ---- exports and start --------------------------------------------------

static uint32_t vf_hash(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

// V-EXPORT-UNIQUE with an open-addressing table: linear time.
ISOLA_MUST_CHECK
static isola_err_t vf_exports_unique(struct vf_env *e)
{
	const struct vf_module *m = e->m;
	uint32_t cap = 16, *slot;

	while (cap < 2 * m->nexports)
		cap *= 2;
	TRY(vf_alloc(e, cap, sizeof(*slot), (void **)&slot));
	for (uint32_t i = 0; i < m->nexports; i++) {
		struct vf_range n = m->exports[i].name;
		uint32_t h = vf_hash(e->base + n.off, n.len) & (cap - 1);
		for (; slot[h]; h = (h + 1) & (cap - 1)) {
			struct vf_range o = m->exports[slot[h] - 1].name;
			if (o.len == n.len &&
			    memcmp(e->base + o.off, e->base + n.off, n.len) == 0) {
				vf_free(e, slot);
				return vf_fail(e, ERR_VF_DUPLICATE_EXPORT,
					       e->base + n.off);
			}
		}
		slot[h] = i + 1;
	}
	vf_free(e, slot);
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_export_index(struct vf_env *e, const uint8_t *at,
				   const struct vf_export *x)
{
	const struct vf_module *m = e->m;
	static const isola_err_t unknown[4] = {
		ERR_VF_UNKNOWN_FUNC, ERR_VF_UNKNOWN_TABLE, ERR_VF_UNKNOWN_MEMORY,
		ERR_VF_UNKNOWN_GLOBAL};
	const uint32_t count[4] = {m->nfuncs, m->ntables, m->nmemories,
				   m->nglobals};

	if (x->index >= count[x->kind])
		return vf_failf(e, unknown[x->kind], at, "index %u", x->index);
	// V-MUT-GLOBAL covers imports only: WebAssembly 1.0 (and wabt with
	// mutable-globals off) lets a module export a mutable global.
	return ERR_OK;
}

isola_err_t vf_sec_export(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	struct vf_export *xs;

	TRY(vf_rd_count(e, r, VF_MAX_EXPORTS, 3, &m->nexports));
	TRY(vf_alloc(e, m->nexports, sizeof(*xs), (void **)&xs));
	m->exports = xs;
	for (uint32_t i = 0; i < m->nexports; i++) {
		TRY(vf_rd_name(e, r, &xs[i].name));
		const uint8_t *at = r->p;
		TRY(vf_rd_byte(e, r, &xs[i].kind));
		if (xs[i].kind > 3)
			return vf_failf(e, xs[i].kind == 4 ? ERR_VF_UNSUPPORTED
							   : ERR_VF_EXPORT_KIND,
					at, "0x%02x", xs[i].kind);
		TRY(vf_rd_u32(e, r, &xs[i].index));
		TRY(vf_export_index(e, at, &xs[i]));
	}
	return vf_exports_unique(e);
}

isola_err_t vf_sec_start(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	const uint8_t *at = r->p;
	uint32_t f;

	TRY(vf_rd_u32(e, r, &f));
	if (f >= m->nfuncs)
		return vf_failf(e, ERR_VF_UNKNOWN_FUNC, at, "function %u", f);
	const struct vf_functype *t = vf_func_type(m, f);
	if (t->nparams != 0 || t->nresults != 0)
		return vf_fail(e, ERR_VF_START_TYPE, at);
	m->start = f;
	return ERR_OK;
}
