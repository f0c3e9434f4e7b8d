// SPDX-License-Identifier: MIT
// Keeps an endpoint's handle in a global, where the analysis cannot follow
// it: a note, and with --strict an error. VERIFY-STRICT
#include "common.h"

static uint32_t kept;

static void keep(void)
{
	uint32_t exp, imp;
	if (isola_chan_create(kv_hash, &exp, &imp) != 0)
		return;
	kept = imp; // VERIFY-ERROR E1490
	isola_chan_close(exp);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	keep();
	isola_chan_close(kept);
	return 0;
}
