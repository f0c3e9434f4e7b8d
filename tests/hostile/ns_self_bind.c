// SPDX-License-Identifier: MIT
// Hostile: publishes a path, then binds it with the provider channel's own
// exporting end as the client. The name service's forward would send that
// end over its own channel: the kernel answers -ERR_CHAN_SELF instead of
// stopping the name service, which tells the client -ERR_INVAL and goes
// on serving. Exits 0 when the bind was refused and the name service
// still answers, 1 otherwise.
#include <svc/svc.h>
#include <spawn/spawn.h>

#include <isola/err.h>
#include <sip/abi.h>
#include <stdio.h>

static struct svc_set set;

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static char names[256];
	int32_t at = svc_publish(&set, "/self");
	if (at < 0) {
		printf("ns_self_bind: publish failed: %d\n", (int)at);
		return 1;
	}
	uint32_t own = svc_set_take(&set, (uint32_t)at);
	int32_t bind = spawn_ns_bind(1, "/self", own);
	int32_t list = spawn_ns_list(1, names, sizeof(names));
	printf("ns_self_bind: bind returned %d, the name service lists %d bytes\n", (int)bind,
	       (int)list);
	return bind == -ERR_INVAL && list > 0 ? 0 : 1;
}
