// SPDX-License-Identifier: MIT
// Native code on the host (host_native.h).
#define _GNU_SOURCE 1 // REG_RIP, REG_R15 in ucontext.h
#include "host_native.h"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

void *host_code_alloc(void *ctx, size_t size)
{
	(void)ctx;
	if (size == 0)
		return NULL;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

isola_err_t host_code_seal(void *ctx, void *p, size_t size)
{
	(void)ctx;
	return mprotect(p, size, PROT_READ | PROT_EXEC) == 0 ? ERR_OK : ERR_INVAL;
}

void host_code_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	munmap(p, size);
}

isola_err_t host_vm_reserve(void *ctx, uint64_t size, void **base)
{
	(void)ctx;
	void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	if (p == MAP_FAILED)
		return ERR_NOMEM;
	*base = p;
	return ERR_OK;
}

isola_err_t host_vm_commit(void *ctx, void *base, uint64_t from, uint64_t to)
{
	(void)ctx;
	if (from > to || from % 4096 || to % 4096)
		return ERR_INVAL;
	if (from == to)
		return ERR_OK;
	return mprotect((uint8_t *)base + from, to - from, PROT_READ | PROT_WRITE) == 0
		       ? ERR_OK
		       : ERR_NOMEM;
}

void host_vm_release(void *ctx, void *base, uint64_t size, uint64_t committed)
{
	(void)ctx;
	(void)committed;
	munmap(base, size);
}

static host_fault_fn fault_fn;
static struct sigaction old_segv, old_bus; // what was there before

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint64_t pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP], to = 0;
	if (fault_fn && fault_fn(pc, (uint64_t)(uintptr_t)si->si_addr,
				 (uint64_t)uc->uc_mcontext.gregs[REG_R15], &to)) {
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)to;
		return;
	}
	// Not native code's: the handler from before (a test framework's, the
	// sanitizer's, or none) gets the same fault again.
	sigaction(sig, sig == SIGBUS ? &old_bus : &old_segv, NULL);
}

// Installs on_fault for sig unless it is there already, keeping the
// handler it replaces.
static void install(int sig, struct sigaction *old)
{
	struct sigaction cur, sa;
	if (sigaction(sig, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) &&
	    cur.sa_sigaction == on_fault)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, old);
}

void host_fault_install(host_fault_fn fn)
{
	fault_fn = fn;
	install(SIGSEGV, &old_segv);
	install(SIGBUS, &old_bus);
}
