// SPDX-License-Identifier: MIT
// What the engine's host tools share: malloc-backed allocators, reading a
// file, decoding and verifying a module, an engine thread, and the
// spectest host module of the WebAssembly test suite.
#ifndef ENG_HOST_H
#define ENG_HOST_H

#include <isola/engine.h>

struct host_env {
	struct vf_allocator alloc;     // metadata, code, stacks
	struct vf_allocator mem_alloc; // linear memory, capped per block
	struct eng_thread *th;
	uint32_t features;
	struct eng_code_mem code_mem;	   // mmap, then read-only and executable
	struct eng_prepare_config prepare; // --engine=, --bounds=
	struct eng_vm vm;		   // guard regions: mmap and mprotect
};

// Guard regions on the host: reservations with mmap, commits with
// mprotect, and a SIGSEGV handler that turns a fault of th's native code
// in its memory's region into a trap (eng_thread_fault).
extern const struct eng_vm host_vm;
void host_fault_handler_install(struct eng_thread *th);

// Parses --engine=jit|interp and --bounds=explicit|guard into env (call
// after host_env_init): 1 if arg was one of them, 0 if not, -1 if bad.
int host_engine_option(struct host_env *env, const char *arg);

// Sets up the allocators and a thread; exits the process on failure.
void host_env_init(struct host_env *env, uint32_t features);
void host_env_fini(struct host_env *env);

// The whole file, or NULL (errno set). Free with free().
uint8_t *host_read_file(const char *path, size_t *len);

// Decodes and verifies bytes with the environment's features.
isola_err_t host_load(struct host_env *env, const uint8_t *bytes, size_t len,
		      struct vf_module **out, struct vf_diag *diag)
	ISOLA_MUST_CHECK;

// The spectest module: print functions, four globals, a table, a memory.
struct spectest;
struct spectest *spectest_new(struct host_env *env);
void spectest_free(struct spectest *st, struct host_env *env);
isola_err_t spectest_lookup(struct spectest *st, const char *field, size_t len,
			    uint8_t kind, struct eng_extern *out)
	ISOLA_MUST_CHECK;

#endif
