// SPDX-License-Identifier: MIT
// Shared between sched.c (the scheduler) and thread.c (thread life cycle).
#ifndef ISOLA_SCHED_INTERNAL_H
#define ISOLA_SCHED_INTERNAL_H

#include <sched.h>

extern struct thread *sched_cur;
extern size_t sched_nthreads;

uint64_t sched_lock_acquire(void);
void sched_lock_release(uint64_t f);
// For a new thread's first instructions: the lock was taken by whoever
// switched to it; release it and enable interrupts.
void sched_lock_release_new(void);
void sched_make_ready(struct thread *t);
void schedule(void);

struct thread *thread_boot_adopt(void);
// Runs in the thread just switched to: frees an exited detached thread.
void thread_finish_switch(void);

#endif
