// SPDX-License-Identifier: MIT
// Spinlocks that disable interrupts while held, so an interrupt handler
// on the same CPU can never spin on a lock its own thread holds.
#ifndef ISOLA_SPINLOCK_H
#define ISOLA_SPINLOCK_H

#include <arch.h>

struct spinlock {
	volatile int locked;
};

#define SPINLOCK_INIT { 0 }

static inline uint64_t spin_lock_irqsave(struct spinlock *l)
{
	uint64_t s = arch_irq_save();
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	return s;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, uint64_t s)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	arch_irq_restore(s);
}

// For code that runs with interrupts off already (an exception handler):
// takes the lock if it is free, without waiting.
static inline bool spin_trylock(struct spinlock *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
