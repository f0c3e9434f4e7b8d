// SPDX-License-Identifier: MIT
// The handler bodies of the dispatch loop, included once inside eng_exec
// (exec.c), which owns the registers they use: pc, fp, code, inst, mbase,
// msize, fuel, fsp. Each handler is a label that ends in NEXT(), a jump,
// or TRAP(); comments give each one's immediates. Control and calls
// first, then slots, memory, and (exec_num.h) numerics.

// ---- calls and control --------------------------------------------------

enter: // callee is the function to enter, nfp its frame (arguments first)
	if (isola_unlikely(fsp == th->frames_end ||
			   nfp + callee->frame_slots > th->stack_end))
		TRAP(ERR_ENG_TRAP_STACK);
	fsp->ret_pc = pc;
	fsp->fp = fp;
	fsp->code = code;
	fsp->inst = inst;
	fsp++;
	fp = nfp;
	for (uint32_t i = 0; i < callee->nlocals; i++)
		fp[callee->nparams + i] = 0;
	code = callee;
	pc = callee->words;
	if (isola_unlikely(--fuel < 0 || th->kill))
		goto poll;
	NEXT();
poll:
	th->fuel = fuel;
	err = eng_poll(th);
	fuel = th->fuel;
	if (err != ERR_OK)
		goto trap;
	NEXT();
op_CALL: // code, base slot
	callee = (const struct eng_code *)(uintptr_t)pc[0];
	nfp = fp + pc[1];
	pc += 2;
	goto enter;
op_CALL_FUNC: // function index (an import of inst), base slot
	f = inst->funcs[pc[0]];
	nfp = fp + pc[1];
	pc += 2;
call_func:
	if (f->code != NULL) {
		// Another instance's function: enter, then switch instance.
		callee = f->code;
		if (isola_unlikely(fsp == th->frames_end ||
				   nfp + callee->frame_slots > th->stack_end))
			TRAP(ERR_ENG_TRAP_STACK);
		fsp->ret_pc = pc;
		fsp->fp = fp;
		fsp->code = code;
		fsp->inst = inst;
		fsp++;
		fp = nfp;
		for (uint32_t i = 0; i < callee->nlocals; i++)
			fp[callee->nparams + i] = 0;
		code = callee;
		pc = callee->words;
		inst = f->inst;
		LOAD_MEM();
		if (isola_unlikely(--fuel < 0 || th->kill))
			goto poll;
		NEXT();
	}
	{
		uint32_t n = ISOLA_MAX(f->type->nparams, f->type->nresults);
		if (isola_unlikely(nfp + n > th->stack_end))
			TRAP(ERR_ENG_TRAP_STACK);
		th->sp = nfp + n;
		th->fsp = fsp;
		th->fuel = fuel;
		err = f->host(f->host_ctx, th, nfp);
		fuel = th->fuel;
		if (err != ERR_OK)
			goto trap;
		LOAD_MEM();
		NEXT();
	}
op_CALL_INDIRECT: // type, hash, index slot, base slot
	{
		const struct vf_functype *t = (const void *)(uintptr_t)pc[0];
		const struct eng_table *tab = inst->table;
		uint32_t i = (uint32_t)R(2);
		if (isola_unlikely(i >= tab->size))
			TRAP(ERR_ENG_TRAP_UNDEFINED_ELEM);
		f = tab->elems[i];
		if (isola_unlikely(f == NULL))
			TRAP(ERR_ENG_TRAP_NULL_ELEM);
		if (f->type != t && (f->sig_hash != (uint32_t)pc[1] ||
				     !eng_sig_equal(f->type, t)))
			TRAP(ERR_ENG_TRAP_SIGNATURE);
		nfp = fp + pc[3];
		pc += 4;
		if (f->inst == inst) {
			callee = f->code;
			goto enter;
		}
		goto call_func;
	}
op_RETURN: // source slot of the results
	eng_move(fp, 0, pc[0], code->nresults);
	fsp--;
	pc = fsp->ret_pc;
	fp = fsp->fp;
	code = fsp->code;
	if (isola_unlikely(inst != fsp->inst)) {
		inst = fsp->inst;
		LOAD_MEM();
	} else if (inst->mem != NULL) {
		mbase = inst->mem->base; // the callee may have grown it
		msize = inst->mem->size;
	}
	NEXT();
op_HALT:
	th->fuel = fuel;
	th->fsp = fbase;
	return ERR_OK;
op_UNREACHABLE:
	TRAP(ERR_ENG_TRAP_UNREACHABLE);
// Back-edges poll: POLL_NEXT() is NEXT() after the kill and fuel check.
#define POLL_NEXT()                                                            \
	do {                                                                   \
		if (isola_unlikely(--fuel < 0 || th->kill))                    \
			goto poll;                                             \
		NEXT();                                                        \
	} while (0)
op_BR: // target
	pc += (int64_t)*pc;
	NEXT();
