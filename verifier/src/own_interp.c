// SPDX-License-Identifier: MIT
// The static ownership and protocol analysis: an abstract interpretation
// of each function body over its structured control flow. The abstract
// state (own.h) gives every local, operand-stack value and stack-frame
// word a value: a constant, an address in the function's stack frame
// (the __stack_pointer global, global 0, at entry plus a constant), a
// handle (one abstract object per ABI call site that makes one), one of
// several handles, a test of a handle-or-error result, or unknown.
// Objects carry their ownership (owned, freed, sent, an error code on
// this path, unknown) and, for endpoints, the contract and protocol
// state. Blocks and ifs join the states of their paths, and branches on a
// test refine them; loops are iterated to a fixed point (widened after
// OWN_MAX_ITER passes). Each function leaves a summary (what it does to
// its handle parameters, whether it returns a new handle) for its
// callers; own_rounds.c orders the passes over the module. Only definite
// facts are reported; where a handle goes out of sight a note says so.
// The instructions' handlers and their dispatch are in own_ops.c.
#include "own.h"

#include <isola/fmt.h>

#include <stdarg.h>
#include <string.h>

// ---- reports -------------------------------------------------------------

static void own_report(struct own_fn *f, struct vf_diag *d, isola_err_t code,
		       const char *fmt, va_list ap)
{
	const struct vf_module *m = f->m;
	uint32_t off = (uint32_t)(f->op_at - m->bytes);

	d->code = code;
	d->offset = off;
	d->func_index = f->fi;
	d->instr_off = off - m->code_section.off;
	isola_vsnprintf(d->detail, sizeof(d->detail), fmt, ap);
}

void own_error(struct own_fn *f, isola_err_t code, const char *fmt, ...)
{
	va_list ap;

	if (f->stop)
		return;
	f->stop = true;
	va_start(ap, fmt);
	own_report(f, &f->in->out->diag, code, fmt, ap);
	va_end(ap);
}

// Whether a note with code was made at the current instruction already
// (a loop's body is interpreted more than once).
static bool own_noted(const struct own_fn *f, isola_err_t code)
{
	const struct vf_sip_result *out = f->in->out;
	uint32_t off = (uint32_t)(f->op_at - f->m->bytes);
	uint32_t n = out->nnotes < VF_SIP_MAX_NOTES ? out->nnotes : VF_SIP_MAX_NOTES;

	for (uint32_t i = 0; i < n; i++)
		if (out->notes[i].code == code && out->notes[i].offset == off)
			return true;
	return false;
}

void own_note(struct own_fn *f, isola_err_t code, const char *fmt, ...)
{
	struct vf_sip_result *out = f->in->out;
	va_list ap;

	if (own_noted(f, code))
		return;
	if (out->nnotes < VF_SIP_MAX_NOTES) {
		va_start(ap, fmt);
		own_report(f, &out->notes[out->nnotes], code, fmt, ap);
		va_end(ap);
	}
	out->nnotes++;
	// Under VF_SIP_STRICT the analysis goes on: a definite violation
	// found later is the verdict, and only without one does the first
	// note become it (vf_own_analyse).
}

// ---- operand stack and objects ------------------------------------------

uint32_t own_new_obj(struct own_fn *f, uint32_t second, uint8_t kind)
{
	uint32_t site = (uint32_t)(f->op_at - f->m->bytes) * 2 + second;
	uint32_t i;

	for (i = OWN_PARAM_OBJS; i < OWN_PARAM_OBJS + f->nsites; i++)
		if (f->sites[i] == site)
			break;
	if (i == OWN_PARAM_OBJS + f->nsites) {
		if (i == OWN_MAX_OBJS) {
			own_note(f, ERR_SIP_OWN_LIMIT, "more than %u handle-making "
				 "calls in one function", OWN_MAX_OBJS - OWN_PARAM_OBJS);
			return OWN_MAX_OBJS;
		}
		f->sites[i] = site;
		f->nsites++;
	}
	f->cur.objs[i] = (struct own_obj){OWN_OWNED, kind, 0, false,
					  OWN_NO_STATE, NULL, site / 2};
	return i;
}

