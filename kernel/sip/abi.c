// SPDX-License-Identifier: MIT
// The kernel ABI: the functions a SIP imports from module "isola". Every
// argument is checked; a pointer or length outside the SIP's linear memory
// stops the SIP (ERR_ABI_RANGE), since only a buggy or hostile SIP passes
// one. Functions that can fail for ordinary reasons return a negative
// error code instead. The reference is docs/abi.md.
#include <klog.h>
#include <sip.h>
#include <string.h>

static const vf_valtype_t I32 = VF_TYPE_I32, I64 = VF_TYPE_I64;

// Function types: parameters then results.
static const vf_valtype_t t_i32_i32__i32[] = { VF_TYPE_I32, VF_TYPE_I32, VF_TYPE_I32 };
static const struct vf_functype type_log = { 2, 1, t_i32_i32__i32 };
static const struct vf_functype type_exit = { 1, 0, &I32 };
static const struct vf_functype type_void = { 0, 0, NULL };
static const struct vf_functype type_time = { 0, 1, &I64 };
static const struct vf_functype type_sleep = { 1, 0, &I64 };

// Checks [ptr, ptr + len) against the SIP's memory; the bytes, or NULL.
static const uint8_t *user_range(struct sip *s, uint64_t ptr, uint64_t len)
{
	struct eng_memory *m = s->inst ? eng_instance_memory(s->inst) : NULL;
	if (!m || ptr > m->size || len > m->size - ptr)
		return NULL;
	return m->base + ptr;
}

// log(ptr, len) -> 0: writes one line to the console, prefixed by the
// SIP's name. Control bytes are shown as '?'.
static isola_err_t abi_log(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	uint32_t ptr = (uint32_t)a[0], len = (uint32_t)a[1];
	const uint8_t *p = user_range(s, ptr, len);
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

// sleep_ns(ns): sleeps in slices, so a kill is seen within one slice.
static isola_err_t abi_sleep(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	const uint64_t slice = 10 * 1000000ull;
	uint64_t end = arch_time_ns() + (a[0] > (1ull << 62) ? (1ull << 62) : a[0]);
	for (uint64_t now = arch_time_ns(); now < end; now = arch_time_ns()) {
		if (s->kill_requested)
			return ERR_ENG_KILLED;
		sched_sleep_ns(end - now < slice ? end - now : slice);
	}
	return ERR_OK;
}

struct abi_entry {
	const char *name;
	const struct vf_functype *type;
	eng_host_fn fn;
};

static const struct abi_entry abi_table[] = {
	{ "log", &type_log, abi_log },
	{ "exit", &type_exit, abi_exit },
	{ "yield", &type_void, abi_yield },
	{ "time_ns", &type_time, abi_time },
	{ "sleep_ns", &type_sleep, abi_sleep },
};

ISOLA_STATIC_ASSERT(abi_fits, ISOLA_ARRAY_LEN(abi_table) <= ABI_MAX_FUNCS);

void abi_bind(struct sip *s)
{
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(abi_table); i++)
		eng_func_init_host(&s->abi[i], abi_table[i].type,
				   abi_table[i].fn, s);
}

isola_err_t abi_resolve(void *ctx, const char *module, size_t module_len,
			const char *field, size_t field_len, uint8_t kind,
			struct eng_extern *out)
{
	struct sip *s = ctx;
	if (module_len != 5 || memcmp(module, "isola", 5) != 0 ||
	    kind != VF_EXTERN_FUNC)
		return ERR_ENG_IMPORT_UNKNOWN;
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(abi_table); i++) {
		const char *n = abi_table[i].name;
		if (strlen(n) == field_len && memcmp(n, field, field_len) == 0) {
			out->kind = VF_EXTERN_FUNC;
			out->u.func = &s->abi[i];
			return ERR_OK;
		}
	}
	return ERR_ENG_IMPORT_UNKNOWN;
}
