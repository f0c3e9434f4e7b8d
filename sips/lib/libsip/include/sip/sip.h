// SPDX-License-Identifier: MIT
// Isola-specific helpers of libsip (docs/libsip.md): stdout control, the
// SIP's name-service endpoint and the bind and publish requests on it,
// and bytes blocks made from and read into C buffers. Includes the
// generated console and provider headers (the contract prelude: struct
// isola_bytes, rt_chan_*, struct isola_chan_info; struct provider_imp),
// so the folder of generated contract headers must be on the include
// path.
#ifndef SIP_SIP_H
#define SIP_SIP_H

#include <stddef.h>
#include <stdint.h>
#include <isola/linear.h>
#include <sip/cdefs.h>
#include <contracts/console.h>
#include <contracts/provider.h>

// Exit statuses libsip uses for its own failure paths.
#define SIP_EXIT_CONTRACT 134 // sip_contract_failed()
#define SIP_EXIT_ASSERT 135   // a failed assert()
#define SIP_EXIT_ABORT 136    // abort()

// Sends what stdout holds to the console (or the kernel log).
void sip_flush(void);

// The handle of the SIP's name-service endpoint (contract ns, importing
// side), or 0 when the SIP has none or it is closed. By convention it is
// the manifest's first endpoint (`endpoint ns ns.imp@idle`), handle 1. A
// SIP whose ns endpoint is elsewhere, or that has none, says so once at
// file scope: SIP_NS_ENDPOINT(0); (or the handle number). libsip checks
// the endpoint with rt_chan_info before using it; naming a handle that
// does not exist stops the SIP.
//
// The endpoint stays libsip's to share: code that sends a request on it
// must receive the answer before anything else writes to stdout, so it is
// in state idle whenever libsip uses it.
uint32_t sip_ns(void);
extern const uint32_t sip_ns_endpoint;
#define SIP_NS_ENDPOINT(h) const uint32_t sip_ns_endpoint = (h)

// The handle of the SIP's process manager (`endpoint pm procmgr` in its
// manifest), or 0, the default, when it has none. A SIP that has one and
// says so once at file scope, SIP_PM_ENDPOINT(2); (the handle number: the
// manifest's second endpoint is handle 2), can open the initrd's files
// read-only under /initrd with the C library (docs/libsip.md).
extern const uint32_t sip_pm_endpoint;
#define SIP_PM_ENDPOINT(h) const uint32_t sip_pm_endpoint = (h)

// A SIP that makes its ns connection itself (init) hands it to libsip with
// sip_ns_adopt (closing one adopted before); libsip parks it in the SIP's
// endpoint set, so no handle is kept in memory (docs/abi.md). ns must be
// a valid handle. From then on sip_ns_take takes it out (its handle, or 0
// while it is out or gone) and sip_ns_give gives it back; without an
// adopted end, sip_ns_take is sip_ns() and sip_ns_give does nothing. As
// with sip_ns, give it back idle, before anything writes to stdout. An end
// whose name service has gone is closed instead of kept.
void sip_ns_adopt(uint32_t ns);
uint32_t sip_ns_take(void);
void sip_ns_give(uint32_t ns);

// Binds path through the name service: sends client, an endpoint of any
// contract (usually the exporting end of a new channel, given with the
// generated NAME_exp_STATE_to_any), with ns.bind over the SIP's ns
// endpoint and waits for the answer; whoever published path gets client.
// client is consumed whatever happens (closed when the request cannot be
// made). Returns 0, or a negative error: the name service's
// (-ERR_NOTFOUND: nobody published path), -ERR_CLOSED when the SIP has no
// name service (no ns endpoint, or it has gone), or the error of making
// the path's block. The ns endpoint stays libsip's: printing before or
// after is safe.
int32_t sip_ns_bind(const char *path, struct isola_endpoint client) ISOLA_MUST_CHECK;
// Publishes path: sends service, the importing end of a provider channel
// (provider_create), with ns.publish; clients that bind path then arrive
// as connect(client) on the exporting end, which the caller keeps.
// service is consumed whatever happens. Returns 0 or a negative error, as
// sip_ns_bind (-ERR_EXISTS: path is published already).
int32_t sip_ns_publish(const char *path, struct provider_imp service) ISOLA_MUST_CHECK;

// The k-th initial endpoint (manifest order, from 0) as an endpoint of
// any contract: handle k + 1 (docs/abi.md, "Handles"). Cast it with the
// generated NAME_SIDE_STATE_from_any, which checks contract, side and
// state and closes it on a mismatch. Call it once per endpoint.
struct isola_endpoint sip_start_endpoint(uint32_t k);

// A new bytes block. err != 0 (a negative error code): no block, and
// bytes holds handle 0, which sip_bytes_free accepts.
struct sip_bytes_made {
	int32_t err;
	struct isola_bytes bytes;
};
// A block holding a copy of buf[0..n). A block holds 1 byte or more
// (docs/abi.md): n == 0 fails with -ERR_XHEAP_SIZE.
struct sip_bytes_made sip_bytes_make(const void *buf, uint32_t n);
// A block holding the characters of s, without its terminator; the empty
// string gives a block of one NUL byte, which sip_bytes_read_str reads
// back as "" (a block cannot be empty).
struct sip_bytes_made sip_bytes_from_str(const char *s);
// The block's length in bytes.
uint32_t sip_bytes_len(ISOLA_BORROWED struct isola_bytes b);
// Copies the first min(len, size) bytes of b to buf; returns that count.
uint32_t sip_bytes_read(ISOLA_BORROWED struct isola_bytes b, void *buf, uint32_t size);
// Copies b into buf as a string, cut to size - 1 bytes and terminated
// (size >= 1); returns the block's full length (>= size: it was cut).
uint32_t sip_bytes_read_str(ISOLA_BORROWED struct isola_bytes b, char *buf, uint32_t size);
// Frees the block (handle 0: does nothing).
void sip_bytes_free(struct isola_bytes b);

#endif
