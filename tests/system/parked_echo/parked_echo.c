// SPDX-License-Identifier: MIT
// A checked-C SIP that holds many endpoints at once: the echo service's
// ends and the clients' ends are parked in the SIP's endpoint set, and the
// SIP keeps only their keys, in arrays (docs/contracts.md, "Parking
// endpoints"), with the echo contract of the sipcc tests. It compiles
// under sipcc with the plugin loaded and passes sipverify --strict: every
// handle stays where the analysis follows it. system.parked_echo runs it
// under ownership=strict; it exits 0 when every client got its own number
// back.
#include <contracts/echo.h>
#include <sip/abi.h>

#define PAIRS 4

static uint32_t served[PAIRS];	// service ends, state ready
static uint32_t waiting[PAIRS]; // client ends, state answering
static uint32_t npairs;

// Makes a channel, sends ping(n) on its importing end and parks both.
static int make_pair(int32_t n)
{
	struct echo_pair p = echo_create();

	if (p.err != 0 || npairs >= PAIRS) {
		echo_exp_ready_close(p.exp);
		echo_imp_ready_close(p.imp);
		return -1;
	}
	served[npairs] = echo_exp_ready_park(p.exp);
	waiting[npairs] = echo_imp_answering_park(echo_imp_ready_send_ping(p.imp, n));
	npairs++;
	return 0;
}

// Answers the ping waiting at service end i; the end is parked again.
static int serve(uint32_t i)
{
	struct echo_exp_ready_cast c = echo_exp_ready_unpark(served[i]);

	if (c.err != 0) {
		echo_exp_ready_close(c.ep);
		return -1;
	}
	struct echo_exp_ready_msg m = echo_exp_ready_recv(c.ep);

	if (m.tag != ECHO_EXP_READY_PING)
		return -1; // closed: the end is already released
	served[i] = echo_exp_ready_park(echo_exp_answering_send_pong(m.ping.ep, m.ping.n));
	return 0;
}

// Takes client end i back, receives its pong and closes both ends of i.
static int32_t finish(uint32_t i)
{
	struct echo_imp_answering_cast c = echo_imp_answering_unpark(waiting[i]);
	struct echo_exp_ready_cast s = echo_exp_ready_unpark(served[i]);
	int32_t n = -1;

	echo_exp_ready_close(s.ep);
	if (c.err != 0) {
		echo_imp_answering_close(c.ep);
		return n;
	}
	struct echo_imp_answering_msg m = echo_imp_answering_recv(c.ep);

	if (m.tag == ECHO_IMP_ANSWERING_PONG) {
		n = m.pong.n;
		echo_imp_ready_close(m.pong.ep);
	}
	return n;
}

int main(void);

int main(void)
{
	int32_t sum = 0;

	for (int32_t n = 1; n <= PAIRS; n++)
		if (make_pair(n) != 0)
			return 1;
	for (uint32_t k = 0; k < npairs; k++) {
		uint32_t i = 0;

		if (isola_eset_select(served, npairs, -1, &i) != 0 || i >= npairs ||
		    serve(i) != 0)
			return 1;
	}
	for (uint32_t i = 0; i < npairs; i++)
		sum += finish(i);
	return sum == 10 ? 0 : 1;
}
