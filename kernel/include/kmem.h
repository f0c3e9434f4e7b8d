// SPDX-License-Identifier: MIT
// The kernel's memory services: physical frames and the kernel heap, both
// locked, with counters that tests compare against a baseline.
#ifndef ISOLA_KMEM_H
#define ISOLA_KMEM_H

#include <kheap.h>
#include <memmap.h>
#include <pmm.h>

void kmem_init(const struct boot_info *bi);

// Allocates n contiguous frames (identity mapped); NULL when out of memory.
ISOLA_MUST_CHECK void *frames_alloc(size_t n);
// Frees frames from frames_alloc; a bad free is a kernel bug and panics.
void frames_free(void *p, size_t n);

ISOLA_MUST_CHECK void *kmalloc(size_t size);
ISOLA_MUST_CHECK void *kzalloc(size_t size);
void kfree(void *p);

struct kmem_stats {
	size_t frames_total, frames_free;
	// Frames that stay allocated for good once taken (page tables); a
	// leak check compares frames_free + frames_permanent.
	size_t frames_permanent;
	struct kheap_stats heap;
};
void kmem_stats(struct kmem_stats *out);
// Returns the heap's cached empty slabs to the frame allocator, so frame
// counts can be compared against a baseline.
void kmem_trim(void);
const struct memmap *kmem_map(void);

#endif
