// SPDX-License-Identifier: MIT
// The analysis over a whole module (see own_interp.c for one function):
// quiet passes learn each function's summary, then a last pass reports
// with them. The first quiet pass analyses every function in index order
// and records which summaries each one read (its callees). A caller
// analysed before its callee read no summary of it, so later quiet
// passes go callees first (a depth-first post-order of the call graph)
// and analyse again only the functions one of whose callees' summary has
// changed since, until none has or OWN_QUIET_ROUNDS passes have run.
// Without recursion one such pass settles every summary. Once they have
// settled, the reporting pass analyses only the functions whose last
// quiet analysis found something (a violation or a note): every other
// one would find nothing either. If they have not, it analyses all.
#include "own.h"

#include <string.h>

// ---- the call graph -------------------------------------------------------

// Appends callee to the pool; false when the pool cannot grow.
static bool own_edge_push(struct own_run *r, uint32_t callee)
{
	struct own_deps *d = &r->deps;
	struct vf_sip_mem *mem = r->f.in->mem;

	if (d->nedges == d->cap) {
		uint32_t cap = d->cap ? 2 * d->cap : 256;
		uint32_t *e = cap > d->cap ? vf_sip_alloc(mem, (size_t)cap * 4) : NULL;
		if (!e)
			return false;
		if (d->nedges)
			memcpy(e, d->edges, (size_t)d->nedges * 4);
		vf_sip_free(mem, d->edges, (size_t)d->cap * 4);
		d->edges = e;
		d->cap = cap;
	}
	d->edges[d->nedges++] = callee;
	return true;
}

void own_dep_add(struct own_run *r, uint32_t callee)
{
	struct own_deps *d = &r->deps;
	uint32_t fi = r->f.fi;

	if (!d->recording || d->many[fi] || d->seen[callee] == fi + 1)
		return;
	d->seen[callee] = fi + 1;
	if (!own_edge_push(r, callee))
		d->many[fi] = 1; // no memory for the graph: always look again
}

// The order of later passes: each function after the ones it calls
// (cycles broken anywhere), by an iterative depth-first search.
static void own_order(struct own_run *r, uint32_t first, uint32_t n)
{
	struct own_deps *d = &r->deps;
	uint32_t k = 0, top = 0;

	memset(d->seen, 0, (size_t)n * 4); // now: 1 visited
	for (uint32_t root = first; root < n; root++) {
		if (d->seen[root])
			continue;
		d->seen[root] = 1;
		d->stack[top] = root, d->next[top++] = d->edge_at[root];
		while (top > 0) {
			uint32_t fi = d->stack[top - 1], *e = &d->next[top - 1];
			if (*e < d->edge_at[fi + 1]) {
				uint32_t c = d->edges[(*e)++];
				if (c >= first && c < n && !d->seen[c]) {
					d->seen[c] = 1;
					d->stack[top] = c, d->next[top++] = d->edge_at[c];
				}
				continue;
			}
			d->order[k++] = fi;
			top--;
		}
	}
}

// Whether a summary fi read has changed since fi was last analysed.
static bool own_stale(const struct own_run *r, uint32_t fi)
{
	const struct own_deps *d = &r->deps;

	if (d->many[fi])
		return d->last_change > d->analysed[fi];
	for (uint32_t i = d->edge_at[fi]; i < d->edge_at[fi + 1]; i++)
		if (d->changed[d->edges[i]] > d->analysed[fi])
			return true;
	return false;
}

// ---- passes -----------------------------------------------------------------

static bool own_sum_eq(const struct own_sum *a, const struct own_sum *b)
{
	return a->done == b->done && a->ret_fresh == b->ret_fresh &&
	       a->ret_kind == b->ret_kind && a->ret_index == b->ret_index &&
	       a->ret_c == b->ret_c && a->ret_code == b->ret_code &&
	       memcmp(a->param, b->param, sizeof(a->param)) == 0;
}

// One quiet analysis of fi, noting whether its summary changed and
// whether it found anything.
ISOLA_MUST_CHECK
static isola_err_t own_quiet(struct own_run *r, uint32_t fi, bool *changed)
{
	struct own_deps *d = &r->deps;
	struct own_sum before = r->sums[fi];
	struct vf_sip_result *q = r->f.in->out;

	q->nnotes = 0;
	q->diag.code = ERR_OK;
	d->analysed[fi] = ++d->seq;
	isola_err_t err = own_function(r, fi);
	if (d->recording && (r->f.stop || r->f.over))
		d->many[fi] = 1; // stopped early: its calls were not all seen
	d->found[fi] = r->f.stop || q->nnotes > 0;
	r->f.stop = false;
	if (!own_sum_eq(&before, &r->sums[fi])) {
		// After the analysis: a function that calls itself read the
		// summary it has just changed, so it is stale too.
		d->changed[fi] = d->last_change = ++d->seq;
		*changed = true;
	}
	return err;
}

