// SPDX-License-Identifier: MIT
// unit.engine.exec: traps carry the function index and the code offset of
// the trapping instruction, host imports and re-entry, independent
// instances, the memory cap, and link-time signature checks.
#include "eng_test.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

static uint32_t export_index(const struct vf_module *m, const char *name)
{
	for (uint32_t i = 0; i < m->nexports; i++)
		if (m->exports[i].name.len == strlen(name) &&
		    memcmp(vf_range_ptr(m, m->exports[i].name), name, strlen(name)) == 0)
			return m->exports[i].index;
	fail();
	return 0;
}

static void test_div_trap_location(void **state)
{
	struct et t;
	uint64_t args[2] = {7, 0}, r = 0;
	(void)state;
	et_load(&t, "engine.wasm");
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	assert_int_equal(et_call(&t, t.inst, "div", args, &r), ERR_ENG_TRAP_DIV_ZERO);
	// The body is local.get 0, local.get 1, i32.div_s: the opcode is the
	// fifth byte of the code.
	uint32_t fi = export_index(t.m, "div");
	const struct eng_trap *tr = eng_thread_trap(t.th);
	assert_int_equal(tr->func_index, fi);
	assert_int_equal(t.bytes[t.m->funcs[fi].code_off + 4], 0x6d);
	assert_int_equal(tr->code_off,
			 t.m->funcs[fi].code_off + 4 - t.m->code_section.off);
	args[0] = 0x80000000u;
	args[1] = 0xffffffffu;
	assert_int_equal(et_call(&t, t.inst, "div", args, &r), ERR_ENG_TRAP_INT_OVERFLOW);
	args[0] = (uint32_t)-7;
	args[1] = 2;
	assert_int_equal(et_call(&t, t.inst, "div", args, &r), ERR_OK);
	assert_int_equal(r, (uint32_t)-3);
	et_fini(&t);
}

// The add is fused into the load; the trap still names the load.
static void test_fused_load_trap_location(void **state)
{
	struct et t;
	uint64_t a = 0xfffffff0u, r = 0;
	(void)state;
	et_load(&t, "engine.wasm");
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	assert_int_equal(et_call(&t, t.inst, "load_add", &a, &r), ERR_ENG_TRAP_MEMORY);
	// local.get 0, i32.const 4, i32.add, then i32.load at byte 5.
	uint32_t fi = export_index(t.m, "load_add");
	assert_int_equal(t.bytes[t.m->funcs[fi].code_off + 5], 0x28);
	assert_int_equal(eng_thread_trap(t.th)->code_off,
			 t.m->funcs[fi].code_off + 5 - t.m->code_section.off);
	// 0xfffffffc + 4 wraps to 0 as i32.add does: in bounds.
	a = 0xfffffffcu;
	assert_int_equal(et_call(&t, t.inst, "load_add", &a, &r), ERR_OK);
	et_fini(&t);
}

static void test_exhaustion_then_reuse(void **state)
{
	struct et t;
	uint64_t a = 1, r = 0;
	(void)state;
	et_load(&t, "engine.wasm");
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	assert_int_equal(et_call(&t, t.inst, "rec", &a, &r), ERR_ENG_TRAP_STACK);
	assert_int_equal(eng_thread_trap(t.th)->func_index, export_index(t.m, "rec"));
	// The thread is clean again afterwards.
	a = 5;
	assert_int_equal(et_call(&t, t.inst, "count", &a, &r), ERR_OK);
	assert_int_equal(r, 5);
	et_fini(&t);
}

static void test_host_and_reentry(void **state)
{
	struct et t;
	uint64_t args[2] = {40, 2}, r = 0;
	(void)state;
	et_load(&t, "engine.wasm");
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	assert_int_equal(et_call(&t, t.inst, "call_host", args, &r), ERR_OK);
	assert_int_equal(r, 42);
	args[0] = 20;
	assert_int_equal(et_call(&t, t.inst, "call_reenter", args, &r), ERR_OK);
	assert_int_equal(r, 41);
	assert_int_equal(t.host_calls, 2);
	et_fini(&t);
}

static void test_instances_independent(void **state)
{
	struct et t;
	struct eng_instance *b;
	uint64_t args[2] = {16, 1234}, r = 0;
	(void)state;
	et_load(&t, "engine.wasm");
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	assert_int_equal(et_instantiate(&t, &b), ERR_OK);
	assert_int_equal(et_call(&t, t.inst, "poke", args, NULL), ERR_OK);
	assert_int_equal(et_call(&t, b, "peek", args, &r), ERR_OK);
	assert_int_equal(r, 0);
	assert_int_equal(et_call(&t, t.inst, "peek", args, &r), ERR_OK);
	assert_int_equal(r, 1234);
	assert_ptr_not_equal(eng_instance_memory(t.inst), eng_instance_memory(b));
	eng_instance_free(b);
	et_fini(&t);
}

static void test_memory_cap(void **state)
{
	struct et t;
	struct eng_instance *inst;
	uint64_t a = 1, r = 0;
	(void)state;
	et_load(&t, "engine.wasm");
	t.max_pages = 3; // the module says 2 to 4
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	assert_int_equal(et_call(&t, t.inst, "grow", &a, &r), ERR_OK);
	assert_int_equal(r, 2);
	assert_int_equal(et_call(&t, t.inst, "grow", &a, &r), ERR_OK);
	assert_int_equal(r, (uint32_t)-1);
	uint64_t args[2] = {3 * 65536 - 4, 7};
	assert_int_equal(et_call(&t, t.inst, "poke", args, NULL), ERR_OK);
	args[0] += 1;
	assert_int_equal(et_call(&t, t.inst, "poke", args, NULL), ERR_ENG_TRAP_MEMORY);
	et_fini(&t);
	// A cap below the module's minimum refuses the instance.
	et_load(&t, "engine.wasm");
	t.max_pages = 1;
	assert_int_equal(et_instantiate(&t, &inst), ERR_ENG_MEMORY_LIMIT);
	et_fini(&t);
}

static const vf_valtype_t bad_types[] = {VF_TYPE_I64, VF_TYPE_I32, VF_TYPE_I32};
static const struct vf_functype bad_type = {2, 1, bad_types};

static isola_err_t never(void *ctx, struct eng_thread *th, uint64_t *args)
{
	(void)ctx;
	(void)th;
	(void)args;
	return ERR_INTERNAL;
}

static void test_import_signature_checked(void **state)
{
	struct et t;
	struct eng_instance *inst = NULL;
	(void)state;
	et_load(&t, "engine.wasm");
	eng_func_init_host(&t.host_add, &bad_type, never, NULL);
	assert_int_equal(et_instantiate(&t, &inst), ERR_ENG_IMPORT_TYPE);
	assert_null(inst);
	et_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_div_trap_location),
		cmocka_unit_test(test_fused_load_trap_location),
		cmocka_unit_test(test_exhaustion_then_reuse),
		cmocka_unit_test(test_host_and_reentry),
		cmocka_unit_test(test_instances_independent),
		cmocka_unit_test(test_memory_cap),
		cmocka_unit_test(test_import_signature_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
