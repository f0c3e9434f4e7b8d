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

void own_push(struct own_fn *f, struct own_val v)
{
	if (f->nlocals + f->cur.nstack < f->nvals)
		f->cur.vals[f->nlocals + f->cur.nstack++] = v;
}

static struct own_val own_pop(struct own_fn *f)
{
	if (f->cur.nstack == 0)
		return (struct own_val){OWN_TOP, 0};
	return own_read(&f->cur, f->cur.vals[f->nlocals + --f->cur.nstack]);
}

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

// ---- reading --------------------------------------------------------------

static uint64_t own_leb(struct own_fn *f, bool is_signed, unsigned bits)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b = 0x80;

	while ((b & 0x80) && f->p < f->end && shift < 70) {
		b = *f->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	}
	if (is_signed && shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	(void)bits;
	return v;
}

static uint32_t own_u32(struct own_fn *f)
{
	return (uint32_t)own_leb(f, false, 32);
}

// A block type's parameter and result counts.
static void own_blocktype(struct own_fn *f, uint32_t *np, uint32_t *nr)
{
	uint8_t b = f->p < f->end ? *f->p : 0x40;

	*np = 0;
	*nr = 0;
	if (b == 0x40 || (b >= 0x7c && b <= 0x7f)) {
		f->p++;
		*nr = b != 0x40;
		return;
	}
	int64_t idx = (int64_t)own_leb(f, true, 33);
	if (idx >= 0 && (uint64_t)idx < f->m->ntypes) {
		*np = f->m->types[idx].nparams;
		*nr = f->m->types[idx].nresults;
	}
}

// ---- control (the rest is in own_flow.c) --------------------------------

static struct own_ctl *own_label(struct own_run *r)
{
	uint32_t l = own_u32(&r->f);

	return l < r->nctls ? &r->ctls[r->nctls - 1 - l] : NULL;
}

// ---- instructions -------------------------------------------------------

static void own_popn(struct own_fn *f, uint32_t n)
{
	while (n--)
		(void)own_pop(f);
}

static void own_top(struct own_fn *f, uint32_t pop, uint32_t push)
{
	own_popn(f, pop);
	while (push--)
		own_push(f, (struct own_val){OWN_TOP, 0});
}

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
	const uint8_t *p = m->bytes + fn->code_off;
	const uint8_t *end = m->bytes + fn->body.off + fn->body.len;
	uint32_t target = 0, shift = 0;

	if (fn->is_imported || fn->nlocals != 0 || t->nparams > 16)
		return VF_NO_INDEX;
	for (uint32_t i = 0; i < t->nparams; i++, p += 2)
		if (end - p < 2 || p[0] != 0x20 || p[1] != i)
			return VF_NO_INDEX;
	if (p >= end || *p++ != 0x10)
		return VF_NO_INDEX;
	while (p < end && shift < 35) {
		target |= (uint32_t)(*p & 0x7f) << shift;
		shift += 7;
		if (!(*p++ & 0x80))
			break;
	}
	if (p + 1 != end || *p != 0x0b || target >= m->nimported_funcs)
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

static void own_call(struct own_run *r, uint32_t callee)
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

static void own_call_indirect(struct own_fn *f, uint32_t ti)
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

// loads (0x28-0x35) and stores (0x36-0x3e) with their memarg.
static void own_mem(struct own_fn *f, uint8_t op)
{
	(void)own_u32(f); // alignment
	uint32_t off = own_u32(f);
	if (!f->cur.live)
		return;
	if (op <= 0x35) {
		struct own_val a = own_pop(f), v = {OWN_TOP, 0};
		if (op == 0x28 && a.k == OWN_SP) {
			struct own_val *s = own_slot_find(&f->cur, (int32_t)(a.v + off));
			if (s)
				v = *s;
		}
		own_push(f, v);
		return;
	}
	struct own_val v = own_pop(f), a = own_pop(f);
	static const uint8_t width[9] = {4, 8, 4, 8, 1, 2, 1, 2, 4};
	if (a.k == OWN_SP && op == 0x36) {
		own_slot_set(&f->cur, (int32_t)(a.v + off), v);
	} else if (a.k == OWN_SP) {
		own_slots_clobber(&f->cur, (int32_t)(a.v + off), width[op - 0x36]);
	} else {
		if (f->cur.frame_escaped)
			own_slots_clobber(&f->cur, INT32_MIN, 0);
		own_escape(f, v, "handle stored to linear memory outside the "
			   "stack frame");
	}
	if (v.k == OWN_SP && !(a.k == OWN_SP && op == 0x36))
		f->cur.frame_escaped = true;
}

