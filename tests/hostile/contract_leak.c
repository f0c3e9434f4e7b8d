// SPDX-License-Identifier: MIT
// Hostile: brings a contract of its own (echo) and a manifest whose
// endpoint names a state echo does not have, so the image is rejected
// after its contracts were read. A rejected image leaves nothing behind:
// the kernel forgets echo again, and the count of known contracts in
// `mem` stays at its baseline however often it is tried.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}
