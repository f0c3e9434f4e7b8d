// SPDX-License-Identifier: MIT
// Services and their clients on the name service (docs/abi.md,
// channels/contracts/ns.contract): publishing a path and taking the
// connections that arrive on it, binding a path, and a set of endpoints to
// wait on together. Shared by the system SIPs (console, timer, hello,
// shell); none of it writes to stdout, so the console service may use it.
//
// A service's endpoints live in the SIP's endpoint set (isola_eset_put,
// docs/abi.md): the service keeps their keys, which are plain numbers,
// and takes an endpoint out only for as long as one request takes. So no
// handle is ever kept in memory, and the verifier's ownership analysis
// follows every handle these functions make or take (docs/verifier-
// rules.md). The kernel still checks every send and receive against the
// contract.
#ifndef SIPS_COMMON_SVC_H
#define SIPS_COMMON_SVC_H

#include <isola/compiler.h>
#include <stdbool.h>
#include <stdint.h>

// The most endpoints one set holds (eset_select waits on at most 64).
#define SVC_SET_MAX 64

// The most connections one client (one name-service connection) may hold
// to one service at once, and one principal (a service or session, with
// every SIP it started) (svc_set_accept).
#define SVC_PER_CLIENT_MAX 8
#define SVC_PER_PRINCIPAL_MAX 32

// Endpoints waited on together: key[0..n) are keys of parked endpoints,
// provider[i] says the one at i takes connections (svc_publish), from[i]
// is who the connection came from (SVC_FROM: the name service's ids of
// the client and its principal; 0 for the service's own), and data[i] is
// a word the owner keeps with it (a state, a deadline).
struct svc_set {
	uint32_t n;
	uint32_t key[SVC_SET_MAX];
	bool provider[SVC_SET_MAX];
	uint64_t from[SVC_SET_MAX];
	int64_t data[SVC_SET_MAX];
};

// A connection's origin: its principal above, its client below.
#define SVC_FROM(client, principal) ((uint64_t)(principal) << 32 | (client))
#define SVC_PRINCIPAL(from) ((uint32_t)((from) >> 32))

// Parks endpoint ep at the end of the set with data 0 and returns its
// position; when the set is full, ep is closed and -ERR_LIMIT returned.
int32_t svc_set_add(struct svc_set *s, uint32_t ep) ISOLA_MUST_CHECK;
// Removes position i and returns its endpoint's handle, which the caller
// now holds; the last entry (with its data) takes its place.
uint32_t svc_set_take(struct svc_set *s, uint32_t i);
// Removes position i, as svc_set_take, and closes its endpoint.
void svc_set_drop(struct svc_set *s, uint32_t i);
// Waits at most timeout_ns (negative: no limit) until the endpoint at some
// position has a message or a closed peer; writes the position to *index.
// 0, or -ERR_TIMEOUT. Every endpoint must be in a state that receives:
// waiting on one whose state must send stops the SIP (ERR_CHAN_PROTOCOL).
int32_t svc_set_wait(const struct svc_set *s, int64_t timeout_ns, uint32_t *index) ISOLA_MUST_CHECK;
// Receives on the endpoint at position i (rt_chan_recv); it stays in the
// set. Nonzero when its peer has closed: the caller drops it.
int32_t svc_set_recv(struct svc_set *s, uint32_t i, void *buf, uint32_t size,
		     uint32_t *msg) ISOLA_MUST_CHECK;
// Sends on the endpoint at position i, waiting (chan_send) or not
// (chan_try_send, which may return -ERR_AGAIN); it stays in the set.
int32_t svc_set_send(struct svc_set *s, uint32_t i, uint32_t msg,
		     const void *payload, uint32_t size, bool wait) ISOLA_MUST_CHECK;

// Whether the endpoint parked under *key (isola_eset_put) is still
// there to talk to: its peer has not closed. It stays parked, under the
// new key written to *key.
bool svc_parked_open(uint32_t *key) ISOLA_MUST_CHECK;

// Publishes path with the name service over the SIP's ns endpoint
// (sip_ns_take()): makes a provider channel, sends publish(path, imp)
// and, on ok, parks the exporting end in s as a provider, on which
// svc_set_accept takes clients; returns its position. -ERR_NOTFOUND
// without an ns endpoint, the name service's failed code (-ERR_EXISTS,
// ...), or a channel error.
int32_t svc_publish(struct svc_set *s, const char *path) ISOLA_MUST_CHECK;

// Receives the next connect(client, from) on the provider at position i
// of s and checks that the client end is an exporting end of the contract
// with the given 32-byte hash in its initial state; adds it to s while s
// holds fewer than max entries and the client `from` fewer than
// SVC_PER_CLIENT_MAX of them and its principal fewer than
// SVC_PER_PRINCIPAL_MAX (else it is closed: the client sees its
// connection closed). Returns the client's position, or a negative error:
// -ERR_CLOSED when the provider channel is closed (the provider has been
// dropped from s), ISOLA_ENDPOINT_MISMATCH when the end was of another
// kind (it is closed), -ERR_LIMIT, -ERR_BUSY (the client's quota).
int32_t svc_set_accept(struct svc_set *s, uint32_t i, const uint8_t *hash, uint32_t max) ISOLA_MUST_CHECK;

// Binds path: makes a channel of the contract with the given hash, sends
// its exporting end with bind(path, client) over the SIP's ns endpoint
// and, on ok, returns the importing end's handle. Errors as svc_publish.
// Call it only with stdout flushed (libsip shares the ns endpoint).
int32_t svc_bind(const char *path, const uint8_t *hash) ISOLA_MUST_CHECK;

// A new bytes block holding text[0..n) (n >= 1): its handle, or a
// negative error.
int32_t svc_bytes_make(const char *text, uint32_t n) ISOLA_MUST_CHECK;
// Copies bytes block blk into buf as a string (cut to size - 1 bytes and
// terminated, size >= 1) and frees the block; returns the block's length.
uint32_t svc_bytes_take(uint32_t blk, SIP_COUNT(size) char *buf, uint32_t size);

// One kernel log line (isola_log): for the SIPs that must not use stdout.
void svc_log(const char *text);

#endif
