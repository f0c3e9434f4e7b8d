// SPDX-License-Identifier: MIT
// The execution engine's embedder API: compile a module the verifier
// accepted once (prepare), instantiate it any number of times (imports
// bound through a resolver, memory, table, globals, segments, start
// function), call its exports on an engine thread (an
// explicit value and frame stack, never the native one), stop it from
// another thread with the kill flag, and read traps as codes with the
// function index and code offset. One source for the kernel and the host;
// no global state. Design: docs/engine.md.
#ifndef ISOLA_ENGINE_H
#define ISOLA_ENGINE_H

#include <isola/compiler.h>
#include <isola/err.h>
#include <isola/verifier.h>
#include <isola/vf_module.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENG_PAGE_SIZE 65536u
#define ENG_MAX_PAGES 65536u

struct eng_prepared;
struct eng_instance;
struct eng_thread;
struct eng_func;

// Linear memory. base is reallocated when it grows: never cache it across
// a call into the engine. size is in bytes, pages * ENG_PAGE_SIZE.
// Address space for a linear memory with guard regions: reserve gives
// size bytes that fault on every access, commit makes [base + from,
// base + to) readable, writable and zero, release gives all of it back
// (committed: the bytes from base that commit made accessible).
struct eng_vm {
	isola_err_t (*reserve)(void *ctx, uint64_t size, void **base);
	isola_err_t (*commit)(void *ctx, void *base, uint64_t from, uint64_t to);
	void (*release)(void *ctx, void *base, uint64_t size, uint64_t committed);
	void *ctx;
};

// A guarded memory's reservation: any 32-bit address plus any 32-bit
// offset, plus the access's width, lands inside it (2^33 - 2 + 8 bytes),
// so native code needs no bounds check.
#define ENG_GUARD_RESERVE ((8ull << 30) + (64u << 10))

struct eng_memory {
	uint8_t *base;
	uint64_t size;
	uint32_t pages;
	uint32_t max_pages; // the module's max, capped by the embedder
	bool has_max;	    // declared with a maximum (import matching)
	const struct vf_allocator *alloc;
	const struct eng_vm *vm; // guarded: base never moves; NULL: a block
};

// A table of function references; NULL entries are null references.
struct eng_table {
	struct eng_func **elems;
	uint32_t size;
	uint32_t max; // UINT32_MAX when the table has no maximum
	bool has_max;
};

// A global cell. Values are kept as raw bits: i32 and f32 in the low 32
// bits, i64 and f64 in all 64.
struct eng_global {
	uint64_t bits;
	vf_valtype_t type;
	bool is_mutable;
};

// A host function: reads its nparams arguments from args[] and writes its
// results to args[0 .. nresults). Returns ERR_OK or a code that traps the
// calling SIP (the code is passed through to the caller of eng_call).
typedef isola_err_t (*eng_host_fn)(void *ctx, struct eng_thread *th,
				   uint64_t *args);

// A function object: a wasm function of an instance or a host function.
struct eng_func {
	const struct vf_functype *type;
	uint32_t sig_hash;
	uint32_t index; // in its instance's function space (for traps)
	struct eng_instance *inst; // NULL for host functions
	const struct eng_code *code; // NULL for host functions
	eng_host_fn host;
	void *host_ctx;
};

// Something an import binds to, or an export names.
struct eng_extern {
	uint8_t kind; // enum vf_extern_kind
	union {
		struct eng_func *func;
		struct eng_table *table;
		struct eng_memory *memory;
		struct eng_global *global;
	} u;
};

// The embedder's import resolver: fills *out for module.field or returns
// ERR_ENG_IMPORT_UNKNOWN. Names are not NUL-terminated. The engine then
// checks the kind and the exact type (ERR_ENG_IMPORT_TYPE).
typedef isola_err_t (*eng_resolve_fn)(void *ctx, const char *module,
				      size_t module_len, const char *field,
				      size_t field_len, uint8_t kind,
				      struct eng_extern *out);

// Pages for native code. alloc returns size bytes (a multiple of 4096),
// page-aligned, writable; seal makes them read-only and executable for
// good; free gives them back (after seal or not).
struct eng_code_mem {
	void *(*alloc)(void *ctx, size_t size);
	isola_err_t (*seal)(void *ctx, void *p, size_t size);
	void (*free)(void *ctx, void *p, size_t size);
	void *ctx;
};

// How a module is prepared: interpreted (internal code only), or also
// compiled to native code, with bounds checked by explicit compares or
// by guard regions (docs/engine.md, "Native code").
enum eng_kind { ENG_INTERP, ENG_NATIVE };