// ---- instructions -------------------------------------------------------

// Whether v is a handle this function owns and knows to be one: made by
// an ABI call or a callee here, or a parameter it has used as a handle.
// A parameter never used as one may be any number (a length, a fill
// byte): where it goes, the summary says so, and the caller that passes
// a real handle there is told (own_call).
static bool own_known_handle(const struct own_fn *f, struct own_val v)
{
	if (v.k != OWN_H || v.v >= OWN_MAX_OBJS)
		return false;
	const struct own_obj *o = &f->cur.objs[v.v];
	return o->st == OWN_OWNED && (v.v >= OWN_PARAM_OBJS || o->confirmed);
}

// A handle value going where the analysis cannot see.
void own_escape(struct own_fn *f, struct own_val v, const char *why)
{
	if (own_known_handle(f, v))
		own_note(f, ERR_SIP_OWN_UNTRACKED, "%s", why);
	own_escape_val(&f->cur, v);
}

void own_slots_escape(struct own_fn *f, int32_t off, uint32_t len, const char *why)
{
	for (uint32_t i = 0; i < f->cur.nslots; i++) {
		int64_t o = f->cur.slots[i].off;
		if (o >= off && (len == 0 || o < (int64_t)off + len))
			own_escape(f, f->cur.slots[i].val, why);
	}
}

// The import a thin wrapper forwards to: a function whose body is
// "local.get 0 .. local.get n-1, call IMPORT, end" (libsip's rt_chan_send
// and friends), or VF_NO_INDEX. Calls to it are taken as calls to the
// import, at the caller's instruction.
static uint32_t own_forward_of(const struct vf_module *m, uint32_t fi)
{
	const struct vf_func *fn = &m->funcs[fi];
	const struct vf_functype *t = vf_func_type(m, fi);
	struct vf_cursor c = {m->bytes + fn->code_off,
			      m->bytes + fn->body.off + fn->body.len, NULL};
	struct vf_instr in;

	if (fn->is_imported || fn->nlocals != 0 || t->nparams > 16)
		return VF_NO_INDEX;
	for (uint32_t i = 0; i < t->nparams; i++)
		if (vf_instr_read(&c, &in) != ERR_OK ||
		    in.id != VF_OP_LOCAL_GET || in.idx != i)
			return VF_NO_INDEX;
	if (vf_instr_read(&c, &in) != ERR_OK || in.id != VF_OP_CALL)
		return VF_NO_INDEX;
	uint32_t target = in.idx;
	if (vf_instr_read(&c, &in) != ERR_OK || in.id != VF_OP_END ||
	    c.p != c.end || target >= m->nimported_funcs)
		return VF_NO_INDEX;
	const struct vf_functype *tt = vf_func_type(m, target);
	if (tt->nparams != t->nparams || tt->nresults != t->nresults)
		return VF_NO_INDEX;
	return target;
}

// What a call to each function means (own_fn.calls): imports by their
// name, thin wrappers as the import they forward to, others 0. One pass
// over the module, so a call costs no search.
void own_calls_table(const struct vf_module *m, uint8_t *calls)
{
	own_abi_table(m, calls);
	for (uint32_t fi = m->nimported_funcs; fi < m->nfuncs; fi++) {
		uint32_t target = own_forward_of(m, fi);
		calls[fi] = target == VF_NO_INDEX ? 0 : calls[target];
	}
}

// A call's results, from the callee's summary: a new handle (and its
// error code next to it) when it returns one, else unknown values.
static void own_call_results(struct own_fn *f, const struct own_sum *sum,
			     uint32_t nresults)
{
	uint32_t o = OWN_MAX_OBJS;

	if (f->stop)
		return;
	if (sum->done && sum->ret_fresh)
		o = own_new_obj(f, 0, sum->ret_kind);
	if (o < OWN_MAX_OBJS)
		f->cur.objs[o].c = sum->ret_c;
	for (uint32_t i = 0; i < nresults; i++) {
		struct own_val v = {OWN_TOP, 0};
		if (o < OWN_MAX_OBJS && i == sum->ret_index)
			v = (struct own_val){OWN_H, o};
		else if (o < OWN_MAX_OBJS && i + 1 == sum->ret_code)
			v = (struct own_val){OWN_TEST, o | OWN_TEST_ERR | OWN_TEST_CODE};
		own_push(f, v);
	}
}

