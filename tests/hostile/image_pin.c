// SPDX-License-Identifier: MIT
// Hostile: opens the four large images and holds them, hoping to pin the
// kernel's memory with verified images no SIP runs. Images come from a
// capped pool: when the images held fill it, the next open is refused
// with -ERR_IMAGE_CACHE_FULL (123) instead of taking more; once it lets
// go, images it no longer holds are evicted as others need the room and
// every one opens again. Exits 0 when that holds, 1 otherwise.
#include "hostile.h"

#include <isola/err.h>
#include <string.h>

SIP_NS_ENDPOINT(0);

#define PM 1 // manifest: endpoint pm procmgr

static int32_t open_image(const char *name)
{
	char diag[64];
	return isola_image_open(PM, name, (uint32_t)strlen(name), diag, sizeof(diag));
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static const char *const names[] = { "big1", "big2", "big3", "big4" };
	int32_t h[4];
	int full = 0, other = 0;
	for (int i = 0; i < 4; i++) {
		h[i] = open_image(names[i]);
		full += h[i] == -ERR_IMAGE_CACHE_FULL;
		other += h[i] < 0 && h[i] != -ERR_IMAGE_CACHE_FULL;
	}
	printf("held four large images: %d refused as the pool was full, %d other errors\n",
	       full, other);
	for (int i = 0; i < 4; i++)
		if (h[i] > 0)
			isola_image_close((uint32_t)h[i]);
	// Let go: one at a time, every image opens again.
	for (int i = 3; i >= 0; i--) {
		int32_t g = open_image(names[i]);
		if (g <= 0) {
			printf("%s did not open again: %d\n", names[i], (int)g);
			return 1;
		}
		isola_image_close((uint32_t)g);
	}
	return full >= 1 && other == 0 ? 0 : 1;
}
