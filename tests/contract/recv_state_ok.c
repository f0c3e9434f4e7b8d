// SPDX-License-Identifier: MIT
// The corrected twin of recv_state_bad.c.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	if (isola_chan_create(kv_hash, &exp, &imp) != 0)
		return 1;
	uint8_t buf[64];
	uint32_t msg;
	(void)isola_chan_recv(exp, buf, sizeof(buf), &msg);
	isola_chan_close(imp);
	isola_chan_close(exp);
	return 0;
}
