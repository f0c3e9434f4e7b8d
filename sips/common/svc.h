// SPDX-License-Identifier: MIT
// Services and their clients on the name service (docs/abi.md,
// channels/contracts/ns.contract): publishing a path and taking the
// connections that arrive on it, binding a path, and a set of endpoints to
// wait on together. Shared by the system SIPs (console, timer, hello,
// shell); none of it writes to stdout, so the console service may use it.
//
// Endpoints here are raw handle numbers, not the linear types of the
// contract headers: a service keeps a changing number of client ends, and
// the checked-C rules keep linear handles out of arrays (CC010). The
// kernel still checks every send and receive against the contract.
#ifndef SIPS_COMMON_SVC_H
#define SIPS_COMMON_SVC_H

#include <stdbool.h>
#include <stdint.h>

// The most endpoints one set holds (chan_select waits on at most 64).
#define SVC_SET_MAX 64

// Endpoints waited on together; h[0..n) are open handles, and data[i] a
// word the owner keeps with h[i] (a state, a deadline).
struct svc_set {
	uint32_t n;
	uint32_t h[SVC_SET_MAX];
	int64_t data[SVC_SET_MAX];
};

// Adds h with data 0; -ERR_LIMIT (h untouched) when the set is full.
int32_t svc_set_add(struct svc_set *s, uint32_t h);
// Removes the endpoint at position i and returns its handle, which the
// caller now keeps; the last one (with its data) takes its place.
uint32_t svc_set_take(struct svc_set *s, uint32_t i);
// Removes the endpoint at position i, as svc_set_take, and closes it.
void svc_set_drop(struct svc_set *s, uint32_t i);
// Waits at most timeout_ns (negative: no limit) until the endpoint at some
// position has a message or a closed peer; writes the position to *index.
// 0, or -ERR_TIMEOUT. Every endpoint must be in a state that receives:
// waiting on one whose state must send stops the SIP (ERR_CHAN_PROTOCOL).
int32_t svc_set_wait(const struct svc_set *s, int64_t timeout_ns, uint32_t *index);

// Publishes path with the name service over the SIP's ns endpoint
// (sip_ns()): makes a provider channel, sends publish(path, imp) and, on
// ok, writes the exporting end to *provider, on which svc_accept takes
// clients. -ERR_NOTFOUND without an ns endpoint, the name service's
// failed code (-ERR_EXISTS, ...), or a channel error.
int32_t svc_publish(const char *path, uint32_t *provider);

// Receives the next connect(client) on a provider end and checks that the
// client end is an exporting end of the contract with the given 32-byte
// hash in its initial state; writes it to *client. -ERR_CLOSED when the
// provider channel is closed (the caller still closes the provider end),
// ISOLA_ENDPOINT_MISMATCH when the end was of another kind (it is closed).
int32_t svc_accept(uint32_t provider, const uint8_t *hash, uint32_t *client);

// svc_accept on *provider, an entry of s, and adds the client to s while
// s holds fewer than max entries (else the client is closed). Returns the
// client's index in s, or a negative error; on -ERR_CLOSED the provider
// has been dropped from s and *provider is 0.
int32_t svc_set_accept(struct svc_set *s, uint32_t *provider, const uint8_t *hash,
		       uint32_t max);

// Binds path: makes a channel of the contract with the given hash, sends
// its exporting end with bind(path, client) over the SIP's ns endpoint
// and, on ok, writes the importing end to *client. Errors as svc_publish.
// Call it only with stdout flushed (libsip shares the ns endpoint).
int32_t svc_bind(const char *path, const uint8_t *hash, uint32_t *client);

// A new bytes block holding text[0..n) (n >= 1); its handle goes to *blk.
int32_t svc_bytes_make(const char *text, uint32_t n, uint32_t *blk);
// Copies bytes block blk into buf as a string (cut to size - 1 bytes and
// terminated, size >= 1) and frees the block; returns the block's length.
uint32_t svc_bytes_take(uint32_t blk, SIP_COUNT(size) char *buf, uint32_t size);

// One kernel log line (isola_log): for the SIPs that must not use stdout.
void svc_log(const char *text);

#endif
