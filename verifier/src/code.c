// SPDX-License-Identifier: MIT
// The code section: each body's size, its local declarations (expanded
// into the scratch type array the validator indexes), then the validation
// of its instructions, and what validation learnt (maximum operand stack
// height, nesting depth, block side table) stored in struct vf_func.
#include "validate.h"

#include <string.h>

// M-LOCALS: runs of (count, type); the total stays within VF_MAX_LOCALS.
ISOLA_MUST_CHECK
static isola_err_t vf_locals_count(struct vf_env *e, struct vf_rd *r,
				   uint32_t *nruns, uint32_t *total)
{
	uint64_t sum = 0;
	uint32_t n;
	vf_valtype_t t;

	TRY(vf_rd_count(e, r, UINT32_MAX, 2, nruns));
	for (uint32_t i = 0; i < *nruns; i++) {
		const uint8_t *at = r->p;
		TRY(vf_rd_u32(e, r, &n));
		sum += n;
		if (sum > VF_MAX_LOCALS)
			return vf_failf(e, ERR_VF_TOO_MANY_LOCALS, at,
					"%llu locals", (unsigned long long)sum);
		TRY(vf_rd_valtype(e, r, &t));
	}
	*total = (uint32_t)sum;
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_locals(struct vf_env *e, struct vf_rd *r,
			     struct vf_func *fn, uint32_t *nall)
{
	const struct vf_functype *t = &e->m->types[fn->type_index];
	struct vf_rd again = *r;
	struct vf_local_run *runs;
	uint32_t nruns, total;

	TRY(vf_locals_count(e, r, &nruns, &total));
	TRY(vf_carve(e, nruns, sizeof(*runs), (void **)&runs));
	*nall = t->nparams + total;
	TRY(vf_grow(e, (void **)&e->s.locals, &e->s.locals_cap, *nall + 1, 1));
	memcpy(e->s.locals, t->types, t->nparams);
	vf_valtype_t *dst = e->s.locals + t->nparams;
	// The second reading cannot fail: the first checked every byte.
	TRY(vf_rd_u32(e, &again, &nruns));
	for (uint32_t i = 0; i < nruns; i++) {
		TRY(vf_rd_u32(e, &again, &runs[i].count));
		TRY(vf_rd_valtype(e, &again, &runs[i].type));
		memset(dst, runs[i].type, runs[i].count);
		dst += runs[i].count;
	}
	fn->nlocal_runs = nruns;
	fn->local_runs = runs;
	fn->nlocals = total;
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_keep_blocks(struct vf_env *e, struct vf_func *fn,
				  uint32_t n)
{
	struct vf_block *b;

	TRY(vf_carve(e, n, sizeof(*b), (void **)&b));
	if (n)
		memcpy(b, e->s.blocks, (size_t)n * sizeof(*b));
	fn->blocks = b;
	fn->nblocks = n;
	return ERR_OK;
}

isola_err_t vf_validate_body(struct vf_env *e, struct vf_rd *r, uint32_t fi)
{
	struct vf_func *fn = &e->funcs[fi];
	const struct vf_functype *t = &e->m->types[fn->type_index];
	struct vf_fn f;
	uint32_t nall;

	TRY(vf_locals(e, r, fn, &nall));
	fn->code_off = vf_off(e, r->p);
	memset(&f, 0, sizeof(f));
	f.e = e;
	f.m = e->m;
	f.r = (struct vf_cursor){r->p, r->end, NULL};
	f.vals = e->s.vals;
	f.vals_cap = e->s.vals_cap;
	f.ctls = e->s.ctls;
	f.locals = e->s.locals;
	f.nlocals = nall;
	f.want_blocks = e->flags & VF_OPT_BLOCK_TABLE;
	TRY(vf_push_ctl(&f, 0, NULL, 0, t->types + t->nparams, t->nresults));
	TRY(vf_dispatch(&f));
	// M-BODY-SIZE: the final end is the body's last byte.
	if (f.r.p != f.r.end)
		return vf_fail(e, ERR_VF_BODY_SIZE, f.r.p);
	r->p = f.r.p;
	fn->max_stack = f.max_vals;
	fn->max_depth = f.max_ctls;
	if (f.max_vals > e->m->max_stack)
		e->m->max_stack = f.max_vals;
	if (f.max_ctls > e->m->max_depth)
		e->m->max_depth = f.max_ctls;
	return f.want_blocks ? vf_keep_blocks(e, fn, f.nblocks) : ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_body(struct vf_env *e, struct vf_rd *r, uint32_t fi)
{
	const uint8_t *at = r->p;
	uint32_t size;

	TRY(vf_rd_u32(e, r, &size));
	if (size > (size_t)(r->end - r->p))
		return vf_fail(e, ERR_VF_EOF, r->end);
	if (size > VF_MAX_BODY_SIZE)
		return vf_failf(e, ERR_VF_LIMIT_BODY, at, "%u bytes", size);
	struct vf_rd sub = {r->p, r->p + size};
	e->funcs[fi].body = (struct vf_range){vf_off(e, r->p), size};
	e->cur_func = fi;
	TRY(vf_validate_body(e, &sub, fi));
	e->cur_func = VF_NO_INDEX;
	r->p = sub.end;
	return ERR_OK;
}

isola_err_t vf_sec_code(struct vf_env *e, struct vf_rd *r)
{
	struct vf_module *m = e->m;
	const uint8_t *at = r->p;
	uint32_t n;

	m->code_section = (struct vf_range){vf_off(e, r->p),
					    (uint32_t)(r->end - r->p)};
	e->saw_code = true;
	TRY(vf_rd_count(e, r, VF_MAX_FUNCS, 2, &n));
	// M-FUNC-CODE: one body per function of the function section.
	if (n != e->nlocal_funcs)
		return vf_failf(e, ERR_VF_FUNC_CODE_COUNT, at,
				"%u bodies for %u functions", n, e->nlocal_funcs);
	for (uint32_t i = 0; i < n; i++)
		TRY(vf_body(e, r, m->nimported_funcs + i));
	return ERR_OK;
}
