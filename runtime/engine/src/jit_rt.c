// SPDX-License-Identifier: MIT
// What native code calls, and how it is entered: polls (kill, samples,
// fuel), calls that leave the module (host functions, other instances,
// interpreted code) on the embedder's stack, the rare conversions and
// the bulk memory operations in C, and eng_jit_run, the way in from
// eng_call and from the interpreter.
#include "jit.h"
#include "numeric.h"

static isola_err_t record(struct eng_thread *th, isola_err_t err,
			  uint32_t func_index, uint32_t code_off)
{
	th->trap.code = err;
	th->trap.func_index = func_index;
	th->trap.code_off = code_off;
	return err;
}

uint32_t eng_jit_poll(struct eng_thread *th, uint32_t func_index,
		      uint32_t code_off)
{
	if (th->req & ENG_REQ_SAMPLE) {
		__atomic_fetch_and(&th->req, ~ENG_REQ_SAMPLE, __ATOMIC_SEQ_CST);
		if (th->sample)
			th->sample(th->sample_ctx, func_index, code_off);
	}
	if (th->req & ENG_REQ_KILL)
		return (uint32_t)record(th, ERR_ENG_KILLED, func_index, code_off);
	if (!th->fuel_on || --th->fuel >= 0)
		return ERR_OK;
	uint64_t more = th->refuel ? th->refuel(th->refuel_ctx, th) : 0;
	if (more == 0)
		return (uint32_t)record(th, ERR_ENG_OUT_OF_FUEL, func_index, code_off);
	eng_thread_set_fuel(th, more - 1);
	if (th->req & ENG_REQ_KILL)
		return (uint32_t)record(th, ERR_ENG_KILLED, func_index, code_off);
	return ERR_OK;
}

isola_err_t eng_jit_run(struct eng_thread *th, struct eng_func *f, uint64_t *base)
{
	const struct eng_prepared *p = f->inst->prep;
	return p->jit_enter(th, f->inst, f->code->jit, base);
}

uint32_t eng_jit_call_out(struct eng_thread *th, struct eng_func *f,
			  uint64_t *args, uint32_t func_index,
			  uint32_t code_off)
{
	if (f->code != NULL) {
		if (f->code->jit != NULL)
			return (uint32_t)eng_jit_run(th, f, args);
		struct eng_frame *saved = th->fsp;
		isola_err_t err = eng_exec(th, f, args, NULL);
		th->fsp = saved;
		return (uint32_t)err;
	}
	uint32_t n = ISOLA_MAX(f->type->nparams, f->type->nresults);
	if ((size_t)(th->stack_end - args) < n)
		return (uint32_t)record(th, ERR_ENG_TRAP_STACK, func_index, code_off);
	uint64_t *saved_sp = th->sp;
	th->sp = args + n;
	isola_err_t err = f->host(f->host_ctx, th, args);
	th->sp = saved_sp;
	if (err != ERR_OK)
		record(th, err, func_index, code_off);
	return (uint32_t)err;
}

bool eng_jit_sig_ok(const struct eng_func *f, const struct vf_functype *t)
{
	return f->sig_hash == eng_sig_hash(t) && eng_sig_equal(f->type, t);
}

static struct jit_rv trunc_rv(double x, double lo, double hi, uint64_t v)
{
	isola_err_t e = eng_trunc_check(x, lo, hi);
	return (struct jit_rv){e == ERR_OK ? v : 0, (uint64_t)e};
}

struct jit_rv eng_jit_num(uint64_t op, uint64_t a)
{
	float f = eng_f32(a);
	double d = eng_f64(a);
	switch ((enum eng_op)op) {
	case ENG_OP_I64_TRUNC_F32_U:
		return trunc_rv(f, -1.0, ENG_2P64, f > -1.0 && f < ENG_2P64 ? (uint64_t)f : 0);
	case ENG_OP_I64_TRUNC_F64_U:
		return trunc_rv(d, -1.0, ENG_2P64, d > -1.0 && d < ENG_2P64 ? (uint64_t)d : 0);
	case ENG_OP_F32_CONVERT_I64_U: return (struct jit_rv){eng_bits32((float)a), 0};
	case ENG_OP_F64_CONVERT_I64_U: return (struct jit_rv){eng_bits64((double)a), 0};
	case ENG_OP_I32_TRUNC_SAT_F32_S: return (struct jit_rv){eng_sat_i32_s(f), 0};
	case ENG_OP_I32_TRUNC_SAT_F32_U: return (struct jit_rv){eng_sat_i32_u(f), 0};
	case ENG_OP_I32_TRUNC_SAT_F64_S: return (struct jit_rv){eng_sat_i32_s(d), 0};
	case ENG_OP_I32_TRUNC_SAT_F64_U: return (struct jit_rv){eng_sat_i32_u(d), 0};
	case ENG_OP_I64_TRUNC_SAT_F32_S: return (struct jit_rv){eng_sat_i64_s(f), 0};
	case ENG_OP_I64_TRUNC_SAT_F32_U: return (struct jit_rv){eng_sat_i64_u(f), 0};
	case ENG_OP_I64_TRUNC_SAT_F64_S: return (struct jit_rv){eng_sat_i64_s(d), 0};
	case ENG_OP_I64_TRUNC_SAT_F64_U: return (struct jit_rv){eng_sat_i64_u(d), 0};
	default: return (struct jit_rv){0, ERR_INTERNAL};
	}
}

