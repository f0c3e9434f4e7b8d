// SPDX-License-Identifier: MIT
// What a SIP's handles name: the kinds of object in its handle table
// (handle.h has the table itself: slots, generations, stale and forged
// handles) and what a spawner puts in a child's initial handles.
#ifndef ISOLA_SIP_HANDLES_H
#define ISOLA_SIP_HANDLES_H

#include <handle.h>
#include <isola/chan.h>

#define SIP_HANDLES 256 // slots in one SIP's table

// What a handle names.
enum {
	HANDLE_KIND_ENDPOINT = 1,
	HANDLE_KIND_BLOCK = 2,
	HANDLE_KIND_IMAGE = 3,
	HANDLE_KIND_PM = 4, // a process manager for the holder's own children
	HANDLE_KIND_PARKED = 5, // an endpoint in the SIP's endpoint set
	HANDLE_KIND_PM_SYSTEM = 6, // a process manager for every SIP
	HANDLE_KIND_SERIAL = 7, // the serial port
};

// What a spawner puts in one initial handle of its child: the endpoint
// it gives up, or a capability it holds (HANDLE_KIND_PM: a new process
// manager for the child's own children, which needs no authority;
// HANDLE_KIND_PM_SYSTEM and HANDLE_KIND_SERIAL: passed on, copied).
struct sip_grant {
	uint16_t kind;
	struct chan_endpoint *ep;
};

#endif
