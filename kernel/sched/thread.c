// SPDX-License-Identifier: MIT
// Thread life cycle: create (stack from frames, FPU area from the heap),
// start through a trampoline, exit, join or detach, reap. A thread cannot
// free the stack it runs on, so an exiting detached thread is freed by the
// next thread that runs (thread_finish_switch).
#include "internal.h"
#include <kmem.h>
#include <panic.h>
#include <string.h>

static uint64_t next_id;
static struct thread *zombie; // an exited detached thread awaiting free
static struct thread boot_thread;
static uint8_t boot_fpu[512] ISOLA_ALIGNED(16);

static void *stack_alloc(void)
{
	uint8_t *s = frames_alloc(THREAD_STACK_PAGES + 1);
	if (s && !arch_page_set_present((uint64_t)(uintptr_t)s, false)) {
		frames_free(s, THREAD_STACK_PAGES + 1);
		return NULL;
	}
	return s;
}

static void stack_free(void *s)
{
	if (!arch_page_set_present((uint64_t)(uintptr_t)s, true))
		panic("cannot remap the guard page at %p", s);
	frames_free(s, THREAD_STACK_PAGES + 1);
}

bool thread_guard_hit(uint64_t addr)
{
	struct thread *t = sched_cur;
	uint64_t g = t && t->stack ? (uint64_t)(uintptr_t)t->stack : 0;
	return g && addr >= g && addr < g + 4096;
}

static void thread_free(struct thread *t)
{
	if (t->stack)
		stack_free(t->stack);
	kfree(t->fpu);
	kfree(t);
}

void thread_finish_switch(void)
{
	struct thread *z = zombie;
	if (z && z != sched_cur) {
		zombie = NULL;
		thread_free(z);
	}
}

static void thread_trampoline(void)
{
	thread_finish_switch();
	struct thread *t = sched_cur;
	sched_lock_release_new();
	t->entry(t->arg);
	thread_exit();
}

struct thread *thread_boot_adopt(void)
{
	struct thread *t = &boot_thread;
	memset(t, 0, sizeof(*t));
	t->state = THREAD_RUNNING;
	t->id = next_id++;
	memcpy(t->name, "main", 5);
	t->fpu = boot_fpu;
	t->slice = SCHED_SLICE_TICKS;
	list_init(&t->link);
	waitq_init(&t->joiners);
	sched_nthreads++;
	return t;
}

isola_err_t thread_create(const char *name, void (*entry)(void *), void *arg,
			  struct thread **out)
{
	struct thread *t = kzalloc(sizeof(*t));
	if (!t)
		return ERR_NOMEM;
	t->fpu = kmalloc(arch_fpu_size());
	t->stack = stack_alloc();
	if (!t->fpu || !t->stack) {
		thread_free(t);
		return ERR_NOMEM;
	}
	arch_fpu_init_state(t->fpu);
	size_t n = strnlen(name, sizeof(t->name) - 1);
	memcpy(t->name, name, n);
	t->entry = entry;
	t->arg = arg;
	waitq_init(&t->joiners);
	list_init(&t->link);
	arch_context_init(&t->ctx, (char *)t->stack + (THREAD_STACK_PAGES + 1) * 4096,
			  thread_trampoline);
	uint64_t f = sched_lock_acquire();
	t->id = next_id++;
	sched_nthreads++;
	sched_make_ready(t);
	sched_lock_release(f);
	*out = t;
	return ERR_OK;
}

void thread_exit(void)
{
	struct thread *t = sched_cur;
	if (t == &boot_thread)
		panic("the boot thread cannot exit");
	// Interrupts stay off from here: this thread never runs again, and a
	// joiner must not see it half dead.
	arch_irq_save();
	t->state = THREAD_DEAD;
	waitq_wake(&t->joiners, 0);
	sched_lock_acquire();
	thread_finish_switch(); // at most one zombie at a time
	sched_nthreads--;
	if (t->detached)
		zombie = t;
	schedule();
	panic("dead thread '%s' was scheduled", t->name);
}

void thread_join(struct thread *t)
{
	// With interrupts off between the check and the wait, the exiting
	// thread's wake-up cannot slip in unseen (one CPU).
	uint64_t f = arch_irq_save();
	while (t->state != THREAD_DEAD)
		waitq_wait(&t->joiners, 0);
	arch_irq_restore(f);
	thread_free(t);
}

void thread_detach(struct thread *t)
{
	uint64_t f = sched_lock_acquire();
	bool dead = t->state == THREAD_DEAD;
	t->detached = true;
	sched_lock_release(f);
	if (dead)
		thread_free(t);
}
