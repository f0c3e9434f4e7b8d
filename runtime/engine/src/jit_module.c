// SPDX-License-Identifier: MIT
// The native code of a module: the entry and exit stubs every function
// shares, each function in turn (jit.c), direct calls patched, then the
// code copied into pages from the embedder that become read-only and
// executable. Compile time is linear in the internal code's size, with
// the buffer's size bounded by it (docs/engine.md, "Native code").
#include "jit.h"

#define OFF(type, field) ((int32_t)offsetof(struct type, field))

static const int8_t saved[] = {RBP, RBX, R12, R13, R14, R15};

// enter(th, inst, code, fp): saves the ABI's callee-saved registers and
// the thread's two stack positions and running instance, switches to the compiled code's stack
// and calls code. exit (rax = result) restores all of it; trap (edi =
// error, esi = code offset, edx = function) records the trap first;
// propagate leaves with the error already recorded.
static void stubs(struct jit *j)
{
	struct x_buf *b = &j->b;
	for (unsigned i = 0; i < sizeof(saved); i++)
		x_push(b, saved[i]);
	x_rm(b, 0, false, 0xff, 1, 6, x_at(RDI, OFF(eng_thread, entry_rsp)), false);
	x_rm(b, 0, false, 0xff, 1, 6, x_at(RDI, OFF(eng_thread, jit_rsp)), false);
	x_rm(b, 0, false, 0xff, 1, 6, x_at(RDI, OFF(eng_thread, jit_inst)), false);
	// Nine pushes after the return address: rsp is 16-byte aligned here,
	// as calls out from native code need it.
	x_mov_store(b, true, x_at(RDI, OFF(eng_thread, entry_rsp)), RSP);
	x_mov_store(b, true, x_at(RDI, OFF(eng_thread, jit_inst)), RSI);
	x_mov_rr(b, true, J_TH, RDI);
	x_mov_rr(b, true, J_INST, RSI);
	x_mov_rr(b, true, J_FP, RCX);
	x_mov_load(b, true, RSP, x_at(J_TH, OFF(eng_thread, jit_rsp)));
	x_mov_load(b, true, RAX, x_at(J_INST, OFF(eng_instance, mem)));
	x_rr(b, 0, true, 0x85, 1, RAX, RAX, false);
	uint32_t nomem = x_jcc(b, XC_E);
	x_mov_load(b, true, J_MBASE, x_at(RAX, OFF(eng_memory, base)));
	x_mov_load(b, true, J_MSIZE, x_at(RAX, OFF(eng_memory, size)));
	x_patch(b, nomem, b->n);
	x_rr(b, 0, false, 0xff, 1, 2, RDX, false); // call rdx
	x_mov_imm(b, RAX, 0);
	j->mod_exit = b->n;
	x_mov_load(b, true, RSP, x_at(J_TH, OFF(eng_thread, entry_rsp)));
	x_rm(b, 0, false, 0x8f, 1, 0, x_at(J_TH, OFF(eng_thread, jit_inst)), false);
	x_rm(b, 0, false, 0x8f, 1, 0, x_at(J_TH, OFF(eng_thread, jit_rsp)), false);
	x_rm(b, 0, false, 0x8f, 1, 0, x_at(J_TH, OFF(eng_thread, entry_rsp)), false);
	for (int i = (int)sizeof(saved) - 1; i >= 0; i--)
		x_pop(b, saved[i]);
	x_byte(b, 0xc3);

	j->mod_trap = b->n;
	x_mov_store(b, false, x_at(J_TH, OFF(eng_thread, trap.code)), RDI);
	x_mov_store(b, false, x_at(J_TH, OFF(eng_thread, trap.func_index)), RDX);
	x_mov_store(b, false, x_at(J_TH, OFF(eng_thread, trap.code_off)), RSI);
	x_mov_rr(b, false, RAX, RDI);
	x_patch(b, x_jmp(b), j->mod_exit);

	j->mod_propagate = b->n;
	x_mov_load(b, false, RAX, x_at(J_TH, OFF(eng_thread, trap.code)));
	x_patch(b, x_jmp(b), j->mod_exit);
}

