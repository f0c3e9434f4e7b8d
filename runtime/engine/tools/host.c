// SPDX-License-Identifier: MIT
// Host-side helpers of specrun and engrun: malloc allocators, file input,
// module loading through the verifier, and the spectest module the suite
// imports (print functions that print nothing, globals, table, memory).
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <host_native.h>

// Linear memory blocks above this fail, as a memory.grow may.
#define HOST_MEM_BLOCK_CAP ((size_t)1 << 30)

static void *host_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return aligned_alloc(16, ISOLA_ALIGN_UP(size ? size : 16, (size_t)16));
}

static void *host_mem_alloc(void *ctx, size_t size)
{
	if (size > HOST_MEM_BLOCK_CAP)
		return NULL;
	return host_alloc(ctx, size);
}

static void host_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

const struct eng_vm host_vm = {host_vm_reserve, host_vm_commit, host_vm_release, NULL};

static struct eng_thread *host_fault_th;

static bool host_fault(uint64_t pc, uint64_t addr, uint64_t r15, uint64_t *resume)
{
	(void)r15;
	*resume = host_fault_th ? eng_thread_fault(host_fault_th, pc, addr) : 0;
	return *resume != 0;
}

void host_fault_handler_install(struct eng_thread *th)
{
	host_fault_th = th;
	host_fault_install(host_fault);
}

int host_engine_option(struct host_env *env, const char *arg)
{
	if (strcmp(arg, "--engine=jit") == 0)
		env->prepare.kind = ENG_NATIVE;
	else if (strcmp(arg, "--engine=interp") == 0)
		env->prepare.kind = ENG_INTERP;
	else if (strcmp(arg, "--bounds=explicit") == 0)
		env->prepare.guard = false;
	else if (strcmp(arg, "--bounds=guard") == 0)
		env->prepare.guard = true;
	else if (strncmp(arg, "--engine=", 9) == 0 || strncmp(arg, "--bounds=", 9) == 0)
		return -1;
	else
		return 0;
	return 1;
}

void host_env_init(struct host_env *env, uint32_t features)
{
	memset(env, 0, sizeof(*env));
	env->alloc = (struct vf_allocator){host_alloc, host_free, NULL,
					   (size_t)4 << 30};
	env->mem_alloc = env->alloc;
	env->mem_alloc.alloc = host_mem_alloc;
	env->features = features;
	env->code_mem = (struct eng_code_mem){host_code_alloc, host_code_seal,
					      host_code_free, NULL};
	env->prepare = (struct eng_prepare_config){
		.alloc = &env->alloc, .kind = ENG_NATIVE, .guard = true,
		.code_mem = &env->code_mem};
	env->vm = host_vm;
	struct eng_thread_config tc = {.alloc = &env->alloc};
	if (eng_thread_new(&tc, &env->th) != ERR_OK) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	host_fault_handler_install(env->th);
}

void host_env_fini(struct host_env *env)
{
	eng_thread_free(env->th);
}

uint8_t *host_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc((size_t)(n > 0 ? n : 1) + 1);
	if (n < 0 || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	*len = (size_t)n;
	return buf;
}

isola_err_t host_load(struct host_env *env, const uint8_t *bytes, size_t len,
		      struct vf_module **out, struct vf_diag *diag)
{
	struct vf_options o = {.features = env->features,
			       .flags = 0,
			       .alloc = &env->alloc};
	return vf_module_load(bytes, len, &o, out, diag);
}

// ---- spectest ---------------------------------------------------------

static const vf_valtype_t st_types[] = {
	VF_TYPE_I32, VF_TYPE_I64, VF_TYPE_F32, VF_TYPE_F64,
	VF_TYPE_I32, VF_TYPE_F32, VF_TYPE_F64, VF_TYPE_F64,
};

struct st_fn {
	const char *name;
	struct vf_functype type;
};

static const struct st_fn st_fns[] = {
	{"print", {0, 0, st_types}},
	{"print_i32", {1, 0, st_types + 0}},
	{"print_i64", {1, 0, st_types + 1}},
	{"print_f32", {1, 0, st_types + 2}},
	{"print_f64", {1, 0, st_types + 3}},
	{"print_i32_f32", {2, 0, st_types + 4}},
	{"print_f64_f64", {2, 0, st_types + 6}},
};
#define ST_NFNS (sizeof(st_fns) / sizeof(st_fns[0]))

struct spectest {
	struct eng_func fns[ST_NFNS];
	struct eng_global g_i32, g_i64, g_f32, g_f64;
	struct eng_table table;
	struct eng_memory memory;
};

ISOLA_MUST_CHECK
static isola_err_t st_print(void *ctx, struct eng_thread *th, uint64_t *args)
{
	(void)ctx;
	(void)th;
	(void)args;
	return ERR_OK;
}

struct spectest *spectest_new(struct host_env *env)
{
	struct spectest *st = calloc(1, sizeof(*st));
	for (size_t i = 0; i < ST_NFNS; i++)
		eng_func_init_host(&st->fns[i], &st_fns[i].type, st_print, NULL);
	st->g_i32 = (struct eng_global){666, VF_TYPE_I32, false};
	st->g_i64 = (struct eng_global){666, VF_TYPE_I64, false};
	st->g_f32 = (struct eng_global){0x44268000u, VF_TYPE_F32, false};
	st->g_f64 = (struct eng_global){0x4084d00000000000ull, VF_TYPE_F64, false};
	if (eng_table_init(&st->table, &env->alloc, 10, 20, true) != ERR_OK ||
	    (env->prepare.guard ? eng_memory_init_vm(&st->memory, &env->vm, 1, 2, true)
				: eng_memory_init(&st->memory, &env->mem_alloc, 1, 2, true)) != ERR_OK) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return st;
}

void spectest_free(struct spectest *st, struct host_env *env)
{
	eng_table_fini(&st->table, &env->alloc);
	eng_memory_fini(&st->memory);
	free(st);
}

static bool st_is(const char *field, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(field, name, len) == 0;
}

isola_err_t spectest_lookup(struct spectest *st, const char *field, size_t len,
			    uint8_t kind, struct eng_extern *out)
{
	(void)kind;
	for (size_t i = 0; i < ST_NFNS; i++) {
		if (st_is(field, len, st_fns[i].name)) {
			out->kind = VF_EXTERN_FUNC;
			out->u.func = &st->fns[i];
			return ERR_OK;
		}
	}
	struct {
		const char *name;
		struct eng_global *g;
	} gs[] = {{"global_i32", &st->g_i32}, {"global_i64", &st->g_i64},
		  {"global_f32", &st->g_f32}, {"global_f64", &st->g_f64}};
	for (size_t i = 0; i < 4; i++) {
		if (st_is(field, len, gs[i].name)) {
			out->kind = VF_EXTERN_GLOBAL;
			out->u.global = gs[i].g;
			return ERR_OK;
		}
	}
	if (st_is(field, len, "table")) {
		out->kind = VF_EXTERN_TABLE;
		out->u.table = &st->table;
		return ERR_OK;
	}
	if (st_is(field, len, "memory")) {
		out->kind = VF_EXTERN_MEMORY;
		out->u.memory = &st->memory;
		return ERR_OK;
	}
	return ERR_ENG_IMPORT_UNKNOWN;
}
