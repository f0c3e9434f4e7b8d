// SPDX-License-Identifier: MIT
// The compiler from validated wasm bodies to the engine's internal code:
// structured control flow becomes jumps with precomputed targets and slot
// moves, so that the dispatch loop needs no control stack, no label
// search and no stack pointer. Unreachable code is skipped. A module is
// compiled once (eng_module_prepare) and its code shared by its
// instances. See docs/engine.md for the code format.
#include "compile.h"

// A block type's parameter count, and its result count in *nresults.
static uint32_t cc_blocktype(struct cc *c, const struct vf_instr *in,
			     uint32_t *nresults)
{
	const uint8_t b = in->block.byte;
	if (b == 0x40) {
		*nresults = 0;
		return 0;
	}
	if (b == VF_TYPE_I32 || b == VF_TYPE_I64 || b == VF_TYPE_F32 ||
	    b == VF_TYPE_F64) {
		*nresults = 1;
		return 0;
	}
	if (isola_unlikely(in->block.type < 0 ||
			   in->block.type >= c->m->ntypes)) {
		c->bad = true;
		*nresults = 0;
		return 0;
	}
	const struct vf_functype *t = &c->m->types[in->block.type];
	*nresults = t->nresults;
	return t->nparams;
}

// Enters a block of kind; in is its instruction (NULL for the function).
static void cc_enter(struct cc *c, uint8_t kind, const struct vf_instr *in)
{
	if (isola_unlikely(c->nctl >= c->ctl_cap)) {
		c->bad = true;
		return;
	}
	struct cc_ctl *b = &c->ctl[c->nctl++];
	uint32_t nres = 0, npar = 0;
	if (in != NULL)
		npar = cc_blocktype(c, in, &nres);
	b->kind = kind;
	b->dead_entry = c->dead;
	b->nparams = npar;
	b->nresults = nres;
	b->patch = CC_NONE;
	b->else_patch = CC_NONE;
	b->height = c->dead ? 0 : c->h - npar;
	b->loop_word = c->n;
}

// A branch target word: the distance from the word to dest.
static void cc_target(struct cc *c, uint32_t dest)
{
	cc_word(c, (uint64_t)(int64_t)((int64_t)dest - (int64_t)c->n));
}

// A forward target word: chained on *chain until the end is known.
static void cc_forward(struct cc *c, uint32_t *chain)
{
	cc_word(c, *chain);
	if (!c->bad)
		*chain = c->n - 1;
}

static void cc_resolve(struct cc *c, uint32_t chain, uint32_t dest)
{
	while (chain != CC_NONE && !c->bad) {
		uint32_t next = (uint32_t)c->code[chain];
		c->code[chain] = (uint64_t)(int64_t)((int64_t)dest - (int64_t)chain);
		chain = next;
	}
}

static void cc_label(struct cc *c, struct cc_ctl *t)
{
	if (t->kind == CC_LOOP)
		cc_target(c, t->loop_word);
	else
		cc_forward(c, &t->patch);
}

static uint32_t cc_arity(const struct cc_ctl *t)
{
	return t->kind == CC_LOOP ? t->nparams : t->nresults;
}

// True if a branch to t must move its values (they are not already in
// the target's slots).
static bool cc_moves(const struct cc *c, const struct cc_ctl *t)
{
	return cc_arity(t) != 0 && c->h - cc_arity(t) != t->height;
}

// The move of a branch: destination slot, source slot, count.
static void cc_move_words(struct cc *c, const struct cc_ctl *t)
{
	cc_word(c, cc_slot(c, t->height));
	cc_word(c, cc_slot(c, c->h - cc_arity(t)));
	cc_word(c, cc_arity(t));
}

static void cc_return(struct cc *c)
{
	cc_op(c, ENG_OP_RETURN);
	cc_word(c, cc_slot(c, c->h - c->ctl[0].nresults));
}

