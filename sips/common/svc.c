// SPDX-License-Identifier: MIT
// Publishing, accepting and binding over the name service, and endpoint
// sets (svc.h). Messages are built as the generated headers lay them out;
// the static asserts pin that layout.
#include "svc.h"

#include <isola/err.h>
#include <ns.h>
#include <provider.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <string.h>

// publish(path, service) and bind(path, client): a block and an endpoint.
_Static_assert(sizeof(struct ns_publish) == 2 * sizeof(uint32_t), "ns.publish layout");
_Static_assert(sizeof(struct ns_bind) == 2 * sizeof(uint32_t), "ns.bind layout");
_Static_assert(sizeof(struct ns_failed) == sizeof(int32_t), "ns.failed layout");
_Static_assert(sizeof(struct provider_connect) == sizeof(uint32_t), "provider.connect layout");

void svc_log(const char *text)
{
	(void)isola_log(text, (int32_t)strlen(text));
}

int32_t svc_set_add(struct svc_set *s, uint32_t h)
{
	if (s->n >= SVC_SET_MAX)
		return -ERR_LIMIT;
	s->h[s->n] = h;
	s->data[s->n] = 0;
	s->n++;
	return 0;
}

uint32_t svc_set_take(struct svc_set *s, uint32_t i)
{
	if (i >= s->n)
		return 0;
	uint32_t h = s->h[i];

	s->n--;
	s->h[i] = s->h[s->n];
	s->data[i] = s->data[s->n];
	s->h[s->n] = 0;
	return h;
}

void svc_set_drop(struct svc_set *s, uint32_t i)
{
	uint32_t h = svc_set_take(s, i);

	if (h)
		rt_chan_close(h);
}

int32_t svc_set_wait(const struct svc_set *s, int64_t timeout_ns, uint32_t *index)
{
	if (s->n == 0) {
		if (timeout_ns > 0)
			isola_sleep_ns(timeout_ns);
		return -ERR_TIMEOUT;
	}
	return isola_chan_select(s->h, s->n, timeout_ns, index);
}

int32_t svc_bytes_make(const char *text, uint32_t n, uint32_t *blk)
{
	int32_t h = isola_blk_alloc(n, ISOLA_BLK_TYPE_BYTES);

	if (h < 0)
		return h;
	(void)isola_blk_write((uint32_t)h, 0, text, n);
	*blk = (uint32_t)h;
	return 0;
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
// answer. The end moves to the name service whatever happens.
static int32_t ns_request(uint32_t msg, const char *path, uint32_t end)
{
	uint32_t ns = sip_ns();
	uint32_t m[2] = { 0, end };
	uint32_t got = 0;
	int32_t code = 0;
	int32_t err;

	if (!ns) {
		rt_chan_close(end);
		return -ERR_NOTFOUND;
	}
	err = svc_bytes_make(path, (uint32_t)strlen(path), &m[0]);
	if (err < 0) {
		rt_chan_close(end);
		return err;
	}
	// A send to a closed name service drops the message and still moves
	// the endpoint on; the receive then reports the closure.
	(void)rt_chan_send(ns, msg, m, sizeof(m));
	if (rt_chan_recv(ns, &code, sizeof(code), &got) != 0)
		return -ERR_CLOSED;
	if (got == NS_MSG_OK)
		return 0;
	return code < 0 ? code : -ERR_INTERNAL;
}

int32_t svc_publish(const char *path, uint32_t *provider)
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
	*provider = exp;
	return 0;
}

int32_t svc_accept(uint32_t provider, const uint8_t *hash, uint32_t *client)
{
	struct isola_chan_info info;
	uint32_t end = 0;
	uint32_t got = 0;

	if (rt_chan_recv(provider, &end, sizeof(end), &got) != 0)
		return -ERR_CLOSED;
	// Side 0 is the exporting end; state 0 the contract's initial state.
	if (rt_chan_info(end, &info) != 0 || memcmp(info.hash, hash, sizeof(info.hash)) != 0 ||
	    info.side != 0 || info.state != 0) {
		rt_chan_close(end);
		return ISOLA_ENDPOINT_MISMATCH;
	}
	*client = end;
	return 0;
}

int32_t svc_set_accept(struct svc_set *s, uint32_t *provider, const uint8_t *hash,
		       uint32_t max)
{
	uint32_t client = 0;
	int32_t err = svc_accept(*provider, hash, &client);

	if (err == -ERR_CLOSED) {
		for (uint32_t i = 0; i < s->n; i++)
			if (s->h[i] == *provider)
				svc_set_drop(s, i);
		*provider = 0;
		return err;
	}
	if (err < 0)
		return err;
	if (s->n >= max || (err = svc_set_add(s, client)) < 0) {
		rt_chan_close(client);
		return err < 0 ? err : -ERR_LIMIT;
	}
	return (int32_t)s->n - 1;
}

int32_t svc_bind(const char *path, const uint8_t *hash, uint32_t *client)
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
	*client = imp;
	return 0;
}