uint64_t eng_jit_grow(struct eng_instance *inst, uint64_t delta)
{
	return (uint32_t)eng_memory_grow(inst->mem, (uint32_t)delta);
}

uint32_t eng_jit_bulk(struct eng_instance *inst, uint64_t op, uint64_t d,
		      uint64_t s, uint64_t n, uint64_t seg)
{
	struct eng_memory *m = inst->mem;
	struct eng_table *t = inst->table;
	d = (uint32_t)d;
	s = (uint32_t)s;
	n = (uint32_t)n;
	switch ((enum eng_op)op) {
	case ENG_OP_MEMORY_INIT:
		return (uint32_t)eng_memory_init_seg(inst, (uint32_t)seg, (uint32_t)d,
						     (uint32_t)s, (uint32_t)n);
	case ENG_OP_DATA_DROP:
		inst->data_dropped[seg] = true;
		return ERR_OK;
	case ENG_OP_MEMORY_COPY:
		if (d + n > m->size || s + n > m->size)
			return ERR_ENG_TRAP_MEMORY;
		if (n)
			memmove(m->base + d, m->base + s, n);
		return ERR_OK;
	case ENG_OP_MEMORY_FILL:
		if (d + n > m->size)
			return ERR_ENG_TRAP_MEMORY;
		if (n)
			memset(m->base + d, (int)(uint8_t)s, n);
		return ERR_OK;
	case ENG_OP_TABLE_INIT:
		return (uint32_t)eng_table_init_seg(inst, (uint32_t)seg, (uint32_t)d,
						    (uint32_t)s, (uint32_t)n);
	case ENG_OP_ELEM_DROP:
		inst->elem_dropped[seg] = true;
		return ERR_OK;
	case ENG_OP_TABLE_COPY:
		if (d + n > t->size || s + n > t->size)
			return ERR_ENG_TRAP_TABLE;
		if (n)
			memmove(&t->elems[d], &t->elems[s], n * sizeof(t->elems[0]));
		return ERR_OK;
	default:
		return ERR_INTERNAL;
	}
}

uint64_t eng_thread_fault(struct eng_thread *th, uint64_t pc, uint64_t addr)
{
	const struct eng_instance *inst = th->jit_inst;
	if (inst == NULL)
		return 0;
	const struct eng_prepared *p = inst->prep;
	const struct eng_memory *m = inst->mem;
	uint64_t code = (uint64_t)(uintptr_t)p->jit_code;
	uint64_t base = m ? (uint64_t)(uintptr_t)m->base : 0;
	if (!p->guard || m == NULL || m->vm == NULL || pc < code ||
	    pc - code >= p->jit_size || addr < base || addr - base >= ENG_GUARD_RESERVE)
		return 0;
	uint32_t nat = (uint32_t)(pc - code), lo = 0, hi = p->jit_nsites;
	while (lo < hi) { // the access that faulted: a site exactly at pc
		uint32_t mid = lo + (hi - lo) / 2;
		if (p->jit_sites[mid].nat < nat)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == p->jit_nsites || p->jit_sites[lo].nat != nat)
		return 0;
	record(th, ERR_ENG_TRAP_MEMORY, p->jit_sites[lo].func_index,
	       p->jit_sites[lo].code_off);
	return (uint64_t)(uintptr_t)p->jit_propagate;
}

bool eng_native_supported(void)
{
#if defined(__x86_64__)
	uint32_t a, b, c, d;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return (c & (1u << 19)) && (c & (1u << 23)); // SSE4.1, POPCNT
#else
	return false;
#endif
}
