// SPDX-License-Identifier: MIT
// Instantiation: imports resolved through the embedder and checked for
// the exact type, the instance's own memory, table and globals, function
// objects pointing at the prepared (shared) code, segments and the start
// function; exports by name. The order follows the spec, so a failure
// leaves what it must behind.
#include "eng_internal.h"

ISOLA_MUST_CHECK
static isola_err_t eng_check_limits(uint32_t have_min, uint32_t have_max,
				    bool have_has_max,
				    const struct vf_limits *want)
{
	if (have_min < want->min)
		return ERR_ENG_IMPORT_TYPE;
	if (want->has_max && (!have_has_max || have_max > want->max))
		return ERR_ENG_IMPORT_TYPE;
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t eng_check_import(struct eng_instance *inst,
				    const struct vf_import *imp,
				    const struct eng_extern *x)
{
	const struct vf_module *m = inst->m;
	if (x->kind != imp->kind)
		return ERR_ENG_IMPORT_TYPE;
	switch (imp->kind) {
	case VF_EXTERN_FUNC:
		if (!eng_sig_equal(x->u.func->type, vf_func_type(m, imp->index)))
			return ERR_ENG_IMPORT_TYPE;
		inst->funcs[imp->index] = x->u.func;
		return ERR_OK;
	case VF_EXTERN_TABLE:
		TRY(eng_check_limits(x->u.table->size, x->u.table->max,
				     x->u.table->has_max,
				     &m->tables[imp->index].limits));
		inst->table = x->u.table;
		return ERR_OK;
	case VF_EXTERN_MEMORY:
		TRY(eng_check_limits(x->u.memory->pages, x->u.memory->max_pages,
				     x->u.memory->has_max,
				     &m->memories[imp->index].limits));
		// Code that relies on guard regions needs them around any memory.
		if (inst->prep->guard && x->u.memory->vm == NULL)
			return ERR_ENG_IMPORT_TYPE;
		inst->mem = x->u.memory;
		return ERR_OK;
	default: {
		const struct vf_globaltype *t = &m->globals[imp->index].type;
		if (x->u.global->type != t->type ||
		    x->u.global->is_mutable != t->is_mutable)
			return ERR_ENG_IMPORT_TYPE;
		inst->globals[imp->index] = x->u.global;
		return ERR_OK;
	}
	}
}

ISOLA_MUST_CHECK
static isola_err_t eng_link(struct eng_instance *inst,
			    const struct eng_config *cfg)
{
	const struct vf_module *m = inst->m;
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct vf_import *imp = &m->imports[i];
		struct eng_extern x;
		if (cfg->resolve == NULL)
			return ERR_ENG_IMPORT_UNKNOWN;
		TRY(cfg->resolve(cfg->resolve_ctx,
				 (const char *)vf_range_ptr(m, imp->module),
				 imp->module.len,
				 (const char *)vf_range_ptr(m, imp->field),
				 imp->field.len, imp->kind, &x));
		TRY(eng_check_import(inst, imp, &x));
	}
	return ERR_OK;
}

static uint64_t eng_const_bits(const struct eng_instance *inst,
			       const struct vf_const *c, vf_valtype_t type)
{
	uint64_t v = c->kind == VF_CONST_GLOBAL_GET
			     ? inst->globals[c->value]->bits
			     : c->value;
	return (type == VF_TYPE_I32 || type == VF_TYPE_F32) ? (uint32_t)v : v;
}