op_BR_POLL: // target (a loop)
	pc += (int64_t)*pc;
	POLL_NEXT();
// The moving branches are rare: they always poll.
op_BR_UNWIND: // dst, src, n, target
	eng_move(fp, pc[0], pc[1], pc[2]);
	pc += 3;
	pc += (int64_t)*pc;
	POLL_NEXT();
op_BR_IF: // cond, target
	if ((uint32_t)R(0))
		pc += 1 + (int64_t)pc[1];
	else
		pc += 2;
	NEXT();
op_BR_IF_POLL: // cond, target (a loop)
	if ((uint32_t)R(0)) {
		pc += 1 + (int64_t)pc[1];
		POLL_NEXT();
	}
	pc += 2;
	NEXT();
op_BR_IF_UNWIND: // cond, dst, src, n, target
	if ((uint32_t)R(0)) {
		eng_move(fp, pc[1], pc[2], pc[3]);
		pc += 4;
		pc += (int64_t)*pc;
		POLL_NEXT();
	}
	pc += 5;
	NEXT();
op_BR_UNLESS: // cond, target
	if (!(uint32_t)R(0))
		pc += 1 + (int64_t)pc[1];
	else
		pc += 2;
	NEXT();
op_BR_TABLE: // index, n, src, arity, then (dst, target) * (n + 1)
	{
		uint64_t n = pc[1], i = (uint32_t)R(0);
		const uint64_t *e = pc + 4 + 2 * (i < n ? i : n);
		eng_move(fp, e[0], pc[2], pc[3]);
		pc = e + 1;
		pc += (int64_t)*pc;
		POLL_NEXT();
	}

// Compare-and-branch: a slot, b slot (or constant in _RI), target.
#define BR_CMP(cond, bval, poll)                                               \
	do {                                                                   \
		uint32_t a = (uint32_t)R(0), b = (uint32_t)(bval);             \
		if (cond) {                                                    \
			pc += 2 + (int64_t)pc[2];                              \
			if (poll)                                              \
				POLL_NEXT();                                   \
			NEXT();                                                \
		}                                                              \
		pc += 3;                                                       \
		NEXT();                                                        \
	} while (0)
#define ENG_CMP(n, e, neg)                                                     \
	op_BR_IF_##n : BR_CMP(e, R(1), false);                                 \
	op_BR_IF_##n##_RI : BR_CMP(e, pc[1], false);                           \
	op_BRL_IF_##n : BR_CMP(e, R(1), true);                                 \
	op_BRL_IF_##n##_RI : BR_CMP(e, pc[1], true);
#include "cmp.def"
#undef ENG_CMP

// ---- slots and globals --------------------------------------------------

op_SELECT: // dst, a, b, cond
	R(0) = (uint32_t)R(3) ? R(1) : R(2);
	pc += 4;
	NEXT();
op_COPY: // dst, src
	R(0) = R(1);
	pc += 2;
	NEXT();
op_CONST: // dst, value
	R(0) = pc[1];
	pc += 2;
	NEXT();
op_GLOBAL_GET: // dst, global index
	R(0) = inst->globals[pc[1]]->bits;
	pc += 2;
	NEXT();
op_GLOBAL_SET: // src, global index
	inst->globals[pc[1]]->bits = R(0);
	pc += 2;
	NEXT();

// ---- memory -------------------------------------------------------------

#define LOAD(T, conv)                                                          \
	do {                                                                   \
		EA(1, sizeof(T));                                              \
		T v_;                                                          \
		eng_memcpy(&v_, mbase + ea, sizeof(T));                            \
		R(0) = conv v_;                                                \
		pc += 3;                                                       \
		NEXT();                                                        \
	} while (0)
#define STORE(T)                                                               \
	do {                                                                   \
		EA(0, sizeof(T));                                              \
		T v_ = (T)R(1);                                                \
		eng_memcpy(mbase + ea, &v_, sizeof(T));                            \
		pc += 3;                                                       \
		NEXT();                                                        \
	} while (0)
op_LOAD32: LOAD(uint32_t, (uint64_t));
op_LOAD64: LOAD(uint64_t, (uint64_t));
op_LOAD8_S32: LOAD(int8_t, (uint64_t)(uint32_t)(int32_t));
op_LOAD8_U: LOAD(uint8_t, (uint64_t));
op_LOAD16_S32: LOAD(int16_t, (uint64_t)(uint32_t)(int32_t));
op_LOAD16_U: LOAD(uint16_t, (uint64_t));
op_LOAD8_S64: LOAD(int8_t, (uint64_t)(int64_t));
op_LOAD16_S64: LOAD(int16_t, (uint64_t)(int64_t));
op_LOAD32_S64: LOAD(int32_t, (uint64_t)(int64_t));
#define LOAD_AK(T, conv)                                                       \
	do {                                                                   \
		uint64_t ea = (uint64_t)(uint32_t)((uint32_t)R(1) + (uint32_t)pc[2]) + pc[3]; \
		if (isola_unlikely(ea + sizeof(T) > msize))                    \
			TRAP(ERR_ENG_TRAP_MEMORY);                             \
		T v_;                                                          \
		eng_memcpy(&v_, mbase + ea, sizeof(T));                            \
		R(0) = conv v_;                                                \
		pc += 4;                                                       \
		NEXT();                                                        \
	} while (0)
