// SPDX-License-Identifier: MIT
// The kernel ABI: the functions a SIP imports from module "isola", bound
// to the SIP when it is instantiated. This file has the table, the import
// resolver and the basic functions (log, exit, yield, time, sleep, args);
// channels, blocks and processes are in abi_chan.c, abi_blk.c and
// abi_proc.c. The reference is docs/abi.md.
#include "abi_internal.h"

#include <isola/assert.h>
#include <klog.h>
#include <string.h>

// The signatures come from common/include/isola/abi.def (defined here,
// declared in each table's file), so the binding tables cannot disagree
// with the verifier's import check. Every row is bound (abi_bind checks).
#define ISOLA_ABI(name, np, nr, ...) extern const struct vf_functype abi_type_##name;
#include <isola/abi.def>
#undef ISOLA_ABI
#define NONE 0
#define ISOLA_ABI(name, np, nr, ...)                                         \
	static const vf_valtype_t abi_types_##name[] = { __VA_ARGS__ };       \
	const struct vf_functype abi_type_##name = { np, nr, abi_types_##name };
#include <isola/abi.def>
#undef ISOLA_ABI
#undef NONE
#define ABI_ENTRY(name, fn) { #name, &abi_type_##name, fn }
#define ISOLA_ABI(name, np, nr, ...) +1
enum { ABI_DEF_COUNT = 0
#include <isola/abi.def>
};
#undef ISOLA_ABI
_Static_assert(ABI_DEF_COUNT <= ABI_MAX_FUNCS, "ABI_MAX_FUNCS too small");

// log(ptr, len) -> 0: writes one line to the console, prefixed by the
// SIP's name. Control bytes are shown as '?'.
static isola_err_t abi_log(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	uint32_t ptr = (uint32_t)a[0], len = (uint32_t)a[1];
	const uint8_t *p = abi_user(s, ptr, len);
	if (!p)
		return ERR_ABI_RANGE;
	char line[200];
	size_t n = len < sizeof(line) - 1 ? len : sizeof(line) - 1;
	for (size_t i = 0; i < n; i++)
		line[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	line[n] = '\0';
	kprintf("[%s] %s\n", s->name, line);
	a[0] = 0;
	return ERR_OK;
}

// exit(code): ends the SIP now.
static isola_err_t abi_exit(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	s->exit_code = (int32_t)a[0];
	return ERR_SIP_EXITED;
}

static isola_err_t abi_yield(void *ctx, struct eng_thread *th, uint64_t *a)
{
	(void)ctx;
	(void)th;
	(void)a;
	sched_yield();
	return ERR_OK;
}

// time_ns() -> nanoseconds since boot.
static isola_err_t abi_time(void *ctx, struct eng_thread *th, uint64_t *a)
{
	(void)ctx;
	(void)th;
	a[0] = arch_time_ns();
	return ERR_OK;
}

// cycles() -> the time-stamp counter (benchmarks; meaningful under KVM).
static isola_err_t abi_cycles(void *ctx, struct eng_thread *th, uint64_t *a)
{
	(void)ctx;
	(void)th;
	a[0] = arch_cycles();
	return ERR_OK;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

// sleep_ns(ns): sleeps on the SIP's wait queue, so a kill ends it at once.
static isola_err_t abi_sleep(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	int64_t ns = (int64_t)a[0];
	uint64_t deadline = abi_deadline(ns < 0 ? 0 : ns);
	for (;;) {
		isola_err_t err = abi_block(s, never, NULL, deadline);
		if (err == ERR_TIMEOUT)
			return ERR_OK;
		TRY(err);
	}
}

// args(buf, len) -> the argument string's full length.
static isola_err_t abi_args(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	uint32_t len = (uint32_t)a[1];
	uint32_t n = len < s->args_len ? len : s->args_len;
	uint8_t *p = abi_user(s, (uint32_t)a[0], len);
	if (!p)
		return ERR_ABI_RANGE;
	memcpy(p, s->args, n);
	a[0] = s->args_len;
	return ERR_OK;
}

const struct abi_entry abi_basic[] = {
	ABI_ENTRY(log, abi_log),
	ABI_ENTRY(exit, abi_exit),
	ABI_ENTRY(yield, abi_yield),
	ABI_ENTRY(time_ns, abi_time),
	ABI_ENTRY(cycles, abi_cycles),
	ABI_ENTRY(sleep_ns, abi_sleep),
	ABI_ENTRY(args, abi_args),
};
const size_t abi_basic_n = ISOLA_ARRAY_LEN(abi_basic);

isola_err_t abi_block(struct sip *s, bool (*ready)(void *arg), void *arg,
		      uint64_t deadline)
{
	bool in_time = true;
	// ready() takes channel locks, which a preempted thread may hold:
	// it runs with interrupts on. A wake-up between it and the wait shows
	// in the count, and the wait is skipped.
	uint64_t seen = waitq_wakes(&s->wq);
	if (!s->kill_requested && !ready(arg)) {
		uint64_t f = arch_irq_save();
		if (!s->kill_requested && waitq_wakes(&s->wq) == seen)
			in_time = waitq_wait(&s->wq, deadline);
		arch_irq_restore(f);
	}
	if (s->kill_requested)
		return ERR_ENG_KILLED;
	if (!in_time || (deadline && arch_time_ns() >= deadline))
		return ERR_TIMEOUT;
	return ERR_OK;
}

// ---- binding ----

static const struct {
	const struct abi_entry *t;
	const size_t *n;
} groups[] = {
	{ abi_basic, &abi_basic_n },
	{ abi_chan, &abi_chan_n },
	{ abi_eset, &abi_eset_n },
	{ abi_blk, &abi_blk_n },
	{ abi_proc, &abi_proc_n },
};

// The entry for index i of the concatenated groups, or NULL.
static const struct abi_entry *entry_at(size_t i)
{
	for (size_t g = 0; g < ISOLA_ARRAY_LEN(groups); g++) {
		if (i < *groups[g].n)
			return &groups[g].t[i];
		i -= *groups[g].n;
	}
	return NULL;
}

void abi_bind(struct sip *s)
{
	const struct abi_entry *e;
	size_t i;
	for (i = 0; i < ABI_MAX_FUNCS && (e = entry_at(i)); i++)
		eng_func_init_host(&s->abi[i], e->type, e->fn, s);
	// Each row of abi.def has exactly one entry (a name missing from
	// abi.def does not compile; this catches a row with no entry).
	ISOLA_ASSERT(i == ABI_DEF_COUNT);
}

isola_err_t abi_resolve(void *ctx, const char *module, size_t module_len,
			const char *field, size_t field_len, uint8_t kind,
			struct eng_extern *out)
{
	struct sip *s = ctx;
	if (module_len != 5 || memcmp(module, "isola", 5) != 0 ||
	    kind != VF_EXTERN_FUNC)
		return ERR_ENG_IMPORT_UNKNOWN;
	const struct abi_entry *e;
	for (size_t i = 0; i < ABI_MAX_FUNCS && (e = entry_at(i)); i++) {
		if (strlen(e->name) == field_len &&
		    memcmp(e->name, field, field_len) == 0) {
			out->kind = VF_EXTERN_FUNC;
			out->u.func = &s->abi[i];
			return ERR_OK;
		}
	}
	return ERR_ENG_IMPORT_UNKNOWN;
}
