// SPDX-License-Identifier: MIT
// What the ABI files (abi.c, abi_chan.c, abi_blk.c, abi_proc.c) share: the
// table entry type, type descriptors, linear-memory range checks and the
// blocking helper. A host function returns ERR_OK to continue the SIP; any
// other code stops it (the checks of docs/abi.md); ordinary failures are
// returned to the SIP as negative numbers in a[0] (abi_ret_err).
#ifndef ISOLA_SIP_ABI_INTERNAL_H
#define ISOLA_SIP_ABI_INTERNAL_H

#include <arch.h>
#include <sip.h>

struct abi_entry {
	const char *name;
	const struct vf_functype *type;
	eng_host_fn fn;
};

#define ABI_TYPE(var, np, nr, ...)                                            \
	static const vf_valtype_t var##_v_[] = { __VA_ARGS__ };               \
	static const struct vf_functype var = { np, nr, var##_v_ }
// Long copies between a SIP and the kernel go in chunks of this size, with
// a kill check between them (docs/security.md, "Bounded latency").
#define ABI_COPY_CHUNK (256u * 1024)

#define I32 VF_TYPE_I32
#define I64 VF_TYPE_I64

extern const struct abi_entry abi_basic[], abi_chan[], abi_eset[], abi_blk[],
	abi_proc[];
extern const size_t abi_basic_n, abi_chan_n, abi_eset_n, abi_blk_n, abi_proc_n;

// chan_select's body over handles of kind (endpoints, or the parked
// endpoints of eset_select): a[] as chan_select's arguments.
isola_err_t abi_select_kind(struct sip *s, uint64_t *a, uint16_t kind);

// The bytes [ptr, ptr + len) of s's linear memory, or NULL when any of
// them lies outside it.
static inline uint8_t *abi_user(struct sip *s, uint64_t ptr, uint64_t len)
{
	struct eng_memory *m = s->inst ? eng_instance_memory(s->inst) : NULL;
	if (!m || ptr > m->size || len > m->size - ptr)
		return NULL;
	return m->base + ptr;
}

static inline isola_err_t abi_put_u32(struct sip *s, uint64_t ptr, uint32_t v)
{
	uint8_t *p = abi_user(s, ptr, 4);
	if (!p)
		return ERR_ABI_RANGE;
	__builtin_memcpy(p, &v, 4);
	return ERR_OK;
}

// An ordinary failure, returned to the SIP as -code.
static inline isola_err_t abi_ret_err(uint64_t *a, isola_err_t err)
{
	a[0] = (uint64_t)(uint32_t)-(int32_t)err;
	return ERR_OK;
}

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
// (ERR_TIMEOUT) or s is killed (ERR_ENG_KILLED); ERR_OK means "look
// again". ready is checked with interrupts on (it may spin on a channel
// lock a preempted thread holds); a wake-up after it is seen in s->wq's
// count, so none is lost.
isola_err_t abi_block(struct sip *s, bool (*ready)(void *arg), void *arg,
		      uint64_t deadline);

// The SIP's process-manager capability named by h, or a stop code.
isola_err_t abi_need_pm(struct sip *s, uint32_t h);
// The same, and the SIPs it reaches: *parent is 0 for every SIP, else the
// id whose children it may manage.
isola_err_t abi_pm_scope(struct sip *s, uint32_t h, uint32_t *parent);

#endif
