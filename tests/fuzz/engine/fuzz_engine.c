// SPDX-License-Identifier: MIT
// libFuzzer harness for the native compiler: every input the verifier
// accepts (all features) is prepared three times, interpreted, compiled
// with explicit bounds checks and compiled with guard regions,
// instantiated with imported functions that return zeros, and every
// export without parameters is called on both with the same fuel. The
// results (raw bits), the trap codes, the memories and the globals must
// agree; the interpreter is the oracle. Compile errors other than a
// module over the size budget are failures too.
#include <host_native.h>
#include <isola/engine.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUEL 3000

static void *fz_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return aligned_alloc(16, (size + 15) & ~(size_t)15);
}

static void fz_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

static void *fz_mem_alloc(void *ctx, size_t size)
{
	return size > ((size_t)16 << 20) ? NULL : fz_alloc(ctx, size);
}

static const struct vf_allocator fz_a = {fz_alloc, fz_free, NULL, (size_t)1 << 30};
static const struct vf_allocator fz_mem = {fz_mem_alloc, fz_free, NULL, (size_t)1 << 30};
static const struct eng_code_mem fz_code = {host_code_alloc, host_code_seal,
					     host_code_free, NULL};

// Imported functions: results zero, whatever the type.
struct side {
	const struct vf_module *m;
	struct eng_func fns[64];
};

static isola_err_t zero_fn(void *ctx, struct eng_thread *th, uint64_t *args)
{
	const struct vf_functype *t = ctx;
	(void)th;
	for (uint32_t i = 0; i < t->nresults; i++)
		args[i] = 0;
	return ERR_OK;
}

static isola_err_t resolve(void *ctx, const char *module, size_t mlen,
			   const char *field, size_t flen, uint8_t kind,
			   struct eng_extern *out)
{
	struct side *s = ctx;
	(void)module;
	(void)mlen;
	(void)field;
	(void)flen;
	if (kind != VF_EXTERN_FUNC)
		return ERR_ENG_IMPORT_UNKNOWN;
	// Imports resolve in order: the next unbound function import.
	for (uint32_t i = 0; i < s->m->nimported_funcs && i < 64; i++) {
		if (s->fns[i].host == NULL) {
			const struct vf_functype *t = vf_func_type(s->m, i);
			eng_func_init_host(&s->fns[i], t, zero_fn, (void *)t);
			out->kind = VF_EXTERN_FUNC;
			out->u.func = &s->fns[i];
			return ERR_OK;
		}
	}
	return ERR_ENG_IMPORT_UNKNOWN;
}

struct run {
	struct eng_prepared *p;
	struct eng_instance *inst;
	struct eng_thread *th;
	struct side side;
	isola_err_t err;
};

static const struct eng_vm fz_vm = {host_vm_reserve, host_vm_commit,
				     host_vm_release, NULL};
static struct eng_thread *guard_th; // the thread running guarded code

static bool fz_fault(uint64_t pc, uint64_t addr, uint64_t r15, uint64_t *resume)
{
	if (guard_th == NULL || r15 != (uint64_t)(uintptr_t)guard_th)
		return false;
	*resume = eng_thread_fault(guard_th, pc, addr);
	return *resume != 0;
}

static void run_open(struct run *r, const struct vf_module *m, uint8_t kind, bool guard)
{
	memset(r, 0, sizeof(*r));
	struct eng_prepare_config pc = {&fz_a, kind, guard, &fz_code};
	r->err = eng_module_prepare_cfg(m, &pc, &r->p);
	if (r->err != ERR_OK)
		return;
	struct eng_thread_config tc = {.alloc = &fz_a, .stack_slots = 16384,
				       .max_frames = 1024};
	if (eng_thread_new(&tc, &r->th) != ERR_OK)
		abort();
	eng_thread_set_fuel(r->th, FUEL);
	r->side.m = m;
	struct eng_config cfg = {&fz_a, &fz_mem, 64, resolve, &r->side, NULL, &fz_vm};
	if (guard)
		guard_th = r->th;
	r->err = eng_instantiate_prepared(r->p, &cfg, &r->inst);
	if (r->err == ERR_OK)
		r->err = eng_instance_start(r->th, r->inst);
}