// The block that label l names (validated: l < nctl).
static struct cc_ctl *cc_target_of(struct cc *c, uint32_t l)
{
	return &c->ctl[c->nctl - 1 - l];
}

static void cc_br(struct cc *c, uint32_t l)
{
	struct cc_ctl *t = cc_target_of(c, l);
	cc_flush(c);
	if (t->kind == CC_FUNC) {
		cc_return(c);
	} else if (!cc_moves(c, t)) {
		cc_op(c, t->kind == CC_LOOP ? ENG_OP_BR_POLL : ENG_OP_BR);
		cc_label(c, t);
	} else {
		cc_op(c, ENG_OP_BR_UNWIND);
		cc_move_words(c, t);
		cc_label(c, t);
	}
	c->dead = true;
}

// True if the top operand is the result of the comparison just emitted.
static bool cc_fresh_cmp(const struct cc *c)
{
	return c->last_cmp != CC_NONE && c->last_dst == c->last_cmp + 1 &&
	       c->vs[c->h - 1].kind == CC_V_SLOT &&
	       c->code[c->last_dst] == cc_slot(c, c->h - 1);
}

// Takes the comparison back out of the code, to emit it fused with the
// branch that consumes it: pops its result and returns its row.
static unsigned cc_unemit_cmp(struct cc *c, bool *ri, uint64_t *a, uint64_t *b)
{
	unsigned cmp = c->cmp_index;
	*ri = c->cmp_ri;
	*a = c->cmp_a;
	*b = c->cmp_b;
	c->n = c->last_cmp;
	c->h--;
	c->last_cmp = CC_NONE;
	c->last_dst = CC_NONE;
	return cmp;
}

static void cc_br_if_fused(struct cc *c, struct cc_ctl *t)
{
	bool ri;
	uint64_t a, b;
	unsigned cmp = cc_unemit_cmp(c, &ri, &a, &b);
	cc_flush(c);
	cc_op(c, cc_fused(cmp, ri, t->kind == CC_LOOP));
	cc_word(c, a);
	cc_word(c, b);
	cc_label(c, t);
}

static void cc_br_if(struct cc *c, uint32_t l)
{
	struct cc_ctl *t = cc_target_of(c, l);
	if (cc_fresh_cmp(c)) {
		c->h--; // cc_moves looks at the height without the condition
		bool moves = cc_moves(c, t);
		c->h++;
		if (!moves) {
			cc_br_if_fused(c, t);
			return;
		}
	}
	uint32_t cond = cc_pop(c);
	cc_flush(c);
	if (!cc_moves(c, t)) {
		cc_op(c, t->kind == CC_LOOP ? ENG_OP_BR_IF_POLL : ENG_OP_BR_IF);
		cc_word(c, cond);
	} else {
		cc_op(c, ENG_OP_BR_IF_UNWIND);
		cc_word(c, cond);
		cc_move_words(c, t);
	}
	cc_label(c, t);
}

// br_table: index slot, n, source slot, arity, then n + 1 pairs of
// (destination slot, target).
static void cc_br_table(struct cc *c, const struct vf_instr *in)
{
	struct vf_cursor labels = {in->br.labels, c->p, NULL};
	uint32_t n = in->br.count, l;
	uint32_t idx = cc_pop(c);
	cc_flush(c);
	cc_op(c, ENG_OP_BR_TABLE);
	cc_word(c, idx);
	cc_word(c, n);
	uint32_t src_word = c->n;
	cc_word(c, 0);
	cc_word(c, 0);
	for (uint32_t i = 0; i <= n; i++) {
		if (vf_cur_u32(&labels, &l) != ERR_OK) {
			c->bad = true;
			return;
		}
		struct cc_ctl *t = cc_target_of(c, l);
		c->code[src_word] = cc_slot(c, c->h - cc_arity(t));
		c->code[src_word + 1] = cc_arity(t);
		cc_word(c, cc_slot(c, t->height));
		cc_label(c, t);
	}
	c->dead = true;
}

