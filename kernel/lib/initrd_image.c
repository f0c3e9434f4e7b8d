// SPDX-License-Identifier: MIT
// Where the kernel's initrd is (see initrd.h). Set once at boot.
#include <initrd.h>

static const uint8_t *initrd_base;
static size_t initrd_size;

void initrd_register(const uint8_t *base, size_t size)
{
	initrd_base = base;
	initrd_size = size;
}

bool initrd_image(const uint8_t **base, size_t *size)
{
	if (!initrd_base)
		return false;
	*base = initrd_base;
	*size = initrd_size;
	return true;
}
