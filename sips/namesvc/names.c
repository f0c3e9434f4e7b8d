// SPDX-License-Identifier: MIT
// The name table (names.h): a fixed array of paths and provider ends.
// The ends are parked in the SIP's endpoint set; the table keeps their
// keys. A provider whose service has ended is noticed when its path is
// looked up, listed or published again, and its slot is reused.
#include "names.h"

#include <svc/svc.h>

#include <contracts/console.h>
#include <isola/err.h>
#include <contracts/provider.h>
#include <sip/abi.h>
#include <string.h>

struct name {
	char path[NAMES_PATH_MAX + 1];
	uint32_t provider; // the provider end's key; 0: free slot
	uint32_t owner;    // the client that published it
	bool system;       // a service init started published it
};

static struct name table[NAMES_MAX];

bool names_is_valid(const char *path, uint32_t len)
{
	char s[NAMES_PATH_MAX + 1];

	if (len == 0 || len > NAMES_PATH_MAX)
		return false;
	memcpy(s, path, len);
	if (s[0] != '/')
		return false;
	for (uint32_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	return true;
}

// The slot holding path (open, or a system path kept for its service),
// or NAMES_MAX.
static uint32_t slot_of(const char *path)
{
	for (uint32_t i = 0; i < NAMES_MAX; i++)
		if (table[i].path[0] && strcmp(table[i].path, path) == 0)
			return i;
	return NAMES_MAX;
}

// Forgets slot i's provider; a system path stays, kept for its service.
static void slot_clear(uint32_t i)
{
	if (table[i].provider)
		rt_chan_close(isola_eset_take(table[i].provider, 0));
	table[i].provider = 0;
	if (!table[i].system)
		table[i].path[0] = '\0';
}

// How many open paths owner has published; forgets closed ones.
static uint32_t owned_by(uint32_t owner)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < NAMES_MAX; i++) {
		if (!table[i].provider || table[i].owner != owner)
			continue;
		if (svc_parked_open(&table[i].provider))
			n++;
		else
			slot_clear(i);
	}
	return n;
}

int32_t names_add(const char *path, uint32_t provider, uint32_t owner, bool system)
{
	uint32_t i = slot_of(path);

	if (owned_by(owner) >= NAMES_PER_CLIENT) {
		rt_chan_close(provider);
		return -ERR_BUSY;
	}
	if (i < NAMES_MAX) {
		if ((table[i].provider && svc_parked_open(&table[i].provider)) ||
		    (table[i].system && !system)) {
			rt_chan_close(provider);
			return -ERR_EXISTS;
		}
		table[i].system = false;
		slot_clear(i);
	}
	for (i = 0; i < NAMES_MAX && (table[i].provider || table[i].path[0]); i++)
		;
	if (i == NAMES_MAX) {
		rt_chan_close(provider);
		return -ERR_LIMIT;
	}
	strlcpy(table[i].path, path, sizeof(table[i].path));
	table[i].provider = isola_eset_put(provider);
	table[i].owner = owner;
	table[i].system = system;
	return 0;
}

int32_t names_connect(const char *path, uint32_t client, uint32_t from,
		      uint32_t principal)
{
	uint32_t i = slot_of(path);

	if (i < NAMES_MAX && table[i].provider && !svc_parked_open(&table[i].provider))
		slot_clear(i);
	if (i == NAMES_MAX || !table[i].provider) {
		rt_chan_close(client);
		return -ERR_NOTFOUND;
	}
	uint32_t provider = isola_eset_take(table[i].provider, 0);
	uint32_t connect[3] = { client, from, principal }; // struct provider_connect
	int32_t err = isola_chan_try_send(provider, PROVIDER_MSG_CONNECT, connect,
					  sizeof(connect));

	table[i].provider = isola_eset_put(provider);
	if (err == -ERR_AGAIN) {
		rt_chan_close(client);
		return -ERR_BUSY;
	}
	// The client gave an end that cannot travel there (the provider's own
	// end, or one whose queue holds the provider): its fault, not the
	// provider's.
	if (err == -ERR_CHAN_SELF || err == -ERR_CHAN_CYCLE) {
		rt_chan_close(client);
		return -ERR_INVAL;
	}
	if (err < 0) {
		slot_clear(i);
		return -ERR_NOTFOUND;
	}
	return 0;
}

uint32_t names_list(SIP_COUNT(size) char *buf, uint32_t size)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < NAMES_MAX; i++) {
		if (!table[i].provider)
			continue;
		if (!svc_parked_open(&table[i].provider)) {
			slot_clear(i); // its service has ended
			continue;
		}
		uint32_t len = (uint32_t)strlen(table[i].path);

		if (n + len + 1 > size)
			break;
		for (uint32_t k = 0; k < len; k++)
			buf[n + k] = table[i].path[k];
		buf[n + len] = '\n';
		n += len + 1;
	}
	return n;
}
