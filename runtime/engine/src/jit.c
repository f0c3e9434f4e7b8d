// SPDX-License-Identifier: MIT
// The native compiler: translates each function's internal code (compile.c)
// into x86-64 in one pass, after a scan that finds loop headers and weighs
// each slot's uses (uses in loops count more). The heaviest slots get a
// register for the whole function (general registers for integers, xmm for
// floats), so branches need no reconciliation; calls write them back to the
// frame and reload them. Control flow, calls, polls, traps and the module's
// entry and exit stubs are here; operations are in jit_ops.c. Design:
// docs/engine.md, "Native code".
#include "jit.h"

#define OP(name) ENG_OP_##name
#define OFF(type, field) ((int32_t)offsetof(struct type, field))
#define NO_OP 0xffffu

// r12 holds the memory's size for explicit bounds checks; with guard
// regions it is one more register for slots.
static const int8_t gpr_pool[] = {RSI, RDI, R8, R9, R10, R11, RBP, R12};
#define NXMM_POOL 14 // xmm2 .. xmm15

// ---- helpers shared with jit_ops.c ------------------------------------

uint32_t jit_code_off(struct jit *j)
{
	return eng_code_offset(j->code, j->code->words + j->op_word + 1);
}

void jit_cold(struct jit *j, uint8_t kind, uint32_t at, uint32_t err)
{
	if (j->ncold >= j->cold_cap) {
		j->bad = true;
		return;
	}
	j->cold[j->ncold++] = (struct jit_cold){
		.kind = kind, .at = at, .resume = j->b.n,
		.code_off = jit_code_off(j), .err = err,
	};
}

uint32_t jit_trap_jcc(struct jit *j, int cc, uint32_t err)
{
	uint32_t at = x_jcc(&j->b, cc);
	jit_cold(j, JC_TRAP, at, err);
	return at;
}

// Writes back the register slots below limit.
static void wb_below(struct jit *j, uint32_t limit)
{
	for (uint32_t s = 0; s < limit && s < j->code->frame_slots; s++) {
		int r = j->reg[s];
		if (r >= 16)
			x_rm(&j->b, 0x66, false, 0x0fd6, 2, r & 15, jit_slot(s), false);
		else if (r >= 0)
			x_mov_store(&j->b, true, jit_slot(s), r);
	}
}

// Reloads the register slots in [from, to).
static void reload_range(struct jit *j, uint32_t from, uint32_t to)
{
	for (uint32_t s = from; s < to && s < j->code->frame_slots; s++) {
		int r = j->reg[s];
		if (r >= 16)
			x_rm(&j->b, 0xf3, false, 0x0f7e, 2, r & 15, jit_slot(s), false);
		else if (r >= 0)
			x_mov_load(&j->b, true, r, jit_slot(s));
	}
}

void jit_wb_all(struct jit *j)
{
	wb_below(j, j->code->frame_slots);
}

void jit_reload_all(struct jit *j)
{
	reload_range(j, 0, j->code->frame_slots);
}

void jit_reload_mem(struct jit *j)
{
	if (!j->has_mem || j->guard) // a guarded memory never moves
		return;
	x_mov_load(&j->b, true, RAX, x_at(J_INST, OFF(eng_instance, mem)));
	x_mov_load(&j->b, true, J_MBASE, x_at(RAX, OFF(eng_memory, base)));
	if (!j->guard)
		x_mov_load(&j->b, true, J_MSIZE, x_at(RAX, OFF(eng_memory, size)));
}

// A call into C on the compiled code's stack, aligned as the ABI wants;
// rbp keeps the stack pointer (callers have written every slot back).
void jit_ccall(struct jit *j, const void *fn)
{
	x_mov_rr(&j->b, true, RBP, RSP);
	x_alu_ri(&j->b, 4, true, RSP, -16);
	x_call_abs(&j->b, fn);
	x_mov_rr(&j->b, true, RSP, RBP);
}

void jit_site(struct jit *j)
{
	if (!j->guard)
		return;
	if (j->nsites >= j->sites_cap) {
		j->bad = true;
		return;
	}
	j->sites[j->nsites++] = (struct jit_site){
		j->b.n, jit_code_off(j), j->code->func_index};
}

// ---- the scan: ops, loops, weights, registers ---------------------------