static struct own_val own_arith(uint8_t op, struct own_val a, struct own_val b)
{
	struct own_val top = {OWN_TOP, 0};

	if (op == 0x6a) { // i32.add
		if (a.k == OWN_CONST && b.k == OWN_CONST)
			return (struct own_val){OWN_CONST, a.v + b.v};
		if (a.k == OWN_SP && b.k == OWN_CONST)
			return (struct own_val){OWN_SP, a.v + b.v};
		if (a.k == OWN_CONST && b.k == OWN_SP)
			return (struct own_val){OWN_SP, a.v + b.v};
	}
	if (op == 0x6b && b.k == OWN_CONST &&
	    (a.k == OWN_CONST || a.k == OWN_SP)) // i32.sub
		return (struct own_val){a.k, a.v - b.v};
	// i32.or of a frame address and low bits it has clear: compilers
	// write sp + 12 as (sp + 8) | 4, relying on the stack pointer's
	// 16-byte alignment.
	if (op == 0x72 && a.k == OWN_SP && b.k == OWN_CONST && b.v < 16 &&
	    (a.v & b.v) == 0)
		return (struct own_val){OWN_SP, a.v + b.v};
	return top;
}

static void own_local(struct own_fn *f, uint8_t op)
{
	uint32_t i = own_u32(f);

	if (!f->cur.live || i >= f->nlocals)
		return;
	if (op == 0x20) {
		f->cur.vals[i] = own_read(&f->cur, f->cur.vals[i]);
		own_push(f, f->cur.vals[i]);
		return;
	}
	struct own_val v = own_pop(f);
	f->cur.vals[i] = v;
	if (op == 0x22)
		own_push(f, v);
}

static void own_global(struct own_fn *f, uint8_t op)
{
	uint32_t g = own_u32(f);
	bool is_sp = g == 0 && f->m->nglobals > 0 &&
		     f->m->globals[0].type.type == VF_TYPE_I32 &&
		     f->m->globals[0].type.is_mutable;

	if (!f->cur.live)
		return;
	if (op == 0x23) {
		struct own_val v = {OWN_TOP, 0};
		if (is_sp && f->cur.sp_known)
			v = (struct own_val){OWN_SP, (uint32_t)f->cur.sp};
		own_push(f, v);
		return;
	}
	struct own_val v = own_pop(f);
	if (is_sp) {
		f->cur.sp_known = v.k == OWN_SP;
		f->cur.sp = (int32_t)v.v;
	} else {
		own_escape(f, v, "handle stored to a global");
	}
}

// The 0xfc prefix: saturating truncations and bulk memory.
static void own_prefix_fc(struct own_fn *f)
{
	uint32_t sub = own_u32(f);

	if (sub == 8 || sub == 12 || sub == 14)
		(void)own_u32(f), (void)own_u32(f);
	else if (sub == 9 || sub == 13 || sub >= 15)
		(void)own_u32(f);
	else if (sub == 10)
		f->p += 2;
	else if (sub == 11)
		f->p += 1;
	if (!f->cur.live)
		return;
	if (sub <= 7) {
		own_top(f, 1, 1);
	} else if (sub == 10 || sub == 11 || sub == 8) {
		struct own_val n = own_pop(f), src = own_pop(f), dst = own_pop(f);
		if (dst.k == OWN_SP)
			own_slots_clobber(&f->cur, (int32_t)dst.v,
					  n.k == OWN_CONST ? n.v : 0);
		else if (f->cur.frame_escaped)
			own_slots_clobber(&f->cur, INT32_MIN, 0);
		// A copy out of the frame copies the handles there.
		if (sub == 10 && src.k == OWN_SP)
			own_slots_escape(f, (int32_t)src.v, n.k == OWN_CONST ? n.v : 0,
					 "handle copied by memory.copy");
	} else if (sub == 15) {
		own_top(f, 2, 1);
	} else if (sub == 16) {
		own_top(f, 0, 1);
	} else if (sub == 12 || sub == 14 || sub == 17) {
		own_top(f, 3, 0);
	}
}

