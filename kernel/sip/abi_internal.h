// SPDX-License-Identifier: MIT
// What the ABI files (abi.c, abi_chan.c, abi_eset.c, abi_blk.c,
// abi_proc.c) share. Every call is a pair, after seL4's decodeX/invokeX:
//
//   decode: enum abi_fault abi_decode_NAME(struct sip *, const struct
//           abi_in_NAME *in, struct D *d) checks the call's raw arguments
//           (in: typed and named by common/include/isola/abi.def) and turns
//           them into d: ranges of linear memory, the objects its handles
//           name. It changes nothing. A fault means the SIP broke a rule
//           of docs/abi.md: it is stopped, trapped with the fault's code.
//   invoke: abi_ret_t abi_invoke_NAME(struct sip *, struct D *d) does the
//           work. It cannot stop the SIP: it returns a result (>= 0) or an
//           ordinary failure (ABI_ERR(code), the SIP sees -code).
//
// ABI_CALL generates the host function that runs the pair. After the
// invoker it ends the SIP only for what the SIP or someone else asked
// for: exit (s->exit_requested) or a kill (s->kill_requested, seen by
// blocking invokers, which then return at once; exit sets it too).
#ifndef ISOLA_SIP_ABI_INTERNAL_H
#define ISOLA_SIP_ABI_INTERNAL_H

#include <arch.h>
#include <sip.h>

struct abi_entry {
	const char *name;
	const struct vf_functype *type;
	eng_host_fn fn;
};

// An invoker's result: >= 0 a value, < 0 an ordinary failure (-code).
typedef int64_t abi_ret_t;
#define ABI_ERR(code) (-(abi_ret_t)(code))

// Long copies between a SIP and the kernel go in chunks of this size, with
// a kill check between them (docs/security.md, "Bounded latency").
#define ABI_COPY_CHUNK (256u * 1024)

// ---- the rows of abi.def as C ----

#define ABI_CTYPE_HANDLE uint32_t
#define ABI_CTYPE_UPTR uint32_t
#define ABI_CTYPE_U32 uint32_t
#define ABI_CTYPE_I32 int32_t
#define ABI_CTYPE_I64 int64_t
enum abi_res_kind { ABI_RES_NONE, ABI_RES_I32, ABI_RES_I64 };

// struct abi_in_NAME: the call's arguments, one field per parameter.
#define P(type, name) ABI_CTYPE_##type name;
#define ISOLA_ABI(name, res, params) struct abi_in_##name { params };
#include <isola/abi.def>
#undef ISOLA_ABI
#undef P

// abi_unpack_NAME: the raw argument slots into struct abi_in_NAME.
#define P(type, name) in->name = (ABI_CTYPE_##type)a[i++];
#define ISOLA_ABI(name, res, params)                                          \
	static inline void abi_unpack_##name(struct abi_in_##name *in,        \
					     const uint64_t *a)               \
	{                                                                     \
		size_t i = 0;                                                 \
		(void)in;                                                     \
		(void)a;                                                      \
		params(void) i;                                               \
	}
#include <isola/abi.def>
#undef ISOLA_ABI
#undef P

// ABI_RES_KIND_NAME: what the call returns.
#define ISOLA_ABI(name, res, params) ABI_RES_KIND_##name = ABI_RES_##res,
enum {
#include <isola/abi.def>
};
#undef ISOLA_ABI

// The wasm signature of each row (abi.c defines them).
#define ISOLA_ABI(name, res, params) extern const struct vf_functype abi_type_##name;
#include <isola/abi.def>
#undef ISOLA_ABI

// After the invoker: the SIP's own exit or a kill ends it; otherwise r
// goes to the SIP as the call's result. exit sets kill_requested too, so
// the common case tests one flag.
static inline isola_err_t abi_finish(struct sip *s, uint64_t *a,
				     enum abi_res_kind kind, abi_ret_t r)
{
	if (s->kill_requested)
		return s->exit_requested ? ERR_SIP_EXITED : ERR_ENG_KILLED;
	if (kind == ABI_RES_I32)
		a[0] = (uint32_t)r;
	else if (kind == ABI_RES_I64)
		a[0] = (uint64_t)r;
	return ERR_OK;
}

// The host function of call name: decoded into a D by decode, done by
// invoke. Its table entry is ABI_ENTRY(name).
#define ABI_CALL(name, D, decode, invoke)                                     \
	static isola_err_t abi_host_##name(void *ctx, struct eng_thread *th,  \
					   uint64_t *a)                       \
	{                                                                     \
		struct abi_in_##name in;                                      \
		D d;                                                          \
		(void)th;                                                     \
		abi_unpack_##name(&in, a);                                    \
		enum abi_fault f = decode(ctx, &in, &d);                      \
		if (f != ABI_OK)                                              \
			return (isola_err_t)f;                                \
		return abi_finish(ctx, a, (enum abi_res_kind)ABI_RES_KIND_##name, \
				  invoke(ctx, &d));                           \
	}
