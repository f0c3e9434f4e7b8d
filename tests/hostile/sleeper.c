// SPDX-License-Identifier: MIT
// Hostile: sleeps for 2^62 ns holding a block and a channel. Started in the
// background and stopped with `kill ID`: killed (0), everything reclaimed.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	(void)hostile_block(4096);
	printf("sleeping for 2^62 ns\n");
	isola_sleep_ns(INT64_MAX);
	printf("woke up\n");
	return 1;
}