static void run_close(struct run *r)
{
	if (r->inst)
		eng_instance_free(r->inst);
	if (r->th)
		eng_thread_free(r->th);
	eng_prepared_free(r->p);
}

static void same_state(struct run *a, struct run *b)
{
	const struct eng_memory *ma = eng_instance_memory(a->inst);
	const struct eng_memory *mb = eng_instance_memory(b->inst);
	if ((ma == NULL) != (mb == NULL))
		abort();
	if (ma && (ma->size != mb->size ||
		   (ma->size && memcmp(ma->base, mb->base, (size_t)ma->size) != 0)))
		abort();
}

static void call_all(const struct vf_module *m, struct run *a, struct run *b)
{
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct vf_export *e = &m->exports[i];
		struct eng_extern xa, xb;
		const char *name = (const char *)vf_range_ptr(m, e->name);
		if (e->kind != VF_EXTERN_FUNC ||
		    eng_instance_export(a->inst, name, e->name.len, &xa) != ERR_OK ||
		    eng_instance_export(b->inst, name, e->name.len, &xb) != ERR_OK)
			continue;
		const struct vf_functype *t = xa.u.func->type;
		if (t->nparams > 8 || t->nresults > 8)
			continue;
		uint64_t args[8] = {0}, ra[8] = {0}, rb[8] = {0};
		eng_thread_set_fuel(a->th, FUEL);
		eng_thread_set_fuel(b->th, FUEL);
		isola_err_t ea = eng_call(a->th, xa.u.func, args, ra);
		isola_err_t eb = eng_call(b->th, xb.u.func, args, rb);
		// Exhausting the stack happens at different depths (native
		// frames are smaller); everything else must match exactly.
		if (ea == ERR_ENG_TRAP_STACK || eb == ERR_ENG_TRAP_STACK)
			return;
		if (ea != eb)
			abort();
		if (ea == ERR_OK && memcmp(ra, rb, sizeof(ra)) != 0) {
			fprintf(stderr, "export %.*s: interpreter %#llx, native %#llx\n", (int)e->name.len, name, (unsigned long long)ra[0], (unsigned long long)rb[0]);
			abort();
		}
		if (ea != ERR_OK && ea != ERR_ENG_OUT_OF_FUEL &&
		    eng_thread_trap(a->th)->func_index != eng_thread_trap(b->th)->func_index) {
			fprintf(stderr, "export %.*s: trap %d in function %u (interpreter) and %u (native), offsets %u and %u\n", (int)e->name.len, name, ea,
				eng_thread_trap(a->th)->func_index, eng_thread_trap(b->th)->func_index,
				eng_thread_trap(a->th)->code_off, eng_thread_trap(b->th)->code_off);
			abort();
		}
		same_state(a, b);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_options o = {VF_FEATURES_ALL, 0, &fz_a};
	struct vf_module *m;
	struct vf_diag d;
	if (!eng_native_supported() || vf_module_load(data, size, &o, &m, &d) != ERR_OK)
		return 0;
	struct run a, a2, b, c;
	host_fault_install(fz_fault);
	run_open(&a, m, ENG_INTERP, false);
	run_open(&a2, m, ENG_INTERP, false); // a fresh oracle for c
	run_open(&b, m, ENG_NATIVE, false);
	run_open(&c, m, ENG_NATIVE, true);
	// Preparing never fails for a valid module but for its size.
	if (a.p != NULL && ((b.p == NULL && b.err != ERR_ENG_TOO_BIG) ||
			    (c.p == NULL && c.err != ERR_ENG_TOO_BIG)))
		abort();
	if (a.inst && b.inst && a.err == ERR_OK && b.err == ERR_OK)
		call_all(m, &a, &b);
	if (a2.inst && c.inst && a2.err == ERR_OK && c.err == ERR_OK)
		call_all(m, &a2, &c);
	run_close(&a);
	run_close(&a2);
	run_close(&b);
	run_close(&c);
	guard_th = NULL;
	vf_module_free(m);
	return 0;
}
