// SPDX-License-Identifier: MIT
// libFuzzer harness for the function name lookup (vf_names.h): every input
// is tried as a whole module, as the payload of a "name" custom section
// and as the contents of a function name map. Failures: a crash or
// sanitizer report, a name that is not NUL-terminated within
// VF_FUNC_NAME_MAX bytes, a byte outside printable ASCII, an empty name
// reported as found, or a miss that does not empty the buffer.
#include <isola/vf_names.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_one(const uint8_t *bytes, size_t size, uint32_t fi)
{
	char out[VF_FUNC_NAME_MAX + 2];
	size_t n;

	out[VF_FUNC_NAME_MAX + 1] = 'X';
	if (!vf_func_name_lookup(bytes, size, fi, out)) {
		if (out[0] != '\0')
			abort();
		return;
	}
	n = strnlen(out, VF_FUNC_NAME_MAX + 1);
	if (n == 0 || n > VF_FUNC_NAME_MAX || out[VF_FUNC_NAME_MAX + 1] != 'X')
		abort();
	for (size_t i = 0; i < n; i++)
		if (out[i] < 0x20 || out[i] > 0x7e)
			abort();
}

// Indices 0 to 3, and one read from the input's first bytes.
static void check(const uint8_t *bytes, size_t size, const uint8_t *data,
		  size_t dsize)
{
	uint32_t fi = 0;

	for (uint32_t i = 0; i < 4; i++)
		check_one(bytes, size, i);
	if (dsize)
		memcpy(&fi, data, dsize < sizeof(fi) ? dsize : sizeof(fi));
	check_one(bytes, size, fi);
}

static void put_u32(uint8_t **p, uint32_t v)
{
	do {
		uint8_t b = v & 0x7f;
		v >>= 7;
		*(*p)++ = (uint8_t)(b | (v ? 0x80 : 0));
	} while (v);
}

// A module holding one section: id 0, "name", then (with sub) a function
// name map subsection around data.
static void check_wrapped(const uint8_t *data, size_t size, bool sub)
{
	static const uint8_t head[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
	size_t inner = (sub ? 1 + 5 : 0) + size;
	uint8_t *buf, *p;

	if (size > UINT32_MAX - 16)
		return;
	buf = malloc(8 + 1 + 5 + 5 + inner);
	if (!buf)
		return;
	p = buf;
	memcpy(p, head, 8);
	p += 8;
	*p++ = 0;
	put_u32(&p, (uint32_t)(5 + (sub ? 1 + 5 : 0) + size));
	memcpy(p, "\x04name", 5);
	p += 5;
	if (sub) {
		*p++ = 1;
		put_u32(&p, (uint32_t)size);
	}
	if (size)
		memcpy(p, data, size);
	p += size;
	check(buf, (size_t)(p - buf), data, size);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, data, size);
	check_wrapped(data, size, false);
	check_wrapped(data, size, true);
	return 0;
}
