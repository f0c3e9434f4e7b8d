// SPDX-License-Identifier: MIT
// newc cpio reader (see initrd.h). Header: magic "070701" then 13 fields of
// 8 hex digits; the name follows, NUL-terminated, padded to 4 bytes; then
// the data, padded to 4 bytes.
#include <initrd.h>
#include <string.h>

#define HEADER_SIZE 110
#define FIELD_MODE 1
#define FIELD_FILESIZE 6
#define FIELD_NAMESIZE 11
#define MODE_TYPE_MASK 0170000u
#define MODE_REGULAR 0100000u

static isola_err_t hex_field(const uint8_t *h, int index, uint32_t *out)
{
	const uint8_t *p = h + 6 + index * 8;
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return ERR_SYNTAX;
		v = v << 4 | d;
	}
	*out = v;
	return ERR_OK;
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

// Reads the entry at *cursor into out (any file type); advances *cursor.
static isola_err_t read_entry(const uint8_t *base, size_t size, size_t *cursor,
			      struct initrd_file *out, uint32_t *namesize)
{
	size_t at = *cursor;
	if (size - at < HEADER_SIZE)
		return ERR_TRUNCATED;
	const uint8_t *h = base + at;
	if (memcmp(h, "070701", 6) != 0 && memcmp(h, "070702", 6) != 0)
		return ERR_SYNTAX;
	uint32_t mode, filesize;
	TRY(hex_field(h, FIELD_MODE, &mode));
	TRY(hex_field(h, FIELD_FILESIZE, &filesize));
	TRY(hex_field(h, FIELD_NAMESIZE, namesize));
	if (*namesize == 0 || *namesize > INITRD_NAME_MAX)
		return ERR_SYNTAX;
	size_t name_end = pad4(at + HEADER_SIZE + *namesize);
	if (name_end > size || name_end < at)
		return ERR_TRUNCATED;
	const char *name = (const char *)h + HEADER_SIZE;
	if (name[*namesize - 1] != '\0')
		return ERR_SYNTAX;
	if (filesize > size - name_end)
		return ERR_TRUNCATED;
	if (name[0] == '.' && name[1] == '/')
		name += 2;
	size_t n = strnlen(name, INITRD_NAME_MAX - 1);
	memcpy(out->name, name, n);
	out->name[n] = '\0';
	out->data = base + name_end;
	out->size = filesize;
	out->mode = mode;
	*cursor = pad4(name_end + filesize) < size ? pad4(name_end + filesize) : size;
	return ERR_OK;
}

isola_err_t initrd_next(const uint8_t *base, size_t size, size_t *cursor,
			struct initrd_file *out)
{
	for (;;) {
		uint32_t namesize;
		if (*cursor >= size)
			return ERR_TRUNCATED; // no trailer
		TRY(read_entry(base, size, cursor, out, &namesize));
		if (strcmp(out->name, "TRAILER!!!") == 0)
			return ERR_NOTFOUND;
		if ((out->mode & MODE_TYPE_MASK) == MODE_REGULAR)
			return ERR_OK;
	}
}

isola_err_t initrd_find(const uint8_t *base, size_t size, const char *name,
			struct initrd_file *out)
{
	size_t cursor = 0;
	for (;;) {
		TRY(initrd_next(base, size, &cursor, out));
		if (strcmp(out->name, name) == 0)
			return ERR_OK;
	}
}
