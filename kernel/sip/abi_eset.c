// SPDX-License-Identifier: MIT
// The SIP's endpoint set: endpoints the kernel keeps for the SIP under
// keys, after Singularity's ESet and TRef. A SIP that holds a changing
// number of endpoints (a service's clients, the console link libsip
// keeps for stdout) parks them here and keeps only their keys, which are
// plain data, in its memory. Handles then never leave the places the
// verifier's ownership analysis follows (locals, the stack frame), and
// linearity still holds: putting an endpoint kills its handle, taking it
// kills the key. A key is a handle of kind HANDLE_KIND_PARKED in the
// SIP's own table, so stale or forged keys are caught the same way as
// stale or forged handles. Parked endpoints keep the SIP as their waiter,
// so eset_select waits on them like chan_select on handles.
#include "abi_internal.h"

#include <string.h>

#define ISOLA_ABI(name, np, nr, ...) extern const struct vf_functype abi_type_##name;
#include <isola/abi.def>
#undef ISOLA_ABI
#define ABI_ENTRY(name, fn) { #name, &abi_type_##name, fn }

// eset_put(ep) -> key
static isola_err_t abi_put(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	handle_t key;
	TRY(handle_rekind(&s->handles, (uint32_t)a[0], HANDLE_KIND_ENDPOINT,
			  HANDLE_KIND_PARKED, &key));
	a[0] = key;
	return ERR_OK;
}

// eset_take(key, hash) -> ep. A hash address other than 0 names the
// 32-byte hash of the contract the SIP expects the endpoint to have.
static isola_err_t abi_take(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	struct chan_endpoint *ep;
	const uint8_t *hash = NULL;
	if ((uint32_t)a[1] != 0) {
		hash = abi_user(s, (uint32_t)a[1], CONTRACT_HASH_SIZE);
		if (!hash)
			return ERR_ABI_RANGE;
	}
	TRY(handle_get(&s->handles, (uint32_t)a[0], HANDLE_KIND_PARKED,
		       (void **)&ep));
	if (hash && memcmp(chan_endpoint_contract(ep)->hash, hash,
			   CONTRACT_HASH_SIZE) != 0)
		return ERR_CHAN_CONTRACT;
	handle_t h;
	TRY(handle_rekind(&s->handles, (uint32_t)a[0], HANDLE_KIND_PARKED,
			  HANDLE_KIND_ENDPOINT, &h));
	a[0] = h;
	return ERR_OK;
}

// eset_select(keys, n, timeout_ns, index_out) -> 0 | -ERR_TIMEOUT
static isola_err_t abi_eselect(void *ctx, struct eng_thread *th, uint64_t *a)
{
	(void)th;
	return abi_select_kind(ctx, a, HANDLE_KIND_PARKED);
}

const struct abi_entry abi_eset[] = {
	ABI_ENTRY(eset_put, abi_put),
	ABI_ENTRY(eset_take, abi_take),
	ABI_ENTRY(eset_select, abi_eselect),
};
const size_t abi_eset_n = ISOLA_ARRAY_LEN(abi_eset);
