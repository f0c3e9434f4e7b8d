// SPDX-License-Identifier: MIT
// The host fake of the environment's native-code memory (vmm.h, through
// kernel/include/ksip/env.h), on common/host's host_native.h: code memory
// sealed with mprotect, reservations opened page by page, and the fault
// handler behind its SIGSEGV hook, which gives it the faulting
// instruction and address as the kernel's exception path does.
#include "host_env.h"

#include <host_native.h>

static vmm_fault_fn fault_fn;

static bool on_fault(uint64_t pc, uint64_t addr, uint64_t r15, uint64_t *resume)
{
	(void)r15;
	return fault_fn && fault_fn(pc, addr, resume);
}

void *vmm_code_alloc(size_t size)
{
	return host_code_alloc(NULL, size);
}

isola_err_t vmm_code_seal(void *p, size_t size)
{
	host_fault_install(on_fault); // a test framework may have replaced it
	return host_code_seal(NULL, p, size);
}

void vmm_code_free(void *p, size_t size)
{
	host_code_free(NULL, p, size);
}

isola_err_t vmm_reserve(uint64_t size, void **base)
{
	if (size == 0 || size % VMM_REGION_ALIGN)
		return ERR_INVAL;
	host_fault_install(on_fault);
	return host_vm_reserve(NULL, size, base);
}

isola_err_t vmm_commit(void *base, uint64_t from, uint64_t to)
{
	return host_vm_commit(NULL, base, from, to);
}

void vmm_release(void *base, uint64_t size)
{
	host_vm_release(NULL, base, size, 0);
}

vmm_fault_fn vmm_set_fault_handler(vmm_fault_fn fn)
{
	vmm_fault_fn old = fault_fn;
	fault_fn = fn;
	host_fault_install(on_fault);
	return old;
}
