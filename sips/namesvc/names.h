// SPDX-License-Identifier: MIT
// The name table of the name service: paths and the provider ends of the
// services that published them. The protocol loop is namesvc.c.
#ifndef SIPS_NAMESVC_NAMES_H
#define SIPS_NAMESVC_NAMES_H

#include <isola/compiler.h>
#include <stdbool.h>
#include <stdint.h>

// Paths are at most this long (without the terminator).
#define NAMES_PATH_MAX 63
// The most paths the table holds, and the most one principal may publish.
#define NAMES_MAX 64
#define NAMES_PER_CLIENT 16

// True if path starts with '/', is 1..NAMES_PATH_MAX bytes long and holds
// printable characters other than space only.
bool names_is_valid(const char *path, uint32_t len);
// Records path -> provider (a provider importing end, which the table now
// owns), published by client `owner`. A path already taken by a provider
// whose channel is still open is -ERR_EXISTS; one whose provider has
// closed is replaced, unless a service that init started published it
// and the new publisher is not one (system is false): a system path
// stays for the service init starts again, so no client can take it over
// between (-ERR_EXISTS). -ERR_BUSY when owner already has
// NAMES_PER_CLIENT paths whose providers are open, -ERR_LIMIT when the
// table is full. On failure provider is closed.
int32_t names_add(const char *path, uint32_t provider, uint32_t owner, bool system) ISOLA_MUST_CHECK;
// Sends connect(client, from, principal) to the provider of path, without
// waiting: from is the id of the connection that bound and principal that
// of its service or session, so the service can count a client's
// connections. A provider found closed is forgotten and the
// client hears -ERR_NOTFOUND; one whose queue is full (it does not take
// its connections) must not stall the name service: -ERR_BUSY. A client
// end that cannot travel to the provider (the provider's own exporting
// end, or one holding it in its queue) is -ERR_INVAL. The client end
// moves to the provider on 0 and is closed otherwise.
int32_t names_connect(const char *path, uint32_t client, uint32_t from,
		      uint32_t principal) ISOLA_MUST_CHECK;
// Writes one line per path whose service still runs into buf (cut to size, not terminated);
// returns the length written.
uint32_t names_list(SIP_COUNT(size) char *buf, uint32_t size);

#endif
