// SPDX-License-Identifier: MIT
// The verifier and the execution engine inside the kernel: validate
// modules compiled from C, run one and compare with the same code compiled
// natively, and kill an endless loop from another thread.
#include <isola/engine.h>
#include <isola/verifier.h>
#include <kmem.h>
#include <ksip/env.h>
#include <ksip/native.h>
#include <ktest.h>
#include <sched.h>
#include <string.h>

KTEST_WASM(checksum);
KTEST_WASM(spin);

static void *heap_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return kmalloc(size);
}

static void heap_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	kfree(p);
}

static const struct vf_allocator kalloc = { heap_alloc, heap_free, NULL,
					    64u << 20 };

static isola_err_t load(const uint8_t *start, const uint8_t *end,
			struct vf_module **m, struct vf_diag *d)
{
	struct vf_options o = { VF_FEATURES_ALL, 0, &kalloc };
	return vf_module_load(start, (size_t)(end - start), &o, m, d);
}

KTEST(verifier_selftest)
{
	void *scratch = kmalloc(64 * 1024);
	KT_EXPECT(scratch != NULL);
	if (scratch)
		KT_EXPECT(vf_selftest(scratch, 64 * 1024) == ERR_OK);
	kfree(scratch);
}

KTEST(verifier_embedded_module)
{
	struct vf_module *m = NULL;
	struct vf_diag d;
	KT_EXPECT(load(ktest_wasm_checksum, ktest_wasm_checksum_end, &m, &d) == ERR_OK);
	if (m)
		vf_module_free(m);
	// A twin cut short in its code section is rejected, with an offset.
	size_t n = (size_t)(ktest_wasm_checksum_end - ktest_wasm_checksum);
	m = NULL;
	KT_EXPECT(load(ktest_wasm_checksum, ktest_wasm_checksum + n - 20, &m, &d) != ERR_OK);
	KT_EXPECT(m == NULL);
	KT_EXPECT(d.code != ERR_OK && d.offset <= n);
}

// The same function as test/wasm/checksum.c, compiled for the kernel.
static uint32_t checksum_native(uint32_t n)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < n && i < 4096; i++)
		h = (h ^ (uint8_t)(i * 7)) * 16777619u;
	return h;
}

struct running {
	struct vf_module *m;
	struct eng_thread *th;
	struct eng_instance *inst;
};

// The engine as the kernel's options select it (engine=, bounds=), its
// code memory and guarded memory charged to an account of these tests.
static struct mem_pool test_pool = { 0, (size_t)1 << 40, NULL };
static struct mem_account test_acct;
static struct eng_code_mem test_cm;
static struct eng_prepare_config test_pc;
static struct eng_vm test_vm;

static bool start(const uint8_t *s, const uint8_t *e, struct running *r)
{
	struct vf_diag d;
	struct eng_thread_config tc = { .alloc = &kalloc };
	mem_account_init(&test_acct, (size_t)1 << 40, &test_pool, kheap_backing());
	sip_native_prepare_config(&test_acct, &test_cm, &test_pc);
	test_pc.alloc = &kalloc;
	sip_native_vm(&test_acct, &test_vm);
	struct eng_config ec = { &kalloc, &kalloc, 16, NULL, NULL, &test_pc, &test_vm };
	memset(r, 0, sizeof(*r));
	return load(s, e, &r->m, &d) == ERR_OK &&
	       eng_thread_new(&tc, &r->th) == ERR_OK &&
	       eng_instantiate(r->m, &ec, r->th, &r->inst) == ERR_OK;
}

static void stop(struct running *r)
{
	if (r->inst)
		eng_instance_free(r->inst);
	if (r->th)
		eng_thread_free(r->th);
	if (r->m)
		vf_module_free(r->m);
}

static isola_err_t call_export(struct running *r, const char *name,
			       const uint64_t *args, uint64_t *results)
{
	struct eng_extern ex;
	TRY(eng_instance_export(r->inst, name, strlen(name), &ex));
	return eng_call(r->th, ex.u.func, args, results);
}

KTEST(engine_runs_c_module)
{
	struct kmem_stats before, after;
	struct running r;
	kmem_trim();
	kmem_stats(&before);
	KT_EXPECT(start(ktest_wasm_checksum, ktest_wasm_checksum_end, &r));
	static const uint32_t sizes[] = { 0, 1, 100, 4096, 100000 };
	for (size_t i = 0; r.inst && i < ISOLA_ARRAY_LEN(sizes); i++) {
		uint64_t arg = sizes[i], res = 0;
		KT_EXPECT(call_export(&r, "checksum", &arg, &res) == ERR_OK);
		KT_EXPECT((uint32_t)res == checksum_native(sizes[i]));
	}
	stop(&r);
	kmem_trim();
	kmem_stats(&after);
	KT_EXPECT(after.heap.objects == before.heap.objects);
	KT_EXPECT(after.frames_free + after.frames_permanent ==
		  before.frames_free + before.frames_permanent);
}

struct spin_job {
	struct running r;
	volatile isola_err_t result;
	volatile uint64_t ended_at;
};

static void spin_main(void *arg)
{
	struct spin_job *j = arg;
	uint64_t none = 0;
	j->result = call_export(&j->r, "spin", NULL, &none);
	j->ended_at = arch_cycles();
}

KTEST(engine_kills_endless_loop)
{
	struct spin_job j = { .result = ERR_OK };
	struct thread *t;
	KT_EXPECT(start(ktest_wasm_spin, ktest_wasm_spin_end, &j.r));
	if (!j.r.inst)
		return;
	KT_EXPECT(thread_create("spin", spin_main, &j, &t) == ERR_OK);
	sched_sleep_ns(30 * 1000000); // it runs, preempted, never yielding
	uint64_t killed_at = arch_cycles();
	eng_thread_kill(j.r.th);
	thread_join(t);
	KT_EXPECT(j.result == ERR_ENG_KILLED);
	uint64_t us = (j.ended_at - killed_at) / arch_cycles_per_us();
	kprintf("ktest: endless loop stopped %lu us after the kill\n",
		(unsigned long)us);
	stop(&j.r);
}