static void cc_else(struct cc *c)
{
	struct cc_ctl *b = &c->ctl[c->nctl - 1];
	if (b->dead_entry)
		return;
	if (!c->dead) {
		cc_flush(c);
		cc_op(c, ENG_OP_BR);
		cc_forward(c, &b->patch);
	}
	cc_resolve(c, b->else_patch, c->n);
	b->else_patch = CC_NONE;
	c->h = b->height + b->nparams;
	cc_reset_slots(c);
	c->dead = false;
}

static void cc_end(struct cc *c)
{
	struct cc_ctl *b = &c->ctl[c->nctl - 1];
	if (b->dead_entry) {
		c->nctl--;
		return;
	}
	if (!c->dead)
		cc_flush(c);
	if (b->kind == CC_FUNC) {
		cc_resolve(c, b->patch, c->n);
		c->h = b->nresults;
		cc_return(c);
		c->nctl--;
		return;
	}
	c->nctl--;
	cc_resolve(c, b->else_patch, c->n);
	cc_resolve(c, b->patch, c->n);
	c->h = b->height + b->nresults;
	cc_reset_slots(c);
	c->dead = false;
}

// if: a branch to the else arm (or the end) when the condition is false;
// a fresh comparison becomes the negated compare-and-branch.
static void cc_if(struct cc *c, const struct vf_instr *in)
{
	static const uint8_t negation[] = {
#define ENG_CMP(n, e, neg) ENG_OP_BR_IF_##neg,
#include "cmp.def"
#undef ENG_CMP
	};
	if (cc_fresh_cmp(c)) {
		bool ri;
		uint64_t a, b;
		unsigned cmp = cc_unemit_cmp(c, &ri, &a, &b);
		cc_flush(c);
		cc_enter(c, CC_IF, in);
		cc_op(c, cc_fused((negation[cmp] - ENG_OP_BR_IF_EQ) / 4, ri, false));
		cc_word(c, a);
		cc_word(c, b);
	} else {
		uint32_t cond = cc_pop(c);
		cc_flush(c);
		cc_enter(c, CC_IF, in);
		cc_op(c, ENG_OP_BR_UNLESS);
		cc_word(c, cond);
	}
	cc_forward(c, &c->ctl[c->nctl - 1].else_patch);
}

// ---- the handlers of the control kinds ---------------------------------------

void cc_h_UNREACHABLE(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	cc_op_site(c, ENG_OP_UNREACHABLE);
	c->dead = true;
}

void cc_h_BLOCK(struct cc *c, const struct vf_instr *in)
{
	cc_flush(c);
	cc_enter(c, CC_BLOCK, in);
}

void cc_h_LOOP(struct cc *c, const struct vf_instr *in)
{
	cc_flush(c);
	cc_enter(c, CC_LOOP, in);
}

void cc_h_IF(struct cc *c, const struct vf_instr *in)
{
	cc_if(c, in);
}

void cc_h_ELSE(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	cc_else(c);
}

void cc_h_END(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	cc_end(c);
}

void cc_h_BR(struct cc *c, const struct vf_instr *in)
{
	cc_br(c, in->idx);
}

void cc_h_BR_IF(struct cc *c, const struct vf_instr *in)
{
	cc_br_if(c, in->idx);
}

void cc_h_BR_TABLE(struct cc *c, const struct vf_instr *in)
{
	cc_br_table(c, in);
}

void cc_h_RETURN(struct cc *c, const struct vf_instr *in)
{
	(void)in;
	cc_flush(c);
	cc_return(c);
	c->dead = true;
}

// In unreachable code only the block structure matters: blocks are
// entered (as plain blocks) and left; the rest emits nothing.
static void cc_dead_insn(struct cc *c, const struct vf_instr *in)
{
	switch ((enum vf_kind)vf_ops[in->id].kind) {
	case VF_K_BLOCK:
	case VF_K_LOOP:
	case VF_K_IF: cc_enter(c, CC_BLOCK, in); break;
	case VF_K_ELSE: cc_else(c); break;
	case VF_K_END: cc_end(c); break;
	default: break;
	}
}