// The handler table sorted by address, to read the op of a code word.
static void sort_labels(struct jit *j)
{
	for (uint32_t i = 0; i < ENG_NOPS; i++) {
		uintptr_t a = (uintptr_t)j->labels[i];
		uint32_t k = i;
		while (k > 0 && j->op_addr[k - 1] > a) {
			j->op_addr[k] = j->op_addr[k - 1];
			j->op_of[k] = j->op_of[k - 1];
			k--;
		}
		j->op_addr[k] = a;
		j->op_of[k] = (uint16_t)i;
	}
}

ISOLA_MUST_CHECK
static isola_err_t scratch(struct jit *j, uint16_t **opw)
{
	const struct eng_prepared *p = j->prep;
	uint32_t ndef = j->m->nfuncs - j->m->nimported_funcs;
	uint32_t words = 1, slots = 1, sites = 0, calls = 0;
	for (uint32_t i = 0; i < ndef; i++) {
		words = ISOLA_MAX(words, p->codes[i].nwords + 1);
		slots = ISOLA_MAX(slots, p->codes[i].frame_slots + 1);
		sites += p->codes[i].nwords / 4; // a memory access takes 4 words or more
		calls += p->codes[i].nwords / 3; // a call 3
	}
	struct eng_arena *a = &j->scratch;
	void *q;
	j->words_cap = words;
	j->nslots_cap = slots;
	TRY(eng_alloc(a, ENG_NOPS * sizeof(uintptr_t), (void **)&j->op_addr));
	TRY(eng_alloc(a, ENG_NOPS * sizeof(uint16_t), (void **)&j->op_of));
	TRY(eng_alloc(a, (size_t)words * sizeof(uint16_t), &q));
	*opw = q;
	TRY(eng_alloc(a, (size_t)words * sizeof(uint32_t), (void **)&j->nat));
	TRY(eng_alloc(a, (size_t)words * sizeof(uint32_t), (void **)&j->body));
	TRY(eng_alloc(a, (size_t)words, (void **)&j->head));
	TRY(eng_alloc(a, (size_t)words, (void **)&j->target));
	TRY(eng_alloc(a, (size_t)(words + 1) * sizeof(uint32_t), (void **)&j->depth));
	TRY(eng_alloc(a, (size_t)slots, (void **)&j->reg));
	TRY(eng_alloc(a, (size_t)slots * 8, (void **)&j->wint));
	TRY(eng_alloc(a, (size_t)slots * 8, (void **)&j->wflt));
	j->consts_cap = words / 3 + 1; // an _RI operation takes 4 words
	TRY(eng_alloc(a, (size_t)j->consts_cap * sizeof(struct jit_const),
		      (void **)&j->consts));
	j->fix_cap = words;
	TRY(eng_alloc(a, (size_t)words * sizeof(struct jit_fix), (void **)&j->fix));
	j->cold_cap = words + 8;
	TRY(eng_alloc(a, (size_t)j->cold_cap * sizeof(struct jit_cold), (void **)&j->cold));
	j->calls_cap = calls + 1;
	TRY(eng_alloc(a, (size_t)j->calls_cap * sizeof(struct jit_fix), (void **)&j->calls));
	j->sites_cap = sites + 1;
	TRY(eng_alloc(a, (size_t)j->sites_cap * sizeof(struct jit_site), (void **)&j->sites));
	return ERR_OK;
}

// A bigger code buffer with what the previous one holds (the old one stays
// in the scratch arena until compilation ends).
ISOLA_MUST_CHECK
static isola_err_t grow(struct jit *j, uint64_t want)
{
	if (want > (uint64_t)UINT32_MAX / 2)
		return ERR_ENG_TOO_BIG;
	uint8_t *p;
	TRY(eng_alloc_raw(&j->scratch, (size_t)want, (void **)&p));
	if (j->b.n)
		memcpy(p, j->b.p, j->b.n);
	j->b.p = p;
	j->b.cap = (uint32_t)want;
	j->b.bad = false;
	return ERR_OK;
}

