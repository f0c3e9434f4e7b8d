// SPDX-License-Identifier: MIT
// A minimal test-and-test-and-set spinlock on compiler atomics, portable
// and freestanding. Held only for short, bounded sections that never block.
// Internal to channels/.
#ifndef ISOLA_CHANNELS_SPIN_H
#define ISOLA_CHANNELS_SPIN_H

static inline void chan_spin_lock(int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(l, __ATOMIC_RELAXED))
			;
	}
}

static inline void chan_spin_unlock(int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

#endif
