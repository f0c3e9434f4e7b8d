// SPDX-License-Identifier: MIT
// The kernel ABI as C declarations: the functions a SIP imports from the
// WebAssembly module "isola" (docs/abi.md). This header is libsip's: the
// checked-C rules let no other code declare kernel imports (CC011), and
// sipcc includes it as a system header.
#ifndef SIP_ABI_H
#define SIP_ABI_H

#define SIP_IMPORT(name) __attribute__((import_module("isola"), import_name(#name)))

// Writes one line (len bytes at text) to the console; returns 0.
SIP_IMPORT(log) int isola_log(const char *text, int len);
// Ends the SIP with status code.
SIP_IMPORT(exit) __attribute__((noreturn)) void isola_exit(int code);
// Gives the CPU to the next ready thread.
SIP_IMPORT(yield) void isola_yield(void);
// Nanoseconds since boot.
SIP_IMPORT(time_ns) long long isola_time_ns(void);
// Sleeps at least ns nanoseconds.
SIP_IMPORT(sleep_ns) void isola_sleep_ns(long long ns);

#undef SIP_IMPORT

#endif
