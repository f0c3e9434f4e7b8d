// SPDX-License-Identifier: MIT
// Reading the initrd: a cpio archive in the "newc" format (ASCII hex
// headers, 4-byte alignment, ended by TRAILER!!!). Portable and
// host-tested; every header field is checked against the archive's size.
#ifndef ISOLA_INITRD_H
#define ISOLA_INITRD_H

#include <isola/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INITRD_NAME_MAX 256

struct initrd_file {
	char name[INITRD_NAME_MAX]; // without a leading "./"
	const uint8_t *data;
	size_t size;
	uint32_t mode;
};

// Iterates over the regular files of the archive [base, base + size).
// *cursor starts at 0. Returns ERR_OK with *out filled, ERR_NOTFOUND at the
// end, or ERR_SYNTAX / ERR_TRUNCATED for a malformed archive.
ISOLA_MUST_CHECK isola_err_t initrd_next(const uint8_t *base, size_t size,
					 size_t *cursor,
					 struct initrd_file *out);

// Finds the regular file called name ("motd", "sips/init.sip").
ISOLA_MUST_CHECK isola_err_t initrd_find(const uint8_t *base, size_t size,
					 const char *name,
					 struct initrd_file *out);

// The kernel's initrd, registered at boot from the loader's modules
// (kernel/main.c). initrd_image returns false when there is none.
void initrd_register(const uint8_t *base, size_t size);
ISOLA_MUST_CHECK bool initrd_image(const uint8_t **base, size_t *size);

#endif
