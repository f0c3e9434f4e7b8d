// SPDX-License-Identifier: MIT
// The ownership analysis's bounds (docs/verifier-rules.md, "Bounds"):
// modules built to make it take exponential time or too much memory are
// given up function by function with the note ERR_SIP_OWN_LIMIT, never
// an error, and modules just inside the bounds are analysed.
#include "vf_test.h"

#include <isola/sipcheck.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

// A growable byte buffer.
struct big {
	uint8_t *b;
	size_t n, cap;
};

static void big_put(struct big *g, const void *p, size_t n)
{
	if (g->n + n > g->cap) {
		g->cap = (g->n + n) * 2;
		g->b = realloc(g->b, g->cap);
		assert_non_null(g->b);
	}
	memcpy(g->b + g->n, p, n);
	g->n += n;
}

static void big_byte(struct big *g, uint8_t v)
{
	big_put(g, &v, 1);
}

static void big_u32(struct big *g, uint32_t v)
{
	do {
		big_byte(g, (uint8_t)((v & 0x7f) | (v >> 7 ? 0x80 : 0)));
		v >>= 7;
	} while (v);
}

// A module importing isola.blk_alloc (func 0) and isola.blk_free (func 1)
// with one function (func 2) of type (i32) -> () with nlocals extra i32
// locals and the given instructions (the final end is added).
static void sip_module(struct big *g, uint32_t nlocals, const struct big *code)
{
	static const uint8_t head[] = {
		0, 'a', 's', 'm', 1, 0, 0, 0,
		// types: (i32 i32) -> i32, (i32) -> i32, (i32) -> ()
		1, 16, 3, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 1, 0x7f, 1, 0x7f,
		0x60, 1, 0x7f, 0,
		// imports
		2, 36, 2, 5, 'i', 's', 'o', 'l', 'a', 9, 'b', 'l', 'k', '_', 'a',
		'l', 'l', 'o', 'c', 0, 0, 5, 'i', 's', 'o', 'l', 'a', 8, 'b', 'l',
		'k', '_', 'f', 'r', 'e', 'e', 0, 1,
		// functions
		3, 2, 1, 2};
	struct big body = {0}, sec = {0};

	big_put(g, head, sizeof(head));
	big_byte(&body, 1);
	big_u32(&body, nlocals);
	big_byte(&body, 0x7f);
	big_put(&body, code->b, code->n);
	big_byte(&body, 0x0b);
	big_byte(&sec, 1);
	big_u32(&sec, (uint32_t)body.n);
	big_put(&sec, body.b, body.n);
	big_byte(g, 10);
	big_u32(g, (uint32_t)sec.n);
	big_put(g, sec.b, sec.n);
	free(body.b), free(sec.b);
}

// depth nested loops; each one's body makes a block in its own local,
// runs the inner loop, frees the block of the loop around it and goes
// round while the parameter is nonzero. Every loop needs two passes each
// time it is entered, so without a bound the innermost body would be
// interpreted 2^depth times.
static void nested_loops(struct big *code, uint32_t j, uint32_t depth)
{
	static const uint8_t alloc[] = {0x41, 1, 0x41, 0, 0x10, 0, 0x21};
	static const uint8_t back[] = {0x20, 0, 0x0d, 0, 0x0b};

	big_byte(code, 0x03), big_byte(code, 0x40);
	big_put(code, alloc, sizeof(alloc));
	big_byte(code, (uint8_t)j);
	if (j < depth)
		nested_loops(code, j + 1, depth);
	if (j > 1) {
		big_byte(code, 0x20), big_byte(code, (uint8_t)(j - 1));
		big_byte(code, 0x10), big_byte(code, 1), big_byte(code, 0x1a);
	}
	big_put(code, back, sizeof(back));
}

// Loads g and runs the SIP checks as the kernel does (every module a SIP,
// imports and entry left out) with flags added.
static isola_err_t check(const struct big *g, uint32_t flags,
			 struct vf_sip_result *res)
{
	const struct vf_allocator *a = test_allocator(256u << 20);
	struct vf_options o = {.features = VF_FEATURES_ALL, .alloc = a};
	struct vf_sip_env env = {NULL, 0, a,
				 VF_SIP_REQUIRE | VF_SIP_NO_INTERFACE | flags};
	struct vf_module *m;
	struct vf_diag d;

	assert_int_equal(vf_module_load(g->b, g->n, &o, &m, &d), ERR_OK);
	isola_err_t err = vf_sip_check(m, &env, res);
	vf_module_free(m);
	return err;
}

static bool has_limit_note(const struct vf_sip_result *res)
{
	for (uint32_t i = 0; i < res->nnotes && i < VF_SIP_MAX_NOTES; i++)
		if (res->notes[i].code == ERR_SIP_OWN_LIMIT &&
		    res->notes[i].func_index == 2)
			return true;
	return false;
}

static void loops_module(struct big *g, uint32_t depth)
{
	struct big code = {0};

	nested_loops(&code, 1, depth);
	sip_module(g, depth, &code);
	free(code.b);
}

static void test_nested_loops_budget(void **state)
{
	struct vf_sip_result res;
	struct big g = {0};
	(void)state;

	loops_module(&g, 36);
	assert_int_equal(check(&g, 0, &res), ERR_OK);
	assert_true(has_limit_note(&res));
	assert_non_null(strstr(res.notes[0].detail, "work budget"));
	// --strict: the note is the verdict.
	assert_int_equal(check(&g, VF_SIP_STRICT, &res), ERR_SIP_OWN_LIMIT);
	assert_int_equal(res.diag.func_index, 2);
	free(g.b);
}

static void test_nested_loops_shallow(void **state)
{
	struct vf_sip_result res;
	struct big g = {0};
	(void)state;

	loops_module(&g, 4);
	assert_int_equal(check(&g, VF_SIP_STRICT, &res), ERR_OK);
	assert_int_equal(res.nnotes, 0);
	free(g.b);
}

// nlocals locals and depth nested blocks: every level holds two states of
// all the values.
static void wide_deep_module(struct big *g, uint32_t nlocals, uint32_t depth)
{
	struct big code = {0};

	for (uint32_t i = 0; i < depth; i++)
		big_byte(&code, 0x02), big_byte(&code, 0x40);
	for (uint32_t i = 0; i < depth; i++)
		big_byte(&code, 0x0b);
	sip_module(g, nlocals, &code);
	free(code.b);
}

static void test_state_memory(void **state)
{
	struct vf_sip_result res;
	struct big g = {0}, h = {0};
	(void)state;

	// 4,000 locals and 100 levels: 6.7 MiB of states, over the bound.
	wide_deep_module(&g, 4000, 100);
	assert_int_equal(check(&g, 0, &res), ERR_OK);
	assert_true(has_limit_note(&res));
	// 4,000 locals and 20 levels fit.
	wide_deep_module(&h, 4000, 20);
	assert_int_equal(check(&h, VF_SIP_STRICT, &res), ERR_OK);
	assert_int_equal(res.nnotes, 0);
	free(g.b), free(h.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_loops_budget),
		cmocka_unit_test(test_nested_loops_shallow),
		cmocka_unit_test(test_state_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