static enum eng_op op_at(struct jit *j, const uint64_t *w)
{
	uintptr_t a = (uintptr_t)*w;
	uint32_t lo = 0, hi = ENG_NOPS;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (j->op_addr[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ENG_NOPS && j->op_addr[lo] == a)
		return (enum eng_op)j->op_of[lo];
	j->bad = true;
	return OP(HALT);
}

static void weigh(struct jit *j, uint32_t s, bool flt, uint64_t w)
{
	if (s >= j->code->frame_slots) {
		j->bad = true;
		return;
	}
	if (flt)
		j->wflt[s] += w;
	else
		j->wint[s] += w;
}

static bool is_float_op(enum eng_op op)
{
	return (op >= OP(F32_EQ) && op <= OP(F64_GE)) ||
	       (op >= OP(F32_ABS) && op <= OP(F64_COPYSIGN)) ||
	       (op >= OP(F64_ADD_RI) && op <= OP(F64_DIV_RI));
}

// The weight of op's operand slots. Float operations weigh their
// operands as floats (conversions weigh both sides so); the rest as
// integers. Only the choice of registers depends on it.
static void weigh_op(struct jit *j, enum eng_op op, const uint64_t *p, uint32_t len,
		     uint64_t w)
{
	if (op >= OP(BR) && op <= OP(HALT) && op != OP(BR_IF) && op != OP(BR_UNLESS))
		return; // targets, counts, code pointers
	if (op == OP(CONST) || op == OP(GLOBAL_GET)) {
		weigh(j, (uint32_t)p[0], false, w);
		return;
	}
	if (op == OP(GLOBAL_SET) || op == OP(BR_IF) || op == OP(BR_UNLESS) ||
	    op == OP(BR_IF_POLL) || op == OP(MEMORY_GROW) || op == OP(MEMORY_SIZE)) {
		weigh(j, (uint32_t)p[0], false, w);
		if (op == OP(MEMORY_GROW))
			weigh(j, (uint32_t)p[1], false, w);
		return;
	}
	if (op >= OP(BR_IF_EQ) && op <= OP(BRL_IF_GE_U_RI)) {
		weigh(j, (uint32_t)p[0], false, w);
		if (((op - OP(BR_IF_EQ)) & 1) == 0)
			weigh(j, (uint32_t)p[1], false, w);
		return;
	}
	bool flt = is_float_op(op);
	if (op <= OP(I64_EXTEND32_S) || (op >= OP(I32_ADD_RI) && op <= OP(F64_DIV_RI))) {
		uint32_t n = op >= OP(I32_ADD_RI) ? 2 : len;
		for (uint32_t i = 0; i < n; i++)
			weigh(j, (uint32_t)p[i], flt, w);
		return;
	}
	// A 32- or 64-bit load or store moves floats too: its value votes
	// half, so that the operations using the value decide its class.
	if (op >= OP(LOAD32) && op <= OP(LOAD32_S64_AK)) {
		bool any = op == OP(LOAD32) || op == OP(LOAD64) || op == OP(LOAD32_AK) ||
			   op == OP(LOAD64_AK);
		weigh(j, (uint32_t)p[0], false, any ? w / 2 : w);
		weigh(j, (uint32_t)p[1], false, w);
	} else if (op >= OP(STORE8) && op <= OP(STORE64)) {
		weigh(j, (uint32_t)p[0], false, w);
		weigh(j, (uint32_t)p[1], false, op >= OP(STORE32) ? w / 2 : w);
	} else if (op >= OP(STORE8_AK) && op <= OP(STORE64_AK)) {
		weigh(j, (uint32_t)p[0], false, w);
		weigh(j, (uint32_t)p[2], false, op >= OP(STORE32_AK) ? w / 2 : w);
	} else if (op == OP(COPY)) {
		weigh(j, (uint32_t)p[0], false, w / 2);
		weigh(j, (uint32_t)p[1], false, w / 2);
	} else if (op == OP(SELECT)) {
		for (int i = 0; i < 4; i++)
			weigh(j, (uint32_t)p[i], false, w);
	}
}

// The locals' declared types weigh their slots too.
static void weigh_locals(struct jit *j)
{
	const struct vf_module *m = j->m;
	uint32_t fi = j->code->func_index;
	const struct vf_functype *t = vf_func_type(m, fi);
	for (uint32_t i = 0; i < t->nparams; i++) {
		vf_valtype_t v = t->types[i];
		weigh(j, i, v == VF_TYPE_F32 || v == VF_TYPE_F64, 1);
	}
	const struct vf_func *f = &m->funcs[fi];
	uint32_t s = t->nparams;
	for (uint32_t r = 0; r < f->nlocal_runs; r++) {
		vf_valtype_t v = f->local_runs[r].type;
		bool flt = v == VF_TYPE_F32 || v == VF_TYPE_F64;
		for (uint32_t k = 0; k < f->local_runs[r].count && s < j->code->frame_slots; k++)
			weigh(j, s++, flt, 1);
	}
}

static void mark(struct jit *j, int64_t t)
{
	if (t >= 0 && t < (int64_t)j->code->nwords)
		j->target[t] = 1;
}

// Every word a jump of op (at word w, immediates p) may land on.
static void mark_targets(struct jit *j, enum eng_op op, uint32_t w, const uint64_t *p)
{
	int64_t b = (int64_t)w;
	switch (op) {
	case OP(BR): case OP(BR_POLL): mark(j, b + 1 + (int64_t)p[0]); break;
	case OP(BR_UNWIND): mark(j, b + 4 + (int64_t)p[3]); break;
	case OP(BR_IF): case OP(BR_IF_POLL): case OP(BR_UNLESS):
		mark(j, b + 2 + (int64_t)p[1]);
		break;
	case OP(BR_IF_UNWIND): mark(j, b + 5 + (int64_t)p[4]); break;
	case OP(BR_TABLE):
		for (uint64_t i = 0; i <= p[1]; i++)
			mark(j, b + 6 + 2 * (int64_t)i + (int64_t)p[4 + 2 * i + 1]);
		break;
	default:
		if (op >= OP(BR_IF_EQ) && op <= OP(BRL_IF_GE_U_RI))
			mark(j, b + 3 + (int64_t)p[2]);
	}
}

// Finds each op, the loop headers (targets of polling branches) and the
// loop depth of every word; fills opw (the op at each op's first word).
static void scan(struct jit *j, uint16_t *opw)
{
	const struct eng_code *c = j->code;
	int32_t *d = (int32_t *)j->depth; // difference array first
	memset(d, 0, (c->nwords + 1) * sizeof(*d));
	memset(j->head, 0, c->nwords);
	memset(j->target, 0, c->nwords);
	for (uint32_t w = 0; w < c->nwords && !j->bad;) {
		enum eng_op op = op_at(j, &c->words[w]);
		opw[w] = (uint16_t)op;
		const uint64_t *p = &c->words[w + 1];
		uint32_t len = jit_op_len(op, p);
		if (w + 1 + len > c->nwords) {
			j->bad = true;
			break;
		}
		for (uint32_t k = 1; k <= len; k++)
			opw[w + k] = NO_OP;
		int64_t tw = -1; // a back-edge's target
		if (op == OP(BR_POLL))
			tw = (int64_t)(w + 1) + (int64_t)p[0];
		else if (op == OP(BR_IF_POLL))
			tw = (int64_t)(w + 2) + (int64_t)p[1];
		else if (op >= OP(BR_IF_EQ) && op <= OP(BRL_IF_GE_U_RI) &&
			 ((op - OP(BR_IF_EQ)) & 2))
			tw = (int64_t)(w + 3) + (int64_t)p[2];
		mark_targets(j, op, w, p);
		if (tw >= 0 && tw <= (int64_t)w) {
			j->head[tw] = 1;
			d[tw]++;
			d[w + 1]--;
		} else if (tw >= 0) {
			j->bad = true;
		}
		w += 1 + len;
	}
	int32_t depth = 0;
	for (uint32_t w = 0; w < c->nwords; w++) {
		depth += d[w];
		j->depth[w] = (uint32_t)depth;
	}
}

static void weigh_all(struct jit *j, const uint16_t *opw)
{
	const struct eng_code *c = j->code;
	memset(j->wint, 0, c->frame_slots * sizeof(uint64_t));
	memset(j->wflt, 0, c->frame_slots * sizeof(uint64_t));
	weigh_locals(j);
	for (uint32_t w = 0; w < c->nwords && !j->bad; w++) {
		if (opw[w] == NO_OP)
			continue;
		uint32_t dep = j->depth[w] > 6 ? 6 : j->depth[w];
		uint64_t weight = (uint64_t)2 << (3 * dep);
		const uint64_t *p = &c->words[w + 1];
		enum eng_op op = (enum eng_op)opw[w];
		weigh_op(j, op, p, jit_op_len(op, p), weight);
	}
}

// The heaviest integer slots get the general registers, the heaviest
// float slots the xmm registers.
static void assign(struct jit *j)
{
	uint32_t n = j->code->frame_slots;
	memset(j->reg, -1, n);
	for (int pass = 0; pass < 2; pass++) {
		bool flt = pass == 1;
		uint32_t cap = flt ? NXMM_POOL : (uint32_t)sizeof(gpr_pool) - (j->guard ? 0 : 1);
		for (uint32_t k = 0; k < cap; k++) {
			uint64_t best = 0;
			uint32_t bs = UINT32_MAX;
			for (uint32_t s = 0; s < n; s++) {
				uint64_t wt = flt ? j->wflt[s] : j->wint[s];
				uint64_t other = flt ? j->wint[s] : j->wflt[s];
				if (j->reg[s] >= 0 || wt == 0 || wt < other ||
				    (!flt && wt == other && wt == 0))
					continue;
				if (wt > best) {
					best = wt;
					bs = s;
				}
			}
			if (bs == UINT32_MAX)
				break;
			j->reg[bs] = (int8_t)(flt ? XMM(2 + (int)k) : gpr_pool[k]);
		}
	}
}

// ---- branches and polls -------------------------------------------------

// A jump to word target; back-edges of polling branches (poll) enter a
// loop header through its poll, every other jump after it.
static void to_word_p(struct jit *j, uint32_t at, int64_t target, bool poll)
{
	if (target < 0 || target >= (int64_t)j->code->nwords || j->nfix >= j->fix_cap) {
		j->bad = true;
		return;
	}
	j->fix[j->nfix++] = (struct jit_fix){at, (uint32_t)target, poll};
}

static void to_word(struct jit *j, uint32_t at, int64_t target)
{
	to_word_p(j, at, target, false);
}

static void poll_check(struct jit *j)
{
	x_alu_mi(&j->b, 7, true, x_at(J_TH, OFF(eng_thread, req)), 0);
	jit_cold(j, JC_POLL, x_jcc(&j->b, XC_NE), 0);
}

// dst[0 .. n) <- src[0 .. n), in ascending order as the interpreter does.
static void moves(struct jit *j, uint64_t dst, uint64_t src, uint64_t n)
{
	if (dst + n > j->code->frame_slots || src + n > j->code->frame_slots) {
		j->bad = true;
		return;
	}
	for (uint64_t i = 0; i < n; i++)
		jit_move(j, (uint32_t)(dst + i), (uint32_t)(src + i));
}

static void cond_test(struct jit *j, uint32_t s)
{
	int r = jit_gget(j, s, RAX);
	x_rr(&j->b, 0, false, 0x85, 1, r, r, false);
}

static void br_table(struct jit *j, uint32_t w, const uint64_t *p)
{
	uint64_t n = p[1];
	poll_check(j); // first: its slow path uses the scratch registers
	int r = jit_gget(j, (uint32_t)p[0], RAX);
	x_mov_rr(&j->b, false, RAX, r);
	x_mov_imm(&j->b, RCX, n);
	x_alu_rr(&j->b, 7, false, RAX, RCX);
	x_rr(&j->b, 0, false, 0x0f47, 2, RAX, RCX, false); // cmova
	// lea rcx, [rip + table]; movsxd rax, [rcx + rax*4]; add rax, rcx; jmp rax
	x_byte(&j->b, 0x48);
	x_byte(&j->b, 0x8d);
	x_byte(&j->b, 0x0d);
	uint32_t lea_at = j->b.n;
	x_u32(&j->b, 0);
	x_rm(&j->b, 0, true, 0x63, 1, RAX, (struct x_mem){RCX, RAX, 4, 0}, false);
	x_alu_rr(&j->b, 0, true, RAX, RCX);
	x_rr(&j->b, 0, false, 0xff, 1, 4, RAX, false);
	uint32_t table = j->b.n;
	x_patch(&j->b, lea_at, table);
	for (uint64_t i = 0; i <= n; i++)
		x_u32(&j->b, 0);
	for (uint64_t i = 0; i <= n && !j->b.bad; i++) {
		uint32_t rel = j->b.n - table;
		memcpy(&j->b.p[table + 4 * i], &rel, 4);
		const uint64_t *e = p + 4 + 2 * i;
		moves(j, e[0], p[2], p[3]);
		uint32_t tw = (uint32_t)(w + 4 + 2 * i + 2);
		to_word(j, x_jmp(&j->b), (int64_t)tw + (int64_t)e[1]);
	}
}

static const int8_t cmp_cc[10] = {XC_E, XC_NE, XC_L, XC_B, XC_G,
				  XC_A, XC_LE, XC_BE, XC_GE, XC_AE};

// Compare-and-branch: BR_IF_<cmp>[_RI] a, b|k, target (and BRL_ forms).
static void cmp_branch(struct jit *j, enum eng_op op, uint32_t w, const uint64_t *p)
{
	uint32_t k = (uint32_t)(op - OP(BR_IF_EQ));
	bool ri = k & 1;
	int ra = jit_gget(j, (uint32_t)p[0], RAX);
	if (ri) {
		x_alu_ri(&j->b, 7, false, ra, (int32_t)(uint32_t)p[1]);
	} else {
		int rb = j->reg[(uint32_t)p[1]];
		if (rb < 0)
			x_alu_rm(&j->b, 7, false, ra, jit_slot((uint32_t)p[1]));
		else
			x_alu_rr(&j->b, 7, false, ra, jit_gget(j, (uint32_t)p[1], RCX));
	}
	to_word_p(j, x_jcc(&j->b, cmp_cc[k / 4]), (int64_t)(w + 3) + (int64_t)p[2],
		  (k & 2) != 0);
}

// ---- calls ---------------------------------------------------------------

// A call through eng_jit_call_out on the embedder's stack: the function
// in rsi, arguments at base. Slots are written back already.
static void call_out(struct jit *j, uint64_t base)
{
	x_mov_rr(&j->b, true, RDI, J_TH);
	x_lea(&j->b, RDX, jit_slot((uint32_t)base));
	x_mov_imm(&j->b, RCX, j->code->func_index);
	x_mov_imm(&j->b, R8, jit_code_off(j));
	x_mov_store(&j->b, true, x_at(J_TH, OFF(eng_thread, jit_rsp)), RSP);
	x_mov_load(&j->b, true, RSP, x_at(J_TH, OFF(eng_thread, entry_rsp)));
	x_call_abs(&j->b, (const void *)eng_jit_call_out);
	x_mov_load(&j->b, true, RSP, x_at(J_TH, OFF(eng_thread, jit_rsp)));
	x_rr(&j->b, 0, false, 0x85, 1, RAX, RAX, false);
	x_patch(&j->b, x_jcc(&j->b, XC_NE), j->mod_propagate);
}

// Before a call with its frame at base: the slots below it stay live,
// the arguments above it are read by the callee; the rest are dead.
static void call_before(struct jit *j, uint64_t base, uint32_t nparams)
{
	wb_below(j, (uint32_t)base + nparams);
}

// After it: the live slots and the results come back.
static void call_after(struct jit *j, uint64_t base, const struct vf_functype *t)
{
	jit_reload_mem(j);
	reload_range(j, 0, (uint32_t)base + t->nresults);
}

static void call_direct(struct jit *j, const uint64_t *p)
{
	const struct eng_code *callee = (const struct eng_code *)(uintptr_t)p[0];
	uint32_t base = (uint32_t)p[1];
	const struct eng_code *first = j->prep->codes;
	uint32_t ndef = j->m->nfuncs - j->m->nimported_funcs;
	if (callee < first || callee >= first + ndef || j->ncalls >= j->calls_cap) {
		j->bad = true;
		return;
	}
	const struct vf_functype *t = vf_func_type(j->m, callee->func_index);
	call_before(j, base, t->nparams);
	x_lea(&j->b, J_FP, jit_slot(base));
	j->calls[j->ncalls++] = (struct jit_fix){x_call(&j->b), (uint32_t)(callee - first), false};
	x_lea(&j->b, J_FP, x_at(J_FP, -(int32_t)(base * 8)));
	call_after(j, base, t);
}

static void call_func(struct jit *j, const uint64_t *p)
{
	if (p[0] >= j->m->nfuncs) {
		j->bad = true;
		return;
	}
	const struct vf_functype *t = vf_func_type(j->m, (uint32_t)p[0]);
	call_before(j, p[1], t->nparams);
	x_mov_load(&j->b, true, RAX, x_at(J_INST, OFF(eng_instance, funcs)));
	x_mov_load(&j->b, true, RSI, x_at(RAX, (int32_t)(p[0] * 8)));
	call_out(j, p[1]);
	call_after(j, p[1], t);
}

// call_indirect type, hash, index slot, base: the element's checks, then a
// direct native call when it is this instance's, else the call-out.
static void call_indirect(struct jit *j, const uint64_t *p)
{
	const struct vf_functype *t = (const struct vf_functype *)(uintptr_t)p[0];
	if (t < j->m->types || t >= j->m->types + j->m->ntypes) {
		j->bad = true;
		return;
	}
	// The index slot is read from the frame below: write it back too.
	call_before(j, ISOLA_MAX(p[3] + t->nparams, p[2] + 1), 0);
	x_mov_load(&j->b, false, RAX, jit_slot((uint32_t)p[2]));
	x_mov_load(&j->b, true, RCX, x_at(J_INST, OFF(eng_instance, table)));
	x_alu_rm(&j->b, 7, false, RAX, x_at(RCX, OFF(eng_table, size)));
	jit_trap_jcc(j, XC_AE, ERR_ENG_TRAP_UNDEFINED_ELEM);
	x_mov_load(&j->b, true, RCX, x_at(RCX, OFF(eng_table, elems)));
	x_mov_load(&j->b, true, RCX, (struct x_mem){RCX, RAX, 8, 0});
	x_rr(&j->b, 0, true, 0x85, 1, RCX, RCX, false);
	jit_trap_jcc(j, XC_E, ERR_ENG_TRAP_NULL_ELEM);
	x_mov_imm(&j->b, RAX, p[0]);
	x_alu_rm(&j->b, 7, true, RAX, x_at(RCX, OFF(eng_func, type)));
	uint32_t at = x_jcc(&j->b, XC_NE);
	jit_cold(j, JC_SIG, at, 0);
	if (j->ncold)
		j->cold[j->ncold - 1].aux = (uint32_t)(j->ncold - 1);
	x_alu_rm(&j->b, 7, true, J_INST, x_at(RCX, OFF(eng_func, inst)));
	uint32_t other = x_jcc(&j->b, XC_NE);
	x_mov_load(&j->b, true, RAX, x_at(RCX, OFF(eng_func, code)));
	x_mov_load(&j->b, true, RAX, x_at(RAX, OFF(eng_code, jit)));
	x_lea(&j->b, J_FP, jit_slot((uint32_t)p[3]));
	x_rr(&j->b, 0, false, 0xff, 1, 2, RAX, false); // call rax
	x_lea(&j->b, J_FP, x_at(J_FP, -(int32_t)(p[3] * 8)));
	uint32_t done = x_jmp(&j->b);
	x_patch(&j->b, other, j->b.n);
	x_mov_rr(&j->b, true, RSI, RCX);
	call_out(j, p[3]);
	x_patch(&j->b, done, j->b.n);
	call_after(j, p[3], t);
}

static void ret(struct jit *j, const uint64_t *p)
{
	uint32_t src = (uint32_t)p[0], n = j->code->nresults;
	if (src + n > j->code->frame_slots) {
		// The results were never pushed: the end of a body that cannot
		// be reached (the frame has no slots for them).
		jit_cold(j, JC_TRAP, x_jmp(&j->b), ERR_ENG_TRAP_UNREACHABLE);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (src + i == i && j->reg[i] < 0)
			continue;
		x_mov_store(&j->b, true, jit_slot(i), jit_gget(j, src + i, RAX));
	}
	x_byte(&j->b, 0xc3);
}

// ---- one function ---------------------------------------------------------

static bool control(struct jit *j, enum eng_op op, uint32_t w, const uint64_t *p)
{
	switch (op) {
	case OP(UNREACHABLE):
		jit_cold(j, JC_TRAP, x_jmp(&j->b), ERR_ENG_TRAP_UNREACHABLE);
		return true;
	case OP(BR):
	case OP(BR_POLL):
		to_word_p(j, x_jmp(&j->b), (int64_t)(w + 1) + (int64_t)p[0],
			  op == OP(BR_POLL));
		return true;
	case OP(BR_UNWIND):
		moves(j, p[0], p[1], p[2]);
		poll_check(j);
		to_word(j, x_jmp(&j->b), (int64_t)(w + 4) + (int64_t)p[3]);
		return true;
	case OP(BR_IF):
	case OP(BR_IF_POLL):
	case OP(BR_UNLESS):
		cond_test(j, (uint32_t)p[0]);
		to_word_p(j, x_jcc(&j->b, op == OP(BR_UNLESS) ? XC_E : XC_NE),
			  (int64_t)(w + 2) + (int64_t)p[1], op == OP(BR_IF_POLL));
		return true;
	case OP(BR_IF_UNWIND): {
		cond_test(j, (uint32_t)p[0]);
		uint32_t skip = x_jcc(&j->b, XC_E);
		moves(j, p[1], p[2], p[3]);
		poll_check(j);
		to_word(j, x_jmp(&j->b), (int64_t)(w + 5) + (int64_t)p[4]);
		x_patch(&j->b, skip, j->b.n);
		return true;
	}
	case OP(BR_TABLE):
		br_table(j, w, p);
		return true;
	case OP(RETURN):
		ret(j, p);
		return true;
	case OP(CALL):
		call_direct(j, p);
		return true;
	case OP(CALL_FUNC):
		call_func(j, p);
		return true;
	case OP(CALL_INDIRECT):
		call_indirect(j, p);
		return true;
	default:
		if (op >= OP(BR_IF_EQ) && op <= OP(BRL_IF_GE_U_RI)) {
			cmp_branch(j, op, w, p);
			return true;
		}
		return false;
	}
}

// The entry: poll, stack checks, then the locals: declared ones zeroed,
// parameters loaded into their registers.
static void prologue(struct jit *j)
{
	const struct eng_code *c = j->code;
	j->op_word = 0;
	x_lea(&j->b, RAX, jit_slot(c->frame_slots));
	x_alu_rm(&j->b, 7, true, RAX, x_at(J_TH, OFF(eng_thread, stack_end)));
	jit_trap_jcc(j, XC_A, ERR_ENG_TRAP_STACK);
	x_alu_rm(&j->b, 7, true, RSP, x_at(J_TH, OFF(eng_thread, nstack_limit)));
	jit_trap_jcc(j, XC_B, ERR_ENG_TRAP_STACK);
	uint32_t first = c->nparams, end = c->nparams + c->nlocals;
	x_mov_imm(&j->b, RAX, 0);
	for (uint32_t s = first; s < end; s++) {
		int r = j->reg[s];
		if (r >= 16)
			x_rr(&j->b, 0, false, 0x0f57, 2, r & 15, r & 15, false);
		else if (r >= 0)
			x_mov_imm(&j->b, r, 0);
		else
			x_mov_store(&j->b, true, jit_slot(s), RAX);
	}
	for (uint32_t s = 0; s < c->nparams; s++) {
		int r = j->reg[s];
		if (r >= 16)
			x_rm(&j->b, 0xf3, false, 0x0f7e, 2, r & 15, jit_slot(s), false);
		else if (r >= 0)
			x_mov_load(&j->b, true, r, jit_slot(s));
	}
	poll_check(j); // with every slot in place: the poll writes them back
}

// Leaves through the module's trap stub: the error already in edi, the
// site's code offset and this function's index.
static void trap_tail(struct jit *j, uint32_t code_off)
{
	x_mov_imm(&j->b, RSI, code_off);
	x_mov_imm(&j->b, RDX, j->code->func_index);
	x_patch(&j->b, x_jmp(&j->b), j->mod_trap);
}

// The cold stubs of a truncation: NaN traps as invalid, a value that
// truncates to the minimum returns, anything else overflows (xmm0 holds
// the operand).
static void cold_trunc(struct jit *j, struct jit_cold *k)
{
	enum eng_op op = (enum eng_op)k->op;
	bool dbl = op == OP(I32_TRUNC_F64_S) || op == OP(I32_TRUNC_F64_U) ||
		   op == OP(I64_TRUNC_F64_S);
	bool w64 = op == OP(I64_TRUNC_F32_S) || op == OP(I64_TRUNC_F64_S);
	bool sign = op != OP(I32_TRUNC_F32_U) && op != OP(I32_TRUNC_F64_U);
	uint8_t pfx = dbl ? 0x66 : 0;
	uint32_t off = k->code_off;
	x_rr(&j->b, pfx, false, 0x0f2e, 2, 0, 0, false);
	uint32_t nan = x_jcc(&j->b, XC_P);
	if (sign) {
		double lo = w64 ? -9223372036854775808.0 : dbl ? -2147483649.0 : -2147483648.0;
		double hi = w64 ? 9223372036854775808.0 : 2147483648.0;
		uint64_t lb, hb;
		if (dbl) {
			lb = eng_bits64(lo);
			hb = eng_bits64(hi);
		} else {
			lb = eng_bits32((float)lo);
			hb = eng_bits32((float)hi);
		}
		x_mov_imm(&j->b, RAX, lb);
		x_rr(&j->b, 0x66, true, 0x0f6e, 2, 1, RAX, false);
		x_rr(&j->b, pfx, false, 0x0f2e, 2, 0, 1, false);
		uint32_t low = x_jcc(&j->b, dbl && !w64 ? XC_BE : XC_B);
		x_mov_imm(&j->b, RAX, hb);
		x_rr(&j->b, 0x66, true, 0x0f6e, 2, 1, RAX, false);
		x_rr(&j->b, pfx, false, 0x0f2e, 2, 0, 1, false);
		uint32_t high = x_jcc(&j->b, XC_AE);
		x_mov_imm(&j->b, RAX, w64 ? (uint64_t)INT64_MIN : 0x80000000u);
		x_patch(&j->b, x_jmp(&j->b), k->resume);
		x_patch(&j->b, low, j->b.n);
		x_patch(&j->b, high, j->b.n);
	}
	x_mov_imm(&j->b, RDI, ERR_ENG_TRAP_INT_OVERFLOW);
	uint32_t go = x_jmp(&j->b);
	x_patch(&j->b, nan, j->b.n);
	x_mov_imm(&j->b, RDI, ERR_ENG_TRAP_CONVERSION);
	x_patch(&j->b, go, j->b.n);
	trap_tail(j, off);
}

static void cold_stubs(struct jit *j)
{
	for (uint32_t i = 0; i < j->ncold && !j->bad; i++) {
		struct jit_cold k = j->cold[i];
		x_patch(&j->b, k.at, j->b.n);
		switch (k.kind) {
		case JC_TRAP:
		case JC_TRAP_EDX:
			if (k.kind == JC_TRAP)
				x_mov_imm(&j->b, RDI, k.err);
			else
				x_mov_rr(&j->b, false, RDI, RDX);
			trap_tail(j, k.code_off);
			break;
		case JC_POLL:
			jit_wb_all(j);
			x_mov_rr(&j->b, true, RDI, J_TH);
			x_mov_imm(&j->b, RSI, j->code->func_index);
			x_mov_imm(&j->b, RDX, k.code_off);
			jit_ccall(j, (const void *)eng_jit_poll);
			x_rr(&j->b, 0, false, 0x85, 1, RAX, RAX, false);
			x_patch(&j->b, x_jcc(&j->b, XC_NE), j->mod_propagate);
			jit_reload_all(j);
			x_patch(&j->b, x_jmp(&j->b), k.resume);
			break;
		case JC_TRUNC:
			cold_trunc(j, &k);
			break;
		case JC_SIG: // rcx: the element; rax: the expected type
			x_push(&j->b, RCX);
			x_push(&j->b, RCX);
			x_mov_rr(&j->b, true, RDI, RCX);
			x_mov_rr(&j->b, true, RSI, RAX);
			jit_ccall(j, (const void *)eng_jit_sig_ok);
			x_pop(&j->b, RCX);
			x_pop(&j->b, RCX);
			x_rr(&j->b, 0, false, 0x84, 1, RAX, RAX, false); // test al
			x_patch(&j->b, x_jcc(&j->b, XC_NE), k.resume);
			x_mov_imm(&j->b, RDI, ERR_ENG_TRAP_SIGNATURE);
			trap_tail(j, k.code_off);
			break;
		default:
			j->bad = true;
		}
	}
}

// Whether the result of the op at p (its destination first) is an
// operand that only the select sel reads, as its condition.
static bool selects_only(const struct jit *j, const uint64_t *p, const uint64_t *sel)
{
	uint64_t d = p[0];
	return d >= j->code->nparams + j->code->nlocals && sel[3] == d &&
	       sel[0] != d && sel[1] != d && sel[2] != d;
}

void jit_function(struct jit *j, const struct eng_code *c, uint16_t *opw)
{
	j->code = c;
	j->nfix = j->ncold = j->nconsts = 0;
	if (c->nwords > j->words_cap || c->frame_slots > j->nslots_cap) {
		j->bad = true;
		return;
	}
	scan(j, opw);
	weigh_all(j, opw);
	assign(j);
	prologue(j);
	for (uint32_t w = 0; w < c->nwords && !j->bad && !j->b.bad; w++) {
		if (opw[w] == NO_OP)
			continue;
		j->op_word = w;
		if (j->head[w]) {
			// Entering the loop from above skips its poll: it polls
			// once per back-edge, as the interpreter does.
			uint32_t in = x_jmp(&j->b);
			j->nat[w] = j->b.n;
			poll_check(j);
			x_patch(&j->b, in, j->b.n);
			j->body[w] = j->b.n;
		} else {
			j->nat[w] = j->body[w] = j->b.n;
		}
		enum eng_op op = (enum eng_op)opw[w];
		const uint64_t *p = &c->words[w + 1];
		uint32_t next = w + 1 + jit_op_len(op, p);
		if (next + 4 < c->nwords && opw[next] == OP(SELECT) && !j->target[next] &&
		    selects_only(j, p, &c->words[next + 1]) &&
		    jit_fuse_select(j, op, p, &c->words[next + 1])) {
			j->nat[next] = j->body[next] = j->b.n;
			w = next + 4; // the select's last word: the loop moves on
			continue;
		}
		if (!control(j, op, w, p) && !jit_op(j, op, p))
			j->bad = true;
	}
	cold_stubs(j);
	// The constant pool, after the code, 8-byte aligned.
	while (j->nconsts && j->b.n % 8)
		x_byte(&j->b, 0xcc);
	for (uint32_t i = 0; i < j->nconsts; i++) {
		x_patch(&j->b, j->consts[i].at, j->b.n);
		x_u64(&j->b, j->consts[i].value);
	}
	for (uint32_t i = 0; i < j->nfix && !j->bad; i++) {
		uint32_t t = j->fix[i].target;
		if (opw[t] == NO_OP) {
			j->bad = true;
			break;
		}
		x_patch(&j->b, j->fix[i].at, j->fix[i].poll ? j->nat[t] : j->body[t]);
	}
}
