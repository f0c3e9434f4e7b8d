// SPDX-License-Identifier: MIT
// The sampling profiler (kernel/prof/): the timer interrupt records where
// the CPU was into a buffer allocated before the run; a report aggregates
// the samples by kernel function or by SIP and WebAssembly function.
// Design and use: docs/profiling.md.
#ifndef ISOLA_PROF_H
#define ISOLA_PROF_H

#include <isola/compiler.h>
#include <isola/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROF_SAMPLES_MAX 16384u // per run; more are counted as dropped
#define PROF_PLACES_MAX 256u    // distinct (SIP, wasm function) per run
#define PROF_CTX_MAX 24u        // a SIP's or kernel thread's name, cut
#define PROF_FUNC_MAX 40u       // a wasm function's name, cut
#define PROF_TOP_DEFAULT 15u // rows in prof_ctl's report
#define PROF_TOP_CONSOLE 30u // rows printed at the end of a prof=1 run

enum prof_kind {
	PROF_KERNEL,       // pc is a kernel address
	PROF_WASM,         // SIP code: place names the function
	PROF_WASM_PENDING, // SIP code whose location never came (see docs)
};

// One sample. ctx is the SIP's name when in_sip, else the kernel
// thread's.
struct prof_sample {
	uint64_t pc;
	char ctx[PROF_CTX_MAX];
	uint32_t place;    // PROF_WASM: index into the run's places
	uint32_t code_off; // PROF_WASM: the poll point's code offset
	uint8_t kind;      // enum prof_kind
	bool in_sip;
	bool irqoff;       // PROF_KERNEL: the tick waited for interrupts on
};

// A SIP's WebAssembly function, named once when first sampled (the SIP
// and its image may be gone when the report is made).
struct prof_place {
	char sip[PROF_CTX_MAX];
	uint32_t func;
	char name[PROF_FUNC_MAX]; // "" when the image's name section has none
};

// A run's samples: fixed buffers, filled up to their capacity.
struct prof_run {
	struct prof_sample *samples;
	uint32_t cap, n;
	uint64_t dropped; // samples that found the buffer full
	struct prof_place *places;
	uint32_t places_cap, nplaces;
	uint64_t places_dropped; // wasm samples left unnamed: places full
	uint32_t hz;             // samples per second while running
};

// ---- The portable core (kernel/prof/prof_run.c), host-tested ----

// Copies the NUL-terminated src into dst[0 .. size), cut and terminated.
void prof_copy_name(char *dst, const char *src, size_t size);

// Appends *s; false (and counts a drop) when the buffer is full.
bool prof_run_add(struct prof_run *r, const struct prof_sample *s,
		  uint32_t *index);
// The place of (sip, func), if the run has it.
bool prof_run_find(const struct prof_run *r, const char *sip, uint32_t func,
		   uint32_t *index);
// The place of (sip, func), added if new with name (cut; "" for none).
// False when the table is full (counted).
bool prof_run_place_named(struct prof_run *r, const char *sip, uint32_t func,
			  const char *name, uint32_t *index);
// The same, named from the module in bytes[0 .. size) (untrusted: the
// name section's reader checks it).
bool prof_run_place(struct prof_run *r, const char *sip, uint32_t func,
		    const uint8_t *bytes, size_t size, uint32_t *index);

// Kernel symbols for the report: the name of the function holding pc,
// or false.
typedef bool (*prof_sym_fn)(void *ctx, uint64_t pc, const char **name);

// One row of the report: a kernel function in a context, or a place.
struct prof_entry {
	const char *func; // kernel: the symbol (NULL: unknown)
	const char *ctx;  // kernel: the SIP or thread; pending: the SIP
	uint32_t place;
	uint8_t kind;
	bool irqoff;
	uint32_t count;
};

// Writes the report of r (rows aggregated into scratch[0 .. nscratch),
// the top `top` by samples) to buf[0 .. len), NUL-terminated when len >
// 0, and returns its full length (as snprintf). Rows that do not fit in
// scratch are summed as "other".
size_t prof_report(const struct prof_run *r, prof_sym_fn sym, void *sym_ctx,
		   struct prof_entry *scratch, size_t nscratch, unsigned top,
		   char *buf, size_t len);

// ---- The kernel's one profiler (kernel/prof/prof.c) ----

// Starts a new run (the old samples are discarded). The buffers are
// allocated by the first start, never in an interrupt. ERR_PROF_RUNNING,
// ERR_BUSY (a report is being made), ERR_NOMEM.
ISOLA_MUST_CHECK isola_err_t prof_start(void);
// Ends the run. ERR_PROF_STOPPED if none is running.
ISOLA_MUST_CHECK isola_err_t prof_stop(void);
bool prof_is_running(void);
// The last run's report into buf (as prof_report); ERR_PROF_RUNNING while
// a run is going on, ERR_BUSY while another report is being made.
ISOLA_MUST_CHECK isola_err_t prof_show(char *buf, size_t len, unsigned top,
					size_t *full);
// Prints the report to the console (kernel option prof=1).
void prof_print(void);

struct sip;
// The timer interrupt's part, with interrupts off: records pc in ctx
// (sip, or a kernel thread called ctx when sip is NULL). in_engine says
// pc is in the interpreter running sip's code: the sample is then
// completed by prof_sip_sample at the SIP's next poll point.
// irqoff: the tick was held back by interrupts off, and pc is in the
// function that turned them on again.
void prof_record(uint64_t pc, struct sip *sip, const char *ctx, bool in_engine,
		 bool irqoff);
// The engine's sample hook for a SIP's thread (ctx is the SIP).
void prof_sip_sample(void *ctx, uint32_t func_index, uint32_t code_off);

// The interrupt side (kernel/prof/prof_tick.c, kernel only): one sample
// of the interrupted pc when a run is on (irqoff as for prof_record; the
// arch code tells).
void prof_tick(uint64_t pc, bool irqoff);
// Readies prof_tick (the interpreter's address range).
void prof_tick_setup(void);

#endif
