// SPDX-License-Identifier: MIT
// The kernel's one profiler: its run (buffers allocated by the first
// start and kept), start and stop, the sample the timer interrupt records
// and the engine's hook that completes a SIP sample with its WebAssembly
// function. Interrupts off is the lock (one CPU): the interrupt writes
// samples, threads start, stop and report. Design: docs/profiling.md.
#include <arch.h>
#include <isola/vf_names.h>
#include <kmem.h>
#include <panic.h>
#include <prof.h>
#include <sched.h>
#include <sip.h>
#include <string.h>

static struct prof_run run = { .hz = SCHED_TICK_HZ };
static volatile bool running;
static uint32_t generation; // of the run: a stale pending sample is ignored
static struct prof_entry scratch[512]; // the report's rows (while showing)
static bool showing; // a report reads the samples: no start meanwhile

bool prof_is_running(void)
{
	return running;
}

static isola_err_t prof_alloc(void)
{
	if (run.samples)
		return ERR_OK;
	struct prof_sample *s = kmalloc(PROF_SAMPLES_MAX * sizeof(*s));
	struct prof_place *p = kmalloc(PROF_PLACES_MAX * sizeof(*p));
	if (!s || !p) {
		kfree(s);
		kfree(p);
		return ERR_NOMEM;
	}
	// Two first starts may race here (kmalloc can be preempted): the
	// first to set the buffers keeps them, the other frees its own.
	uint64_t f = arch_irq_save();
	bool won = run.samples == NULL;
	if (won) {
		run.samples = s;
		run.cap = PROF_SAMPLES_MAX;
		run.places = p;
		run.places_cap = PROF_PLACES_MAX;
	}
	arch_irq_restore(f);
	if (!won) {
		kfree(s);
		kfree(p);
	}
	return ERR_OK;
}

isola_err_t prof_start(void)
{
	if (running)
		return ERR_PROF_RUNNING;
	TRY(prof_alloc());
	uint64_t f = arch_irq_save();
	isola_err_t err = showing ? ERR_BUSY : ERR_PROF_RUNNING;
	if (!running && !showing) {
		run.n = 0;
		run.nplaces = 0;
		run.dropped = 0;
		run.places_dropped = 0;
		run.hz = SCHED_TICK_HZ;
		generation++;
		running = true;
		err = ERR_OK;
	}
	arch_irq_restore(f);
	return err;
}

isola_err_t prof_stop(void)
{
	uint64_t f = arch_irq_save();
	isola_err_t err = running ? ERR_OK : ERR_PROF_STOPPED;
	running = false;
	arch_irq_restore(f);
	return err;
}

static bool prof_sym(void *ctx, uint64_t pc, const char **name)
{
	uint64_t off;
	(void)ctx;
	return ksyms_lookup(pc, name, &off);
}

isola_err_t prof_show(char *buf, size_t len, unsigned top, size_t *full)
{
	// Samples do not change while stopped, so the report runs with
	// interrupts on; showing keeps a second report off the rows and a
	// start off the samples.
	uint64_t f = arch_irq_save();
	isola_err_t err = running ? ERR_PROF_RUNNING : showing ? ERR_BUSY : ERR_OK;
	if (err == ERR_OK)
		showing = true; // a refused caller leaves another's report alone
	arch_irq_restore(f);
	if (err != ERR_OK)
		return err;
	*full = prof_report(&run, prof_sym, NULL, scratch, ISOLA_ARRAY_LEN(scratch),
			    top, buf, len);
	showing = false;
	return ERR_OK;
}

void prof_print(void)
{
	static char text[4096];
	size_t n;
	if (prof_show(text, sizeof(text), PROF_TOP_CONSOLE, &n) == ERR_OK)
		kputs_raw(text, n < sizeof(text) ? n : sizeof(text) - 1);
}

void prof_record(uint64_t pc, struct sip *sip, const char *ctx, bool in_engine,
		 bool irqoff)
{
	if (!running)
		return;
	struct prof_sample s = { .pc = pc, .in_sip = sip != NULL, .irqoff = irqoff,
				 .kind = in_engine ? PROF_WASM_PENDING : PROF_KERNEL };
	prof_copy_name(s.ctx, sip ? sip->name : ctx, PROF_CTX_MAX);
	uint32_t i;
	if (!prof_run_add(&run, &s, &i) || !in_engine)
		return;
	sip->prof_pending = i + 1;
	sip->prof_gen = generation;
	eng_thread_request_sample(sip->eth);
}

// The sample s is waiting for, if it still is (interrupts off).
static struct prof_sample *pending_of(struct sip *s)
{
	uint32_t i = s->prof_pending;
	if (!running || !i || s->prof_gen != generation || i > run.n ||
	    run.samples[i - 1].kind != PROF_WASM_PENDING)
		return NULL;
	return &run.samples[i - 1];
}

void prof_sip_sample(void *ctx, uint32_t func_index, uint32_t code_off)
{
	struct sip *s = ctx;
	char name[VF_FUNC_NAME_MAX + 1] = "";
	uint32_t place;
	uint64_t f = arch_irq_save();
	bool known = pending_of(s) && prof_run_find(&run, s->name, func_index, &place);
	arch_irq_restore(f);
	// A function new to this run is named from the SIP's image (alive
	// with the SIP) with interrupts on: the name section is the SIP's
	// own input, of any size.
	if (!known)
		(void)vf_func_name_lookup(s->image->bytes, s->image->size,
					  func_index, name); // "" if none
	f = arch_irq_save();
	struct prof_sample *smp = pending_of(s);
	s->prof_pending = 0;
	if (smp && prof_run_place_named(&run, s->name, func_index, name, &place)) {
		smp->kind = PROF_WASM;
		smp->place = place;
		smp->code_off = code_off;
	}
	arch_irq_restore(f);
}
