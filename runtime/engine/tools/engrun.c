// SPDX-License-Identifier: MIT
// engrun: instantiates one module (no imports) and runs exports, for the
// benchmarks and the differential test against wabt's wasm-interp.
//   engrun [--features=LIST] --run-all-exports FILE.wasm
//     runs every exported function without parameters and prints one line
//     each in wasm-interp's format: "name() => i32:N" or "=> error: MSG".
//   engrun [--features=LIST] [--time] FILE.wasm EXPORT [INT...]
//     runs one export with integer arguments and prints its results (and
//     with --time the CPU seconds the call took on stderr).
//   engrun --dump=OUT FILE.wasm
//     writes the native code to OUT and each function's offset in it to
//     stdout (objdump -D -b binary -m i386:x86-64 OUT disassembles it).
//   engrun --compile FILE.wasm
//     prepares the module interpreted and native, several times, and
//     prints the code section's size, the median CPU time of each, the
//     native compiler's throughput and the native code's size.
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void er_print(const struct vf_functype *t, isola_err_t err,
		     const uint64_t *res)
{
	if (err != ERR_OK) {
		printf("error: %s\n", isola_err_message(err));
		return;
	}
	for (uint32_t i = 0; i < t->nresults; i++) {
		vf_valtype_t vt = t->types[t->nparams + i];
		if (vt == VF_TYPE_I32)
			printf("%si32:%u", i ? ", " : "", (uint32_t)res[i]);
		else if (vt == VF_TYPE_I64)
			printf("%si64:%llu", i ? ", " : "", (unsigned long long)res[i]);
		else if (vt == VF_TYPE_F32)
			printf("%sf32-bits:%u", i ? ", " : "", (uint32_t)res[i]);
		else
			printf("%sf64-bits:%llu", i ? ", " : "", (unsigned long long)res[i]);
	}
	printf("\n");
}

static int er_all(struct host_env *env, struct eng_instance *inst,
		  const struct vf_module *m)
{
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct vf_export *e = &m->exports[i];
		struct eng_extern x;
		if (e->kind != VF_EXTERN_FUNC ||
		    eng_instance_export(inst, (const char *)vf_range_ptr(m, e->name),
					e->name.len, &x) != ERR_OK ||
		    x.u.func->type->nparams != 0 || x.u.func->type->nresults > 16)
			continue;
		uint64_t res[16];
		isola_err_t err = eng_call(env->th, x.u.func, NULL, res);
		printf("%.*s() => ", (int)e->name.len, (const char *)vf_range_ptr(m, e->name));
		er_print(x.u.func->type, err, res);
	}
	return 0;
}