#define ABI_ENTRY(name) { #name, &abi_type_##name, abi_host_##name }

// A call that needs nothing decoded.
struct abi_none {
	char unused;
};

extern const struct abi_entry abi_basic[], abi_chan[], abi_eset[], abi_blk[],
	abi_proc[];
extern const size_t abi_basic_n, abi_chan_n, abi_eset_n, abi_blk_n, abi_proc_n;

// ---- decoding helpers: each returns a fault or ABI_OK ----

// The bytes [ptr, ptr + len) of s's linear memory, or NULL when any of
// them lies outside it (a range that wraps or runs past the end).
static inline uint8_t *abi_user(struct sip *s, uint64_t ptr, uint64_t len)
{
	struct eng_memory *m = s->inst ? eng_instance_memory(s->inst) : NULL;
	if (!m || ptr > m->size || len > m->size - ptr)
		return NULL;
	return m->base + ptr;
}

// *out = the bytes [ptr, ptr + len) of s's linear memory.
ISOLA_MUST_CHECK static inline enum abi_fault
abi_decode_user(struct sip *s, uint32_t ptr, uint64_t len, uint8_t **out)
{
	*out = abi_user(s, ptr, len);
	return *out ? ABI_OK : ABI_FAULT_RANGE;
}

// A handle table's answer (ERR_OK or ERR_HANDLE_*) as a fault.
ISOLA_MUST_CHECK static inline enum abi_fault abi_handle_fault(isola_err_t err)
{
	switch (err) {
	case ERR_OK: return ABI_OK;
	case ERR_HANDLE_STALE: return ABI_FAULT_HANDLE_STALE;
	case ERR_HANDLE_KIND: return ABI_FAULT_HANDLE_KIND;
	default: return ABI_FAULT_HANDLE_INVALID;
	}
}

// *obj = the object of kind that handle h names in s's table.
ISOLA_MUST_CHECK static inline enum abi_fault
abi_decode_handle(struct sip *s, uint32_t h, uint16_t kind, void **obj)
{
	return abi_handle_fault(handle_get(&s->handles, h, kind, obj));
}

// The scope of the process manager h names: *parent is 0 for every SIP,
// else the id whose children it may manage. ABI_FAULT_DENIED if h names
// none.
ISOLA_MUST_CHECK enum abi_fault abi_decode_pm(struct sip *s, uint32_t h,
					      uint32_t *parent);

// Writes v at ptr, a range the decoder checked.
static inline void abi_put_u32(uint8_t *p, uint32_t v)
{
	__builtin_memcpy(p, &v, 4);
}

// ---- invoking helpers ----

// A timeout in nanoseconds from a SIP (negative: none) as a deadline on
// the arch_time_ns clock (0: none).
static inline uint64_t abi_deadline(int64_t timeout_ns)
{
	if (timeout_ns < 0)
		return 0;
	uint64_t t = (uint64_t)timeout_ns > (1ull << 62) ? (1ull << 62)
							 : (uint64_t)timeout_ns;
	return arch_time_ns() + t + 1;
}

// Blocks s's thread until ready(arg) holds, the deadline passes
// (ERR_TIMEOUT) or s is killed (ERR_ENG_KILLED: the invoker returns at
// once and the call ends the SIP); ERR_OK means "look again". ready is
// checked with interrupts on (it may spin on a channel lock a preempted
// thread holds); a wake-up after it is seen in s->wq's count, so none is
// lost.
ISOLA_MUST_CHECK isola_err_t abi_block(struct sip *s, bool (*ready)(void *arg),
				       void *arg, uint64_t deadline);

// chan_select and eset_select: n endpoints named by handles of one kind
// (endpoints, or parked endpoints' keys), and where the index goes.
#define ABI_SELECT_MAX 64
struct abi_select {
	struct chan_endpoint *eps[ABI_SELECT_MAX];
	uint32_t n;
	uint64_t deadline;
	uint8_t *index_out;
	isola_err_t first; // the decoder's look: ERR_OK (index set), ERR_AGAIN
	size_t index;
};
ISOLA_MUST_CHECK enum abi_fault
abi_decode_select(struct sip *s, uint32_t eps, uint32_t n, int64_t timeout_ns,
		  uint32_t index_out, uint16_t kind, struct abi_select *d);
ISOLA_MUST_CHECK abi_ret_t abi_invoke_select(struct sip *s, struct abi_select *d);

#endif