// The dispatch: one case per row of the instruction table, calling the
// handler of its KIND (<isola/wasm_ops.def>).
static void cc_dispatch(struct cc *c, const struct vf_instr *in)
{
	switch ((enum vf_op_id)in->id) {
#define WASM_OP(name, pfx, code, text, imm, kind, ...)                          \
	case VF_OP_##name: cc_h_##kind(c, in); break;
#include <isola/wasm_ops.def>
#undef WASM_OP
	case VF_NOPS: c->bad = true; break;
	}
}

static void cc_body(struct cc *c)
{
	struct vf_instr in;

	while (c->nctl > 0 && !c->bad && c->p < c->end) {
		struct vf_cursor cur = {c->p, c->end, NULL};
		c->op_off = (uint32_t)(c->p - c->m->bytes);
		if (vf_instr_read(&cur, &in) != ERR_OK) {
			c->bad = true; // the verifier accepted it: never
			return;
		}
		c->p = cur.p;
		if (c->dead)
			cc_dead_insn(c, &in);
		else
			cc_dispatch(c, &in);
	}
}

// Copies the compiled function out of the scratch buffers.
ISOLA_MUST_CHECK
static isola_err_t cc_finish(struct cc *c, struct eng_code *out)
{
	void *w, *s;
	TRY(eng_alloc(&c->prep->arena, (size_t)c->n * 8, &w));
	TRY(eng_alloc(&c->prep->arena,
		      (size_t)c->nsites * sizeof(struct eng_site) + 1, &s));
	memcpy(w, c->code, (size_t)c->n * 8);
	if (c->nsites)
		memcpy(s, c->sites, (size_t)c->nsites * sizeof(struct eng_site));
	out->words = w;
	out->nwords = c->n;
	out->sites = s;
	out->nsites = c->nsites;
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t cc_function(struct cc *c, uint32_t fi, struct eng_code *out)
{
	const struct vf_func *f = &c->m->funcs[fi];
	const struct vf_functype *t = vf_func_type(c->m, fi);
	c->p = c->m->bytes + f->code_off;
	c->end = c->m->bytes + f->body.off + f->body.len;
	c->n = 0;
	c->nsites = 0;
	c->nctl = 0;
	c->h = 0;
	c->dead = false;
	c->nlocals_all = t->nparams + f->nlocals;
	c->max_h = 0;
	c->last_dst = CC_NONE;
	c->last_cmp = CC_NONE;
	cc_enter(c, CC_FUNC, NULL);
	c->ctl[0].nresults = t->nresults;
	cc_body(c);
	if (c->bad || c->nctl != 0)
		return ERR_INTERNAL;
	out->nparams = t->nparams;
	out->nresults = t->nresults;
	out->nlocals = f->nlocals;
	out->frame_slots = c->nlocals_all + c->max_h + 1;
	out->func_index = fi;
	return cc_finish(c, out);
}

ISOLA_MUST_CHECK
static isola_err_t cc_scratch(struct cc *c)
{
	const struct vf_module *m = c->m;
	size_t maxlen = 0, maxdepth = 0, maxstack = 0;
	for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
		maxlen = ISOLA_MAX(maxlen, (size_t)m->funcs[i].body.len);
		maxdepth = ISOLA_MAX(maxdepth, (size_t)m->funcs[i].max_depth);
		maxstack = ISOLA_MAX(maxstack, (size_t)m->funcs[i].max_stack);
	}
	// Every wasm byte becomes at most five words (select: one byte, five
	// words), and each lazy operand (at least two bytes) is written out at
	// most once (three words).
	void *p;
	c->code_cap = (uint32_t)(maxlen * 6 + maxstack * 3 + 32);
	TRY(eng_alloc(&c->scratch, (size_t)c->code_cap * 8, &p));
	c->code = p;
	c->sites_cap = (uint32_t)maxlen + 1;
	TRY(eng_alloc(&c->scratch, c->sites_cap * sizeof(struct eng_site), &p));
	c->sites = p;
	c->ctl_cap = (uint32_t)maxdepth + 2;
	TRY(eng_alloc(&c->scratch, c->ctl_cap * sizeof(struct cc_ctl), &p));
	c->ctl = p;
	c->vs_cap = (uint32_t)maxstack + 2;
	TRY(eng_alloc(&c->scratch, c->vs_cap * sizeof(struct cc_val), &p));
	c->vs = p;
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t cc_all(struct cc *c)
{
	const struct vf_module *m = c->m;
	TRY(eng_exec(NULL, NULL, NULL, &c->labels));
	TRY(eng_alloc(&c->prep->arena,
		      (size_t)(m->nfuncs - m->nimported_funcs) * sizeof(struct eng_code),
		      (void **)&c->prep->codes));
	TRY(cc_scratch(c));
	for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
		TRY(cc_function(c, i, &c->prep->codes[i - m->nimported_funcs]));
	return ERR_OK;
}

isola_err_t eng_compile(struct eng_prepared *p)
{
	struct cc c;
	memset(&c, 0, sizeof(c));
	c.prep = p;
	c.m = p->m;
	c.scratch.alloc = p->arena.alloc;
	isola_err_t err = cc_all(&c);
	eng_free_all(&c.scratch);
	return err;
}

isola_err_t eng_module_prepare_cfg(const struct vf_module *m,
				   const struct eng_prepare_config *cfg,
				   struct eng_prepared **out)
{
	const struct vf_allocator *a = cfg->alloc;
	bool native = cfg->kind == ENG_NATIVE;
	if (native && cfg->code_mem == NULL)
		return ERR_INVAL;
	if (native && !eng_native_supported())
		return ERR_ENG_NO_NATIVE;
	struct eng_prepared *p = a->alloc(a->ctx, sizeof(*p));
	if (p == NULL)
		return ERR_NOMEM;
	memset(p, 0, sizeof(*p));
	p->m = m;
	p->arena.alloc = a;
	if (native) {
		p->code_mem = *cfg->code_mem;
		p->guard = cfg->guard;
	}
	isola_err_t err = eng_compile(p);
	if (err == ERR_OK && native)
		err = eng_jit_compile(p);
	if (err != ERR_OK) {
		eng_prepared_free(p);
		return err;
	}
	*out = p;
	return ERR_OK;
}

isola_err_t eng_module_prepare(const struct vf_module *m,
			       const struct vf_allocator *a,
			       struct eng_prepared **out)
{
	struct eng_prepare_config cfg = {.alloc = a, .kind = ENG_INTERP};
	return eng_module_prepare_cfg(m, &cfg, out);
}

bool eng_prepared_native(const struct eng_prepared *p)
{
	return p->jit_code != NULL;
}

size_t eng_prepared_native_size(const struct eng_prepared *p)
{
	return p->jit_size;
}

const uint8_t *eng_prepared_native_code(const struct eng_prepared *p)
{
	return p->jit_code;
}

size_t eng_prepared_native_offset(const struct eng_prepared *p, uint32_t fi)
{
	const struct vf_module *m = p->m;
	if (p->jit_code == NULL || fi < m->nimported_funcs || fi >= m->nfuncs)
		return 0;
	return (size_t)((const uint8_t *)p->codes[fi - m->nimported_funcs].jit - p->jit_code);
}

void eng_prepared_free(struct eng_prepared *p)
{
	if (p == NULL)
		return;
	const struct vf_allocator *a = p->arena.alloc;
	if (p->jit_code != NULL)
		p->code_mem.free(p->code_mem.ctx, p->jit_code, p->jit_size);
	eng_free_all(&p->arena);
	if (a->free != NULL)
		a->free(a->ctx, p, sizeof(*p));
}
