// SPDX-License-Identifier: MIT
// The corrected twin of bytes_use_after_send_bad.c: the block's length is
// read before the send, and the block is not touched after it.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct kv_pair p = kv_create();
	struct sip_bytes_made b = sip_bytes_make("key", 3);
	if (p.err != 0 || b.err != 0) {
		sip_bytes_free(b.bytes);
		kv_imp_ready_close(p.imp);
		kv_exp_ready_close(p.exp);
		return 1;
	}
	int n = (int)sip_bytes_len(b.bytes);
	struct kv_imp_answering a = kv_imp_ready_send_get(p.imp, b.bytes);
	kv_imp_answering_close(a);
	kv_exp_ready_close(p.exp);
	return n;
}
