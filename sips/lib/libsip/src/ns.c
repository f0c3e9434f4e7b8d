// SPDX-License-Identifier: MIT
// The SIP's name-service endpoint (docs/libsip.md): the initial one
// (handle sip_ns_endpoint, checked with chan_info before first use) or the
// one a SIP adopts (parked in its endpoint set, so no handle is kept in
// memory), and the requests libsip makes on it for the SIP: bind and
// publish (sip_ns_bind, sip_ns_publish, and stdout's bind of /svc/console).
// A request takes the endpoint, tells the kernel (and so the verifier)
// its contract with chan_expect, sends, waits for the answer and gives
// the endpoint back idle: code that uses only these never holds it.
#include "rt.h"
#include "sip_internal.h"

#include <isola/err.h>
#include <contracts/ns.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <string.h>

enum link_state { LINK_UNTRIED, LINK_BOUND, LINK_NONE };

static struct {
	enum link_state st; // the initial endpoint checked (BOUND: usable), or not yet
	uint32_t handle;    // the initial ns endpoint (never parked)
	bool adopted;	    // sip_ns_adopt has been called: key is used
	uint32_t key;	    // the adopted end's key; 0 while it is taken
} ns_link;

static const uint8_t ns_hash[32] = NS_CONTRACT_HASH;

static bool is_ns_endpoint(uint32_t h)
{
	struct isola_chan_info info;

	if (rt_chan_info(h, &info) != 0)
		return false;
	// Side 1: the importing end; state 0: idle, the initial state.
	return memcmp(info.hash, ns_hash, sizeof(ns_hash)) == 0 && info.side == 1 &&
	       info.state == 0 && !info.closed;
}

uint32_t sip_ns(void)
{
	if (ns_link.st == LINK_UNTRIED) {
		uint32_t h = sip_ns_endpoint;

		ns_link.st = h && is_ns_endpoint(h) ? LINK_BOUND : LINK_NONE;
		ns_link.handle = ns_link.st == LINK_BOUND ? h : 0;
	}
	return ns_link.st == LINK_BOUND ? ns_link.handle : 0;
}

uint32_t sip_ns_take(void)
{
	if (!ns_link.adopted)
		return sip_ns();
	uint32_t key = ns_link.key;

	ns_link.key = 0;
	return key ? isola_eset_take(key, ns_hash) : 0;
}

void sip_ns_give(uint32_t ns)
{
	struct isola_chan_info info;

	if (!ns_link.adopted || !ns || ns_link.key)
		return;
	// A name service that has gone leaves the end half way through a
	// request: no one may use it again.
	if (rt_chan_info(ns, &info) != 0 || info.closed)
		rt_chan_close(ns);
	else
		ns_link.key = isola_eset_put(ns);
}

void sip_ns_adopt(uint32_t ns)
{
	uint32_t old = ns_link.adopted && ns_link.key ? isola_eset_take(ns_link.key, 0) : 0;

	rt_chan_close(old);
	ns_link.adopted = true;
	ns_link.key = isola_eset_put(ns);
}

void rt_ns_forget(uint32_t h)
{
	uint32_t ns = ns_link.st == LINK_UNTRIED ? sip_ns_endpoint : ns_link.handle;

	if (h && h == ns) {
		ns_link.st = LINK_NONE;
		ns_link.handle = 0;
	}
}

// The answer to a request on ns; gives the endpoint back when it is idle
// again. A closed name service has released it: it is forgotten.
static int32_t ns_answer(struct ns_imp_replying ns)
{
	struct ns_imp_replying_msg m = ns_imp_replying_recv(ns);

	switch (m.tag) {
	case NS_IMP_REPLYING_OK:
		sip_ns_give(m.ok.ep.h);
		return 0;
	case NS_IMP_REPLYING_FAILED:
		sip_ns_give(m.failed.ep.h);
		return m.failed.code < 0 ? m.failed.code : -ERR_INTERNAL;
	case NS_IMP_REPLYING_CLOSED:
		break;
	}
	rt_ns_forget(ns_link.handle);
	return -ERR_CLOSED;
}

int32_t rt_ns_request(bool publish, const char *path, uint32_t end)
{
	uint32_t h = sip_ns_take();

	if (!h) {
		rt_chan_close(end);
		return -ERR_CLOSED;
	}
	// sip_ns_take gives an ns end (sip_ns checked it, eset_take checks
	// the contract); saying so lets the verifier follow the request.
	struct ns_imp_idle ns = { isola_chan_expect(h, ns_hash) };
	struct sip_bytes_made p = sip_bytes_from_str(path);

	if (p.err != 0) {
		sip_bytes_free(p.bytes);
		rt_chan_close(end);
		sip_ns_give(ns.h);
		return p.err;
	}
	if (publish)
		return ns_answer(ns_imp_idle_send_publish(ns, p.bytes, (struct provider_imp){ end }));
	return ns_answer(ns_imp_idle_send_bind(ns, p.bytes, (struct isola_endpoint){ end }));
}

int32_t sip_ns_bind(const char *path, struct isola_endpoint client)
{
	return rt_ns_request(false, path, client.h);
}

int32_t sip_ns_publish(const char *path, struct provider_imp service)
{
	return rt_ns_request(true, path, service.h);
}