// A comparison of an error code a (OWN_TEST_CODE: 0, or negative) with
// b: x != 0, x < 0 and x <= -1 are true on an error; x == 0, x >= 0 and
// x > -1 on a handle.
static struct own_val own_code_test(uint8_t op, struct own_val a,
				    struct own_val b)
{
	int32_t c = (int32_t)b.v;
	uint32_t o = a.v & 0xff;

	if (b.k != OWN_CONST)
		return (struct own_val){OWN_TOP, 0};
	if ((op == 0x47 && c == 0) || (op == 0x48 && c == 0) || (op == 0x4c && c == -1))
		return (struct own_val){OWN_TEST, o | OWN_TEST_ERR};
	if ((op == 0x46 && c == 0) || (op == 0x4e && c == 0) || (op == 0x4a && c == -1))
		return (struct own_val){OWN_TEST, o};
	return (struct own_val){OWN_TOP, 0};
}

// A comparison that tells a handle from an error code (a negative
// number; a handle is positive and never 0) in handle-or-error object a:
// x < 0, x <= -1, x >= 0, x > -1, x == 0, and x <u c with c >= 2^31; or
// one of its error code (own_code_test).
static struct own_val own_test(const struct own_fn *f, uint8_t op,
			       struct own_val a, struct own_val b)
{
	struct own_val top = {OWN_TOP, 0};
	int32_t c = (int32_t)b.v;
	bool err;

	if (a.k == OWN_TEST && (a.v & OWN_TEST_CODE))
		return own_code_test(op, a, b);
	if (a.k != OWN_H || a.v < OWN_PARAM_OBJS || a.v >= OWN_MAX_OBJS ||
	    f->cur.objs[a.v].st != OWN_OWNED || b.k != OWN_CONST)
		return top;
	if ((op == 0x48 && c == 0) || (op == 0x4c && c == -1))
		err = true; // lt_s 0, le_s -1
	else if ((op == 0x4e && c == 0) || (op == 0x4a && c == -1))
		err = false; // ge_s 0, gt_s -1
	else if (op == 0x49 && b.v >= 0x80000000u)
		err = false; // lt_u c: at most c - 1, so not negative
	else
		return top;
	return (struct own_val){OWN_TEST, a.v | (err ? OWN_TEST_ERR : 0)};
}

// Stack effect of the plain numeric opcodes 0x45-0xc4: (pops, pushes).
static void own_numeric(struct own_fn *f, uint8_t op)
{
	if (op >= 0x46 && op <= 0x4f) {
		struct own_val b = own_pop(f), a = own_pop(f);
		own_push(f, own_test(f, op, a, b));
		return;
	}
	if (op == 0x45) { // i32.eqz: negates a test; of a handle, x == 0
		struct own_val a = own_pop(f);
		struct own_val t = own_test(f, 0x48, a, (struct own_val){OWN_CONST, 0});
		if (a.k == OWN_TEST)
			t = (struct own_val){OWN_TEST, (a.v & ~OWN_TEST_CODE) ^ OWN_TEST_ERR};
		else if (t.k == OWN_TEST)
			t.v |= OWN_TEST_ZERO;
		own_push(f, t);
		return;
	}
	if (op == 0x6a || op == 0x6b || op == 0x72) {
		struct own_val b = own_pop(f), a = own_pop(f);
		own_push(f, own_arith(op, a, b));
		return;
	}
	bool unary = op == 0x45 || op == 0x50 || (op >= 0x67 && op <= 0x69) ||
		     (op >= 0x79 && op <= 0x7b) || (op >= 0x8b && op <= 0x91) ||
		     (op >= 0x99 && op <= 0x9f) || op >= 0xa7;
	own_top(f, unary ? 1 : 2, 1);
}

