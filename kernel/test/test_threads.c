// SPDX-License-Identifier: MIT
// Kernel tests of threads: preemption of busy loops, sleeping, wait
// queues, FPU state kept per thread, and that finished threads give back
// all their memory.
#include <kmem.h>
#include <ktest.h>
#include <sched.h>

#define BUSY_THREADS 4
#define BUSY_LOOPS 30000000ull

struct busy {
	volatile uint64_t count;
	volatile uint64_t others_at_finish; // sum of the others' counts
};

static struct busy busy[BUSY_THREADS];

static void busy_main(void *arg)
{
	struct busy *b = arg;
	// Never yields: only preemption lets the others run.
	while (b->count < BUSY_LOOPS)
		b->count++;
	uint64_t others = 0;
	for (int i = 0; i < BUSY_THREADS; i++)
		if (&busy[i] != b)
			others += busy[i].count;
	b->others_at_finish = others;
}

KTEST(threads_busy_preempted)
{
	struct thread *t[BUSY_THREADS];
	for (int i = 0; i < BUSY_THREADS; i++) {
		busy[i].count = 0;
		KT_EXPECT(thread_create("busy", busy_main, &busy[i], &t[i]) == ERR_OK);
	}
	for (int i = 0; i < BUSY_THREADS; i++)
		thread_join(t[i]);
	for (int i = 0; i < BUSY_THREADS; i++) {
		KT_EXPECT(busy[i].count == BUSY_LOOPS);
		// Interleaving: when the first finished, others had progressed.
		KT_EXPECT(busy[i].others_at_finish > 0);
	}
}

KTEST(threads_sleep_wakes_on_time)
{
	const uint64_t want = 50 * 1000000ull;
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = arch_time_ns();
		sched_sleep_ns(want);
		uint64_t took = arch_time_ns() - t0;
		KT_EXPECT(took >= want);
		// A hang detector, not a performance check: very generous.
		KT_EXPECT(took < want + 2000000000ull);
	}
}

struct sleeper_arg {
	uint64_t ms;
	volatile uint64_t woke_at;
};

static void sleeper_main(void *arg)
{
	struct sleeper_arg *a = arg;
	sched_sleep_ns(a->ms * 1000000);
	a->woke_at = arch_time_ns();
}

KTEST(threads_sleepers_wake_in_order)
{
	struct sleeper_arg a[3] = { { 60, 0 }, { 20, 0 }, { 40, 0 } };
	struct thread *t[3];
	for (int i = 0; i < 3; i++)
		KT_EXPECT(thread_create("sleeper", sleeper_main, &a[i], &t[i]) == ERR_OK);
	for (int i = 0; i < 3; i++)
		thread_join(t[i]);
	KT_EXPECT(a[1].woke_at <= a[2].woke_at);
	KT_EXPECT(a[2].woke_at <= a[0].woke_at);
}

static struct waitq wq;
static volatile int flag;

static void waker_main(void *arg)
{
	(void)arg;
	sched_sleep_ns(10 * 1000000);
	flag = 1;
	waitq_wake(&wq, 0);
}

KTEST(threads_waitq_and_timeout)
{
	struct thread *t;
	waitq_init(&wq);
	flag = 0;
	KT_EXPECT(thread_create("waker", waker_main, NULL, &t) == ERR_OK);
	uint64_t f = arch_irq_save();
	while (!flag)
		waitq_wait(&wq, 0);
	arch_irq_restore(f);
	thread_join(t);
	KT_EXPECT(flag == 1);
	// Nobody wakes this one: the deadline must.
	f = arch_irq_save();
	bool woken = waitq_wait(&wq, arch_time_ns() + 5 * 1000000);
	arch_irq_restore(f);
	KT_EXPECT(!woken);
}

struct sse_arg {
	uint64_t value;
	volatile uint64_t seen;
};

static void sse_main(void *arg)
{
	struct sse_arg *a = arg;
	uint64_t out;
	// Kernel C code never touches vector registers, so xmm7 keeps this
	// thread's value only if the switches save and restore it.
	__asm__ volatile("movq %0, %%xmm7" : : "r"(a->value));
	for (int i = 0; i < 200; i++) {
		sched_yield();
		for (volatile int spin = 0; spin < 20000; spin++)
			;
	}
	__asm__ volatile("movq %%xmm7, %0" : "=r"(out));
	a->seen = out;
}

KTEST(threads_fpu_state_is_private)
{
	struct sse_arg a[3] = { { 0x1111111111111111ull, 0 },
				{ 0x2222222222222222ull, 0 },
				{ 0x3333333333333333ull, 0 } };
	struct thread *t[3];
	for (int i = 0; i < 3; i++)
		KT_EXPECT(thread_create("sse", sse_main, &a[i], &t[i]) == ERR_OK);
	for (int i = 0; i < 3; i++)
		thread_join(t[i]);
	for (int i = 0; i < 3; i++)
		KT_EXPECT(a[i].seen == a[i].value);
}

static void nop_main(void *arg)
{
	(void)arg;
}

KTEST(threads_reclaimed)
{
	struct kmem_stats before, after;
	struct thread *t;
	sched_yield();
	kmem_stats(&before);
	for (int i = 0; i < 100; i++) {
		KT_EXPECT(thread_create("nop", nop_main, NULL, &t) == ERR_OK);
		thread_join(t);
	}
	for (int i = 0; i < 20; i++) {
		KT_EXPECT(thread_create("detached", nop_main, NULL, &t) == ERR_OK);
		thread_detach(t);
	}
	sched_sleep_ns(20 * 1000000); // let the detached ones run and be reaped
	struct thread *last;
	KT_EXPECT(thread_create("last", nop_main, NULL, &last) == ERR_OK);
	thread_join(last); // switching away from the last zombie frees it
	kmem_stats(&after);
	KT_EXPECT(after.frames_free + after.frames_permanent ==
		  before.frames_free + before.frames_permanent);
	KT_EXPECT(after.heap.objects == before.heap.objects);
}
