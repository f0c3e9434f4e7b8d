// SPDX-License-Identifier: MIT
// Start-up and the ways a SIP ends. _start runs the constructors and
// wasi-libc's __main_void, which asks for the arguments (wasi.c: the
// argument string the spawner passed, "NAME ARGS...", split into argv, so
// argv[0] is the name the spawner gave) and calls main; exit then flushes
// the C library's streams and ends the SIP with main's result through
// proc_exit. Every failure path (abort, assert, contract) ends through
// isola_exit, so the message printed before it reaches the console.
#include "sip_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <sip/abi.h>
#include <sip/check.h>
#include <sip/sip.h>

void __wasm_call_ctors(void);
int __main_void(void);
void _start(void);

void _start(void)
{
	__wasm_call_ctors();
	exit(__main_void());
}

// wasi-libc's abort traps; a SIP's abort ends it with its own status, as
// every libsip failure path does, so the spawner sees why it stopped.
void abort(void)
{
	isola_exit(SIP_EXIT_ABORT);
}

void sip_flush(void)
{
	(void)fflush(stdout);
	(void)fflush(stderr);
	rt_console_flush_log();
}

// Prints "KIND: WHAT (FILE:LINE)" after what stdout held, then ends.
// Reports a failed check through the kernel log, not stdout: stdout may
// be the very service that failed (the console), or one it waits on.
static SIP_NORETURN void fail(int code, const char *kind, const char *what, const char *file,
			      int line)
{
	char text[200];
	int n = snprintf(text, sizeof(text), "%s: %s (%s:%d)", kind, what, file, line);

	sip_flush();
	isola_log(text, n < 0 ? 0 : n < (int)sizeof(text) ? n : (int)sizeof(text) - 1);
	exit(code);
}

// wasi-libc's assert() calls this; libsip's definition is linked first,
// so a failed assert is reported as every libsip failure is.
_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func);

_Noreturn void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
	(void)func;
	fail(SIP_EXIT_ASSERT, "assertion failed", expr, file, line);
}

void sip_contract_failed(const char *what, const char *file, int line)
{
	fail(SIP_EXIT_CONTRACT, "contract violated", what, file, line);
}