// Everything into j->b; the native offset of each function in offs. A
// function that does not fit is compiled again into a buffer twice as big.
ISOLA_MUST_CHECK
static isola_err_t compile_all(struct jit *j, uint16_t *opw, uint32_t *offs)
{
	uint32_t ndef = j->m->nfuncs - j->m->nimported_funcs;
	stubs(j);
	for (uint32_t i = 0; i < ndef && !j->bad; i++) {
		while (j->b.n % 16)
			x_byte(&j->b, 0xcc);
		uint32_t mark = j->b.n, ncalls = j->ncalls, nsites = j->nsites;
		for (;;) {
			offs[i] = j->b.n;
			jit_function(j, &j->prep->codes[i], opw);
			if (!j->b.bad)
				break;
			j->b.n = mark;
			j->ncalls = ncalls;
			j->nsites = nsites;
			TRY(grow(j, (uint64_t)j->b.cap * 2));
		}
	}
	if (j->b.bad)
		TRY(grow(j, (uint64_t)j->b.cap * 2)); // the stubs alone
	for (uint32_t i = 0; i < j->ncalls && !j->bad; i++)
		x_patch(&j->b, j->calls[i].at, offs[j->calls[i].target]);
	return ERR_OK;
}

// Copies the code into sealed pages and points every function at its own.
ISOLA_MUST_CHECK
static isola_err_t install(struct jit *j, const uint32_t *offs)
{
	struct eng_prepared *p = j->prep;
	const struct eng_code_mem *cm = &p->code_mem;
	size_t size = ISOLA_ALIGN_UP((size_t)j->b.n, (size_t)4096);
	uint8_t *code = cm->alloc(cm->ctx, size);
	if (code == NULL)
		return ERR_NOMEM;
	memcpy(code, j->b.p, j->b.n);
	memset(code + j->b.n, 0xcc, size - j->b.n);
	isola_err_t err = cm->seal(cm->ctx, code, size);
	if (err != ERR_OK) {
		cm->free(cm->ctx, code, size);
		return err;
	}
	p->jit_code = code;
	p->jit_size = size;
	p->jit_enter = (eng_jit_enter_fn)(uintptr_t)code;
	p->jit_propagate = code + j->mod_propagate;
	uint32_t ndef = j->m->nfuncs - j->m->nimported_funcs;
	for (uint32_t i = 0; i < ndef; i++)
		p->codes[i].jit = code + offs[i];
	if (j->nsites) {
		TRY(eng_alloc(&p->arena, (size_t)j->nsites * sizeof(struct jit_site),
			      (void **)&p->jit_sites));
		memcpy(p->jit_sites, j->sites, (size_t)j->nsites * sizeof(struct jit_site));
		p->jit_nsites = j->nsites;
	}
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t compile_module(struct jit *j)
{
	const struct eng_prepared *p = j->prep;
	uint32_t ndef = j->m->nfuncs - j->m->nimported_funcs;
	uint64_t words = 0;
	for (uint32_t i = 0; i < ndef; i++)
		words += p->codes[i].nwords;
	uint32_t *offs;
	uint16_t *opw;
	TRY(eng_exec(NULL, NULL, NULL, &j->labels));
	TRY(eng_alloc(&j->scratch, (size_t)(ndef + 1) * sizeof(uint32_t), (void **)&offs));
	TRY(scratch(j, &opw));
	sort_labels(j);
	// Most code takes under 16 bytes a word; the buffer grows if not.
	TRY(grow(j, words * 16 + 4096));
	TRY(compile_all(j, opw, offs));
	if (j->bad)
		return ERR_INTERNAL;
	return install(j, offs);
}

isola_err_t eng_jit_compile(struct eng_prepared *p)
{
	struct jit j;
	memset(&j, 0, sizeof(j));
	j.prep = p;
	j.m = p->m;
	j.scratch.alloc = p->arena.alloc;
	j.guard = p->guard;
	j.has_mem = p->m->nmemories > 0;
	isola_err_t err = compile_module(&j);
	eng_free_all(&j.scratch);
	return err;
}
