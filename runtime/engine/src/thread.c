// SPDX-License-Identifier: MIT
// Engine threads: the value stack and frame stack one call runs on, the
// kill flag other threads set, fuel, and eng_call, the way in from the
// embedder (also re-entered by host functions on the same thread). Also
// the trap-site lookup that turns a code pointer into a code offset.
#include "eng_internal.h"

#define ENG_DEFAULT_SLOTS (64u * 1024u)
#define ENG_DEFAULT_FRAMES (8u * 1024u)
// Native code's stack: 16 bytes a frame at most, plus room for the C it
// calls on that stack (polls, conversions, bulk memory) and interrupts.
#define ENG_NSTACK_HEADROOM (32u * 1024u)

isola_err_t eng_thread_new(const struct eng_thread_config *cfg,
			   struct eng_thread **out)
{
	const struct vf_allocator *a = cfg->alloc;
	uint32_t slots = cfg->stack_slots ? cfg->stack_slots : ENG_DEFAULT_SLOTS;
	uint32_t frames = cfg->max_frames ? cfg->max_frames : ENG_DEFAULT_FRAMES;
	struct eng_thread *th = a->alloc(a->ctx, sizeof(*th));
	if (th == NULL)
		return ERR_NOMEM;
	memset(th, 0, sizeof(*th));
	th->alloc = a;
	th->stack = a->alloc(a->ctx, (size_t)slots * 8);
	th->frames = a->alloc(a->ctx, (size_t)frames * sizeof(struct eng_frame));
	th->nstack_size = (size_t)frames * 16 + ENG_NSTACK_HEADROOM;
	th->nstack = a->alloc(a->ctx, th->nstack_size);
	if (th->stack == NULL || th->frames == NULL || th->nstack == NULL) {
		eng_thread_free(th);
		return ERR_NOMEM;
	}
	th->stack_slots = slots;
	th->max_frames = frames;
	th->stack_end = th->stack + slots;
	th->sp = th->stack;
	th->frames_end = th->frames + frames;
	th->fsp = th->frames;
	th->fuel = INT64_MAX;
	th->jit_rsp = ((uintptr_t)th->nstack + th->nstack_size) & ~(uintptr_t)15;
	th->nstack_limit = (uintptr_t)th->nstack + ENG_NSTACK_HEADROOM;
	th->refuel = cfg->refuel;
	th->refuel_ctx = cfg->refuel_ctx;
	th->sample = cfg->sample;
	th->sample_ctx = cfg->sample_ctx;
	*out = th;
	return ERR_OK;
}

void eng_thread_free(struct eng_thread *th)
{
	const struct vf_allocator *a = th->alloc;
	if (a->free == NULL)
		return;
	if (th->stack)
		a->free(a->ctx, th->stack, (size_t)th->stack_slots * 8);
	if (th->frames)
		a->free(a->ctx, th->frames,
			(size_t)th->max_frames * sizeof(struct eng_frame));
	if (th->nstack)
		a->free(a->ctx, th->nstack, th->nstack_size);
	a->free(a->ctx, th, sizeof(*th));
}

void eng_thread_set_fuel(struct eng_thread *th, uint64_t fuel)
{
	th->fuel = fuel > INT64_MAX ? INT64_MAX : (int64_t)fuel;
	th->fuel_on = fuel < INT64_MAX;
}

uint64_t eng_thread_fuel(const struct eng_thread *th)
{
	return th->fuel < 0 ? 0 : (uint64_t)th->fuel;
}

void eng_thread_kill(struct eng_thread *th)
{
	__atomic_fetch_or(&th->req, ENG_REQ_KILL, __ATOMIC_SEQ_CST);
}

void eng_thread_clear_kill(struct eng_thread *th)
{
	__atomic_fetch_and(&th->req, ~ENG_REQ_KILL, __ATOMIC_SEQ_CST);
}

void eng_thread_request_sample(struct eng_thread *th)
{
	__atomic_fetch_or(&th->req, ENG_REQ_SAMPLE, __ATOMIC_SEQ_CST);
}

// A sample request: the location the loop stopped at goes to the hook
// (the function is exact; the offset is that of the poll point).
static void eng_poll_sample(struct eng_thread *th)
{
	__atomic_fetch_and(&th->req, ~ENG_REQ_SAMPLE, __ATOMIC_SEQ_CST);
	const struct eng_code *c = th->poll_code;
	if (th->sample && c)
		th->sample(th->sample_ctx, c->func_index,
			   eng_code_offset(c, th->poll_pc));
}

const struct eng_trap *eng_thread_trap(const struct eng_thread *th)
{
	return &th->trap;
}

// Called by the loop when the fuel went below zero (the unit being spent
// is the one that was missing) or a request is pending.
isola_err_t eng_poll(struct eng_thread *th)
{
	if (th->req & ENG_REQ_SAMPLE)
		eng_poll_sample(th);
	if (th->req & ENG_REQ_KILL)
		return ERR_ENG_KILLED;
	if (th->fuel >= 0)
		return ERR_OK;
	uint64_t more = th->refuel ? th->refuel(th->refuel_ctx, th) : 0;
	if (more == 0)
		return ERR_ENG_OUT_OF_FUEL;
	eng_thread_set_fuel(th, more - 1);
	return th->req & ENG_REQ_KILL ? ERR_ENG_KILLED : ERR_OK;
}

uint32_t eng_code_offset(const struct eng_code *c, const uint64_t *pc)
{
	if (pc <= c->words || pc > c->words + c->nwords || c->nsites == 0)
		return c->nsites ? c->sites[0].code_off : 0;
	uint32_t w = (uint32_t)(pc - c->words - 1);
	uint32_t lo = 0, hi = c->nsites; // find the last site with word <= w
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->sites[mid].word <= w)
			lo = mid;
		else
			hi = mid;
	}
	return c->sites[lo].code_off;
}

ISOLA_MUST_CHECK
static isola_err_t eng_call_host(struct eng_thread *th, struct eng_func *f,
				 uint64_t *base)
{
	isola_err_t err = f->host(f->host_ctx, th, base);
	if (err != ERR_OK) {
		th->trap.code = err;
		th->trap.func_index = VF_NO_INDEX;
		th->trap.code_off = 0;
	}
	return err;
}

isola_err_t eng_call(struct eng_thread *th, struct eng_func *f,
		     const uint64_t *args, uint64_t *results)
{
	const struct vf_functype *t = f->type;
	uint64_t *base = th->sp;
	uint32_t need = ISOLA_MAX(t->nparams, t->nresults);
	if ((size_t)(th->stack_end - base) < need) {
		th->trap.code = ERR_ENG_TRAP_STACK;
		th->trap.func_index = f->index;
		th->trap.code_off = 0;
		return ERR_ENG_TRAP_STACK;
	}
	for (uint32_t i = 0; i < t->nparams; i++)
		base[i] = args[i];
	struct eng_frame *saved_fsp = th->fsp;
	th->sp = base + need;
	isola_err_t err = f->code == NULL  ? eng_call_host(th, f, base)
			  : f->code->jit ? eng_jit_run(th, f, base)
					 : eng_exec(th, f, base, NULL);
	th->sp = base;
	th->fsp = saved_fsp;
	if (err == ERR_OK)
		for (uint32_t i = 0; i < t->nresults; i++)
			results[i] = base[i];
	return err;
}
