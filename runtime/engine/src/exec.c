// SPDX-License-Identifier: MIT
// The interpreter's dispatch loop: direct-threaded code (each opcode word
// is the address of its handler, reached with a computed goto), the value
// stack in 64-bit slots addressed from fp (locals, then operands), an
// explicit frame stack for calls (the native stack never grows with wasm
// recursion), and every trap leaving through one exit. Operands are frame
// slots named by immediates: there is no stack pointer. exec_ops.h and
// exec_num.h hold the handler bodies. Design: docs/engine.md.
#include "numeric.h"

#define NEXT() goto *(const void *)(uintptr_t)(*pc++)
#define TRAP(code)                                                             \
	do {                                                                   \
		err = (code);                                                  \
		goto trap;                                                     \
	} while (0)

// Loads the memory of the current instance into registers.
#define LOAD_MEM()                                                             \
	do {                                                                   \
		mbase = inst->mem ? inst->mem->base : NULL;                    \
		msize = inst->mem ? inst->mem->size : 0;                       \
	} while (0)

#define R(i) fp[pc[i]]

// Effective address of an access of n bytes at the address in slot pc[k]
// plus the offset in pc[2].
#define EA(k, n)                                                               \
	uint64_t ea = (uint64_t)(uint32_t)R(k) + pc[2];                        \
	if (isola_unlikely(ea + (n) > msize))                                  \
		TRAP(ERR_ENG_TRAP_MEMORY)

// Operator forms: pc[0] is the destination slot, pc[1] and pc[2] the
// operand slots (or pc[2] a constant in the _RI forms).
#define BIN32(expr)                                                            \
	do {                                                                   \
		uint32_t a = (uint32_t)R(1), b = (uint32_t)R(2);               \
		R(0) = (uint32_t)(expr);                                       \
		pc += 3;                                                       \
		NEXT();                                                        \
	} while (0)
#define BIN32I(expr)                                                           \
	do {                                                                   \
		uint32_t a = (uint32_t)R(1), b = (uint32_t)pc[2];              \
		R(0) = (uint32_t)(expr);                                       \
		pc += 3;                                                       \
		NEXT();                                                        \
	} while (0)
#define BIN64(expr)                                                            \
	do {                                                                   \
		uint64_t a = R(1), b = R(2);                                   \
		R(0) = (uint64_t)(expr);                                       \
		pc += 3;                                                       \
		NEXT();                                                        \
	} while (0)
#define BIN64I(expr)                                                           \
	do {                                                                   \
		uint64_t a = R(1), b = pc[2];                                  \
		R(0) = (uint64_t)(expr);                                       \
		pc += 3;                                                       \
		NEXT();                                                        \
	} while (0)
#define CMPF32(op) BIN64(eng_f32(a) op eng_f32(b))
#define CMPF64(op) BIN64(eng_f64(a) op eng_f64(b))
#define BINF32(op) BIN64(eng_bits32(eng_f32(a) op eng_f32(b)))
#define BINF64(op) BIN64(eng_bits64(eng_f64(a) op eng_f64(b)))
#define UN(expr)                                                               \
	do {                                                                   \
		uint64_t a = R(1);                                             \
		R(0) = (expr);                                                 \
		pc += 2;                                                       \
		NEXT();                                                        \
	} while (0)
// Trapping float-to-int conversion of slot pc[1] (as double x).
#define TRUNC(x, lo, hi, CONV)                                                 \
	do {                                                                   \
		double x_ = (x);                                               \
		err = eng_trunc_check(x_, lo, hi);                             \
		if (isola_unlikely(err != ERR_OK))                             \
			goto trap;                                             \
		R(0) = CONV(x_);                                               \
		pc += 2;                                                       \
		NEXT();                                                        \
	} while (0)

#define ENG_I64_LO -9223372036854777856.0 // the double below -2^63

// Copies n slots from src to dst (a branch carrying values).
static inline void eng_move(uint64_t *fp, uint64_t dst, uint64_t src, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		fp[dst + i] = fp[src + i];
}

isola_err_t eng_exec(struct eng_thread *th, struct eng_func *f, uint64_t *base,
		     const void *const **labels)
{
	static const void *const table[ENG_NOPS] = {
#define ENG_OP(name) &&op_##name,
#include "ops.def"
#undef ENG_OP
	};
	if (labels != NULL) {
		*labels = table;
		return ERR_OK;
	}
	const uint64_t halt[1] = {(uint64_t)(uintptr_t)&&op_HALT};
	struct eng_instance *inst = f->inst;
	const struct eng_code *code = f->code;
	struct eng_frame *fsp = th->fsp, *const fbase = fsp;
	const uint64_t *pc = halt;
	uint64_t *fp = base, *nfp = base;
	uint8_t *mbase;
	uint64_t msize;
	int64_t fuel = th->fuel;
	isola_err_t err = ERR_OK;
	const struct eng_code *callee = code;
	LOAD_MEM();
	goto enter;

#include "exec_ops.h"

trap:
	th->trap.code = err;
	th->trap.func_index = code->func_index;
	th->trap.code_off = eng_code_offset(code, pc);
	th->fuel = fuel;
	th->fsp = fbase;
	return err;
}
