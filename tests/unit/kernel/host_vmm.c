// SPDX-License-Identifier: MIT
// The host fake of the environment's native-code memory (vmm.h, through
// kernel/include/ksip/env.h): code memory from mmap, sealed with
// mprotect; reserved regions mapped inaccessible and opened page by page;
// the fault handler behind a SIGSEGV handler, which gives it the faulting
// instruction and address as the kernel's exception path does.
#define _GNU_SOURCE 1 // REG_RIP in ucontext.h
#include "host_env.h"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

void *vmm_code_alloc(size_t size)
{
	if (size == 0)
		return NULL;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

isola_err_t vmm_code_seal(void *p, size_t size)
{
	return mprotect(p, size, PROT_READ | PROT_EXEC) == 0 ? ERR_OK : ERR_INVAL;
}

void vmm_code_free(void *p, size_t size)
{
	munmap(p, size);
}

isola_err_t vmm_reserve(uint64_t size, void **base)
{
	if (size == 0 || size % VMM_REGION_ALIGN)
		return ERR_INVAL;
	void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	if (p == MAP_FAILED)
		return ERR_NOMEM;
	*base = p;
	return ERR_OK;
}

isola_err_t vmm_commit(void *base, uint64_t from, uint64_t to)
{
	if (from > to || from % VMM_PAGE || to % VMM_PAGE)
		return ERR_INVAL;
	if (from == to)
		return ERR_OK;
	return mprotect((uint8_t *)base + from, to - from, PROT_READ | PROT_WRITE) == 0
		       ? ERR_OK
		       : ERR_NOMEM;
}

void vmm_release(void *base, uint64_t size)
{
	munmap(base, size);
}

static vmm_fault_fn fault_fn;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP], to = 0;
	if (fault_fn && fault_fn(rip, (uint64_t)(uintptr_t)si->si_addr, &to)) {
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)to;
		return;
	}
	signal(sig, SIG_DFL); // not a SIP's: fault again, unhandled
}

void vmm_set_fault_handler(vmm_fault_fn fn)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	fault_fn = fn;
	sigaction(SIGSEGV, &sa, NULL);
}
