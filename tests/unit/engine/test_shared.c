// SPDX-License-Identifier: MIT
// unit.engine.shared: one prepared module, two instances. Each has its
// own memory, global, table and import binding although both run the same
// compiled code; they are freed in either order, and run at the same time
// on two host threads.
#include "eng_test.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <string.h>

static const vf_valtype_t tag_types[] = {VF_TYPE_I32};
static const struct vf_functype tag_type = {0, 1, tag_types};

// One instance's binding of "host" "tag": returns tag.
struct side {
	struct eng_func fn;
	uint32_t tag;
	struct eng_thread *th;
	struct eng_instance *inst;
	isola_err_t err;
	uint64_t result;
};

static isola_err_t host_tag(void *ctx, struct eng_thread *th, uint64_t *args)
{
	const struct side *s = ctx;
	(void)th;
	args[0] = s->tag;
	return ERR_OK;
}

static isola_err_t resolve(void *ctx, const char *module, size_t mlen,
			   const char *field, size_t flen, uint8_t kind,
			   struct eng_extern *out)
{
	struct side *s = ctx;
	(void)kind;
	if (mlen != 4 || memcmp(module, "host", 4) != 0 || flen != 3 ||
	    memcmp(field, "tag", 3) != 0)
		return ERR_ENG_IMPORT_UNKNOWN;
	out->kind = VF_EXTERN_FUNC;
	out->u.func = &s->fn;
	return ERR_OK;
}

static void side_new(struct et *t, const struct eng_prepared *p,
		     struct side *s, uint32_t tag)
{
	memset(s, 0, sizeof(*s));
	s->tag = tag;
	eng_func_init_host(&s->fn, &tag_type, host_tag, s);
	struct eng_thread_config tc = {.alloc = &t->alloc};
	assert_int_equal(eng_thread_new(&tc, &s->th), ERR_OK);
	struct eng_config cfg = {&t->alloc, &t->alloc, 0, resolve, s, NULL, &et_vm};
	assert_int_equal(eng_instantiate_prepared(p, &cfg, &s->inst), ERR_OK);
}

static void side_free(struct side *s)
{
	eng_instance_free(s->inst);
	eng_thread_free(s->th);
}

static uint64_t call(struct side *s, const char *name, uint64_t a, uint64_t b)
{
	uint64_t args[2] = {a, b}, r = 0;
	struct eng_func *f = et_func(s->inst, name);
	assert_non_null(f);
	assert_int_equal(eng_call(s->th, f, args, &r), ERR_OK);
	return r;
}

// Both instances of p, written differently, read back apart.
static void check_apart(struct side *a, struct side *b)
{
	call(a, "set", 16, 111);
	call(b, "set", 16, 222);
	assert_int_equal(call(a, "get", 16, 0), 111);
	assert_int_equal(call(b, "get", 16, 0), 222);
	assert_int_equal(call(a, "global", 0, 0), 111);
	assert_int_equal(call(b, "global", 0, 0), 222);
	assert_int_equal(call(a, "tag", 0, 0), 7);
	assert_int_equal(call(b, "tag", 0, 0), 9);
	assert_int_equal(call(a, "pick", 1, 0), 2);
	assert_int_equal(call(b, "pick", 0, 0), 1);
	// Growing one memory moves its base; the other keeps its own.
	assert_int_equal(call(a, "grow", 2, 0), 1);
	assert_int_equal(call(a, "size", 0, 0), 3);
	assert_int_equal(call(b, "size", 0, 0), 1);
	assert_int_equal(call(a, "get", 16, 0), 111);
	assert_int_equal(call(b, "get", 16, 0), 222);
	assert_int_equal(call(a, "bump", 10, 0), 111 + 70);
	assert_int_equal(call(b, "bump", 10, 0), 222 + 90);
	assert_int_equal(eng_instance_memory(a->inst)->pages, 3);
	assert_int_equal(eng_instance_memory(b->inst)->pages, 1);
}

static void run_two(bool a_first)
{
	struct et t;
	struct eng_prepared *p;
	struct side a, b;
	et_load(&t, "shared.wasm");
	assert_int_equal(et_prepare(&t, &p), ERR_OK);
	side_new(&t, p, &a, 7);
	side_new(&t, p, &b, 9);
	check_apart(&a, &b);
	side_free(a_first ? &a : &b);
	// The other one still runs the shared code.
	struct side *left = a_first ? &b : &a;
	assert_int_equal(call(left, "tag", 0, 0), left->tag);
	side_free(left);
	eng_prepared_free(p);
	et_fini(&t);
}

static void test_free_first_then_second(void **state)
{
	(void)state;
	run_two(true);
}

static void test_free_second_then_first(void **state)
{
	(void)state;
	run_two(false);
}

#define BUMPS 200000u

static void *bump_thread(void *arg)
{
	struct side *s = arg;
	uint64_t n = BUMPS;
	struct eng_func *f = et_func(s->inst, "bump");
	s->err = f ? eng_call(s->th, f, &n, &s->result) : ERR_NOTFOUND;
	return NULL;
}

// Two host threads run the same code at once, each on its instance.
static void test_concurrent(void **state)
{
	struct et t;
	struct eng_prepared *p;
	struct side a, b;
	pthread_t ta, tb;
	(void)state;
	et_load(&t, "shared.wasm");
	assert_int_equal(et_prepare(&t, &p), ERR_OK);
	side_new(&t, p, &a, 7);
	side_new(&t, p, &b, 9);
	assert_int_equal(pthread_create(&ta, NULL, bump_thread, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, bump_thread, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a.err, ERR_OK);
	assert_int_equal(b.err, ERR_OK);
	assert_int_equal(a.result, (uint32_t)(7 * BUMPS));
	assert_int_equal(b.result, (uint32_t)(9 * BUMPS));
	side_free(&b);
	side_free(&a);
	eng_prepared_free(p);
	et_fini(&t);
}

// eng_instantiate_prepared leaves the start function to the embedder:
// it runs on the thread that eng_instance_start is given, and only then.
static void test_start_runs_when_asked(void **state)
{
	struct et t;
	struct eng_prepared *p;
	struct side a;
	(void)state;
	et_load(&t, "shared.wasm");
	assert_int_equal(et_prepare(&t, &p), ERR_OK);
	side_new(&t, p, &a, 7);
	assert_int_equal(call(&a, "get", 32, 0), 0);
	assert_int_equal(eng_instance_start(a.th, a.inst), ERR_OK);
	assert_int_equal(call(&a, "get", 32, 0), 7);
	side_free(&a);
	eng_prepared_free(p);
	et_fini(&t);
}

// eng_instantiate still works, owns its code and runs the start function.
static void test_instantiate_owns_code(void **state)
{
	struct et t;
	struct side s;
	(void)state;
	et_load(&t, "shared.wasm");
	memset(&s, 0, sizeof(s));
	s.tag = 5;
	eng_func_init_host(&s.fn, &tag_type, host_tag, &s);
	s.th = t.th;
	struct eng_config cfg = {&t.alloc, &t.alloc, 0, resolve, &s, &t.prepare, &et_vm};
	assert_int_equal(eng_instantiate(t.m, &cfg, t.th, &s.inst), ERR_OK);
	assert_int_equal(call(&s, "tag", 0, 0), 5);
	assert_int_equal(call(&s, "get", 32, 0), 5);
	eng_instance_free(s.inst);
	et_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_first_then_second),
		cmocka_unit_test(test_free_second_then_first),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_start_runs_when_asked),
		cmocka_unit_test(test_instantiate_owns_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
