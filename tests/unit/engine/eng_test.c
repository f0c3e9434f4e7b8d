// SPDX-License-Identifier: MIT
// The engine unit tests' helpers (see eng_test.h).
#include "eng_test.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <host_native.h>
#include <pthread.h>

static void *et_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return aligned_alloc(16, (size + 15) & ~(size_t)15);
}

static void et_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

static const vf_valtype_t et_types[] = {VF_TYPE_I32, VF_TYPE_I32, VF_TYPE_I32};
static const struct vf_functype et_add_type = {2, 1, et_types};
static const struct vf_functype et_reenter_type = {1, 1, et_types};

static isola_err_t et_add(void *ctx, struct eng_thread *th, uint64_t *args)
{
	struct et *t = ctx;
	(void)th;
	t->host_calls++;
	args[0] = (uint32_t)((uint32_t)args[0] + (uint32_t)args[1]);
	return ERR_OK;
}

// Calls back into wasm ("double") on the same thread: nested eng_call.
static isola_err_t et_reenter(void *ctx, struct eng_thread *th, uint64_t *args)
{
	struct et *t = ctx;
	uint64_t r;
	t->host_calls++;
	TRY(eng_call(th, et_func(t->inst, "double"), args, &r));
	args[0] = (uint32_t)(r + 1);
	return ERR_OK;
}

// Native code regions, so that the fault hook knows when a fault is
// native code's (which keeps its thread in r15).
#define ET_MAX_CODE 64
static struct {
	uintptr_t start, end;
} et_code[ET_MAX_CODE];
static pthread_mutex_t et_code_lock = PTHREAD_MUTEX_INITIALIZER;

static void *et_code_alloc(void *ctx, size_t size)
{
	void *p = host_code_alloc(ctx, size);
	pthread_mutex_lock(&et_code_lock);
	for (int i = 0; p && i < ET_MAX_CODE; i++) {
		if (et_code[i].start == 0) {
			et_code[i].start = (uintptr_t)p;
			et_code[i].end = (uintptr_t)p + size;
			break;
		}
	}
	pthread_mutex_unlock(&et_code_lock);
	return p;
}

static void et_code_free(void *ctx, void *p, size_t size)
{
	pthread_mutex_lock(&et_code_lock);
	for (int i = 0; i < ET_MAX_CODE; i++)
		if (et_code[i].start == (uintptr_t)p)
			et_code[i].start = et_code[i].end = 0;
	pthread_mutex_unlock(&et_code_lock);
	host_code_free(ctx, p, size);
}

static bool et_fault(uint64_t pc, uint64_t addr, uint64_t r15, uint64_t *resume)
{
	for (int i = 0; i < ET_MAX_CODE; i++) {
		if (pc >= et_code[i].start && pc < et_code[i].end) {
			*resume = eng_thread_fault((struct eng_thread *)r15, pc, addr);
			return *resume != 0;
		}
	}
	return false;
}

const struct eng_vm et_vm = {host_vm_reserve, host_vm_commit, host_vm_release, NULL};

static void et_engine(struct et *t)
{
	const char *e = getenv("ENG_TEST_ENGINE");
	t->code_mem = (struct eng_code_mem){et_code_alloc, host_code_seal, et_code_free, NULL};
	t->prepare = (struct eng_prepare_config){.alloc = &t->alloc, .kind = ENG_INTERP,
						 .code_mem = &t->code_mem};
	if (e != NULL && strncmp(e, "jit", 3) == 0) {
		t->prepare.kind = ENG_NATIVE;
		t->prepare.guard = strcmp(e, "jit-guard") == 0;
		host_fault_install(et_fault);
	}
}

isola_err_t et_prepare(struct et *t, struct eng_prepared **out)
{
	return eng_module_prepare_cfg(t->m, &t->prepare, out);
}

bool et_native(const struct et *t)
{
	return t->prepare.kind == ENG_NATIVE;
}

void et_load(struct et *t, const char *name)
{
	char path[512];
	memset(t, 0, sizeof(*t));
	t->alloc = (struct vf_allocator){et_alloc, et_free, NULL, (size_t)1 << 30};
	et_engine(t);
	snprintf(path, sizeof(path), "%s/%s", ENG_TEST_WASM_DIR, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	t->bytes = malloc((size_t)n);
	assert_int_equal(fread(t->bytes, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	struct vf_options o = {VF_FEATURES_ALL, 0, &t->alloc};
	struct vf_diag d;
	assert_int_equal(vf_module_load(t->bytes, (size_t)n, &o, &t->m, &d), ERR_OK);
	struct eng_thread_config tc = {.alloc = &t->alloc};
	assert_int_equal(eng_thread_new(&tc, &t->th), ERR_OK);
	eng_func_init_host(&t->host_add, &et_add_type, et_add, t);
	eng_func_init_host(&t->host_reenter, &et_reenter_type, et_reenter, t);
}

static isola_err_t et_resolve(void *ctx, const char *module, size_t mlen,
			      const char *field, size_t flen, uint8_t kind,
			      struct eng_extern *out)
{
	struct et *t = ctx;
	(void)kind;
	if (mlen != 4 || memcmp(module, "host", 4) != 0)
		return ERR_ENG_IMPORT_UNKNOWN;
	out->kind = VF_EXTERN_FUNC;
	if (flen == 3 && memcmp(field, "add", 3) == 0)
		out->u.func = &t->host_add;
	else if (flen == 7 && memcmp(field, "reenter", 7) == 0)
		out->u.func = &t->host_reenter;
	else
		return ERR_ENG_IMPORT_UNKNOWN;
	return ERR_OK;
}

isola_err_t et_instantiate(struct et *t, struct eng_instance **out)
{
	struct eng_config cfg = {&t->alloc, &t->alloc, t->max_pages, et_resolve, t,
				 &t->prepare, &et_vm};
	return eng_instantiate(t->m, &cfg, t->th, out);
}

void et_fini(struct et *t)
{
	if (t->inst)
		eng_instance_free(t->inst);
	eng_thread_free(t->th);
	vf_module_free(t->m);
	free(t->bytes);
}

struct eng_func *et_func(struct eng_instance *inst, const char *name)
{
	struct eng_extern x;
	if (eng_instance_export(inst, name, strlen(name), &x) != ERR_OK ||
	    x.kind != VF_EXTERN_FUNC)
		return NULL;
	return x.u.func;
}

isola_err_t et_call(struct et *t, struct eng_instance *inst, const char *name,
		    const uint64_t *args, uint64_t *res)
{
	struct eng_func *f = et_func(inst, name);
	assert_non_null(f);
	return eng_call(t->th, f, args, res);
}
