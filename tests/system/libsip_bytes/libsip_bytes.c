// SPDX-License-Identifier: MIT
// libsip_bytes: libsip's block helpers (docs/libsip.md) checked from inside
// a SIP, by the system.libsip_bytes test: the empty string makes a
// one-byte block that reads back as "", a block of 0 bytes cannot be
// made (handle 0, which sip_bytes_free accepts), and sip_bytes_read_str
// cuts and terminates. Prints a line per failed check, then how many
// failed, and exits with that number.
#include <sip/sip.h>
#include <stdio.h>
#include <string.h>

// 0 when the check holds; otherwise says which failed.
static int expect(int ok, const char *what)
{
	if (!ok)
		printf("libsip_bytes: FAIL %s\n", what);
	return !ok;
}

// Makes a block holding s and reads it back as a string into buf;
// returns the block's length, or -1 when no block was made.
static int32_t round_trip(const char *s, SIP_COUNT(size) char *buf, uint32_t size)
{
	struct sip_bytes_made b = sip_bytes_from_str(s);

	if (b.err != 0) {
		sip_bytes_free(b.bytes);
		return -1;
	}
	uint32_t len = sip_bytes_read_str(b.bytes, buf, size);

	sip_bytes_free(b.bytes);
	return (int32_t)len;
}

static int empty_string(void)
{
	char buf[8] = "x";
	int32_t len = round_trip("", buf, sizeof(buf));

	return expect(len == 1, "the empty string's block is 1 byte") +
	       expect(buf[0] == '\0', "the empty string reads back as \"\"");
}

static int zero_bytes(void)
{
	struct sip_bytes_made b = sip_bytes_make("", 0);
	int32_t err = b.err;

	sip_bytes_free(b.bytes);
	return expect(err < 0, "sip_bytes_make of 0 bytes made a block");
}

static int cut_string(void)
{
	char buf[4] = "";
	int32_t len = round_trip("hello", buf, sizeof(buf));

	return expect(len == 5, "read_str returns the block's length") +
	       expect(strcmp(buf, "hel") == 0, "read_str cuts to size - 1 and terminates");
}

int main(int argc, SIP_COUNT(argc) char **argv)
{
	(void)argc;
	(void)argv;
	int failed = empty_string() + zero_bytes() + cut_string();

	printf("libsip_bytes: %d failed\n", failed);
	return failed;
}
