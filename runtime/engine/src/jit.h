// SPDX-License-Identifier: MIT
// The native compiler's state, shared by jit.c (functions, control flow,
// calls, the module's stubs) and jit_ops.c (every other operation). The
// compiler translates the internal code of compile.c, already slot-
// addressed with constants folded and comparisons fused into branches,
// into x86-64, one function at a time in one pass. The hottest slots of
// each function live in registers for the whole function; the rest stay
// in the frame (docs/engine.md, "Native code").
#ifndef ENG_JIT_H
#define ENG_JIT_H

#include "eng_internal.h"
#include "x64.h"

// Fixed registers while compiled code runs.
#define J_TH R15   // the thread
#define J_INST R14 // the running instance
#define J_MBASE R13
#define J_MSIZE R12 // explicit bounds only
#define J_FP RBX    // the frame's slots
#define XMM(i) (16 + (i)) // a slot's register: 0-15 general, 16-31 xmm

// A jump that waits for its target: a word of the function (branch), a
// function (call) or a cold stub.
struct jit_fix {
	uint32_t at;
	uint32_t target;
	bool poll; // a polling back-edge: to the loop header's poll
};

enum jit_cold_kind {
	JC_TRAP,     // record err at the site, leave
	JC_TRAP_EDX, // the same with the error in edx (a helper's)
	JC_POLL,     // the poll helper, then back to resume
	JC_TRUNC,    // a truncation's range check (jit_ops.c)
	JC_SIG,      // call_indirect's structural signature check
};

struct jit_cold {
	uint8_t kind;
	uint8_t op;   // JC_TRUNC: which conversion
	uint32_t at;  // the jump into the stub
	uint32_t resume;
	uint32_t code_off;
	uint32_t err;
	uint32_t aux;
};

// Where a memory access of compiled code is (guard bounds): its native
// offset in the module's code and its code offset, for the fault handler.
struct jit_site {
	uint32_t nat;
	uint32_t code_off;
	uint32_t func_index;
};

// A constant of the function's pool and the disp32 that reaches it.
struct jit_const {
	uint32_t at;
	uint64_t value;
};

struct jit {
	struct eng_prepared *prep;
	const struct vf_module *m;
	struct eng_arena scratch;
	struct x_buf b;
	const void *const *labels;
	uintptr_t *op_addr; // handler addresses sorted, with op_of[]
	uint16_t *op_of;
	bool guard;	    // bounds by guard regions
	bool has_mem;	    // the module has a memory (own or imported)
	// The function being compiled.
	const struct eng_code *code;
	uint32_t *nat;	   // native offset of each op's first word
	uint32_t *body;	   // the same after a loop header's poll
	uint8_t *head;	   // a loop header (polls)
	uint8_t *target;   // some jump lands here
	uint32_t *depth;   // loop depth of each word
	int8_t *reg;	   // each slot's register, or -1
	uint64_t *wint, *wflt; // each slot's weight per class
	uint32_t nslots_cap, words_cap;
	struct jit_fix *fix; // branches to words
	uint32_t nfix, fix_cap;
	struct jit_cold *cold;
	uint32_t ncold, cold_cap;
	struct jit_fix *calls; // direct calls, target = defined function
	uint32_t ncalls, calls_cap;
	struct jit_site *sites;
	uint32_t nsites, sites_cap;
	struct jit_const *consts; // the function's constant pool
	uint32_t nconsts, consts_cap;
	uint32_t op_word; // the word of the op being compiled
	uint32_t mod_trap, mod_exit, mod_propagate; // the module's stubs
	bool bad;
};

// jit.c
void jit_function(struct jit *j, const struct eng_code *c, uint16_t *opw);
uint32_t jit_code_off(struct jit *j);
void jit_cold(struct jit *j, uint8_t kind, uint32_t at, uint32_t err);
uint32_t jit_trap_jcc(struct jit *j, int cc, uint32_t err);
void jit_wb_all(struct jit *j);
void jit_reload_all(struct jit *j);
void jit_reload_mem(struct jit *j);
void jit_ccall(struct jit *j, const void *fn);
void jit_site(struct jit *j);

// Moving slot values (jit_ops.c): the register that holds slot s, loading
// it into scratch first when it is not a general register.
int jit_gget(struct jit *j, uint32_t s, int scratch);
void jit_gset(struct jit *j, uint32_t s, int r);
int jit_xget(struct jit *j, uint32_t s, int scratch);
void jit_xset(struct jit *j, uint32_t s, int x);
void jit_move(struct jit *j, uint32_t dst, uint32_t src);
struct x_mem jit_slot(uint32_t s);

// One operation other than control flow and calls; false if op is not
// one of them.
bool jit_op(struct jit *j, enum eng_op op, const uint64_t *w);

// A comparison whose result only an immediately following select reads
// (sel: the select's immediates): the flags drive a cmov; false if op is
// not such a comparison (nothing is emitted then).
bool jit_fuse_select(struct jit *j, enum eng_op op, const uint64_t *p,
		     const uint64_t *sel);

// The number of immediate words after op's opcode word at w.
uint32_t jit_op_len(enum eng_op op, const uint64_t *w);

// jit_rt.c: what compiled code calls.
struct jit_rv {
	uint64_t v;
	uint64_t err;
};
uint32_t eng_jit_poll(struct eng_thread *th, uint32_t func_index,
		      uint32_t code_off);
uint32_t eng_jit_call_out(struct eng_thread *th, struct eng_func *f,
			  uint64_t *args, uint32_t func_index,
			  uint32_t code_off);
bool eng_jit_sig_ok(const struct eng_func *f, const struct vf_functype *t);
struct jit_rv eng_jit_num(uint64_t op, uint64_t a);
uint64_t eng_jit_grow(struct eng_instance *inst, uint64_t delta);
uint32_t eng_jit_bulk(struct eng_instance *inst, uint64_t op, uint64_t d,
		      uint64_t s, uint64_t n, uint64_t seg);

#endif
