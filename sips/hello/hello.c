// SPDX-License-Identifier: MIT
// hello: an example SIP. Prints a greeting and its arguments on the
// console, sleeps 10 ms on the timer service (/svc/timer) and says how
// long it slept. Without a timer service it says so; it always exits 0.
#include <svc/svc.h>

#include <inttypes.h>
#include <isola/err.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <stdio.h>
#include <contracts/timer.h>

#define HELLO_SLEEP_US 10000

// Sleeps HELLO_SLEEP_US on the timer service; the microseconds it took, or
// a negative error code.
static int64_t sleep_on_timer(void)
{
	static const uint8_t hash[32] = TIMER_CONTRACT_HASH;
	uint64_t us = HELLO_SLEEP_US;
	uint64_t arg = 0;
	uint32_t msg = TIMER_MSG_REMAINING;

	sip_flush(); // libsip shares the ns endpoint with svc_bind
	int32_t err = svc_bind("/svc/timer", hash);

	if (err < 0)
		return err;
	uint32_t t = (uint32_t)err;
	int64_t start = isola_time_ns();

	(void)rt_chan_send(t, TIMER_MSG_SET_TIMEOUT, &us, sizeof(us));
	while (msg != TIMER_MSG_WAKEUP) {
		if (rt_chan_recv(t, &arg, sizeof(arg), &msg) != 0) {
			rt_chan_close(t);
			return -ERR_CLOSED;
		}
	}
	rt_chan_close(t);
	return (isola_time_ns() - start) / 1000;
}

int main(int argc, SIP_COUNT(argc) char **argv)
{
	printf("Hello from a software-isolated process!\n");
	for (int i = 0; i < argc; i++)
		printf("  argv[%d] = %s\n", i, argv[i]);
	int64_t slept = sleep_on_timer();

	if (slept < 0)
		printf("timer: cannot use /svc/timer (error %" PRId64 ")\n", slept);
	else
		printf("timer: woke after %" PRId64 " us\n", slept);
	return 0;
}
