// SPDX-License-Identifier: MIT
// Hostile: calls proc_kill, which needs the process-manager capability,
// with a made-up handle (its manifest asks for no procmgr endpoint).
// The capability check stops it: trapped (117, the SIP lacks the right).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t pm = hostile_opaque(1);
	printf("proc_kill(pm %u, id 1)\n", (unsigned)pm);
	int32_t r = isola_proc_kill(pm, 1);
	printf("proc_kill returned %d\n", (int)r);
	return 1;
}
