// SPDX-License-Identifier: MIT
// The interpreter's dispatch loop: direct-threaded code (each opcode word
// is the address of its handler, reached with a computed goto), the value
// stack in 64-bit slots addressed from fp (locals, then operands), an
// explicit frame stack for calls (the native stack never grows with wasm
// recursion), and every trap leaving through one exit. Operands are frame
// slots named by immediates: there is no stack pointer. exec_ops.inc,
// exec_br.inc and exec_num.inc hold the handler bodies, each ending in a
// visible jump. Design: docs/engine.md.
#include "numeric.h"

// The handler address in a code word. Every handler ends in a visible
// jump: `goto *NEXT_OP;` (the next word is the next handler), a branch,
// or `goto trap_*;`. The operator macros below only compute and advance
// pc; none of them jumps.
#define NEXT_OP ((const void *)(uintptr_t)(*pc++))

// A back-edge's or function entry's check: fuel spent or a request (kill,
// sample) pending.
#define MUST_POLL() isola_unlikely(--fuel < 0 || th->req)

// Loads the memory of the current instance into registers.
#define LOAD_MEM()                                                             \
	do {                                                                   \
		mbase = inst->mem ? inst->mem->base : NULL;                    \
		msize = inst->mem ? inst->mem->size : 0;                       \
	} while (0)

#define R(i) fp[pc[i]]

// Whether an access of n bytes at the address in slot pc[k] plus the
// offset in pc[2] is inside the memory; its effective address in ea.
#define EA_OK(ea, k, n)                                                        \
	isola_likely(((ea) = (uint64_t)(uint32_t)R(k) + pc[2]) + (n) <= msize)

// Operator forms: pc[0] is the destination slot, pc[1] and pc[2] the
// operand slots (or pc[2] a constant in the _RI forms).
#define BIN32(expr)                                                            \
	do {                                                                   \
		uint32_t a = (uint32_t)R(1), b = (uint32_t)R(2);               \
		R(0) = (uint32_t)(expr);                                       \
		pc += 3;                                                       \
	} while (0)
#define BIN32I(expr)                                                           \
	do {                                                                   \
		uint32_t a = (uint32_t)R(1), b = (uint32_t)pc[2];              \
		R(0) = (uint32_t)(expr);                                       \
		pc += 3;                                                       \
	} while (0)
#define BIN64(expr)                                                            \
	do {                                                                   \
		uint64_t a = R(1), b = R(2);                                   \
		R(0) = (uint64_t)(expr);                                       \
		pc += 3;                                                       \
	} while (0)
#define BIN64I(expr)                                                           \
	do {                                                                   \
		uint64_t a = R(1), b = pc[2];                                  \
		R(0) = (uint64_t)(expr);                                       \
		pc += 3;                                                       \
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
	} while (0)
// Trapping float-to-int conversion of slot pc[1] (as double x): its
// error, and the result written only when there is none.
#define TRUNC(x, lo, hi, CONV)                                                 \
	({                                                                     \
		double x_ = (x);                                               \
		isola_err_t e_ = eng_trunc_check(x_, lo, hi);                  \
		if (isola_likely(e_ == ERR_OK)) {                              \
			R(0) = CONV(x_);                                       \
			pc += 2;                                               \
		}                                                              \
		e_;                                                            \
	})

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
	uint64_t ea; // the effective address of the access being made
	int64_t fuel = th->fuel;
	isola_err_t err = ERR_OK;
	const struct eng_code *callee = code;
	LOAD_MEM();
	goto enter;

#include "exec_ops.inc"

// The traps: each sets its code, then leaves through trap.
trap_memory:
	err = ERR_ENG_TRAP_MEMORY;
	goto trap;
trap_table:
	err = ERR_ENG_TRAP_TABLE;
	goto trap;
trap_div_zero:
	err = ERR_ENG_TRAP_DIV_ZERO;
	goto trap;
trap_int_overflow:
	err = ERR_ENG_TRAP_INT_OVERFLOW;
	goto trap;
trap_stack:
	err = ERR_ENG_TRAP_STACK;
	goto trap;
trap:
	th->trap.code = err;
	th->trap.func_index = code->func_index;
	th->trap.code_off = eng_code_offset(code, pc);
	th->fuel = fuel;
	th->fsp = fbase;
	return err;
}