ISOLA_MUST_CHECK
static isola_err_t eng_make_globals(struct eng_instance *inst)
{
	const struct vf_module *m = inst->m;
	uint32_t nown = m->nglobals - m->nimported_globals;
	TRY(eng_alloc(&inst->arena, (size_t)nown * sizeof(struct eng_global),
		      (void **)&inst->own_globals));
	for (uint32_t i = 0; i < nown; i++) {
		const struct vf_global *g = &m->globals[m->nimported_globals + i];
		struct eng_global *c = &inst->own_globals[i];
		c->type = g->type.type;
		c->is_mutable = g->type.is_mutable;
		c->bits = eng_const_bits(inst, &g->init, g->type.type);
		inst->globals[m->nimported_globals + i] = c;
	}
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t eng_make_memory_table(struct eng_instance *inst,
					 const struct eng_config *cfg)
{
	const struct vf_module *m = inst->m;
	if (m->nmemories > m->nimported_memories) {
		const struct vf_limits *l = &m->memories[m->nimported_memories].limits;
		uint32_t cap = cfg->max_pages ? cfg->max_pages : ENG_MAX_PAGES;
		uint32_t max = l->has_max ? ISOLA_MIN(l->max, cap) : cap;
		if (l->min > cap)
			return ERR_ENG_MEMORY_LIMIT;
		if (inst->prep->guard && cfg->vm == NULL)
			return ERR_INVAL;
		if (inst->prep->guard)
			TRY(eng_memory_init_vm(&inst->own_mem, cfg->vm, l->min, max,
					       l->has_max));
		else
			TRY(eng_memory_init(&inst->own_mem, cfg->mem_alloc, l->min, max,
					    l->has_max));
		inst->has_own_mem = true;
		inst->mem = &inst->own_mem;
	}
	if (m->ntables > m->nimported_tables) {
		const struct vf_limits *l = &m->tables[m->nimported_tables].limits;
		TRY(eng_table_init(&inst->own_table, inst->alloc, l->min, l->max,
				   l->has_max));
		inst->has_own_table = true;
		inst->table = &inst->own_table;
	}
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t eng_make_funcs(struct eng_instance *inst)
{
	const struct vf_module *m = inst->m;
	uint32_t nown = m->nfuncs - m->nimported_funcs;
	TRY(eng_alloc(&inst->arena, (size_t)nown * sizeof(struct eng_func),
		      (void **)&inst->own_funcs));
	for (uint32_t i = 0; i < nown; i++) {
		struct eng_func *f = &inst->own_funcs[i];
		f->index = m->nimported_funcs + i;
		f->type = vf_func_type(m, f->index);
		f->sig_hash = eng_sig_hash(f->type);
		f->inst = inst;
		f->code = &inst->prep->codes[i];
		inst->funcs[f->index] = f;
	}
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t eng_make_arrays(struct eng_instance *inst)
{
	const struct vf_module *m = inst->m;
	TRY(eng_alloc(&inst->arena, (size_t)m->nfuncs * sizeof(void *) + 8,
		      (void **)&inst->funcs));
	TRY(eng_alloc(&inst->arena, (size_t)m->nglobals * sizeof(void *) + 8,
		      (void **)&inst->globals));
	TRY(eng_alloc(&inst->arena, m->ndatas + 1, (void **)&inst->data_dropped));
	TRY(eng_alloc(&inst->arena, m->nelems + 1, (void **)&inst->elem_dropped));
	return ERR_OK;
}

// Everything before the segments: nothing visible outside.
ISOLA_MUST_CHECK
static isola_err_t eng_build(struct eng_instance *inst,
			     const struct eng_config *cfg)
{
	TRY(eng_make_arrays(inst));
	TRY(eng_link(inst, cfg));
	TRY(eng_make_globals(inst));
	TRY(eng_make_memory_table(inst, cfg));
	return eng_make_funcs(inst);
}

isola_err_t eng_instantiate_prepared(const struct eng_prepared *p,
				     const struct eng_config *cfg,
				     struct eng_instance **out)
{
	const struct vf_allocator *a = cfg->alloc;
	const struct vf_module *m = p->m;
	struct eng_instance *inst = a->alloc(a->ctx, sizeof(*inst));
	if (inst == NULL)
		return ERR_NOMEM;
	memset(inst, 0, sizeof(*inst));
	inst->m = m;
	inst->prep = p;
	inst->alloc = a;
	inst->arena.alloc = a;
	isola_err_t err = eng_build(inst, cfg);
	if (err != ERR_OK) {
		eng_instance_free(inst);
		return err;
	}
	*out = inst;
	return eng_apply_segments(inst);
}

isola_err_t eng_instance_start(struct eng_thread *th, struct eng_instance *inst)
{
	if (inst->m->start == VF_NO_INDEX)
		return ERR_OK;
	return eng_call(th, inst->funcs[inst->m->start], NULL, NULL);
}

isola_err_t eng_instantiate(const struct vf_module *m,
			    const struct eng_config *cfg, struct eng_thread *th,
			    struct eng_instance **out)
{
	struct eng_prepared *p;
	struct eng_instance *inst = NULL;
	if (cfg->prepare != NULL)
		TRY(eng_module_prepare_cfg(m, cfg->prepare, &p));
	else
		TRY(eng_module_prepare(m, cfg->alloc, &p));
	isola_err_t err = eng_instantiate_prepared(p, cfg, &inst);
	if (err == ERR_OK)
		err = eng_instance_start(th, inst);
	if (inst == NULL) {
		eng_prepared_free(p);
		return err;
	}
	inst->own_prep = p;
	*out = inst;
	return err;
}

void eng_instance_free(struct eng_instance *inst)
{
	if (inst->has_own_mem)
		eng_memory_fini(&inst->own_mem);
	if (inst->has_own_table)
		eng_table_fini(&inst->own_table, inst->alloc);
	struct eng_prepared *own_prep = inst->own_prep;
	eng_free_all(&inst->arena);
	if (inst->alloc->free != NULL)
		inst->alloc->free(inst->alloc->ctx, inst, sizeof(*inst));
	eng_prepared_free(own_prep);
}

isola_err_t eng_instance_export(const struct eng_instance *inst,
				const char *name, size_t len,
				struct eng_extern *out)
{
	const struct vf_module *m = inst->m;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct vf_export *e = &m->exports[i];
		if (e->name.len != len || memcmp(vf_range_ptr(m, e->name), name, len))
			continue;
		out->kind = e->kind;
		if (e->kind == VF_EXTERN_FUNC)
			out->u.func = inst->funcs[e->index];
		else if (e->kind == VF_EXTERN_TABLE)
			out->u.table = inst->table;
		else if (e->kind == VF_EXTERN_MEMORY)
			out->u.memory = inst->mem;
		else
			out->u.global = inst->globals[e->index];
		return ERR_OK;
	}
	return ERR_NOTFOUND;
}

struct eng_memory *eng_instance_memory(const struct eng_instance *inst)
{
	return inst->mem;
}
