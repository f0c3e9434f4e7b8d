// SPDX-License-Identifier: MIT
// Kernel micro-benchmarks (run with ktest=bench_switch; numbers only mean
// something under KVM). Reports medians of many batches, never asserts time.
#include <ktest.h>
#include <sched.h>

#define BATCHES 31
#define PER_BATCH 2000

static volatile bool stop;

static void yielder_main(void *arg)
{
	(void)arg;
	while (!stop)
		sched_yield();
}


KTEST(bench_switch)
{
	struct thread *t;
	uint64_t samples[BATCHES];
	stop = false;
	KT_EXPECT(thread_create("yielder", yielder_main, NULL, &t) == ERR_OK);
	for (int b = 0; b < BATCHES; b++) {
		uint64_t c0 = arch_cycles();
		for (int i = 0; i < PER_BATCH; i++)
			sched_yield();
		// Each yield here is two switches: to the yielder and back.
		samples[b] = (arch_cycles() - c0) / (PER_BATCH * 2);
	}
	stop = true;
	thread_join(t);
	ktest_sort_u64(samples, BATCHES);
	kprintf("bench: thread switch (yield, 2 threads): median %lu cycles, "
		"min %lu, max %lu\n", (unsigned long)samples[BATCHES / 2],
		(unsigned long)samples[0], (unsigned long)samples[BATCHES - 1]);
	KT_EXPECT(samples[0] > 0);
}

static uint8_t fpu_area[512] ISOLA_ALIGNED(16);

// Costs of the primitives a context switch is made of.
KTEST(bench_primitives)
{
	const int n = 1000;
	uint64_t c0 = arch_cycles();
	for (int i = 0; i < n; i++)
		(void)arch_cycles();
	uint64_t tsc = (arch_cycles() - c0) / n;
	c0 = arch_cycles();
	for (int i = 0; i < 100000; i++)
		__asm__ volatile("nop");
	kprintf("bench: 100000 nops %lu cycles\n", (unsigned long)(arch_cycles() - c0));
	c0 = arch_cycles();
	for (int i = 0; i < n; i++)
		arch_fpu_save(fpu_area);
	uint64_t save = (arch_cycles() - c0) / n;
	c0 = arch_cycles();
	for (int i = 0; i < n; i++)
		arch_fpu_restore(fpu_area);
	uint64_t restore = (arch_cycles() - c0) / n;
	c0 = arch_cycles();
	for (int i = 0; i < n; i++)
		arch_irq_restore(arch_irq_save());
	uint64_t irq = (arch_cycles() - c0) / n;
	struct sched_stats s0, s1;
	sched_stats(&s0);
	uint64_t t0 = arch_time_ns();
	sched_sleep_ns(100 * 1000000);
	sched_stats(&s1);
	kprintf("bench: %lu ticks in %lu ms\n", (unsigned long)(s1.ticks - s0.ticks),
		(unsigned long)((arch_time_ns() - t0) / 1000000));
	kprintf("bench: rdtsc %lu, fxsave %lu, fxrstor %lu, irq save+restore %lu cycles\n",
		(unsigned long)tsc, (unsigned long)save, (unsigned long)restore,
		(unsigned long)irq);
	KT_EXPECT(tsc > 0);
}
