// SPDX-License-Identifier: MIT
// Makes a block with libsip's sip_bytes_from_str (docs/libsip.md), checks
// it was made, reads its length and returns without freeing it.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct sip_bytes_made b = sip_bytes_from_str("key"); // VERIFY-ERROR E1475
	if (b.err != 0)
		return 1;
	return (int)sip_bytes_len(b.bytes);
}
