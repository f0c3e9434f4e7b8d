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

static void sort_u64(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
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
	sort_u64(samples, BATCHES);
	kprintf("bench: thread switch (yield, 2 threads): median %lu cycles, "
		"min %lu, max %lu\n", (unsigned long)samples[BATCHES / 2],
		(unsigned long)samples[0], (unsigned long)samples[BATCHES - 1]);
	KT_EXPECT(samples[0] > 0);
}