void own_call(struct own_run *r, uint32_t callee)
{
	struct own_fn *f = &r->f;
	const struct vf_functype *t = vf_func_type(f->m, callee);
	struct own_val a[16];
	uint32_t n = t->nparams;

	own_charge(f, (uint64_t)n + t->nresults);
	for (uint32_t i = n; i-- > 0;) {
		struct own_val v = own_pop(f);
		if (i < 16)
			a[i] = v;
	}
	if (f->calls[callee] != 0) { // an import or a thin wrapper of one
		own_abi_call(f, (enum own_abi)(f->calls[callee] - 1), a,
			     n < 16 ? n : 16, t->nresults);
		return;
	}
	const struct own_sum *sum = &r->sums[callee];
	own_dep_add(r, callee);
	for (uint32_t i = 0; i < n && i < 16; i++) {
		uint8_t e = i < OWN_PARAM_OBJS && sum->done ? sum->param[i]
							     : OWN_P_UNKNOWN;
		if (a[i].k == OWN_SP) {
			own_slots_clobber(&f->cur, (int32_t)a[i].v, 0);
			f->cur.frame_escaped = true;
		}
		if (a[i].k != OWN_H || a[i].v >= OWN_MAX_OBJS)
			continue;
		struct own_obj *o = &f->cur.objs[a[i].v];
		if (e == OWN_P_UNKNOWN)
			own_escape(f, a[i], sum->done ? "handle passed to a "
				   "function that keeps it where the analysis "
				   "cannot see" : "handle passed to a function "
				   "not analysed");
		else if (e == OWN_P_USE || e == OWN_P_CONSUME) {
			if (o->st == OWN_FREED || o->st == OWN_SENT)
				own_error(f, o->st == OWN_SENT ? ERR_SIP_OWN_MOVED
							       : ERR_SIP_OWN_FREED,
					  "handle passed to function %u, which "
					  "uses it", callee);
			else if (o->st == OWN_OWNED && e == OWN_P_CONSUME)
				o->st = OWN_FREED, o->pstate = OWN_NO_STATE;
			else if (o->st == OWN_OWNED)
				o->confirmed = true, o->pstate = OWN_NO_STATE;
		}
	}
	own_call_results(f, sum, t->nresults);
}

void own_call_indirect(struct own_fn *f, uint32_t ti)
{
	const struct vf_functype *t = &f->m->types[ti];

	(void)own_pop(f); // the table index
	own_charge(f, (uint64_t)t->nparams + t->nresults);
	for (uint32_t i = 0; i < t->nparams; i++) {
		struct own_val v = own_pop(f);
		if (v.k == OWN_SP) {
			own_slots_clobber(&f->cur, v.v, 0);
			f->cur.frame_escaped = true;
		}
		if (own_known_handle(f, v))
			own_note(f, ERR_SIP_OWN_INDIRECT, "indirect call");
		own_escape_val(&f->cur, v);
	}
	own_top(f, 0, t->nresults);
}

// ---- functions --------------------------------------------------------------

