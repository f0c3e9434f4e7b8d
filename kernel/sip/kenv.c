// SPDX-License-Identifier: MIT
// The kernel's side of the SIP layer's environment (sip/env.h) where no
// kernel service already is that function: the kernel heap as an account
// backing. Built into the kernel only; host tests bring their own
// (tests/unit/kernel/host_env.c).
#include <ksip/env.h>

static size_t kheap_usable(const void *p)
{
	return kheap_size(p);
}

static const struct mem_backing backing = { kmalloc, kfree, kheap_usable };

const struct mem_backing *kheap_backing(void)
{
	return &backing;
}
