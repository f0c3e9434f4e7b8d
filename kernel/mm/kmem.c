// SPDX-License-Identifier: MIT
// Kernel memory services (see kmem.h): the frame allocator built from the
// sanitized memory map, and the kernel heap on top of it, each behind a
// spinlock. Memory above 4 GiB is left out: the boot page tables map the
// low 4 GiB only.
#include <isola/assert.h>
#include <klog.h>
#include <kmem.h>
#include <panic.h>
#include <spinlock.h>
#include <string.h>

#define KMEM_LOW_LIMIT 0x100000ull  // below 1 MiB: firmware and BIOS data
#define KMEM_HIGH_LIMIT (4ull << 30)

static struct memmap map;
static struct pmm pmm;
static struct kheap heap;
static struct spinlock frame_lock = SPINLOCK_INIT;
static struct spinlock heap_lock = SPINLOCK_INIT;

static void *heap_pages_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return frames_alloc(n);
}

static void heap_pages_free(void *ctx, void *p, size_t n)
{
	(void)ctx;
	frames_free(p, n);
}

// Finds room for the frame bitmap in a usable range and cuts it out.
static void *place_bitmap(size_t bytes)
{
	for (size_t i = 0; i < map.n; i++) {
		if (map.ranges[i].end - map.ranges[i].base >= bytes) {
			uint64_t at = map.ranges[i].base;
			memmap_reserve(&map, at, at + bytes);
			return (void *)(uintptr_t)at;
		}
	}
	return NULL;
}

void kmem_init(const struct boot_info *bi)
{
	extern char _kernel_start[], _kernel_end[];
	struct mem_range reserved[BOOT_MAX_MODULES + 1];
	size_t n = 0;
	reserved[n++] = (struct mem_range){ (uint64_t)_kernel_start,
					    (uint64_t)_kernel_end };
	for (size_t i = 0; i < bi->nmodules; i++)
		reserved[n++] = (struct mem_range){ bi->modules[i].start,
						    bi->modules[i].end };
	if (memmap_build(&map, bi, KMEM_LOW_LIMIT, KMEM_HIGH_LIMIT, reserved, n) != ERR_OK)
		panic("no usable memory in the boot memory map");
	if (map.dropped)
		klog(KLOG_WARN, "memory map: %zu ranges over the limit ignored",
		     map.dropped);
	size_t bytes = pmm_bitmap_bytes(&map);
	void *bits = place_bitmap(bytes);
	if (!bits)
		panic("no room for the frame bitmap (%zu bytes)", bytes);
	pmm_init(&pmm, &map, bits);
	struct kheap_pages src = { NULL, heap_pages_alloc, heap_pages_free };
	kheap_init(&heap, &src);
	klog(KLOG_INFO, "memory: %zu MiB usable in %zu ranges, %zu frames free",
	     (size_t)(map.usable_bytes >> 20), map.n, pmm.free);
}

// Runs of frames looked at per hold of the frame lock: a long search lets
// interrupts in between (docs/security.md, "Bounded latency").
#define FRAMES_SEARCH_STEPS 128

void *frames_alloc(size_t n)
{
	uint64_t addr = 0;
	struct pmm_search s;
	enum pmm_step r;
	uint64_t f = spin_lock_irqsave(&frame_lock);
	pmm_search_begin(&pmm, &s, n);
	while ((r = pmm_search_step(&pmm, &s, FRAMES_SEARCH_STEPS, &addr)) == PMM_MORE) {
		spin_unlock_irqrestore(&frame_lock, f);
		f = spin_lock_irqsave(&frame_lock);
	}
	spin_unlock_irqrestore(&frame_lock, f);
	return r == PMM_FOUND ? (void *)(uintptr_t)addr : NULL;
}

void frames_free(void *p, size_t n)
{
	uint64_t f = spin_lock_irqsave(&frame_lock);
	isola_err_t err = pmm_free(&pmm, (uint64_t)(uintptr_t)p, n);
	spin_unlock_irqrestore(&frame_lock, f);
	if (err != ERR_OK)
		panic("frames_free(%p, %zu): not allocated", p, n);
}

void *kmalloc(size_t size)
{
	if (size > KHEAP_MAX_SMALL) {
		// Pages first, outside the heap's lock: frames_alloc lets
		// interrupts in during a long search, which it cannot while
		// another lock keeps them off.
		size_t npages = kheap_large_pages(size);
		void *pages = npages ? frames_alloc(npages) : NULL;
		if (!pages)
			return NULL;
		uint64_t f = spin_lock_irqsave(&heap_lock);
		void *p = kheap_adopt_large(&heap, pages, npages);
		spin_unlock_irqrestore(&heap_lock, f);
		return p;
	}
	uint64_t f = spin_lock_irqsave(&heap_lock);
	void *p = kheap_alloc(&heap, size);
	spin_unlock_irqrestore(&heap_lock, f);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	uint64_t f = spin_lock_irqsave(&heap_lock);
	isola_err_t err = kheap_free(&heap, p);
	spin_unlock_irqrestore(&heap_lock, f);
	if (err != ERR_OK)
		panic("kfree(%p): %s", p, isola_err_message(err));
}

void kmem_stats(struct kmem_stats *out)
{
	uint64_t f = spin_lock_irqsave(&heap_lock);
	out->heap = heap.stats;
	spin_unlock_irqrestore(&heap_lock, f);
	f = spin_lock_irqsave(&frame_lock);
	out->frames_total = pmm.total;
	out->frames_free = pmm.free;
	out->frames_permanent = arch_page_table_frames();
	spin_unlock_irqrestore(&frame_lock, f);
}

void kmem_trim(void)
{
	uint64_t f = spin_lock_irqsave(&heap_lock);
	kheap_trim(&heap);
	spin_unlock_irqrestore(&heap_lock, f);
}

const struct memmap *kmem_map(void)
{
	return &map;
}
