// SPDX-License-Identifier: MIT
// The profiler's interrupt side: on each timer tick while a run is on,
// the interrupted address, the running thread and its SIP go into the
// run (prof.c). An address inside the interpreter (eng_exec) or in native
// code (sealed code memory) running a SIP's thread is SIP code: the
// engine is asked for the WebAssembly location at its next poll point.
// Design: docs/profiling.md.
#include <panic.h>
#include <prof.h>
#include <sched.h>
#include <sip.h>
#include <vmm.h>

static uint64_t exec_start, exec_end; // eng_exec: the interpreter's loop

void prof_tick_setup(void)
{
	if (!ksyms_find("eng_exec", &exec_start, &exec_end))
		exec_start = exec_end = 0;
}

void prof_tick(uint64_t pc, bool irqoff)
{
	struct thread *t = sched_current();
	struct sip *s = sip_of_thread(t);
	bool in_engine = !irqoff && s &&
			 ((pc >= exec_start && pc < exec_end) || vmm_is_code(pc));
	prof_record(pc, s, t ? t->name : "?", in_engine, irqoff);
}
