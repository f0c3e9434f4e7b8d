// SPDX-License-Identifier: MIT
// What libsip's wasm32-only files share: the stdout sink and the console
// connection behind it.
#ifndef SIP_INTERNAL_H
#define SIP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

// console.c: writes text (a whole buffer of stdout) to the console
// service, or line by line to the kernel log when there is none.
void rt_console_write(const char *text, size_t n);

// console.c: h is being closed; if it is the initial name-service
// endpoint stdout uses, stdout stops using it (and never probes it). The
// console end and an adopted ns end are parked: the SIP cannot close them.
void rt_console_forget(uint32_t h);

// stdio.c: appends to stdout's buffer.
void rt_stdout_put(const char *s, size_t n);

// crt.c: stops the SIP after a heap misuse (double free, bad pointer).
void sip_heap_corrupt(const char *what);

#endif
