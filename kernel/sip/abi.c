// SPDX-License-Identifier: MIT
// The kernel ABI: the functions a SIP imports from module "isola", bound
// to the SIP when it is instantiated. This file has the signatures and
// table built from common/include/isola/abi.def, the import resolver and
// the basic functions (log, exit, yield, time, sleep, args, random); channels,
// the endpoint set, blocks and processes are in abi_chan.c, abi_eset.c,
// abi_blk.c and abi_proc.c. Each call is a decoder and an invoker
// (abi_internal.h has the pattern). The reference is docs/abi.md.
#include "abi_internal.h"

#include <isola/assert.h>
#include <entropy.h>
#include <klog.h>
#include <string.h>

// The signatures come from common/include/isola/abi.def, so the binding
// tables cannot disagree with the verifier's import check. Every row is
// bound (abi_bind checks).
#define ABI_WASM_HANDLE VF_TYPE_I32
#define ABI_WASM_UPTR VF_TYPE_I32
#define ABI_WASM_U32 VF_TYPE_I32
#define ABI_WASM_I32 VF_TYPE_I32
#define ABI_WASM_I64 VF_TYPE_I64
#define ABI_WASM_RES_NONE
#define ABI_WASM_RES_I32 VF_TYPE_I32,
#define ABI_WASM_RES_I64 VF_TYPE_I64,
#define P(type, name) ABI_WASM_##type,
#define ISOLA_ABI(name, res, params)                                          \
	static const vf_valtype_t abi_types_##name[] = { params ABI_WASM_RES_##res 0 };
#include <isola/abi.def>
#undef ISOLA_ABI
#undef P
#define P(type, name) +1
#define ISOLA_ABI(name, res, params)                                          \
	const struct vf_functype abi_type_##name = {                          \
		0 params, ABI_RES_KIND_##name != ABI_RES_NONE, abi_types_##name };
#include <isola/abi.def>
#undef ISOLA_ABI
#undef P
#define ISOLA_ABI(name, res, params) +1
enum { ABI_DEF_COUNT = 0
#include <isola/abi.def>
};
#undef ISOLA_ABI
_Static_assert(ABI_DEF_COUNT <= ABI_MAX_FUNCS, "ABI_MAX_FUNCS too small");

// log(ptr, len) -> 0: writes one line to the console, prefixed by the
// SIP's name. Control bytes are shown as '?'.
struct abi_log {
	uint8_t *p;
	uint32_t len;
};

static enum abi_fault abi_decode_log(struct sip *s, const struct abi_in_log *in,
				     struct abi_log *d)
{
	d->len = in->len;
	return abi_decode_user(s, in->ptr, in->len, &d->p);
}

static abi_ret_t abi_invoke_log(struct sip *s, struct abi_log *d)
{
	char line[200];
	size_t n = d->len < sizeof(line) - 1 ? d->len : sizeof(line) - 1;
	for (size_t i = 0; i < n; i++)
		line[i] = d->p[i] >= 0x20 && d->p[i] < 0x7f ? (char)d->p[i] : '?';
	line[n] = '\0';
	kprintf("[%s] %s\n", s->name, line);
	return 0;
}
ABI_CALL(log, struct abi_log, abi_decode_log, abi_invoke_log)

// exit(code): ends the SIP now.
static enum abi_fault abi_decode_exit(struct sip *s, const struct abi_in_exit *in,
				      int32_t *code)
{
	(void)s;
	*code = in->code;
	return ABI_OK;
}

static abi_ret_t abi_invoke_exit(struct sip *s, int32_t *code)
{
	// The exit status is set before the stop is asked for: anything
	// that sees kill_requested sees exit_requested and the code.
	s->exit_code = *code;
	s->exit_requested = true;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	s->kill_requested = true;
	return 0;
}
ABI_CALL(exit, int32_t, abi_decode_exit, abi_invoke_exit)

// The calls that take no arguments decode nothing.
#define ABI_DECODE_NONE(name)                                                  \
	static enum abi_fault abi_decode_##name(struct sip *s,                 \
						const struct abi_in_##name *in, \
						struct abi_none *d)             \
	{                                                                      \
		(void)s;                                                       \
		(void)in;                                                      \
		(void)d;                                                       \
		return ABI_OK;                                                 \
	}
