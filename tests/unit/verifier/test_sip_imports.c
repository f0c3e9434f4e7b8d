// SPDX-License-Identifier: MIT
// The SIP import check (rules S-IMPORT-*, verifier/src/sip_imports.c):
// every row of common/include/isola/abi.def is accepted with the wasm
// signature its typed parameters give, and refused with a mutated one;
// a few signatures are pinned by hand, so that a change to the table's
// type mapping cannot pass unseen; other modules, kinds and names are
// refused.
#include <isola/sipcheck.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vf_test.h"

#define T32 0x7f
#define T64 0x7e

struct sig {
	const char *name;
	uint8_t np, nr;
	uint8_t types[8];
};

#define W_HANDLE T32,
#define W_UPTR T32,
#define W_U32 T32,
#define W_I32 T32,
#define W_I64 T64,
#define R_NONE
#define R_I32 T32,
#define R_I64 T64,
#define N_NONE 0
#define N_I32 1
#define N_I64 1
#define P(type, name) +1
#define ISOLA_ABI(name, res, params) enum { NP_##name = 0 params };
#include <isola/abi.def>
#undef ISOLA_ABI
#undef P
#define P(type, name) W_##type
#define ISOLA_ABI(name, res, params) { #name, NP_##name, N_##res, { params R_##res } },
static const struct sig rows[] = {
#include <isola/abi.def>
};
#undef ISOLA_ABI
#undef P

// A module that imports field from mod as a function of type s (kind 0)
// or as a memory (kind 2).
static void build_import(struct vf_buf *b, const char *mod, const struct sig *s,
			 uint8_t kind)
{
	struct vf_buf t = { .n = 0 }, im = { .n = 0 };
	buf_header(b);
	buf_byte(&t, 1);
	buf_byte(&t, 0x60);
	buf_byte(&t, s->np);
	buf_put(&t, s->types, s->np);
	buf_byte(&t, s->nr);
	buf_put(&t, s->types + s->np, s->nr);
	buf_section(b, 1, t.b, t.n);
	buf_byte(&im, 1);
	buf_byte(&im, (uint8_t)strlen(mod));
	buf_put(&im, mod, strlen(mod));
	buf_byte(&im, (uint8_t)strlen(s->name));
	buf_put(&im, s->name, strlen(s->name));
	buf_byte(&im, kind);
	if (kind == 2) {
		buf_byte(&im, 0);
		buf_byte(&im, 1);
	} else {
		buf_byte(&im, 0);
	}
	buf_section(b, 2, im.b, im.n);
}

static isola_err_t check(const char *mod, const struct sig *s, uint8_t kind)
{
	struct vf_buf b = { .n = 0 };
	struct vf_module *m;
	struct vf_diag d;
	build_import(&b, mod, s, kind);
	assert_int_equal(load(&b, 0, 0, &d, &m), ERR_OK);
	isola_err_t err = vf_sip_check_imports(m, &d);
	vf_module_free(m);
	return err;
}

// s with its first type flipped (i32 <-> i64), or a parameter added.
static struct sig mutated(const struct sig *s)
{
	struct sig t = *s;
	if (t.np + t.nr == 0) {
		t.np = 1;
		t.types[0] = T32;
	} else {
		t.types[0] = t.types[0] == T32 ? T64 : T32;
	}
	return t;
}

static void test_every_row(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sig bad = mutated(&rows[i]);
		assert_int_equal(check("isola", &rows[i], 0), ERR_OK);
		assert_int_equal(check("isola", &bad, 0), ERR_SIP_IMPORT_TYPE);
	}
}

// Pinned by hand from docs/abi.md.
static void test_pinned(void **state)
{
	static const struct sig pins[] = {
		{ "chan_select", 4, 1, { T32, T32, T64, T32, T32 } },
		{ "proc_wait", 4, 1, { T32, T32, T64, T32, T32 } },
		{ "serial_read", 4, 1, { T32, T32, T32, T64, T32 } },
		{ "blk_load64", 2, 1, { T32, T32, T64 } },
		{ "blk_store64", 3, 0, { T32, T32, T64 } },
		{ "sleep_ns", 1, 0, { T64 } },
		{ "exit", 1, 0, { T32 } },
		{ "time_ns", 0, 1, { T64 } },
		{ "yield", 0, 0, { 0 } },
		{ "image_open", 5, 1, { T32, T32, T32, T32, T32, T32 } },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(pins) / sizeof(pins[0]); i++)
		assert_int_equal(check("isola", &pins[i], 0), ERR_OK);
}

static void test_refused(void **state)
{
	static const struct sig log_sig = { "log", 2, 1, { T32, T32, T32 } };
	static const struct sig reboot = { "reboot", 0, 0, { 0 } };
	(void)state;
	assert_int_equal(check("env", &log_sig, 0), ERR_SIP_IMPORT_MODULE);
	assert_int_equal(check("isola", &reboot, 0), ERR_SIP_IMPORT_UNKNOWN);
	assert_int_equal(check("isola", &log_sig, 2), ERR_SIP_IMPORT_KIND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row),
		cmocka_unit_test(test_pinned),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
