// SPDX-License-Identifier: MIT
// Kernel threads and the scheduler: preemptive round robin on one CPU,
// with sleeping, wait queues and an idle thread that halts. Each thread has
// its own kernel stack and FPU/SSE state.
#ifndef ISOLA_SCHED_H
#define ISOLA_SCHED_H

#include <arch.h>
#include <isola/err.h>
#include <schedq.h>

#define THREAD_STACK_PAGES 8 // 32 KiB, above one absent guard page
#define SCHED_TICK_HZ 1000
#define SCHED_SLICE_TICKS 10

enum thread_state {
	THREAD_READY,
	THREAD_RUNNING,
	THREAD_BLOCKED,
	THREAD_DEAD,
};

struct waitq {
	struct list_node head;
	uint64_t wakes; // counts waitq_wake calls, to see one that came early
};

struct thread {
	struct arch_context ctx;
	enum thread_state state;
	struct list_node link;    // run queue or a wait queue
	struct sleep_entry sleep; // sleep queue (also wait timeouts)
	struct waitq *waiting_on; // the wait queue it is blocked on, if any
	bool timed_out;           // a timed wait ended by its deadline
	uint64_t id;
	char name[24];
	void (*entry)(void *);
	void *arg;
	void *stack;              // the guard page, then the stack; NULL for boot
	void *fpu;
	uint32_t slice;
	bool detached;
	struct waitq joiners;
	uint64_t switches;        // times it was switched in
};

// Whether addr lies in the current thread's stack guard page: a fault
// there is a kernel stack overflow.
bool thread_guard_hit(uint64_t addr);

void sched_init(void);
// Starts preemption: called once the timer runs.
void sched_start(void);

// Creates a ready thread running entry(arg). The caller must either join
// it or detach it.
ISOLA_MUST_CHECK isola_err_t thread_create(const char *name,
					   void (*entry)(void *), void *arg,
					   struct thread **out);
// Waits for t to end and frees it.
void thread_join(struct thread *t);
// Lets t be freed as soon as it ends.
void thread_detach(struct thread *t);
ISOLA_NORETURN void thread_exit(void);

struct thread *sched_current(void);
const char *sched_current_name(void);
void sched_yield(void);
void sched_sleep_ns(uint64_t ns);
// Called from the timer interrupt.
void sched_tick(void);

void waitq_init(struct waitq *q);
// Blocks the current thread on q. Must be called with interrupts disabled
// (which is how a caller checks its condition without a lost wake-up).
// With a deadline (arch_time_ns clock, 0 = none) returns false on timeout.
bool waitq_wait(struct waitq *q, uint64_t deadline);
// Wakes up to n threads (n = 0: all) and counts the call in q->wakes
// (even with nobody waiting). Returns how many it woke.
size_t waitq_wake(struct waitq *q, size_t n);
// The count of waitq_wake calls on q so far: read it, check a condition
// with interrupts on, then wait only if the count is unchanged (with
// interrupts off), and no wake-up is lost.
static inline uint64_t waitq_wakes(const struct waitq *q)
{
	return __atomic_load_n(&q->wakes, __ATOMIC_ACQUIRE);
}

struct sched_stats {
	size_t threads;        // alive, including idle
	uint64_t switches;
	uint64_t ticks;
};
void sched_stats(struct sched_stats *out);

#endif
