// SPDX-License-Identifier: MIT
// A small SIP for the sipcc tests: uses a user contract's header (echo.h,
// from echo.contract) and a system contract's (console.h) and defines the
// main that the stand-in libsip's _start calls.
#include <contracts/console.h>
#include <contracts/echo.h>

static const unsigned char echo_hash[] = ECHO_CONTRACT_HASH;
static const unsigned char console_hash[] = CONSOLE_CONTRACT_HASH;

int main(void);

int main(void)
{
	return echo_hash[0] + console_hash[0] + ECHO_MSG_PONG;
}
