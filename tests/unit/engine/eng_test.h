// SPDX-License-Identifier: MIT
// Helpers shared by the engine's unit tests: malloc allocators, loading
// a .wasm built from tests/unit/engine/*.wat, host imports, and calling
// exports by name.
#ifndef ENG_TEST_H
#define ENG_TEST_H

#include <isola/engine.h>

struct et {
	struct vf_allocator alloc;
	uint8_t *bytes;
	struct vf_module *m;
	struct eng_thread *th;
	struct eng_instance *inst;
	struct eng_func host_add, host_reenter;
	int host_calls;
	uint32_t max_pages;
	struct eng_code_mem code_mem;
	struct eng_prepare_config prepare; // from ENG_TEST_ENGINE
};

// Loads ENG_TEST_WASM_DIR/name, verifies it, creates a thread; fails the
// test on error. et_instantiate() then binds "host" imports.
void et_load(struct et *t, const char *name);
isola_err_t et_instantiate(struct et *t, struct eng_instance **out);
// Prepares t->m for the engine ENG_TEST_ENGINE names: "interp" (or
// unset), "jit" (native, explicit bounds) or "jit-guard".
isola_err_t et_prepare(struct et *t, struct eng_prepared **out);
// Guard regions with mmap (faults go to a handler et_load installs).
extern const struct eng_vm et_vm;
// Whether the tests run native code.
bool et_native(const struct et *t);
void et_fini(struct et *t);

// Calls export name of inst with args; results to res.
isola_err_t et_call(struct et *t, struct eng_instance *inst, const char *name,
		    const uint64_t *args, uint64_t *res);
struct eng_func *et_func(struct eng_instance *inst, const char *name);

#endif
