// SPDX-License-Identifier: MIT
// The SIP layer's environment: everything kernel/sip/ takes from the rest
// of the kernel, and nothing more. It is a link-time seam, like arch.h:
// these are ordinary kernel functions, declared in the headers included
// below, implemented once by the kernel (sched/, mm/, lib/, arch/) and
// once by a host fake for tests and fuzzers (tests/unit/kernel/
// host_env.c), so the SIP code calls them directly and reads the same in
// both builds. The list, by service (docs/kernel-sip.md has the contract
// each fake keeps):
//
//   threads      thread_create, thread_detach, sched_yield, sched_stats,
//                sched_current
//   waiting      waitq_init, waitq_wait, waitq_wake (waitq_wakes inline)
//   clock        arch_time_ns, arch_cycles, arch_cycles_per_us
//   randomness   arch_random (under entropy_fill, lib/entropy.c)
//   interrupts   arch_irq_save, arch_irq_restore, arch_cpu_relax (the
//                spinlocks of spinlock.h), arch_irqoff_stats
//   memory       frames_alloc, frames_free (exchange-heap pages), kmalloc,
//                kzalloc, kfree, kheap_backing (the same heap with its
//                allocation sizes, for accounts), kmem_stats, kmem_trim
//   log          klog, kprintf, kputs_raw
//   symbols      ksyms_lookup (panic.h; the profiler's report)
//   console      console_read, console_wait_input (the serial capability),
//                latency_report
//   native code  vmm_code_alloc, vmm_code_seal, vmm_code_free (code
//                memory), vmm_reserve, vmm_commit, vmm_release (guarded
//                linear memory), vmm_set_fault_handler
//
// The initrd (initrd.h) is portable code, registered by the embedder with
// initrd_register. The system contracts (kernel_system_contracts) are
// generated into the same library. Rules every implementation keeps:
// interrupts off is the only lock the SIP layer relies on between a
// check and a wait (one CPU); waitq_wait is called with interrupts off;
// a thread given to thread_create runs later, never inside the call.
#ifndef ISOLA_SIP_ENV_H
#define ISOLA_SIP_ENV_H

#include <account.h>
#include <arch.h>
#include <console.h>
#include <initrd.h>
#include <klog.h>
#include <kmem.h>
#include <latency.h>
#include <sched.h>
#include <spinlock.h>
#include <vmm.h>

// The kernel heap (kmalloc, kfree) as an account backing: what accounts
// charge is the size the heap really gave.
const struct mem_backing *kheap_backing(void);

#endif
