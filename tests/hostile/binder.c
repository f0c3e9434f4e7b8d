// SPDX-License-Identifier: MIT
// Binds /svc/stuck (see stuck.c) 40 times with ends of the timer contract
// and counts the answers: the first ones fill the provider's queue (ok),
// the rest must come back busy (-14) at once. Exits 0 when some were busy
// and none failed otherwise.
#include <svc/svc.h>

#include <isola/err.h>
#include <sip/abi.h>
#include <stdio.h>
#include <contracts/timer.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static const uint8_t hash[32] = TIMER_CONTRACT_HASH;
	unsigned ok = 0, busy = 0, other = 0;
	for (int i = 0; i < 40; i++) {
		int32_t err = svc_bind("/svc/stuck", hash);
		if (err >= 0) {
			ok++;
			rt_chan_close((uint32_t)err);
		} else if (err == -ERR_BUSY) {
			busy++;
		} else {
			other++;
		}
	}
	printf("binder: %u ok, %u busy, %u other\n", ok, busy, other);
	return busy > 0 && other == 0 ? 0 : 1;
}