struct eng_prepare_config {
	const struct vf_allocator *alloc;
	uint8_t kind;		       // enum eng_kind
	bool guard;		       // native: bounds by guard regions
	const struct eng_code_mem *code_mem; // native: required
};

struct eng_config {
	const struct vf_allocator *alloc;     // instance, tables (and code for
					      // eng_instantiate)
	const struct vf_allocator *mem_alloc; // linear memory (may equal alloc)
	uint32_t max_pages;		      // manifest cap; 0 means 65536
	eng_resolve_fn resolve;		      // may be NULL if no imports
	void *resolve_ctx;
	// eng_instantiate only: how to prepare the module (NULL: interpret).
	const struct eng_prepare_config *prepare;
	// Guarded memory (required when the code relies on guard regions,
	// whose imported memory must be guarded too).
	const struct eng_vm *vm;
};

// Where a trap happened. func_index is VF_NO_INDEX and code_off 0 when
// the trap is not inside wasm code (a host function, instantiation).
// code_off is relative to the code section payload, like DWARF addresses.
struct eng_trap {
	isola_err_t code;
	uint32_t func_index;
	uint32_t code_off;
};

// A thread: value stack, frame stack, kill flag and fuel. One thread runs
// one call at a time; many threads may run the same instance one after the
// other, or different instances at once.
struct eng_thread_config {
	const struct vf_allocator *alloc;
	uint32_t stack_slots; // 64-bit value slots; 0 means 64 Ki
	uint32_t max_frames;  // call depth; 0 means 8 Ki
	// Called when the fuel reaches zero. Returns the new fuel, or 0 to stop
	// the thread with ERR_ENG_OUT_OF_FUEL. NULL: stop at once.
	uint64_t (*refuel)(void *ctx, struct eng_thread *th);
	void *refuel_ctx;
	// Called on the thread, at the poll point after
	// eng_thread_request_sample(), with the function running there and
	// the code offset of that point (a loop's back-edge or the function's
	// entry). NULL: requests are dropped.
	void (*sample)(void *ctx, uint32_t func_index, uint32_t code_off);
	void *sample_ctx;
};

// Creates a thread with its stacks. ERR_NOMEM if the allocator fails.
isola_err_t eng_thread_new(const struct eng_thread_config *cfg,
			   struct eng_thread **out) ISOLA_MUST_CHECK;
void eng_thread_free(struct eng_thread *th);

// Fuel: the number of function entries and loop back-edges (branches to a
// loop label) the thread may run before refuel is called. The default is
// unlimited.
void eng_thread_set_fuel(struct eng_thread *th, uint64_t fuel);
uint64_t eng_thread_fuel(const struct eng_thread *th);

// Asks the thread to stop: safe from another thread or an interrupt
// handler. The running call returns ERR_ENG_KILLED at the next function
// entry or loop back-edge (or when a host function it called returns).
// The flag stays set: eng_thread_clear_kill() re-arms the thread.
void eng_thread_kill(struct eng_thread *th);
void eng_thread_clear_kill(struct eng_thread *th);

// Asks the running call to report where it is to the config's sample
// hook at its next function entry or loop back-edge (a profiler's
// sample): safe from an interrupt handler. Costs the loop nothing until
// set: it shares the kill flag's test.
void eng_thread_request_sample(struct eng_thread *th);

// The trap of the last failed call on this thread.
const struct eng_trap *eng_thread_trap(const struct eng_thread *th);

// For the embedder's fault handler: th faulted at pc reading or writing
// addr. If pc is in the native code th is running and addr inside the
// guard region of its instance's memory, records an out-of-bounds trap
// at that access and returns where to resume (the code's exit, which
// needs only the registers at the fault); else returns 0.
uint64_t eng_thread_fault(struct eng_thread *th, uint64_t pc, uint64_t addr);

// Compiles every function body of m (which the verifier accepted and
// which must outlive the result) into the engine's internal code, from a.
// The result holds nothing of any instance: it is read-only from here on,
// and any number of instances, on any threads, may run it at once. Free
// it with eng_prepared_free() after every instance made from it.
// Errors: ERR_NOMEM; ERR_INTERNAL if the verifier's numbers were wrong.
// Prepares m as cfg says. ERR_ENG_NO_NATIVE: the CPU lacks what native
// code needs (eng_native_supported()); ERR_ENG_TOO_BIG: over the budget.
isola_err_t eng_module_prepare_cfg(const struct vf_module *m,
				   const struct eng_prepare_config *cfg,
				   struct eng_prepared **out) ISOLA_MUST_CHECK;
