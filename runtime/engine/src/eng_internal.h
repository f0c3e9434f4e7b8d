// SPDX-License-Identifier: MIT
// The engine's private structures: the compiled code of a function, the
// instance, the thread with its value and frame stacks, and the helpers
// that every file shares (allocation lists, value bit casts). Design:
// docs/engine.md.
#ifndef ENG_INTERNAL_H
#define ENG_INTERNAL_H

#include <isola/engine.h>
#include <string.h>

enum eng_op {
#define ENG_OP(name) ENG_OP_##name,
#include "ops.def"
#undef ENG_OP
	ENG_NOPS
};

// Where an instruction that can trap came from: word index of its
// opcode in eng_code.words and its offset in the code section payload.
struct eng_site {
	uint32_t word;
	uint32_t code_off;
};

// A compiled function. words holds direct-threaded code: each opcode word
// is the address of its handler in eng_exec, followed by its immediates.
struct eng_code {
	const uint64_t *words;
	uint32_t nwords;
	uint32_t nparams;
	uint32_t nresults;
	uint32_t nlocals;     // declared locals after the parameters
	uint32_t frame_slots; // params + locals + max operand stack
	uint32_t func_index;
	uint32_t nsites;
	const struct eng_site *sites; // sorted by word
	const void *jit;	      // native entry, or NULL (interpreted)
};

// One block taken from an arena's allocator, with its header.
struct eng_blk {
	struct eng_blk *next;
	size_t size;
	uint64_t pad[2];
};

// Blocks from one allocator, freed together.
struct eng_arena {
	const struct vf_allocator *alloc;
	struct eng_blk *blocks;
};

// A module's compiled code, shared by all its instances. Read-only once
// eng_module_prepare() returns: instances on several threads run it at
// once. The code holds no per-instance pointer: imported functions and
// globals are named by index, the table is the running instance's
// (docs/engine.md, "Internal code").
struct jit_site;
typedef isola_err_t (*eng_jit_enter_fn)(struct eng_thread *th,
					struct eng_instance *inst,
					const void *code, uint64_t *fp);

struct eng_prepared {
	const struct vf_module *m;
	struct eng_arena arena;
	struct eng_code *codes; // defined functions
	// Native code (jit_module.c), all NULL when interpreted.
	bool guard;
	struct eng_code_mem code_mem; // the embedder's, copied
	uint8_t *jit_code;
	size_t jit_size;
	eng_jit_enter_fn jit_enter;
	const uint8_t *jit_propagate;
	struct jit_site *jit_sites; // memory accesses, by native offset
	uint32_t jit_nsites;
};

struct eng_instance {
	const struct vf_module *m;
	const struct eng_prepared *prep;
	struct eng_prepared *own_prep; // eng_instantiate()'s, freed with it
	const struct vf_allocator *alloc;
	struct eng_arena arena;
	struct eng_func **funcs; // the function index space
	struct eng_func *own_funcs; // defined functions
	struct eng_memory *mem;	    // NULL if the module has none
	struct eng_memory own_mem;
	bool has_own_mem;
	struct eng_table *table; // NULL if the module has none
	struct eng_table own_table;
	bool has_own_table;
	struct eng_global **globals;
	struct eng_global *own_globals;
	bool *data_dropped;
	bool *elem_dropped;
};

// A call frame: where to continue in the caller.
struct eng_frame {
	const uint64_t *ret_pc;
	uint64_t *fp;
	const struct eng_code *code;
	struct eng_instance *inst;
};

