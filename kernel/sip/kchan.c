// SPDX-License-Identifier: MIT
// The kernel's exchange heap and channel environment. Pages come from the
// frame allocator, channel structures from the kernel heap, charged to the
// account of the SIP that made the channel (every owner the kernel gives
// the channel core is an account's) until the channel is freed, and each
// channel holds its contract so the contract stays known. Each endpoint
// a SIP holds points its wake-ups at that SIP's wait queue (one thread
// per SIP waits there, for a receive, a select or a full queue), so a
// wake-up reaches exactly the thread that may care. There is one CPU:
// waking with interrupts off cannot race the owner's reclaim, which also
// runs with interrupts off while it detaches its endpoints.
#include <sip.h>

static struct xheap heap;
static struct chan_env env;

static void *pages_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return frames_alloc(n);
}

static void pages_free(void *ctx, void *base, size_t n)
{
	(void)ctx;
	frames_free(base, n);
}

static void *chan_mem_alloc(void *ctx, struct xheap_owner *payer,
			    const struct contract *c, size_t size)
{
	struct account *a = account_of(payer);
	(void)ctx;
	void *p = mem_account_alloc(&a->mem, size);
	if (p) {
		__atomic_fetch_add(&a->channels, 1, __ATOMIC_RELAXED);
		kcontract_hold(c);
	}
	return p;
}

static void chan_mem_free(void *ctx, struct xheap_owner *payer,
			  const struct contract *c, void *p, size_t size)
{
	struct account *a = account_of(payer);
	(void)ctx;
	(void)size;
	mem_account_free(&a->mem, p);
	kcontract_put(c);
	__atomic_fetch_sub(&a->channels, 1, __ATOMIC_RELAXED);
}

static void chan_mem_wake(void *ctx, struct chan_endpoint *ep, unsigned events)
{
	(void)ctx;
	(void)events;
	uint64_t f = arch_irq_save();
	struct waitq *q = *chan_endpoint_wait(ep);
	if (q)
		waitq_wake(q, 0);
	arch_irq_restore(f);
}

void kchan_init(void)
{
	static const struct xheap_page_source src = { NULL, pages_alloc,
						       pages_free };
	xheap_init(&heap, &src);
	env = (struct chan_env){ NULL, &heap, chan_mem_alloc, chan_mem_free,
				 chan_mem_wake };
}

struct xheap *kchan_heap(void)
{
	return &heap;
}

const struct chan_env *kchan_env(void)
{
	return &env;
}

void kchan_set_waiter(struct chan_endpoint *ep, struct waitq *q)
{
	uint64_t f = arch_irq_save();
	*chan_endpoint_wait(ep) = q;
	arch_irq_restore(f);
}