ABI_DECODE_NONE(yield)
ABI_DECODE_NONE(time_ns)
ABI_DECODE_NONE(cycles)

static abi_ret_t abi_invoke_yield(struct sip *s, struct abi_none *d)
{
	(void)s;
	(void)d;
	sched_yield();
	return 0;
}
ABI_CALL(yield, struct abi_none, abi_decode_yield, abi_invoke_yield)

// time_ns() -> nanoseconds since boot.
static abi_ret_t abi_invoke_time_ns(struct sip *s, struct abi_none *d)
{
	(void)s;
	(void)d;
	return (abi_ret_t)arch_time_ns();
}
ABI_CALL(time_ns, struct abi_none, abi_decode_time_ns, abi_invoke_time_ns)

// cycles() -> the time-stamp counter (benchmarks; meaningful under KVM).
static abi_ret_t abi_invoke_cycles(struct sip *s, struct abi_none *d)
{
	(void)s;
	(void)d;
	return (abi_ret_t)arch_cycles();
}
ABI_CALL(cycles, struct abi_none, abi_decode_cycles, abi_invoke_cycles)

static bool never(void *arg)
{
	(void)arg;
	return false;
}

// sleep_ns(ns): sleeps on the SIP's wait queue, so a kill ends it at once.
static enum abi_fault abi_decode_sleep_ns(struct sip *s,
					  const struct abi_in_sleep_ns *in,
					  uint64_t *deadline)
{
	(void)s;
	*deadline = abi_deadline(in->ns < 0 ? 0 : in->ns);
	return ABI_OK;
}

static abi_ret_t abi_invoke_sleep_ns(struct sip *s, uint64_t *deadline)
{
	isola_err_t err;
	while ((err = abi_block(s, never, NULL, *deadline)) == ERR_OK)
		;
	return err == ERR_TIMEOUT ? 0 : ABI_ERR(err);
}
ABI_CALL(sleep_ns, uint64_t, abi_decode_sleep_ns, abi_invoke_sleep_ns)

// args(buf, len) -> the argument string's full length.
struct abi_args {
	uint8_t *buf;
	uint32_t len;
};

static enum abi_fault abi_decode_args(struct sip *s, const struct abi_in_args *in,
				      struct abi_args *d)
{
	d->len = in->len;
	return abi_decode_user(s, in->buf, in->len, &d->buf);
}

static abi_ret_t abi_invoke_args(struct sip *s, struct abi_args *d)
{
	memcpy(d->buf, s->args, d->len < s->args_len ? d->len : s->args_len);
	return s->args_len;
}
ABI_CALL(args, struct abi_args, abi_decode_args, abi_invoke_args)

#define ABI_RANDOM_MAX 256u // docs/abi.md

// random(buf, len) -> 0: len random bytes (lib/entropy.c), or -ERR_RANGE
// for more than ABI_RANDOM_MAX, so one call stays short.
struct abi_random {
	uint8_t *buf;
	uint32_t len;
};

static enum abi_fault abi_decode_random(struct sip *s, const struct abi_in_random *in,
					struct abi_random *d)
{
	d->len = in->len;
	return abi_decode_user(s, in->buf, in->len, &d->buf);
}

static abi_ret_t abi_invoke_random(struct sip *s, struct abi_random *d)
{
	(void)s;
	if (d->len > ABI_RANDOM_MAX)
		return ABI_ERR(ERR_RANGE);
	entropy_fill(d->buf, d->len);
	return 0;
}
ABI_CALL(random, struct abi_random, abi_decode_random, abi_invoke_random)

const struct abi_entry abi_basic[] = {
	ABI_ENTRY(log),
	ABI_ENTRY(exit),
	ABI_ENTRY(yield),
	ABI_ENTRY(time_ns),
	ABI_ENTRY(cycles),
	ABI_ENTRY(sleep_ns),
	ABI_ENTRY(args),
	ABI_ENTRY(random),
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
