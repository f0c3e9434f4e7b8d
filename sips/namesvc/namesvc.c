// SPDX-License-Identifier: MIT
// The name service (channels/contracts/ns.contract). Its first endpoint is
// init's connection; each attach adds one more. One loop waits on all of
// them and answers each request at once, so no client can hold up the
// others. Quotas keep one client from taking what the others need. A
// connection's principal is who it counts against: a connection init's
// attached (a service, the session) or one that such a connection
// attached (a SIP the session or a service started) is a principal of
// its own, and any deeper one shares its attacher's (init's own, the
// first, is the system's and has no quotas). A connection may have at
// most NAMESVC_ATTACH_MAX connections it attached open at once, a
// principal at most NAMESVC_PRINCIPAL_MAX connections in all and
// NAMES_PER_CLIENT paths, and only init may take the last
// NAMESVC_RESERVE places; past any of these the client hears busy.
// Services hear each connection's client and principal with it
// (provider.connect) and keep their own quotas by them.
// Paths and providers live in names.c. It logs through the kernel only:
// stdout would go to the console service, found through itself.
#include <svc/svc.h>
#include "names.h"

#include <isola/err.h>
#include <contracts/ns.h>
#include <contracts/provider.h>
#include <sip/abi.h>
#include <sip/sip.h>

// namesvc has no ns importing end: handle 1 is its first client.
SIP_NS_ENDPOINT(0);

#define NAMESVC_FIRST 1	       // the manifest's `endpoint first ns.exp@idle`
#define NAMESVC_CLIENTS_MAX 60 // connections served at once
#define NAMESVC_ATTACH_MAX 20  // open connections one connection attached
#define NAMESVC_PRINCIPAL_MAX 24 // open connections one principal has
#define NAMESVC_RESERVE 6      // places only init's connection may fill
#define NAMESVC_ROOT 1	       // the client id of init's connection

// clients.data[i] holds the client id of connection i in its low 32 bits
// and the id of the connection that attached it above them;
// clients.from[i] its client and principal (SVC_FROM).
static struct svc_set clients;
static uint32_t next_client = NAMESVC_ROOT + 1;

static uint32_t principal(uint32_t i)
{
	return SVC_PRINCIPAL(clients.from[i]);
}

// How many open connections principal p has.
static uint32_t held_by(uint32_t p)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < clients.n; i++)
		n += principal(i) == p;
	return n;
}

static uint32_t client_id(uint32_t i)
{
	return (uint32_t)clients.data[i];
}

static uint32_t client_parent(uint32_t i)
{
	return (uint32_t)((uint64_t)clients.data[i] >> 32);
}

// How many open connections the client with this id has attached.
static uint32_t attached_by(uint32_t id)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < clients.n; i++)
		n += client_parent(i) == id;
	return n;
}

// Answers a request: ok for 0, failed(err) otherwise.
static void reply(uint32_t h, int32_t err)
{
	struct ns_failed f = { err };

	if (err == 0)
		(void)rt_chan_send(h, NS_MSG_OK, 0, 0);
	else
		(void)rt_chan_send(h, NS_MSG_FAILED, &f, sizeof(f));
}

static void on_publish(uint32_t i, uint32_t h, uint32_t path_blk, uint32_t provider)
{
	char path[NAMES_PATH_MAX + 2];
	uint32_t len = svc_bytes_take(path_blk, path, sizeof(path));
	int32_t err = -ERR_INVAL;

	// A service init started (its connection attached by init's) keeps
	// its paths while it is started again.
	bool system = client_id(i) == NAMESVC_ROOT || client_parent(i) == NAMESVC_ROOT;

	if (names_is_valid(path, len))
		err = names_add(path, provider, principal(i), system);
	else
		rt_chan_close(provider);
	reply(h, err);
}

static void on_bind(uint32_t i, uint32_t h, uint32_t path_blk, uint32_t client)
{
	char path[NAMES_PATH_MAX + 2];
	uint32_t len = svc_bytes_take(path_blk, path, sizeof(path));

	if (!names_is_valid(path, len)) {
		rt_chan_close(client);
		reply(h, -ERR_NOTFOUND);
		return;
	}
	reply(h, names_connect(path, client, client_id(i), principal(i)));
}

// Whether the connection at position i may attach one more: its own
// quota, its principal's, and the places kept for init.
static bool may_attach(uint32_t i)
{
	uint32_t id = client_id(i);

	if (id == NAMESVC_ROOT)
		return true;
	return attached_by(id) < NAMESVC_ATTACH_MAX &&
	       held_by(principal(i)) < NAMESVC_PRINCIPAL_MAX &&
	       clients.n + NAMESVC_RESERVE < NAMESVC_CLIENTS_MAX;
}

// A new connection from the one at position i: refused with busy past
// the quotas, with -ERR_LIMIT when the service is full.
static void on_attach(uint32_t i, uint32_t h, uint32_t client)
{
	uint32_t id = client_id(i);
	int32_t err = -ERR_LIMIT;

	if (!may_attach(i))
		err = -ERR_BUSY;
	else if (clients.n < NAMESVC_CLIENTS_MAX)
		err = svc_set_add(&clients, client);
	if (err >= 0) {
		uint32_t new_id = next_client++;

		clients.data[err] = (int64_t)((uint64_t)id << 32 | new_id);
		bool own = id == NAMESVC_ROOT || client_parent(i) == NAMESVC_ROOT;

		clients.from[err] = SVC_FROM(new_id, own ? new_id : principal(i));
	} else {
		rt_chan_close(client);
	}
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

// Receives and answers one request on h, the connection at position i;
// false when h is to be closed.
static bool serve(uint32_t i, uint32_t h)
{
	// The largest request is two handles (publish, bind).
	uint32_t m[2] = { 0, 0 };
	uint32_t msg = 0;

	if (rt_chan_recv(h, m, sizeof(m), &msg) != 0)
		return false;
	switch (msg) {
	case NS_MSG_PUBLISH:
		on_publish(i, h, m[0], m[1]);
		return true;
	case NS_MSG_BIND:
		on_bind(i, h, m[0], m[1]);
		return true;
	case NS_MSG_ATTACH:
		on_attach(i, h, m[0]);
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
	clients.data[0] = NAMESVC_ROOT;
	clients.from[0] = SVC_FROM(NAMESVC_ROOT, NAMESVC_ROOT);
	svc_log("namesvc: ready");
	while (clients.n > 0) {
		uint32_t i = 0;

		if (svc_set_wait(&clients, -1, &i) < 0 || i >= clients.n)
			continue;
		uint32_t h = isola_eset_take(clients.key[i], 0);
		bool keep = serve(i, h);

		clients.key[i] = isola_eset_put(h);
		if (!keep)
			svc_set_drop(&clients, i);
	}
	// Nobody can reach the name service any more.
	svc_log("namesvc: no clients left");
	return 0;
}
