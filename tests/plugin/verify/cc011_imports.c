// SPDX-License-Identifier: MIT
// CC011: only libsip declares kernel imports (compiled with
// -fplugin-arg-sipcheck-allow-imports); see cc011_imports_libsip.c.

__attribute__((import_module("isola"), import_name("chan_send")))
int raw_send(int ep, int msg); // expected-error {{[CC011] 'raw_send' declares a kernel import; only libsip may import from the kernel}}

SIP_KERNEL_IMPORT(thread_yield)
void raw_yield(void); // expected-error {{[CC011] 'raw_yield' declares a kernel import; only libsip may import from the kernel}}

__attribute__((import_name("xheap_alloc")))
int raw_alloc(unsigned long n); // expected-error {{[CC011] 'raw_alloc' declares a kernel import; only libsip may import from the kernel}}

// Accepted: ordinary declarations of library functions.
int rt_channel_send(int ep, int msg);

int send_one(int ep)
{
	return rt_channel_send(ep, 1);
}
