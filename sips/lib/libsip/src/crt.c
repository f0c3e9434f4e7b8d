// SPDX-License-Identifier: MIT
// Start-up and the ways a SIP ends. _start reads the argument string the
// spawner passed ("NAME ARGS..."), splits it on spaces into argv (so
// argv[0] is the first word, the name the spawner gave), calls main, and
// ends the SIP with main's result after flushing stdout. Every failure
// path (abort, assert, contract, heap misuse) ends through isola_exit, so
// the message printed before it reaches the console.
#include "rt.h"
#include "sip_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <sip/abi.h>
#include <sip/check.h>
#include <sip/sip.h>

#define ARGS_MAX 1024 // docs/abi.md: the argument string is at most this long
#define ARGV_MAX 64

int main(int argc, char **argv);
void _start(void);

static char args_buf[ARGS_MAX + 1];
static char *argv_buf[ARGV_MAX + 1];

void _start(void)
{
	int32_t n = isola_args(args_buf, ARGS_MAX);

	if (n < 0)
		n = 0;
	args_buf[n < ARGS_MAX ? n : ARGS_MAX] = '\0';
	int argc = rt_args_split(args_buf, argv_buf, ARGV_MAX);

	exit(main(argc, argv_buf));
}

void exit(int code)
{
	sip_flush();
	isola_exit(code);
}

void abort(void)
{
	isola_exit(SIP_EXIT_ABORT);
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

void sip_assert_failed(const char *expr, const char *file, int line)
{
	fail(SIP_EXIT_ASSERT, "assertion failed", expr, file, line);
}

void sip_contract_failed(const char *what, const char *file, int line)
{
	fail(SIP_EXIT_CONTRACT, "contract violated", what, file, line);
}

void sip_heap_corrupt(const char *what)
{
	sip_flush();
	printf("heap: %s\n", what);
	exit(SIP_EXIT_ABORT);
}
