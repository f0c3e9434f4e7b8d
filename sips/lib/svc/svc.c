// SPDX-License-Identifier: MIT
// Publishing, accepting and binding over the name service, and endpoint
// sets (svc.h). Messages are built as the generated headers lay them out;
// the static asserts pin that layout.
#include "svc.h"

#include <isola/err.h>
#include <contracts/ns.h>
#include <contracts/provider.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <string.h>

static const uint8_t ns_hash[32] = NS_CONTRACT_HASH;

// publish(path, service) and bind(path, client): a block and an endpoint.
_Static_assert(sizeof(struct ns_publish) == 2 * sizeof(uint32_t), "ns.publish layout");
_Static_assert(sizeof(struct ns_bind) == 2 * sizeof(uint32_t), "ns.bind layout");
_Static_assert(sizeof(struct ns_failed) == sizeof(int32_t), "ns.failed layout");
_Static_assert(sizeof(struct provider_connect) == 3 * sizeof(uint32_t), "provider.connect layout");

void svc_log(const char *text)
{
	(void)isola_log(text, (int32_t)strlen(text));
}

int32_t svc_set_add(struct svc_set *s, uint32_t ep)
{
	if (s->n >= SVC_SET_MAX) {
		rt_chan_close(ep);
		return -ERR_LIMIT;
	}
	s->key[s->n] = isola_eset_put(ep);
	s->provider[s->n] = false;
	s->from[s->n] = 0;
	s->data[s->n] = 0;
	return (int32_t)s->n++;
}

// Forgets position i (its endpoint already out of the set): the last
// entry takes its place.
static void set_remove(struct svc_set *s, uint32_t i)
{
	s->n--;
	s->key[i] = s->key[s->n];
	s->provider[i] = s->provider[s->n];
	s->from[i] = s->from[s->n];
	s->data[i] = s->data[s->n];
}

uint32_t svc_set_take(struct svc_set *s, uint32_t i)
{
	if (i >= s->n)
		return 0;
	uint32_t ep = isola_eset_take(s->key[i], 0);

	set_remove(s, i);
	return ep;
}

void svc_set_drop(struct svc_set *s, uint32_t i)
{
	rt_chan_close(svc_set_take(s, i));
}

int32_t svc_set_wait(const struct svc_set *s, int64_t timeout_ns, uint32_t *index)
{
	if (s->n == 0) {
		if (timeout_ns > 0)
			isola_sleep_ns(timeout_ns);
		return -ERR_TIMEOUT;
	}
	return isola_eset_select(s->key, s->n, timeout_ns, index);
}

int32_t svc_set_recv(struct svc_set *s, uint32_t i, void *buf, uint32_t size,
		     uint32_t *msg)
{
	if (i >= s->n)
		return -ERR_INVAL;
	uint32_t ep = isola_eset_take(s->key[i], 0);
	int32_t err = rt_chan_recv(ep, buf, size, msg);

	s->key[i] = isola_eset_put(ep);
	return err;
}

int32_t svc_set_send(struct svc_set *s, uint32_t i, uint32_t msg,
		     const void *payload, uint32_t size, bool wait)
{
	if (i >= s->n)
		return -ERR_INVAL;
	uint32_t ep = isola_eset_take(s->key[i], 0);
	int32_t err = wait ? isola_chan_send(ep, msg, payload, size)
			   : isola_chan_try_send(ep, msg, payload, size);

	s->key[i] = isola_eset_put(ep);
	return err;
}

bool svc_parked_open(uint32_t *key)
{
	struct isola_chan_info info;
	uint32_t h = isola_eset_take(*key, 0);
	bool open = rt_chan_info(h, &info) == 0 && !info.closed;

	*key = isola_eset_put(h);
	return open;
}

int32_t svc_bytes_make(const char *text, uint32_t n)
{
	int32_t h = isola_blk_alloc(n, ISOLA_BLK_TYPE_BYTES);

	if (h >= 0)
		(void)isola_blk_write((uint32_t)h, 0, text, n);
	return h;
}

uint32_t svc_bytes_take(uint32_t blk, SIP_COUNT(size) char *buf, uint32_t size)
{
	uint32_t len = (uint32_t)isola_blk_len(blk);
	uint32_t n = len < size - 1 ? len : size - 1;

	(void)isola_blk_read(blk, 0, buf, n);
	buf[n] = '\0';
	(void)isola_blk_free(blk);
	return len;
}

