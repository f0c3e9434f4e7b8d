// SPDX-License-Identifier: MIT
// Module builders and table runners for the verifier's unit tests.
#include "vf_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

void buf_put(struct vf_buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= VF_TEST_MAX);
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

void buf_byte(struct vf_buf *b, uint8_t v)
{
	buf_put(b, &v, 1);
}

void buf_u32(struct vf_buf *b, uint32_t v)
{
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		buf_byte(b, (uint8_t)(byte | (v ? 0x80 : 0)));
	} while (v);
}

void buf_section(struct vf_buf *b, uint8_t id, const void *p, size_t n)
{
	buf_byte(b, id);
	buf_u32(b, (uint32_t)n);
	buf_put(b, p, n);
}

void buf_header(struct vf_buf *b)
{
	static const uint8_t h[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
	b->n = 0;
	buf_put(b, h, 8);
}

void build_func(struct vf_buf *b, const char *sig, size_t sig_n,
		const char *pre, size_t pre_n, const char *body, size_t body_n,
		uint32_t *body_off)
{
	struct vf_buf t = {.n = 0}, code = {.n = 0};

	buf_header(b);
	buf_byte(&t, 1);
	buf_byte(&t, 0x60);
	buf_put(&t, sig, sig_n);
	buf_section(b, 1, t.b, t.n);
	buf_section(b, 3, "\x01\x00", 2);
	buf_put(b, pre, pre_n);
	buf_byte(&code, 1);
	buf_u32(&code, (uint32_t)body_n + 1);
	buf_byte(&code, 0); // no locals
	size_t at = code.n;
	buf_put(&code, body, body_n);
	buf_byte(b, 10);
	buf_u32(b, (uint32_t)code.n);
	*body_off = (uint32_t)(b->n + at);
	buf_put(b, code.b, code.n);
}

static void *t_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return aligned_alloc(16, (size + 15) & ~(size_t)15);
}

static void t_free(void *ctx, void *p, size_t size)
{
	(void)ctx, (void)size;
	free(p);
}

const struct vf_allocator *test_allocator(size_t cap)
{
	static struct vf_allocator a;

	a = (struct vf_allocator){t_alloc, t_free, NULL, cap ? cap : 64u << 20};
	return &a;
}

isola_err_t load(const struct vf_buf *b, uint32_t features, size_t cap,
		 struct vf_diag *d, struct vf_module **m)
{
	struct vf_options o = {.features = features, .alloc = test_allocator(cap),
			       .flags = VF_OPT_BLOCK_TABLE};

	return vf_module_load(b->b, b->n, &o, m, d);
}

isola_err_t load_bytes(const uint8_t *b, size_t n, uint32_t features,
		       struct vf_diag *d, struct vf_module **m)
{
	static struct vf_allocator a = {t_alloc, t_free, NULL, 1u << 30};
	struct vf_options o = {.features = features, .alloc = &a};

	return vf_module_load(b, n, &o, m, d);
}

// A table (0x70, min 1) and a memory (min 1) before the code.
static const char with_mem[] = "\x04\x04\x01\x70\x00\x01"
			       "\x05\x03\x01\x00\x01";

void run_body_cases(const struct body_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct vf_buf b;
		struct vf_diag d;
		struct vf_module *m = NULL;
		uint32_t off;

		build_func(&b, c[i].sig, c[i].sig_n, with_mem,
			   c[i].memory ? sizeof(with_mem) - 1 : 0, c[i].body,
			   c[i].body_n, &off);
		isola_err_t err = load(&b, c[i].features, 0, &d, &m);
		if (err != c[i].code ||
		    (err != ERR_OK && d.offset != off + c[i].off)) {
			print_error("case %s: got %s at +%d (%s), want %s at +%u\n",
				    c[i].name, isola_err_name(err),
				    (int)(d.offset - off), d.detail,
				    isola_err_name(c[i].code), c[i].off);
			fail();
		}
		if (err == ERR_OK) {
			assert_int_equal(m->nfuncs, 1);
			vf_module_free(m);
		} else {
			assert_int_equal(d.func_index, 0);
		}
	}
}

isola_err_t load_body(const char *sig, size_t sig_n, const char *body,
		      size_t n, bool memory, uint32_t features,
		      struct vf_diag *d, uint32_t *off)
{
	struct vf_buf b;
	struct vf_module *m = NULL;

	build_func(&b, sig, sig_n, with_mem, memory ? sizeof(with_mem) - 1 : 0,
		   body, n, off);
	isola_err_t err = load(&b, features, 0, d, &m);
	if (err == ERR_OK)
		vf_module_free(m);
	return err;
}
