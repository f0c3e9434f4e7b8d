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

// eset_put(ep) -> key
static enum abi_fault abi_decode_eset_put(struct sip *s,
					  const struct abi_in_eset_put *in,
					  uint32_t *h)
{
	void *ep;
	*h = in->ep;
	return abi_decode_handle(s, *h, HANDLE_KIND_ENDPOINT, &ep);
}

static abi_ret_t abi_invoke_eset_put(struct sip *s, uint32_t *h)
{
	handle_t key;
	isola_err_t err = handle_rekind(&s->handles, *h, HANDLE_KIND_ENDPOINT,
					HANDLE_KIND_PARKED, &key);
	return err == ERR_OK ? key : ABI_ERR(err); // checked by the decoder
}
ABI_CALL(eset_put, uint32_t, abi_decode_eset_put, abi_invoke_eset_put)

// eset_take(key, hash) -> ep. A hash address other than 0 names the
// 32-byte hash of the contract the SIP expects the endpoint to have.
static enum abi_fault abi_decode_eset_take(struct sip *s,
					   const struct abi_in_eset_take *in,
					   uint32_t *key)
{
	struct chan_endpoint *ep;
	uint8_t *hash = NULL;
	*key = in->key;
	enum abi_fault f = in->hash ? abi_decode_user(s, in->hash,
						     CONTRACT_HASH_SIZE, &hash)
				    : ABI_OK;
	if (f == ABI_OK)
		f = abi_decode_handle(s, in->key, HANDLE_KIND_PARKED, (void **)&ep);
	if (f == ABI_OK && hash &&
	    memcmp(chan_endpoint_contract(ep)->hash, hash, CONTRACT_HASH_SIZE) != 0)
		f = ABI_FAULT_CONTRACT;
	return f;
}

static abi_ret_t abi_invoke_eset_take(struct sip *s, uint32_t *key)
{
	handle_t h;
	isola_err_t err = handle_rekind(&s->handles, *key, HANDLE_KIND_PARKED,
					HANDLE_KIND_ENDPOINT, &h);
	return err == ERR_OK ? h : ABI_ERR(err); // checked by the decoder
}
ABI_CALL(eset_take, uint32_t, abi_decode_eset_take, abi_invoke_eset_take)

// eset_select(keys, n, timeout_ns, index_out) -> 0 | -ERR_TIMEOUT
static enum abi_fault abi_decode_eset_select(struct sip *s,
					     const struct abi_in_eset_select *in,
					     struct abi_select *d)
{
	return abi_decode_select(s, in->keys, in->n, in->timeout_ns,
				 in->index_out, HANDLE_KIND_PARKED, d);
}
ABI_CALL(eset_select, struct abi_select, abi_decode_eset_select,
	 abi_invoke_select)

const struct abi_entry abi_eset[] = {
	ABI_ENTRY(eset_put),
	ABI_ENTRY(eset_take),
	ABI_ENTRY(eset_select),
};
const size_t abi_eset_n = ISOLA_ARRAY_LEN(abi_eset);
