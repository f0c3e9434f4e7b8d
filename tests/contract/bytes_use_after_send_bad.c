// SPDX-License-Identifier: MIT
// Sends a block made by sip_bytes_make in kv's get through the generated
// header, then frees it with sip_bytes_free: the block is the receiver's.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct kv_pair p = kv_create();
	struct sip_bytes_made b = sip_bytes_make("key", 3);
	if (p.err != 0 || b.err != 0)
		return 1;
	struct kv_imp_answering a = kv_imp_ready_send_get(p.imp, b.bytes);
	sip_bytes_free(b.bytes); // VERIFY-ERROR E1472
	kv_imp_answering_close(a);
	kv_exp_ready_close(p.exp);
	return 0;
}