struct eng_thread {
	const struct vf_allocator *alloc;
	uint64_t *stack;
	uint64_t *stack_end;
	uint64_t *sp; // first free slot between calls (for nested eng_call)
	struct eng_frame *frames;
	struct eng_frame *frames_end;
	struct eng_frame *fsp; // first free frame
	// Requests to the running call (ENG_REQ_*), set from other threads or
	// interrupt handlers and read at every poll point: a nonzero word
	// sends the loop to its slow path, so one test covers them all.
	_Alignas(8) volatile uint32_t req;
	// Native code tests req and this word in one 64-bit compare: nonzero
	// while fuel is limited, so that each poll point counts (jit_rt.c).
	uint32_t fuel_on;
	int64_t fuel;
	uint64_t (*refuel)(void *ctx, struct eng_thread *th);
	void *refuel_ctx;
	void (*sample)(void *ctx, uint32_t func_index, uint32_t code_off);
	void *sample_ctx;
	// Where the loop was when it took its slow path (only there).
	const struct eng_code *poll_code;
	const uint64_t *poll_pc;
	struct eng_trap trap;
	uint32_t stack_slots, max_frames;
	// Native code's own stack (jit_rt.c): where compiled code continues
	// (its top when none runs), the innermost entry's saved embedder stack
	// position, and the lowest position a prologue accepts.
	uint8_t *nstack;
	size_t nstack_size;
	uintptr_t jit_rsp;
	uintptr_t entry_rsp;
	struct eng_instance *jit_inst; // the instance native code runs, or NULL
	uintptr_t nstack_limit;
};

// alloc.c: a zeroed block of size bytes on arena's list.
isola_err_t eng_alloc(struct eng_arena *arena, size_t size,
		      void **out) ISOLA_MUST_CHECK;
// The same, not zeroed.
isola_err_t eng_alloc_raw(struct eng_arena *arena, size_t size,
			  void **out) ISOLA_MUST_CHECK;
void eng_free_all(struct eng_arena *arena);

// jit_module.c: native code for every function of p (compiled already).
isola_err_t eng_jit_compile(struct eng_prepared *p) ISOLA_MUST_CHECK;
// jit_rt.c: runs f (native) with its frame at base, as eng_exec does.
isola_err_t eng_jit_run(struct eng_thread *th, struct eng_func *f,
			uint64_t *base) ISOLA_MUST_CHECK;

// compile.c: compiles every defined function of p->m into p->codes.
isola_err_t eng_compile(struct eng_prepared *p) ISOLA_MUST_CHECK;

// exec.c: runs f with its arguments at base[0 .. nparams); results end up
// at base[0 .. nresults). With labels != NULL only returns the handler
// table (for compile.c) and runs nothing.
isola_err_t eng_exec(struct eng_thread *th, struct eng_func *f, uint64_t *base,
		     const void *const **labels) ISOLA_MUST_CHECK;

#define ENG_REQ_KILL 1u   // end the call with ERR_ENG_KILLED
#define ENG_REQ_SAMPLE 2u // report the location to the sample hook once

// trap.c
uint32_t eng_code_offset(const struct eng_code *c, const uint64_t *pc);
isola_err_t eng_poll(struct eng_thread *th) ISOLA_MUST_CHECK;

// func.c: structural signature equality and its hash.
uint32_t eng_sig_hash(const struct vf_functype *t);
bool eng_sig_equal(const struct vf_functype *a, const struct vf_functype *b);

// segments.c: the bulk operations that instructions and instantiation share.
// ERR_ENG_TRAP_MEMORY / ERR_ENG_TRAP_TABLE when a range does not fit
// (a dropped segment has length 0); nothing is written then.
isola_err_t eng_memory_init_seg(struct eng_instance *inst, uint32_t seg,
				uint32_t dst, uint32_t src,
				uint32_t n) ISOLA_MUST_CHECK;
isola_err_t eng_table_init_seg(struct eng_instance *inst, uint32_t seg,
			       uint32_t dst, uint32_t src,
			       uint32_t n) ISOLA_MUST_CHECK;
isola_err_t eng_apply_segments(struct eng_instance *inst) ISOLA_MUST_CHECK;

// Fixed-size copies for bit casts and memory access. The kernel builds
// with -fno-builtin, where plain memcpy would stay a call on every load,
// store and float operation; the builtin is always inlined.
#define eng_memcpy __builtin_memcpy

static inline float eng_f32(uint64_t v)
{
	uint32_t u = (uint32_t)v;
	float f;
	eng_memcpy(&f, &u, 4);
	return f;
}

static inline double eng_f64(uint64_t v)
{
	double d;
	eng_memcpy(&d, &v, 8);
	return d;
}

static inline uint64_t eng_bits32(float f)
{
	uint32_t u;
	eng_memcpy(&u, &f, 4);
	return u;
}

static inline uint64_t eng_bits64(double d)
{
	uint64_t u;
	eng_memcpy(&u, &d, 8);
	return u;
}

#endif
