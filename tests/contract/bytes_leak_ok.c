// SPDX-License-Identifier: MIT
// The corrected twin of bytes_leak_bad.c: the block is freed on the path
// that made it, and the failed path frees handle 0 as libsip allows.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct sip_bytes_made b = sip_bytes_from_str("key");
	if (b.err != 0) {
		sip_bytes_free(b.bytes);
		return 1;
	}
	int n = (int)sip_bytes_len(b.bytes);
	sip_bytes_free(b.bytes);
	return n;
}
