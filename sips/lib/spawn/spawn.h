// SPDX-License-Identifier: MIT
// Starting a SIP the generic way (docs/abi.md, "Processes"): open the image,
// read its manifest and build its initial handles line by line. Each
// `endpoint X ns.imp[@idle]` gets a new ns connection that the spawner hands
// to the name service with attach(client); each `endpoint X procmgr` gets a
// process manager for its own children, or the spawner's own scope when the
// spawner grants it; `hardware serial` gets the serial port only when the
// spawner grants it (and holds it), else the spawn is refused. Any other
// endpoint line is refused. Capabilities are granted, never taken: the
// manifest says what a SIP needs, the spawner decides (docs/security.md).
// Also the small ns client requests init and the shell share.
//
// Handles are raw numbers: the spawner's ns endpoint must be an importing end
// of contract ns in state idle, and is idle again when each call returns. The
// ns ends made for a child wait in the SIP's endpoint set until the spawn,
// which takes their keys (docs/abi.md), so no handle is kept in memory.
#ifndef SIPS_SPAWN_H
#define SIPS_SPAWN_H

#include <isola/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define SPAWN_MSG_MAX 160 // room for a refusal message, with its terminator

// What a spawner grants: handles of capabilities it holds, 0 for none.
// pm: the child's `procmgr` slots get this process manager's scope (with
// 0, or without the grant, a manager of the child's own children); serial:
// the serial port for a `hardware serial` line.
struct spawn_grants {
	uint32_t pm;
	uint32_t serial;
};

// The rights a spawner can name (`grant=` in init.conf, `run --grant`).
#define SPAWN_RIGHT_PM 1u
#define SPAWN_RIGHT_SERIAL 2u

// Parses RIGHT[,RIGHT] (pm, serial) into *rights. False for an unknown
// right, whose name (cut to bad_len - 1) goes to bad.
bool spawn_rights(const char *text, uint32_t *rights, SIP_COUNT(bad_len) char *bad,
		  uint32_t bad_len) ISOLA_MUST_CHECK;

// ns 0: no name service (a manifest that asks for ns is then refused).
// Starts the SIP named by the first word of `args` ("NAME ARGS..."; at most
// 1024 bytes, terminated) with the image-opening process manager pm and
// the grants g, and returns its id (> 0). On failure returns a negative
// error code and writes a one-line reason to msg (msg_len >= 1).
int32_t spawn_sip(uint32_t ns, uint32_t pm, const struct spawn_grants *g, const char *args,
		  SIP_COUNT(msg_len) char *msg, uint32_t msg_len) ISOLA_MUST_CHECK;

// Makes a new ns channel, sends its exporting end to the name service with
// attach and, on ok, returns the importing end's handle; else -error.
int32_t spawn_ns_attach(uint32_t ns) ISOLA_MUST_CHECK;

// Asks the name service for its listing (ns list) and copies it into buf as
// a terminated string (cut to len - 1 bytes). Returns the listing's full
// length or -error.
int32_t spawn_ns_list(uint32_t ns, SIP_COUNT(len) char *buf, uint32_t len) ISOLA_MUST_CHECK;

// Sends bind(path, client) over ns, moving the raw endpoint `client`; 0 when
// the name service answered ok, else -error or the service's failure code.
int32_t spawn_ns_bind(uint32_t ns, const char *path, uint32_t client) ISOLA_MUST_CHECK;

#endif