static void own_entry_state(struct own_fn *f)
{
	const struct vf_functype *t = vf_func_type(f->m, f->fi);
	uint32_t nparam_objs = 0;

	memset(f->cur.objs, 0, sizeof(f->cur.objs));
	for (uint32_t i = 0; i < f->nlocals; i++)
		f->cur.vals[i] = (struct own_val){i < t->nparams ? OWN_TOP
								  : OWN_CONST, 0};
	for (uint32_t i = 0; i < t->nparams && nparam_objs < OWN_PARAM_OBJS; i++) {
		if (t->types[i] != VF_TYPE_I32)
			continue;
		f->cur.objs[i] = (struct own_obj){OWN_OWNED, OWN_K_ANY, 0, false,
						  OWN_NO_STATE, NULL, 0};
		f->cur.vals[i] = (struct own_val){OWN_H, i};
		nparam_objs++;
	}
	f->cur.live = true;
	f->cur.sp_known = true;
	f->cur.sp = 0;
	f->cur.nstack = 0;
	f->cur.nslots = 0;
	f->cur.frame_escaped = false;
}

// The most memory function states take: two per control level and the
// current one, each with its values, and the control stack.
static uint64_t own_fn_bytes(uint32_t nvals, uint32_t nctl)
{
	uint64_t state = sizeof(struct own_state) +
			 (uint64_t)nvals * sizeof(struct own_val);

	return (2 * (uint64_t)nctl + 1) * state +
	       (uint64_t)nctl * sizeof(struct own_ctl);
}

static void own_free_ctls(struct own_run *r, uint32_t n)
{
	while (n-- > 0) {
		own_state_del(r, r->ctls[n].alt);
		own_state_del(r, r->ctls[n].label);
	}
}

// Analyses function fi; its summary goes to r->sums[fi].
isola_err_t own_function(struct own_run *r, uint32_t fi)
{
	struct own_fn *f = &r->f;
	const struct vf_func *fn = &f->m->funcs[fi];
	const struct vf_functype *t = vf_func_type(f->m, fi);
	struct own_sum sum = {0};
	uint32_t nctl = fn->max_depth + 1;
	isola_err_t err = ERR_OK;

	f->fi = fi;
	f->nlocals = t->nparams + fn->nlocals;
	f->nvals = f->nlocals + fn->max_stack + 1;
	f->p = f->m->bytes + fn->code_off;
	f->end = f->m->bytes + fn->body.off + fn->body.len;
	f->op_at = f->p;
	f->nsites = 0;
	f->sum = &sum;
	f->any_return = false;
	f->work = 0;
	f->budget = (uint64_t)OWN_WORK_PER_BYTE * (fn->body.len + OWN_WORK_SLACK);
	f->over = false;
	f->ended = false;
	if (f->calls[fi] != 0)
		return ERR_OK; // a thin wrapper: its callers see the import
	if (f->nvals > OWN_MAX_VALS || nctl > OWN_MAX_DEPTH ||
	    own_fn_bytes(f->nvals, nctl) > OWN_MAX_FN_BYTES) {
		own_note(f, ERR_SIP_OWN_LIMIT, "function %u not analysed", fi);
		return ERR_OK;
	}
	r->ctls = vf_sip_alloc(f->in->mem, nctl * sizeof(*r->ctls));
	f->cur.vals = vf_sip_alloc(f->in->mem, f->nvals * sizeof(*f->cur.vals));
	if (!r->ctls || !f->cur.vals) {
		err = ERR_VF_NOMEM;
		goto out;
	}
	r->nctls = 0;
	own_entry_state(f);
	if (!own_push_ctl(r, 0, 0, t->nresults)) {
		err = ERR_VF_NOMEM;
		goto out;
	}
	own_walk(r);
	if (f->over && !f->stop) {
		// Given up: callers treat its parameters as escaping.
		f->op_at = f->m->bytes + fn->code_off;
		own_note(f, ERR_SIP_OWN_LIMIT, "function %u not analysed (over "
			 "its work budget)", fi);
		r->sums[fi] = (struct own_sum){0};
		goto out;
	}
	sum.done = true;
	r->sums[fi] = sum;
out:
	if (r->ctls)
		own_free_ctls(r, nctl);
	vf_sip_free(f->in->mem, f->cur.vals, f->nvals * sizeof(*f->cur.vals));
	vf_sip_free(f->in->mem, r->ctls, nctl * sizeof(*r->ctls));
	r->ctls = NULL;
	f->cur.vals = NULL;
	return err;
}
