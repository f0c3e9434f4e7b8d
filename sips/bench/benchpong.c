// SPDX-License-Identifier: MIT
// benchpong: the other side of bench's yields and round trips. Started as
// "benchpong MODE N" with eight exporting pingpong ends (handles 1..8):
//   yield N   yields N times;
//   recv      answers each ping with pong, each pingb with pongb (the same
//             block), on handle 1, until bench closes it;
//   select    waits on all eight, answers on the one that has a ping, and
//             stops when one is closed.
#include <isola/err.h>
#include <contracts/pingpong.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <stdlib.h>
#include <string.h>

SIP_NS_ENDPOINT(0);

#define PONG_EPS 8

// Receives one request on ep and answers it; false once ep is closed.
static bool answer(uint32_t ep)
{
	uint64_t v = 0;
	uint32_t msg = 0;

	if (isola_chan_recv(ep, &v, sizeof(v), &msg) < 0)
		return false;
	if (msg == PINGPONG_MSG_PINGB) {
		uint32_t b = (uint32_t)v;

		return isola_chan_send(ep, PINGPONG_MSG_PONGB, &b, sizeof(b)) == 0;
	}
	return isola_chan_send(ep, PINGPONG_MSG_PONG, &v, sizeof(v)) == 0;
}

static void serve_select(void)
{
	const uint32_t eps[PONG_EPS] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint32_t at = 0;

	while (isola_chan_select(eps, PONG_EPS, -1, &at) == 0 && at < PONG_EPS &&
	       answer(eps[at]))
		;
}

int main(int argc, SIP_COUNT(argc) char **argv)
{
	if (argc < 2)
		return 2;
	if (strcmp(argv[1], "yield") == 0) {
		long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;

		for (long i = 0; i < n; i++)
			isola_yield();
	} else if (strcmp(argv[1], "recv") == 0) {
		while (answer(1))
			;
	} else if (strcmp(argv[1], "select") == 0) {
		serve_select();
	} else {
		return 2;
	}
	return 0;
}
