// SPDX-License-Identifier: MIT
// What libsip's wasm32-only files share: the console connection behind
// stdout and stderr (wasi.c writes to it) and the name-service requests.
#ifndef SIP_INTERNAL_H
#define SIP_INTERNAL_H

#include <isola/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// console.c: writes text (a whole buffer of stdout) to the console
// service, or line by line to the kernel log when there is none.
void rt_console_write(const char *text, size_t n);
// console.c: sends the start of a line that waits for its end to the
// kernel log (at exit: a last line without a newline).
void rt_console_flush_log(void);

// ns.c: h is being closed (or was released by a receive); if it is the
// initial name-service endpoint, libsip stops using it (and never probes
// it). The console end and an adopted ns end are parked: the SIP cannot
// close them.
void rt_ns_forget(uint32_t h);

// ns.c: sends publish(path, end) (end is a provider importing end) or
// bind(path, end) over the SIP's ns endpoint and waits for the answer;
// end moves to the name service whatever happens (it is closed when the
// request cannot be made). 0, the name service's failed code, -ERR_CLOSED
// without a name service, or the error of making the path's block.
int32_t rt_ns_request(bool publish, const char *path, uint32_t end) ISOLA_MUST_CHECK;

#endif
