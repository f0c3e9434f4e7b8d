// SPDX-License-Identifier: MIT
// Channels in the kernel: the contracts the kernel knows (the system's,
// and those images bring, held while an image or a channel uses them) and
// the channel core's environment (sip/kchan.c): the exchange heap on the
// frame allocator, channel memory charged to the creating SIP's account,
// wake-ups on the owning SIP's wait queue.
#ifndef ISOLA_SIP_KCHAN_H
#define ISOLA_SIP_KCHAN_H

#include <isola/chan.h>
#include <isola/contract.h>
#include <sched.h>

// The contracts the kernel knows (sip/contracts.c).
void kcontracts_init(void);
// The contract with this hash, held (kcontract_put drops it), or NULL.
ISOLA_MUST_CHECK const struct contract *kcontract_get(const uint8_t hash[CONTRACT_HASH_SIZE]);
void kcontract_hold(const struct contract *c);
void kcontract_put(const struct contract *c);
// A contract by name: among extra[0..n) first, then the system's.
ISOLA_MUST_CHECK const struct contract *kcontract_by_name(const char *name, size_t len,
						  const struct contract *const *extra,
						  size_t n);
// Adds a descriptor an image carries (decoded, checked against the
// system contract of the same name) and holds it for the caller: a
// contract an image brought stays known while an image or a channel holds
// it. ERR_SIP_CONTRACT, ERR_LIMIT (the registry is full), ERR_NOMEM.
ISOLA_MUST_CHECK isola_err_t kcontract_add(const uint8_t *desc, size_t len,
					   const struct contract **out);
size_t kcontracts_report(char *buf, size_t len);
// Contracts known: the system's and those images brought.
size_t kcontracts_count(void);

// The kernel's exchange heap and channel environment (sip/kchan.c).
void kchan_init(void);
struct xheap *kchan_heap(void);
const struct chan_env *kchan_env(void);
// Points ep's wake-ups at q (the owning SIP's wait queue), or nowhere.
void kchan_set_waiter(struct chan_endpoint *ep, struct waitq *q);

#endif
