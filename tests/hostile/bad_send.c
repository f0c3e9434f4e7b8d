// SPDX-License-Identifier: MIT
// Hostile: sends kv's `found` from the importing side in state `ready`,
// where only the service may send it (and only in `answering`).
// The contract check stops it: trapped (2200).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	struct kv_found found = { { hostile_block(8) } };
	printf("sending found from the importer\n");
	int32_t r = isola_chan_send(imp, KV_MSG_FOUND, &found, sizeof(found));
	printf("chan_send returned %d\n", (int)r);
	return 1;
}
