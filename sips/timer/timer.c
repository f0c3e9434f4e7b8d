// SPDX-License-Identifier: MIT
// The timer service (channels/contracts/timer.contract, interface form):
// publishes /svc/timer and keeps one timeout per client. set_timeout(us)
// arms it, add_to_timeout(us) moves it later (or arms it when none is
// set), cancel_timeout disarms it, get_remaining is answered with
// remaining(us); when it expires the client gets wakeup. One loop waits on
// all endpoints for at most the time to the nearest deadline.
#include <svc/svc.h>

#include <isola/err.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <contracts/timer.h>

#define TIMER_PATH "/svc/timer"
#define TIMER_NONE (-1)		   // data of a client without a timeout
#define TIMER_NS_MAX (INT64_MAX / 2) // farthest deadline from now

// eps holds the provider end and the clients; a client's data is its
// deadline in ns since boot, or TIMER_NONE.
static struct svc_set eps;

// now + us microseconds, saturated.
static int64_t deadline_after(int64_t now, uint64_t us)
{
	uint64_t ns = us > (uint64_t)TIMER_NS_MAX / 1000 ? (uint64_t)TIMER_NS_MAX : us * 1000;

	if (now > INT64_MAX - (int64_t)ns)
		return INT64_MAX;
	return now + (int64_t)ns;
}

static uint64_t remaining_us(int64_t deadline, int64_t now)
{
	if (deadline == TIMER_NONE || deadline <= now)
		return 0;
	return (uint64_t)(deadline - now + 999) / 1000;
}

// Sends msg to the client at position i without waiting. A client whose
// queue is full does not take what the service sends it; it is dropped
// (its end closed) so that it cannot stall every other client. Returns
// false when it was dropped.
static bool tell(uint32_t i, uint32_t msg, const void *payload, uint32_t size)
{
	if (svc_set_send(&eps, i, msg, payload, size, false) != -ERR_AGAIN)
		return true;
	svc_log("timer: a client does not take its messages; dropped");
	svc_set_drop(&eps, i);
	return false;
}

// Sends wakeup to every client whose deadline has passed; returns the time
// to the nearest deadline left (negative: none).
static int64_t fire(void)
{
	int64_t now = isola_time_ns();
	int64_t wait = -1;

	for (uint32_t i = 0; i < eps.n; i++) {
		int64_t d = eps.data[i];

		if (eps.provider[i] || d == TIMER_NONE)
			continue;
		if (d <= now) {
			eps.data[i] = TIMER_NONE;
			if (!tell(i, TIMER_MSG_WAKEUP, 0, 0))
				i--; // the last entry moved into slot i
		} else if (wait < 0 || d - now < wait) {
			wait = d - now;
		}
	}
	return wait;
}

static void accept_client(uint32_t at)
{
	static const uint8_t hash[32] = TIMER_CONTRACT_HASH;
	int32_t i = svc_set_accept(&eps, at, hash, SVC_SET_MAX);

	if (i >= 0)
		eps.data[i] = TIMER_NONE;
}

// Takes one message from the client at position i.
static void serve(uint32_t i)
{
	uint64_t arg = 0; // the largest message carries one uint64
	uint32_t msg = 0;
	int64_t now = isola_time_ns();

	if (svc_set_recv(&eps, i, &arg, sizeof(arg), &msg) != 0) {
		svc_set_drop(&eps, i);
		return;
	}
	switch (msg) {
	case TIMER_MSG_SET_TIMEOUT:
		eps.data[i] = deadline_after(now, arg);
		break;
	case TIMER_MSG_ADD_TO_TIMEOUT:
		if (eps.data[i] == TIMER_NONE)
			eps.data[i] = deadline_after(now, arg);
		else
			eps.data[i] = deadline_after(eps.data[i], arg);
		break;
	case TIMER_MSG_CANCEL_TIMEOUT:
		eps.data[i] = TIMER_NONE;
		break;
	case TIMER_MSG_GET_REMAINING:
		arg = remaining_us(eps.data[i], now);
		(void)tell(i, TIMER_MSG_REMAINING, &arg, sizeof(arg));
		break;
	default: // wakeup and remaining mean nothing to the service
		break;
	}
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (svc_publish(&eps, TIMER_PATH) < 0) {
		svc_log("timer: cannot publish " TIMER_PATH);
		return 1;
	}
	svc_log("timer: ready");
	while (eps.n > 0) {
		uint32_t i = 0;

		if (svc_set_wait(&eps, fire(), &i) != 0 || i >= eps.n)
			continue;
		if (eps.provider[i])
			accept_client(i);
		else
			serve(i);
	}
	return 0;
}
