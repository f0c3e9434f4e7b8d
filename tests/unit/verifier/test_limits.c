// SPDX-License-Identifier: MIT
// The documented limits (docs/verifier.md): each at its maximum is
// accepted and one past it is rejected with its limit code.
#include "vf_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

// A growable byte buffer for modules larger than struct vf_buf.
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

static void big_u32(struct big *g, uint32_t v)
{
	do {
		uint8_t byte = (uint8_t)((v & 0x7f) | (v >> 7 ? 0x80 : 0));
		big_put(g, &byte, 1);
		v >>= 7;
	} while (v);
}

static isola_err_t big_load(const struct big *g, struct vf_diag *d)
{
	struct vf_module *m;
	isola_err_t err = load_bytes(g->b, g->n, VF_FEATURES_ALL, d, &m);

	if (err == ERR_OK)
		vf_module_free(m);
	return err;
}

// One function [] -> [] whose body (after an empty locals vector) is
// `depth` nested blocks.
static isola_err_t nested_blocks(uint32_t depth, struct vf_diag *d)
{
	struct big g = {0}, body = {0};
	static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
				       1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0};
	uint8_t zero = 0, blk[2] = {0x02, 0x40}, end = 0x0b;

	big_put(&body, &zero, 1);
	for (uint32_t i = 0; i < depth; i++)
		big_put(&body, blk, 2);
	for (uint32_t i = 0; i <= depth; i++)
		big_put(&body, &end, 1);
	struct big code = {0};
	big_u32(&code, 1);
	big_u32(&code, (uint32_t)body.n);
	big_put(&code, body.b, body.n);
	big_put(&g, head, sizeof(head));
	uint8_t id = 10;
	big_put(&g, &id, 1);
	big_u32(&g, (uint32_t)code.n);
	big_put(&g, code.b, code.n);
	isola_err_t err = big_load(&g, d);
	free(g.b), free(body.b), free(code.b);
	return err;
}

static void test_depth(void **state)
{
	struct vf_diag d;
	(void)state;

	// The function's own frame counts: VF_MAX_DEPTH - 1 blocks fit.
	assert_int_equal(nested_blocks(VF_MAX_DEPTH - 1, &d), ERR_OK);
	assert_int_equal(nested_blocks(VF_MAX_DEPTH, &d), ERR_VF_LIMIT_DEPTH);
	assert_int_equal(d.func_index, 0);
}

// A type with n parameters of i32.
static isola_err_t params(uint32_t n, struct vf_diag *d)
{
	struct big g = {0}, t = {0};
	static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
	uint8_t i32 = 0x7f, form[2] = {1, 0x60}, none = 0, id = 1;

	big_put(&t, form, 2);
	big_u32(&t, n);
	for (uint32_t i = 0; i < n; i++)
		big_put(&t, &i32, 1);
	big_put(&t, &none, 1);
	big_put(&g, head, sizeof(head));
	big_put(&g, &id, 1);
	big_u32(&g, (uint32_t)t.n);
	big_put(&g, t.b, t.n);
	isola_err_t err = big_load(&g, d);
	free(g.b), free(t.b);
	return err;
}

static void test_params(void **state)
{
	struct vf_diag d;
	(void)state;

	assert_int_equal(params(VF_MAX_PARAMS, &d), ERR_OK);
	assert_int_equal(params(VF_MAX_PARAMS + 1, &d), ERR_VF_LIMIT_PARAMS);
	assert_int_equal(d.offset, 13); // the parameter count
}

// One function whose body is `size` bytes: no locals, nops, end.
static isola_err_t body_of_size(uint32_t size, struct vf_diag *d)
{
	static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
				       1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0};
	struct big g = {0}, code = {0};
	uint8_t *body = malloc(size);

	assert_non_null(body);
	memset(body, 0x01, size);
	body[0] = 0;
	body[size - 1] = 0x0b;
	big_u32(&code, 1);
	big_u32(&code, size);
	big_put(&code, body, size);
	big_put(&g, head, sizeof(head));
	uint8_t id = 10;
	big_put(&g, &id, 1);
	big_u32(&g, (uint32_t)code.n);
	big_put(&g, code.b, code.n);
	isola_err_t err = big_load(&g, d);
	free(g.b), free(code.b), free(body);
	return err;
}

static void test_body_size(void **state)
{
	struct vf_diag d;
	(void)state;

	assert_int_equal(body_of_size(VF_MAX_BODY_SIZE, &d), ERR_OK);
	assert_int_equal(body_of_size(VF_MAX_BODY_SIZE + 1, &d),
			 ERR_VF_LIMIT_BODY);
	assert_int_equal(d.offset, 24); // the body's size
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_body_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
