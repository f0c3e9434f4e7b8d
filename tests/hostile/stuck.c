// SPDX-License-Identifier: MIT
// Hostile: publishes /svc/stuck and never takes a connection, so its
// provider queue fills up. The name service must not wait on it: binds to
// the path get busy (-14) once the queue is full, and everything else goes
// on. Runs until killed.
#include <svc/svc.h>

#include <sip/abi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static struct svc_set eps;
	int32_t err = svc_publish(&eps, "/svc/stuck");
	printf("stuck: publish returned %d\n", (int)err);
	for (;;)
		isola_sleep_ns(1000000000);
}
