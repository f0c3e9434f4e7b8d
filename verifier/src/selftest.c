// SPDX-License-Identifier: MIT
// A self-test the kernel (or any environment) can run at start-up: it
// validates an embedded module with loops, calls, memory and bulk-memory
// operations through an arena over the caller's buffer, then a mutated twin
// that must be rejected with the expected code at the expected offset.
#include "vf_env.h"

#include <string.h>

// (module (memory 1)
//   (func $sum (param i32) (result i32) (local i32)
//     (block (loop
//       (br_if 1 (i32.eqz (local.get 0)))
//       (local.set 1 (i32.add (local.get 1) (i32.load (local.get 0))))
//       (local.set 0 (i32.sub (local.get 0) (i32.const 4)))
//       (br 0)))
//     (memory.fill (i32.const 0) (i32.const 0) (i32.const 16))
//     (local.get 1))
//   (func (export "main") (result i32) (call $sum (i32.const 64))))
static const uint8_t vf_selftest_module[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60,
	0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00,
	0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x08, 0x01, 0x04, 0x6d, 0x61,
	0x69, 0x6e, 0x00, 0x01, 0x0a, 0x37, 0x02, 0x2d, 0x01, 0x01, 0x7f, 0x02,
	0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x20, 0x01, 0x20, 0x00,
	0x28, 0x02, 0x00, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x04, 0x6b, 0x21,
	0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x41, 0x00, 0x41, 0x00, 0x41, 0x10, 0xfc,
	0x0b, 0x00, 0x20, 0x01, 0x0b, 0x07, 0x00, 0x41, 0xc0, 0x00, 0x10, 0x00,
	0x0b,
};

// Where the twin's mutation goes: the i32.load's alignment byte (2 -> 3).
#define VF_SELFTEST_ALIGN_AT 61u

isola_err_t vf_selftest(void *scratch, size_t size)
{
	uint8_t twin[sizeof(vf_selftest_module)];
	struct vf_arena arena;
	struct vf_allocator a;
	struct vf_options o = {.features = VF_FEATURES_ALL, .alloc = &a,
			       .flags = VF_OPT_BLOCK_TABLE};
	struct vf_module *m;
	struct vf_diag d;

	vf_arena_init(&arena, scratch, size);
	a = vf_arena_allocator(&arena);
	TRY(vf_module_load(vf_selftest_module, sizeof(vf_selftest_module), &o,
			   &m, &d));
	bool shape_ok = m->nfuncs == 2 && m->nexports == 1 &&
			m->funcs[0].nlocals == 1 && m->funcs[0].nblocks == 2 &&
			m->funcs[0].max_stack == 3;
	vf_module_free(m);
	if (!shape_ok)
		return ERR_INTERNAL;
	memcpy(twin, vf_selftest_module, sizeof(twin));
	twin[VF_SELFTEST_ALIGN_AT] = 0x03;
	vf_arena_init(&arena, scratch, size);
	a = vf_arena_allocator(&arena);
	if (vf_module_load(twin, sizeof(twin), &o, &m, &d) != ERR_VF_ALIGN ||
	    d.offset != VF_SELFTEST_ALIGN_AT || d.func_index != 0)
		return ERR_INTERNAL;
	return ERR_OK;
}