// dst, a, k, offset: the address is (uint32_t)(a + k) + offset.
op_LOAD32_AK: LOAD_AK(uint32_t, (uint64_t));
op_LOAD64_AK: LOAD_AK(uint64_t, (uint64_t));
op_LOAD8_S32_AK: LOAD_AK(int8_t, (uint64_t)(uint32_t)(int32_t));
op_LOAD8_U_AK: LOAD_AK(uint8_t, (uint64_t));
op_LOAD16_S32_AK: LOAD_AK(int16_t, (uint64_t)(uint32_t)(int32_t));
op_LOAD16_U_AK: LOAD_AK(uint16_t, (uint64_t));
op_LOAD8_S64_AK: LOAD_AK(int8_t, (uint64_t)(int64_t));
op_LOAD16_S64_AK: LOAD_AK(int16_t, (uint64_t)(int64_t));
op_LOAD32_S64_AK: LOAD_AK(int32_t, (uint64_t)(int64_t));
#undef LOAD_AK
op_STORE8: STORE(uint8_t);
op_STORE16: STORE(uint16_t);
op_STORE32: STORE(uint32_t);
op_STORE64: STORE(uint64_t);
#define STORE_AK(T)                                                            \
	do {                                                                   \
		uint64_t ea = (uint64_t)(uint32_t)((uint32_t)R(0) + (uint32_t)pc[1]) + pc[3]; \
		if (isola_unlikely(ea + sizeof(T) > msize))                    \
			TRAP(ERR_ENG_TRAP_MEMORY);                             \
		T v_ = (T)R(2);                                                \
		eng_memcpy(mbase + ea, &v_, sizeof(T));                            \
		pc += 4;                                                       \
		NEXT();                                                        \
	} while (0)
// a, k, value slot, offset: the address is (uint32_t)(a + k) + offset.
op_STORE8_AK: STORE_AK(uint8_t);
op_STORE16_AK: STORE_AK(uint16_t);
op_STORE32_AK: STORE_AK(uint32_t);
op_STORE64_AK: STORE_AK(uint64_t);
#undef STORE_AK
#undef LOAD
#undef STORE
op_MEMORY_SIZE: // dst
	R(0) = inst->mem->pages;
	pc += 1;
	NEXT();
op_MEMORY_GROW: // dst, delta
	R(0) = (uint32_t)eng_memory_grow(inst->mem, (uint32_t)R(1));
	LOAD_MEM();
	pc += 2;
	NEXT();
// The bulk operations: d, s, n slots, then a segment index.
op_MEMORY_INIT:
	err = eng_memory_init_seg(inst, (uint32_t)pc[3], (uint32_t)R(0),
				  (uint32_t)R(1), (uint32_t)R(2));
	if (err != ERR_OK)
		goto trap;
	pc += 4;
	NEXT();
op_DATA_DROP: // segment
	inst->data_dropped[*pc++] = true;
	NEXT();
op_MEMORY_COPY:
	{
		uint64_t d = (uint32_t)R(0), s = (uint32_t)R(1), n = (uint32_t)R(2);
		if (isola_unlikely(d + n > msize || s + n > msize))
			TRAP(ERR_ENG_TRAP_MEMORY);
		if (n)
			memmove(mbase + d, mbase + s, n);
		pc += 4;
		NEXT();
	}
op_MEMORY_FILL:
	{
		uint64_t d = (uint32_t)R(0), n = (uint32_t)R(2);
		if (isola_unlikely(d + n > msize))
			TRAP(ERR_ENG_TRAP_MEMORY);
		if (n)
			memset(mbase + d, (int)(uint8_t)R(1), n);
		pc += 4;
		NEXT();
	}
op_TABLE_INIT:
	err = eng_table_init_seg(inst, (uint32_t)pc[3], (uint32_t)R(0),
				 (uint32_t)R(1), (uint32_t)R(2));
	if (err != ERR_OK)
		goto trap;
	pc += 4;
	NEXT();
op_ELEM_DROP: // segment
	inst->elem_dropped[*pc++] = true;
	NEXT();
op_TABLE_COPY:
	{
		struct eng_table *t = inst->table;
		uint64_t d = (uint32_t)R(0), s = (uint32_t)R(1), n = (uint32_t)R(2);
		if (isola_unlikely(d + n > t->size || s + n > t->size))
			TRAP(ERR_ENG_TRAP_TABLE);
		if (n)
			memmove(&t->elems[d], &t->elems[s], n * sizeof(t->elems[0]));
		pc += 4;
		NEXT();
	}

#include "exec_num.h"