// One instruction. Returns false at the function's final end.
static bool own_step(struct own_run *r)
{
	struct own_fn *f = &r->f;
	uint8_t op = *f->p++;
	uint32_t np, nr, x;

	own_charge(f, 1);
	switch (op) {
	case 0x00: f->cur.live = false; break;
	case 0x01: break;
	case 0x02: case 0x03: case 0x04: {
		struct own_val cond = {OWN_TOP, 0};
		own_blocktype(f, &np, &nr);
		if (op == 0x04 && f->cur.live)
			cond = own_pop(f);
		if (!own_push_ctl(r, op, np, nr))
			return own_note(f, ERR_SIP_OWN_LIMIT, "nesting"), false;
		if (op == 0x04) { // else entry: false; then: true
			own_refine(r->ctls[r->nctls - 1].alt, cond, false, NULL);
			own_refine(&f->cur, cond, true, NULL);
		}
		break;
	}
	case 0x05: own_else(r); break;
	case 0x0b:
		if (!own_end(r))
			break;
		return r->nctls > 0;
	case 0x0c: case 0x0d: {
		struct own_ctl *c = own_label(r);
		struct own_val cond = {OWN_TOP, 0};
		if (op == 0x0d && f->cur.live)
			cond = own_pop(f);
		// The branch is taken where cond is true, not taken where false.
		struct own_obj was;
		uint32_t o = own_refine(&f->cur, cond, true, &was);
		if (c)
			own_branch(r, c);
		if (o < OWN_MAX_OBJS)
			f->cur.objs[o] = was; // undone for the fall-through
		own_refine(&f->cur, cond, false, NULL);
		if (op == 0x0c)
			f->cur.live = false;
		break;
	}
	case 0x0e:
		x = own_u32(f);
		if (f->cur.live)
			(void)own_pop(f);
		for (uint32_t i = 0; i <= x; i++) {
			struct own_ctl *c = own_label(r);
			if (c)
				own_branch(r, c);
		}
		f->cur.live = false;
		break;
	case 0x0f:
		own_branch(r, &r->ctls[0]);
		f->cur.live = false;
		break;
	case 0x10:
		x = own_u32(f);
		if (f->cur.live && x < f->m->nfuncs)
			own_call(r, x);
		break;
	case 0x11:
		x = own_u32(f);
		f->p++;
		if (f->cur.live && x < f->m->ntypes)
			own_call_indirect(f, x);
		break;
	case 0x1a:
		if (f->cur.live)
			(void)own_pop(f);
		break;
	case 0x1b: case 0x1c:
		if (op == 0x1c)
			for (x = own_u32(f); x > 0; x--)
				f->p++;
		if (f->cur.live) {
			(void)own_pop(f);
			struct own_val b = own_pop(f), a = own_pop(f);
			own_escape_val(&f->cur, a);
			own_escape_val(&f->cur, b);
			own_push(f, (struct own_val){OWN_TOP, 0});
		}
		break;
	case 0x20: case 0x21: case 0x22: own_local(f, op); break;
	case 0x23: case 0x24: own_global(f, op); break;
	case 0x3f: case 0x40:
		f->p++;
		if (f->cur.live)
			own_top(f, op == 0x40, 1);
		break;
	case 0x41:
		x = (uint32_t)own_leb(f, true, 32);
		if (f->cur.live)
			own_push(f, (struct own_val){OWN_CONST, x});
		break;
	case 0x42:
		(void)own_leb(f, true, 64);
		if (f->cur.live)
			own_top(f, 0, 1);
		break;
	case 0x43: case 0x44:
		f->p += op == 0x43 ? 4 : 8;
		if (f->cur.live)
			own_top(f, 0, 1);
		break;
	case 0xfc: own_prefix_fc(f); break;
	default:
		if (op >= 0x28 && op <= 0x3e)
			own_mem(f, op);
		else if (op >= 0x45 && op <= 0xc4 && f->cur.live)
			own_numeric(f, op);
		break;
	}
	return !f->stop && !f->over && f->p < f->end;
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
	for (;;) {
		f->op_at = f->p;
		if (!own_step(r))
			break;
	}
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
