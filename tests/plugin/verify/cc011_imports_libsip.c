// SPDX-License-Identifier: MIT
// CC011, accepted: libsip, built with -fplugin-arg-sipcheck-allow-imports,
// declares the kernel imports.
// expected-no-diagnostics

SIP_KERNEL_IMPORT(thread_yield)
void abi_thread_yield(void);

void rt_yield(void)
{
	abi_thread_yield();
}