bool eng_native_supported(void);
// Whether p runs as native code, and its native code's size in bytes.
bool eng_prepared_native(const struct eng_prepared *p);
size_t eng_prepared_native_size(const struct eng_prepared *p);
// The native code (for a disassembler) and where function index fi
// starts in it (defined functions only; 0 if fi is none).
const uint8_t *eng_prepared_native_code(const struct eng_prepared *p);
size_t eng_prepared_native_offset(const struct eng_prepared *p, uint32_t fi);

isola_err_t eng_module_prepare(const struct vf_module *m,
			       const struct vf_allocator *a,
			       struct eng_prepared **out) ISOLA_MUST_CHECK;
void eng_prepared_free(struct eng_prepared *p); // NULL is a no-op

// Instantiates the prepared module p (which must outlive the instance):
// resolves and checks imports, creates memory, table, globals and the
// function objects (which run p's code) and applies the segments. The
// start function does not run here: the embedder runs it with
// eng_instance_start() on the thread it chooses (the kernel runs it on the
// new SIP's own thread, once the SIP exists and can be killed). Takes from
// cfg->alloc only per-instance state. Errors: ERR_ENG_IMPORT_UNKNOWN,
// ERR_ENG_IMPORT_TYPE (unlinkable, nothing created); ERR_ENG_SEGMENT_OOB
// (uninstantiable: *out is still set, because the writes already done to
// imported memories and tables stay, as the spec says); ERR_NOMEM,
// ERR_ENG_MEMORY_LIMIT.
isola_err_t eng_instantiate_prepared(const struct eng_prepared *p,
				     const struct eng_config *cfg,
				     struct eng_instance **out) ISOLA_MUST_CHECK;

// Runs inst's start function, if its module has one, on th: ERR_OK, or
// the trap that ended it (the instance is then uninstantiable).
isola_err_t eng_instance_start(struct eng_thread *th,
			       struct eng_instance *inst) ISOLA_MUST_CHECK;

// eng_module_prepare(m, cfg->alloc), eng_instantiate_prepared() and
// eng_instance_start(), as the spec's instantiation: the instance owns its
// code and frees it with itself. Same errors, plus those of
// eng_module_prepare (*out not set then) and a trap of the start function
// (*out set, as for a segment out of bounds).
isola_err_t eng_instantiate(const struct vf_module *m,
			    const struct eng_config *cfg, struct eng_thread *th,
			    struct eng_instance **out) ISOLA_MUST_CHECK;
void eng_instance_free(struct eng_instance *inst);

// The export called name[0 .. len), or ERR_NOTFOUND.
isola_err_t eng_instance_export(const struct eng_instance *inst,
				const char *name, size_t len,
				struct eng_extern *out) ISOLA_MUST_CHECK;

// The instance's memory 0, or NULL.
struct eng_memory *eng_instance_memory(const struct eng_instance *inst);

// Calls f with args (f->type->nparams values) and writes its results to
// results[0 .. nresults). On a trap returns its code; eng_thread_trap()
// says where. Host functions may call eng_call on the same thread.
isola_err_t eng_call(struct eng_thread *th, struct eng_func *f,
		     const uint64_t *args, uint64_t *results) ISOLA_MUST_CHECK;

// Objects the embedder owns (the spectest module, kernel-provided
// memory). Free them with the allocator they were made with.
// max_pages is the declared maximum if has_max, else the embedder's cap.
isola_err_t eng_memory_init(struct eng_memory *mem,
			    const struct vf_allocator *a, uint32_t pages,
			    uint32_t max_pages, bool has_max) ISOLA_MUST_CHECK;
// A memory in a reserved region of ENG_GUARD_RESERVE bytes from vm.
isola_err_t eng_memory_init_vm(struct eng_memory *mem, const struct eng_vm *vm,
			       uint32_t pages, uint32_t max_pages,
			       bool has_max) ISOLA_MUST_CHECK;
void eng_memory_fini(struct eng_memory *mem);
// Grows mem by delta pages; the old size in pages, or -1 (as the wasm
// instruction) when over the maximum or out of memory.
int32_t eng_memory_grow(struct eng_memory *mem, uint32_t delta);
isola_err_t eng_table_init(struct eng_table *t, const struct vf_allocator *a,
			   uint32_t size, uint32_t max,
			   bool has_max) ISOLA_MUST_CHECK;
void eng_table_fini(struct eng_table *t, const struct vf_allocator *a);
// Fills a host function object for type (which must outlive it).
void eng_func_init_host(struct eng_func *f, const struct vf_functype *type,
			eng_host_fn fn, void *ctx);

#endif