// Sends publish or bind (path, end) over the ns endpoint and waits for the
// answer. The end moves to the name service whatever happens. Inlined, so
// that msg is a constant where the message is sent (the verifier then
// knows which fields it moves).
static inline __attribute__((always_inline)) int32_t ns_request(uint32_t msg, const char *path, uint32_t end)
{
	uint32_t ns = sip_ns_take();
	uint32_t m[2] = { 0, end };
	uint32_t got = 0;
	int32_t code = 0;
	int32_t blk;

	if (!ns) {
		rt_chan_close(end);
		return -ERR_NOTFOUND;
	}
	ns = isola_chan_expect(ns, ns_hash);
	blk = svc_bytes_make(path, (uint32_t)strlen(path));
	if (blk < 0) {
		rt_chan_close(end);
		sip_ns_give(ns);
		return blk;
	}
	m[0] = (uint32_t)blk;
	// A send to a closed name service drops the message and still moves
	// the endpoint on; the receive then reports the closure.
	(void)rt_chan_send(ns, msg, m, sizeof(m));
	int32_t closed = rt_chan_recv(ns, &code, sizeof(code), &got);

	sip_ns_give(ns);
	if (closed != 0)
		return -ERR_CLOSED;
	if (got == NS_MSG_OK)
		return 0;
	return code < 0 ? code : -ERR_INTERNAL;
}

int32_t svc_publish(struct svc_set *s, const char *path)
{
	static const uint8_t hash[32] = PROVIDER_CONTRACT_HASH;
	uint32_t exp = 0;
	uint32_t imp = 0;
	int32_t err = rt_chan_create(hash, &exp, &imp);

	if (err < 0)
		return err;
	err = ns_request(NS_MSG_PUBLISH, path, imp);
	if (err < 0) {
		rt_chan_close(exp);
		return err;
	}
	err = svc_set_add(s, exp);
	if (err >= 0)
		s->provider[err] = true;
	return err;
}

// Receives the next connect(client) on provider and checks the client end
// (svc_set_accept); returns its handle or a negative error, and the
// client it came from in *from (SVC_FROM).
static int32_t accept_one(uint32_t provider, const uint8_t *hash, uint64_t *from)
{
	struct isola_chan_info info;
	uint32_t connect[3] = { 0, 0, 0 }; // struct provider_connect
	uint32_t got = 0;

	if (rt_chan_recv(provider, connect, sizeof(connect), &got) != 0)
		return -ERR_CLOSED;
	uint32_t end = connect[0];

	*from = SVC_FROM(connect[1], connect[2]);
	// Side 0 is the exporting end; state 0 the contract's initial state.
	if (rt_chan_info(end, &info) != 0 || memcmp(info.hash, hash, sizeof(info.hash)) != 0 ||
	    info.side != 0 || info.state != 0) {
		rt_chan_close(end);
		return ISOLA_ENDPOINT_MISMATCH;
	}
	return (int32_t)end;
}

int32_t svc_set_accept(struct svc_set *s, uint32_t i, const uint8_t *hash, uint32_t max)
{
	if (i >= s->n || !s->provider[i])
		return -ERR_INVAL;
	uint32_t provider = isola_eset_take(s->key[i], 0);
	uint64_t from = 0;
	int32_t client = accept_one(provider, hash, &from);

	if (client == -ERR_CLOSED) {
		rt_chan_close(provider);
		set_remove(s, i);
		return client;
	}
	s->key[i] = isola_eset_put(provider);
	if (client < 0)
		return client;
	uint32_t held = 0, shared = 0;

	for (uint32_t k = 0; k < s->n; k++) {
		held += !s->provider[k] && s->from[k] == from;
		shared += !s->provider[k] && SVC_PRINCIPAL(s->from[k]) == SVC_PRINCIPAL(from);
	}
	if (s->n >= max || held >= SVC_PER_CLIENT_MAX || shared >= SVC_PER_PRINCIPAL_MAX) {
		rt_chan_close((uint32_t)client);
		return s->n >= max ? -ERR_LIMIT : -ERR_BUSY;
	}
	int32_t at = svc_set_add(s, (uint32_t)client);

	if (at >= 0)
		s->from[at] = from;
	return at;
}

int32_t svc_bind(const char *path, const uint8_t *hash)
{
	uint32_t exp = 0;
	uint32_t imp = 0;
	int32_t err = rt_chan_create(hash, &exp, &imp);

	if (err < 0)
		return err;
	err = ns_request(NS_MSG_BIND, path, exp);
	if (err < 0) {
		rt_chan_close(imp);
		return err;
	}
	return (int32_t)imp;
}
