// SPDX-License-Identifier: MIT
// The scheduler: one CPU, round robin with a time slice, preemption from
// the timer tick. All scheduler state is guarded by disabling interrupts
// (sched_lock); schedule() is always entered with them disabled, and each
// thread restores its own interrupt state when it resumes.
#include "internal.h"
#include <console.h>
#include <klog.h>
#include <panic.h>
#include <spinlock.h>

struct thread *sched_cur;
struct thread *sched_idle;
struct runq sched_runq;
static struct sleepq sleepers;
static struct spinlock sched_lock = SPINLOCK_INIT;
static bool preempt_on;
static uint64_t total_switches, total_ticks;
size_t sched_nthreads;

struct thread *sched_current(void)
{
	return sched_cur;
}

const char *sched_current_name(void)
{
	return sched_cur ? sched_cur->name : "boot";
}

uint64_t sched_lock_acquire(void)
{
	return spin_lock_irqsave(&sched_lock);
}

void sched_lock_release(uint64_t f)
{
	spin_unlock_irqrestore(&sched_lock, f);
}

void sched_lock_release_new(void)
{
	spin_unlock_irqrestore(&sched_lock, 1);
}

// Makes t runnable. Interrupts must be disabled.
void sched_make_ready(struct thread *t)
{
	t->state = THREAD_READY;
	if (t != sched_idle)
		runq_push(&sched_runq, &t->link);
}

// Picks the next thread and switches to it. The current thread must already
// be queued where it belongs (run queue, wait queue, sleep queue) unless it
// is still RUNNING, in which case it goes to the back of the run queue.
// Called with sched_lock held; returns with it held, in the same thread
// once that thread is switched back in.
void schedule(void)
{
	struct thread *prev = sched_cur;
	if (prev->state == THREAD_RUNNING)
		sched_make_ready(prev);
	struct list_node *n = runq_pop(&sched_runq);
	struct thread *next = n ? ISOLA_CONTAINER_OF(n, struct thread, link)
				: sched_idle;
	next->state = THREAD_RUNNING;
	next->slice = SCHED_SLICE_TICKS;
	if (next == prev)
		return;
	next->switches++;
	total_switches++;
	arch_fpu_save(prev->fpu);
	sched_cur = next;
	arch_context_switch(&prev->ctx, &next->ctx);
	// Back in prev (now sched_cur again).
	arch_fpu_restore(sched_cur->fpu);
	thread_finish_switch();
}

void sched_yield(void)
{
	uint64_t f = sched_lock_acquire();
	schedule();
	sched_lock_release(f);
}

static void wake_sleepers(uint64_t now)
{
	struct sleep_entry *e;
	while ((e = sleepq_pop_due(&sleepers, now))) {
		struct thread *t = ISOLA_CONTAINER_OF(e, struct thread, sleep);
		if (t->waiting_on) { // a timed wait ran out
			list_remove(&t->link);
			t->waiting_on = NULL;
			t->timed_out = true;
		}
		sched_make_ready(t);
	}
}

void sched_tick(void)
{
	// Console input arrives by polling here: a byte at a time, cheaply.
	console_poll();
	uint64_t f = sched_lock_acquire();
	total_ticks++;
	wake_sleepers(arch_time_ns());
	if (preempt_on && sched_cur &&
	    (sched_cur == sched_idle ? sched_runq.n > 0 : --sched_cur->slice == 0))
		schedule();
	sched_lock_release(f);
}

void sched_sleep_ns(uint64_t ns)
{
	uint64_t f = sched_lock_acquire();
	struct thread *t = sched_cur;
	sleepq_insert(&sleepers, &t->sleep, arch_time_ns() + ns);
	t->state = THREAD_BLOCKED;
	schedule();
	sched_lock_release(f);
}

void waitq_init(struct waitq *q)
{
	list_init(&q->head);
}

bool waitq_wait(struct waitq *q, uint64_t deadline)
{
	uint64_t f = sched_lock_acquire();
	struct thread *t = sched_cur;
	t->timed_out = false;
	t->waiting_on = q;
	list_push_back(&q->head, &t->link);
	if (deadline)
		sleepq_insert(&sleepers, &t->sleep, deadline);
	t->state = THREAD_BLOCKED;
	schedule();
	sched_lock_release(f);
	return !t->timed_out;
}

size_t waitq_wake(struct waitq *q, size_t n)
{
	size_t woken = 0;
	uint64_t f = sched_lock_acquire();
	__atomic_store_n(&q->wakes, q->wakes + 1, __ATOMIC_RELEASE);
	while ((n == 0 || woken < n) && !list_empty(&q->head)) {
		struct thread *t = ISOLA_CONTAINER_OF(list_pop_front(&q->head),
						      struct thread, link);
		t->waiting_on = NULL;
		sleepq_remove(&sleepers, &t->sleep);
		sched_make_ready(t);
		woken++;
	}
	sched_lock_release(f);
	return woken;
}

void sched_stats(struct sched_stats *out)
{
	uint64_t f = sched_lock_acquire();
	out->threads = sched_nthreads;
	out->switches = total_switches;
	out->ticks = total_ticks;
	sched_lock_release(f);
}

void sched_start(void)
{
	preempt_on = true;
}

static void idle_main(void *arg)
{
	(void)arg;
	for (;;)
		arch_wait_for_interrupt();
}

void sched_init(void)
{
	runq_init(&sched_runq);
	sleepq_init(&sleepers);
	sched_cur = thread_boot_adopt();
	struct thread *idle;
	if (thread_create("idle", idle_main, NULL, &idle) != ERR_OK)
		panic("cannot create the idle thread");
	// thread_create queued it; the idle thread runs only when nothing else can.
	runq_remove(&sched_runq, &idle->link);
	list_init(&idle->link);
	sched_idle = idle;
}