static int er_one(struct host_env *env, struct eng_instance *inst,
		  const char *name, char **argv, int argc, bool timed)
{
	struct eng_extern x;
	uint64_t args[16], res[16];
	if (eng_instance_export(inst, name, strlen(name), &x) != ERR_OK ||
	    x.kind != VF_EXTERN_FUNC) {
		fprintf(stderr, "engrun: no function export '%s'\n", name);
		return 2;
	}
	const struct vf_functype *t = x.u.func->type;
	if (t->nparams != (uint32_t)argc || argc > 16 || t->nresults > 16) {
		fprintf(stderr, "engrun: '%s' takes %u arguments\n", name, t->nparams);
		return 2;
	}
	for (int i = 0; i < argc; i++)
		args[i] = (uint64_t)strtoll(argv[i], NULL, 0);
	struct timespec a, b;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	isola_err_t err = eng_call(env->th, x.u.func, args, res);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	er_print(t, err, res);
	if (timed)
		fprintf(stderr, "%.6f\n",
			(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return err == ERR_OK ? 0 : 1;
}

static double er_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int er_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

// The median CPU seconds of preparing m as cfg says, and one result.
static double er_prepare_median(const struct vf_module *m,
				const struct eng_prepare_config *cfg,
				size_t *native_bytes)
{
	double t[7];
	for (int i = 0; i < 7; i++) {
		struct eng_prepared *p;
		double a = er_now();
		isola_err_t err = eng_module_prepare_cfg(m, cfg, &p);
		t[i] = er_now() - a;
		if (err != ERR_OK) {
			fprintf(stderr, "engrun: preparing failed: %s\n", isola_err_name(err));
			exit(1);
		}
		*native_bytes = eng_prepared_native_size(p);
		eng_prepared_free(p);
	}
	qsort(t, 7, sizeof(t[0]), er_cmp_double);
	return t[3];
}

static int er_compile(struct host_env *env, const struct vf_module *m)
{
	size_t code = m->code_section.len, native = 0, none = 0;
	struct eng_prepare_config interp = env->prepare, jit = env->prepare;
	interp.kind = ENG_INTERP;
	jit.kind = ENG_NATIVE;
	double ti = er_prepare_median(m, &interp, &none);
	double tj = er_prepare_median(m, &jit, &native);
	printf("code section %zu bytes, %u functions\n", code,
	       m->nfuncs - m->nimported_funcs);
	printf("interpreter's code: %.2f ms (%.0f MB/s)\n", ti * 1e3, (double)code / ti / 1e6);
	printf("native code: %.2f ms (%.0f MB/s), of which the native pass %.2f ms "
	       "(%.0f MB/s); %zu bytes, %.2f x the code section\n",
	       tj * 1e3, (double)code / tj / 1e6, (tj - ti) * 1e3,
	       (double)code / (tj - ti) / 1e6, native, (double)native / (double)code);
	return 0;
}

static int er_dump(struct host_env *env, const struct vf_module *m, const char *out)
{
	struct eng_prepare_config cfg = env->prepare;
	cfg.kind = ENG_NATIVE;
	struct eng_prepared *p;
	isola_err_t err = eng_module_prepare_cfg(m, &cfg, &p);
	if (err != ERR_OK) {
		fprintf(stderr, "engrun: preparing failed: %s\n", isola_err_name(err));
		return 1;
	}
	FILE *f = fopen(out, "wb");
	int rc = f && fwrite(eng_prepared_native_code(p), 1, eng_prepared_native_size(p), f) ==
			       eng_prepared_native_size(p)
		     ? 0
		     : 1;
	if (f)
		fclose(f);
	for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
		printf("func %u at %#zx\n", i, eng_prepared_native_offset(p, i));
	eng_prepared_free(p);
	return rc;
}

static int er_usage(void)
{
	fprintf(stderr, "usage: engrun [OPTIONS] --run-all-exports FILE.wasm\n"
			"       engrun [OPTIONS] [--time] FILE.wasm EXPORT [INT...]\n"
			"       engrun [OPTIONS] --compile FILE.wasm\n"
			"       engrun [OPTIONS] --dump=OUT FILE.wasm\n"
			"options: --features=LIST, --engine=jit|interp (default jit),\n"
			"         --bounds=explicit|guard (default guard)\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint32_t features = VF_FEATURES_ALL;
	bool all = false, timed = false, compile = false;
	const char *dump = NULL;
	int i = 1;
	struct host_env env;
	host_env_init(&env, features);
	for (; i < argc && argv[i][0] == '-'; i++) {
		int e = host_engine_option(&env, argv[i]);
		if (e < 0)
			return er_usage();
		if (e > 0)
			continue;
		if (strncmp(argv[i], "--features=", 11) == 0) {
			if (vf_features_parse(argv[i] + 11, &features) != ERR_OK)
				return er_usage();
		} else if (strcmp(argv[i], "--run-all-exports") == 0) {
			all = true;
		} else if (strcmp(argv[i], "--time") == 0) {
			timed = true;
		} else if (strcmp(argv[i], "--compile") == 0) {
			compile = true;
		} else if (strncmp(argv[i], "--dump=", 7) == 0) {
			dump = argv[i] + 7;
		} else {
			return er_usage();
		}
	}
	if (i >= argc || (!all && !compile && !dump && i + 1 >= argc))
		return er_usage();
	env.features = features;
	size_t len;
	uint8_t *bytes = host_read_file(argv[i], &len);
	struct vf_module *m;
	struct vf_diag d;
	struct eng_instance *inst = NULL;
	if (bytes == NULL) {
		fprintf(stderr, "engrun: cannot read %s\n", argv[i]);
		return 2;
	}
	isola_err_t err = host_load(&env, bytes, len, &m, &d);
	if (err != ERR_OK) {
		fprintf(stderr, "engrun: rejected: %s at %u\n", isola_err_name(err), d.offset);
		return 2;
	}
	if (compile || dump) {
		int rc = dump ? er_dump(&env, m, dump) : er_compile(&env, m);
		vf_module_free(m);
		free(bytes);
		host_env_fini(&env);
		return rc;
	}
	struct eng_config cfg = {.alloc = &env.alloc, .mem_alloc = &env.mem_alloc,
				 .prepare = &env.prepare, .vm = &env.vm};
	err = eng_instantiate(m, &cfg, env.th, &inst);
	int rc;
	if (err != ERR_OK) {
		fprintf(stderr, "engrun: instantiation failed: %s\n", isola_err_name(err));
		rc = 1;
	} else {
		rc = all ? er_all(&env, inst, m)
			 : er_one(&env, inst, argv[i + 1], argv + i + 2, argc - i - 2, timed);
	}
	if (inst)
		eng_instance_free(inst);
	vf_module_free(m);
	free(bytes);
	host_env_fini(&env);
	return rc;
}
