// SPDX-License-Identifier: MIT
// Kernel tests of memory: frames and heap allocations come back, counters
// return to their baseline.
#include <kmem.h>
#include <ktest.h>
#include <string.h>

KTEST(mem_frames_roundtrip)
{
	struct kmem_stats before, after;
	kmem_stats(&before);
	void *p[64];
	for (int i = 0; i < 64; i++) {
		p[i] = frames_alloc((size_t)(i % 4) + 1);
		KT_EXPECT(p[i] != NULL);
		if (p[i])
			memset(p[i], 0xa5, 4096);
	}
	for (int i = 0; i < 64; i++)
		if (p[i])
			frames_free(p[i], (size_t)(i % 4) + 1);
	kmem_stats(&after);
	KT_EXPECT(after.frames_free + after.frames_permanent ==
		  before.frames_free + before.frames_permanent);
}

KTEST(mem_heap_roundtrip)
{
	struct kmem_stats before, after;
	kmem_stats(&before);
	void *p[200];
	for (int i = 0; i < 200; i++) {
		size_t sz = (size_t)(i * 37 % 9000) + 1;
		p[i] = kmalloc(sz);
		KT_EXPECT(p[i] != NULL);
		KT_EXPECT(((uintptr_t)p[i] & 15) == 0);
		if (p[i])
			memset(p[i], i, sz);
	}
	for (int i = 0; i < 200; i++)
		kfree(p[i]);
	kmem_stats(&after);
	KT_EXPECT(after.heap.objects == before.heap.objects);
	KT_EXPECT(after.heap.bytes_in_use == before.heap.bytes_in_use);
}

KTEST(mem_exhaustion_is_an_error)
{
	// Asking for more than exists fails cleanly instead of panicking.
	struct kmem_stats s;
	kmem_stats(&s);
	KT_EXPECT(frames_alloc(s.frames_total + 1) == NULL);
	KT_EXPECT(kmalloc((size_t)1 << 40) == NULL);
}
