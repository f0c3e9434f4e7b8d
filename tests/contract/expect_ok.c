// SPDX-License-Identifier: MIT
// The twin of expect_bad.c: the endpoint is checked to be a provider
// endpoint on one path only (never taken: it is a timer endpoint). Where
// the paths meet its contract is unknown, so the send after that is not
// judged by provider's one message.
#include "common.h"

#include <contracts/provider.h>
#include <contracts/timer.h>

static volatile uint32_t timer_side = 1;

__attribute__((noinline)) static void poke(uint32_t ep, uint32_t is_provider)
{
	static const uint8_t provider_hash[32] = PROVIDER_CONTRACT_HASH;

	if (is_provider)
		ep = isola_chan_expect(ep, provider_hash);
	// A condition the compiler cannot merge with the first: the paths
	// meet before the send.
	if (timer_side)
		(void)isola_chan_send(ep, TIMER_MSG_GET_REMAINING, 0, 0);
}

int main(int argc, char **argv)
{
	(void)argv;
	static const uint8_t timer_hash[32] = TIMER_CONTRACT_HASH;
	uint32_t exp, imp;
	if (isola_chan_create(timer_hash, &exp, &imp) != 0)
		return 1;
	poke(imp, (uint32_t)argc > 5);
	isola_chan_close(imp);
	isola_chan_close(exp);
	return 0;
}
