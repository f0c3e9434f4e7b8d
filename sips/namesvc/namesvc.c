// SPDX-License-Identifier: MIT
// The name service (channels/contracts/ns.contract). Its first endpoint is
// init's connection; each attach adds one more. One loop waits on all of
// them and answers each request at once, so no client can hold up the
// others. Paths and providers live in names.c. It logs through the kernel
// only: stdout would go to the console service, found through itself.
#include "../common/svc.h"
#include "names.h"

#include <isola/err.h>
#include <ns.h>
#include <provider.h>
#include <sip/abi.h>
#include <sip/sip.h>

// namesvc has no ns importing end: handle 1 is its first client.
SIP_NS_ENDPOINT(0);

#define NAMESVC_FIRST 1	       // the manifest's `endpoint first ns.exp@idle`
#define NAMESVC_CLIENTS_MAX 60 // connections served at once

static struct svc_set clients;

// Answers a request: ok for 0, failed(err) otherwise.
static void reply(uint32_t h, int32_t err)
{
	struct ns_failed f = { err };

	if (err == 0)
		(void)rt_chan_send(h, NS_MSG_OK, 0, 0);
	else
		(void)rt_chan_send(h, NS_MSG_FAILED, &f, sizeof(f));
}

static void on_publish(uint32_t h, uint32_t path_blk, uint32_t provider)
{
	char path[NAMES_PATH_MAX + 2];
	uint32_t len = svc_bytes_take(path_blk, path, sizeof(path));
	int32_t err = -ERR_INVAL;

	if (names_is_valid(path, len))
		err = names_add(path, provider);
	else
		rt_chan_close(provider);
	reply(h, err);
}

static void on_bind(uint32_t h, uint32_t path_blk, uint32_t client)
{
	char path[NAMES_PATH_MAX + 2];
	uint32_t len = svc_bytes_take(path_blk, path, sizeof(path));

	if (!names_is_valid(path, len)) {
		rt_chan_close(client);
		reply(h, -ERR_NOTFOUND);
		return;
	}
	reply(h, names_connect(path, client));
}

static void on_attach(uint32_t h, uint32_t client)
{
	int32_t err = -ERR_LIMIT;

	if (clients.n < NAMESVC_CLIENTS_MAX)
		err = svc_set_add(&clients, client);
	else
		rt_chan_close(client);
	reply(h, err < 0 ? err : 0);
}

// Answers list with names(text); false if no block could be made (the
// state allows no other answer, so the connection must close).
static bool on_list(uint32_t h)
{
	char text[NAMES_MAX * (NAMES_PATH_MAX + 1)];
	uint32_t n = names_list(text, sizeof(text));

	// A block is never empty: an empty table is one empty line.
	if (n == 0)
		text[n++] = '\n';
	int32_t blk = svc_bytes_make(text, n);
	if (blk < 0)
		return false;
	(void)rt_chan_send(h, NS_MSG_NAMES, &blk, sizeof(blk));
	return true;
}

// Receives and answers one request on h; false when h is to be closed.
static bool serve(uint32_t h)
{
	// The largest request is two handles (publish, bind).
	uint32_t m[2] = { 0, 0 };
	uint32_t msg = 0;

	if (rt_chan_recv(h, m, sizeof(m), &msg) != 0)
		return false;
	switch (msg) {
	case NS_MSG_PUBLISH:
		on_publish(h, m[0], m[1]);
		return true;
	case NS_MSG_BIND:
		on_bind(h, m[0], m[1]);
		return true;
	case NS_MSG_ATTACH:
		on_attach(h, m[0]);
		return true;
	case NS_MSG_LIST:
		return on_list(h);
	}
	return false; // the kernel delivers only what the contract allows
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	(void)svc_set_add(&clients, NAMESVC_FIRST);
	svc_log("namesvc: ready");
	while (clients.n > 0) {
		uint32_t i = 0;

		if (svc_set_wait(&clients, -1, &i) < 0 || i >= clients.n)
			continue;
		uint32_t h = isola_eset_take(clients.key[i], 0);
		bool keep = serve(h);

		clients.key[i] = isola_eset_put(h);
		if (!keep)
			svc_set_drop(&clients, i);
	}
	// Nobody can reach the name service any more.
	svc_log("namesvc: no clients left");
	return 0;
}