ISOLA_MUST_CHECK
static isola_err_t own_passes(struct own_run *r, const struct vf_own_in *quiet)
{
	const struct vf_module *m = r->f.m;
	const struct vf_own_in *in = r->f.in;
	struct own_deps *d = &r->deps;
	uint32_t first = m->nimported_funcs, n = m->nfuncs;
	isola_err_t err = ERR_OK;
	bool changed = false;

	r->f.in = quiet;
	d->recording = true;
	for (uint32_t fi = first; fi < n && err == ERR_OK; fi++) {
		d->edge_at[fi] = d->nedges;
		err = own_quiet(r, fi, &changed);
		d->edge_at[fi + 1] = d->nedges;
	}
	d->recording = false;
	own_order(r, first, n);
	for (uint32_t round = 1; round <= OWN_QUIET_ROUNDS && changed; round++) {
		changed = false;
		for (uint32_t k = 0; k < n - first && err == ERR_OK; k++)
			if (own_stale(r, d->order[k]))
				err = own_quiet(r, d->order[k], &changed);
	}
	// Settled summaries: a function whose last quiet analysis found
	// nothing would find nothing now. Unsettled ones (long recursion
	// cycles): every function reports, as summaries may still change.
	bool settled = !changed;
	r->f.in = in;
	for (uint32_t fi = first; fi < n && err == ERR_OK; fi++) {
		if (settled && !d->found[fi])
			continue;
		err = own_function(r, fi);
		if (r->f.stop)
			break;
	}
	return err;
}

// ---- the run's memory ------------------------------------------------------

// Bytes of the per-function arrays, carved from one allocation: the
// summaries, then seven uint32_t arrays (edge_at has one more entry),
// then the many and found flags.
static size_t own_run_bytes(uint32_t n)
{
	return (size_t)n * sizeof(struct own_sum) + ((size_t)7 * n + 1) * 4 +
	       2 * (size_t)n + 1;
}

static bool own_run_alloc(struct own_run *r, struct vf_sip_mem *mem, uint32_t n)
{
	struct own_deps *d = &r->deps;
	uint8_t *p = vf_sip_alloc(mem, own_run_bytes(n));
	uint32_t *u;

	r->f.calls = vf_sip_alloc(mem, (size_t)n + 1);
	if (!p || !r->f.calls) {
		vf_sip_free(mem, p, own_run_bytes(n));
		return false;
	}
	memset(p, 0, own_run_bytes(n));
	r->sums = (struct own_sum *)p;
	u = (uint32_t *)(p + (size_t)n * sizeof(struct own_sum));
	d->seen = u, u += n;
	d->analysed = u, u += n;
	d->changed = u, u += n;
	d->order = u, u += n;
	d->stack = u, u += n;
	d->next = u, u += n;
	d->edge_at = u, u += n + 1;
	d->many = (uint8_t *)u;
	d->found = d->many + n;
	return true;
}

static void own_run_free(struct own_run *r, struct vf_sip_mem *mem, uint32_t n)
{
	vf_sip_free(mem, r->deps.edges, (size_t)r->deps.cap * 4);
	vf_sip_free(mem, (void *)(uintptr_t)r->f.calls, (size_t)n + 1);
	vf_sip_free(mem, r->sums, own_run_bytes(n));
	vf_sip_free(mem, r, sizeof(*r));
}

isola_err_t vf_own_analyse(const struct vf_own_in *in)
{
	const struct vf_module *m = in->m;
	struct own_run *r = vf_sip_alloc(in->mem, sizeof(*r));
	isola_err_t err = ERR_VF_NOMEM;

	if (r) {
		memset(r, 0, sizeof(*r));
		r->f.in = in;
		r->f.m = m;
		if (own_run_alloc(r, in->mem, m->nfuncs)) {
			struct vf_sip_result quiet = {0};
			struct vf_own_in qin = *in;
			qin.out = &quiet;
			qin.flags &= ~VF_SIP_STRICT;
			own_calls_table(m, (uint8_t *)(uintptr_t)r->f.calls);
			err = own_passes(r, &qin);
		}
		own_run_free(r, in->mem, m->nfuncs);
	}
	if (err != ERR_OK)
		vf_sip_diag_set(&in->out->diag, err, 0);
	else if ((in->flags & VF_SIP_STRICT) && in->out->diag.code == ERR_OK &&
		 in->out->nnotes > 0)
		in->out->diag = in->out->notes[0]; // no error: a note rejects
	return in->out->diag.code;
}
